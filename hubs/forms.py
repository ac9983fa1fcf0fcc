"""Forms of the hub management pages (/beheer/).

Forms normalise and check input; the views decide what happens with it. Model
``clean`` methods (e.g. ``Closure.clean``) run through the ModelForms, so their
messages appear on the form.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Fieldset, Layout, Submit
from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.constants import Role
from wijkhubs.widgets import MAX_YEAR, MIN_YEAR, DateInput, TimeInput

from .constants import DEFAULT_TIMES, NORM_MIN_DAGDELEN, NORM_MIN_DAYS, Dagdeel, Weekday
from .models import ClosingDay, Closure, Hub, MobileStop, ScheduleVersion
from .validators import normalise_phone, normalise_postcode


def _helper(submit_label, *fields, submit_name="submit") -> FormHelper:
    helper = FormHelper()
    helper.form_method = "post"
    helper.layout = Layout(*fields, Submit(submit_name, submit_label))
    return helper


# --- hubs -----------------------------------------------------------------------------------


def _staffing_role_choices() -> list[tuple[str, str]]:
    """The roles a hub may require among the people present: those who can take a place."""
    from accounts.permissions import SIGNUP_ROLES

    return [(role.value, role.label) for role in Role if role in SIGNUP_ROLES]


class HubForm(forms.ModelForm):
    required_roles = forms.MultipleChoiceField(
        label=_("Required roles"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "At least one person holding one of these roles must be present, "
            "e.g. a host or a KCC employee."
        ),
    )

    class Meta:
        model = Hub
        fields = [
            "name",
            "slug",
            "gebied",
            "wijk",
            "address",
            "postcode",
            "city",
            "latitude",
            "longitude",
            "phone",
            "email",
            "description",
            "is_active",
            "is_mobile",
            "min_staff",
            "max_staff",
            "required_roles",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _(
            "Used in the web address of the public hub page. "
            "Leave empty to derive it from the name."
        )
        self.fields["postcode"].widget.attrs["autocomplete"] = "postal-code"
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"
        self.fields["phone"].widget.input_type = "tel"
        self.fields["required_roles"].choices = _staffing_role_choices()
        self.fields["max_staff"].min_value = 1
        self.fields["max_staff"].widget.attrs["min"] = 1
        self.helper = _helper(
            _("Save"),
            Div(
                Div("name", css_class="col-md-6"),
                Div("slug", css_class="col-md-6"),
                css_class="row",
            ),
            Div(
                Div("gebied", css_class="col-md-6"),
                Div("wijk", css_class="col-md-6"),
                css_class="row",
            ),
            Div(
                Div("address", css_class="col-md-6"),
                Div("postcode", css_class="col-md-3"),
                Div("city", css_class="col-md-3"),
                css_class="row",
            ),
            Div(
                Div("latitude", css_class="col-md-6"),
                Div("longitude", css_class="col-md-6"),
                css_class="row",
            ),
            Div(
                Div("phone", css_class="col-md-6"),
                Div("email", css_class="col-md-6"),
                css_class="row",
            ),
            "description",
            "is_active",
            "is_mobile",
            Fieldset(
                _("Staffing of each dagdeel"),
                Div(
                    Div("min_staff", css_class="col-md-6"),
                    Div("max_staff", css_class="col-md-6"),
                    css_class="row",
                ),
                "required_roles",
            ),
        )

    def clean_postcode(self) -> str:
        value = self.cleaned_data["postcode"].strip()
        return normalise_postcode(value) if value else ""

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"].strip()
        return normalise_phone(value) if value else ""

    def clean_slug(self) -> str:
        return self.cleaned_data["slug"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("min_staff"), cleaned.get("max_staff")
        if low is not None and high is not None and low > high:
            self.add_error("min_staff", gettext("The minimum cannot be above the maximum."))
        # Without JavaScript there is no live slug preview, so an empty slug is
        # derived from the name; validate_unique then reports a clash as usual.
        if not cleaned.get("slug") and cleaned.get("name"):
            cleaned["slug"] = slugify(cleaned["name"])[: Hub._meta.get_field("slug").max_length]
            if not cleaned["slug"]:
                self.add_error(
                    "slug", gettext("Enter a slug: the name has no letters or digits to use.")
                )
        return cleaned


# --- opening hours: the weekly grid ---------------------------------------------------------


def _cell_prefix(weekday: int, dagdeel: str) -> str:
    return f"d{weekday}_{dagdeel}"


def _usual_times(slots) -> dict[str, tuple[dt.time, dt.time]]:
    """Per dagdeel, the times it most often has in ``slots``; the city's defaults otherwise."""
    times = dict(DEFAULT_TIMES)
    for dagdeel in Dagdeel:
        seen = Counter((s.start_time, s.end_time) for s in slots if s.dagdeel == dagdeel)
        if seen:
            times[dagdeel] = seen.most_common(1)[0][0]
    return times


class WeekGridForm(forms.Form):
    """A weekly grid: for each weekday and dagdeel, open or not and its times.

    The grid of ``ScheduleForm`` (the hub management pages) and of a wijkraad's
    proposal (proposals/forms.py); subclasses add their own fields.
    ``source_slots`` are the slots to prefill from. After ``is_valid()``,
    ``cleaned_slots`` holds the open cells as dicts for
    ``services.schedule_version_create`` and ``warnings`` the norm warnings.
    ``grid_slots`` holds the open cells whenever the grid itself is correct (also
    when another field has an error), else None: enough to preview the grid.
    """

    def __init__(self, data=None, *, source_slots=(), initial=None):
        initial = {**self._initial_cells(list(source_slots)), **(initial or {})}
        super().__init__(data, initial=initial)
        self.cleaned_slots: list[dict] = []
        self.grid_slots: list[dict] | None = None
        self.warnings: list[str] = []
        for day in Weekday:
            for dagdeel in Dagdeel:
                prefix = _cell_prefix(day, dagdeel)
                names = {"day": day.label, "dagdeel": dagdeel.label.lower()}
                self.fields[f"{prefix}_open"] = forms.BooleanField(
                    label=gettext("%(day)s %(dagdeel)s: open") % names, required=False
                )
                self.fields[f"{prefix}_start"] = forms.TimeField(
                    label=gettext("%(day)s %(dagdeel)s opens at") % names,
                    required=False,
                    widget=TimeInput(attrs={"class": "form-control form-control-sm grid-input"}),
                )
                self.fields[f"{prefix}_end"] = forms.TimeField(
                    label=gettext("%(day)s %(dagdeel)s closes at") % names,
                    required=False,
                    widget=TimeInput(attrs={"class": "form-control form-control-sm grid-input"}),
                )
                self.fields[f"{prefix}_open"].widget.attrs["class"] = "form-check-input"

    @staticmethod
    def _initial_cells(slots) -> dict:
        initial = {}
        usual = _usual_times(slots)
        by_cell = {(s.weekday, s.dagdeel): s for s in slots}
        for day in Weekday:
            for dagdeel in Dagdeel:
                prefix = _cell_prefix(day, dagdeel)
                slot = by_cell.get((day.value, dagdeel.value))
                start, end = (slot.start_time, slot.end_time) if slot else usual[dagdeel]
                initial[f"{prefix}_open"] = slot is not None
                initial[f"{prefix}_start"] = start
                initial[f"{prefix}_end"] = end
        return initial

    def clean(self):
        cleaned = super().clean()
        slots = []
        for day in Weekday:
            open_cells = []
            for dagdeel in Dagdeel:
                prefix = _cell_prefix(day, dagdeel)
                start_name, end_name = f"{prefix}_start", f"{prefix}_end"
                if not cleaned.get(f"{prefix}_open"):
                    # A closed dagdeel's times are ignored, even if they are malformed.
                    for name in (start_name, end_name):
                        self._errors.pop(name, None)
                    continue
                if start_name in self.errors or end_name in self.errors:
                    continue  # a malformed time already has its message
                start, end = cleaned.get(start_name), cleaned.get(end_name)
                if start is None or end is None:
                    self.add_error(
                        start_name if start is None else end_name,
                        gettext("Enter when this dagdeel opens and closes, or untick it."),
                    )
                    continue
                if end < start:
                    self.add_error(end_name, gettext("The dagdeel ends before it starts."))
                    continue
                if end == start:
                    self.add_error(end_name, gettext("The dagdeel ends at the moment it starts."))
                    continue
                open_cells.append((dagdeel, start, end))
            self._check_sequence(day, open_cells)
            slots += [
                {"weekday": day.value, "dagdeel": d.value, "start_time": s, "end_time": e}
                for d, s, e in open_cells
            ]
        if not any(name in self.errors for name in self._grid_field_names()):
            self.grid_slots = slots
        if not self.errors:
            self.cleaned_slots = slots
            dagdelen, days = len(slots), len({s["weekday"] for s in slots})
            if dagdelen < NORM_MIN_DAGDELEN or days < NORM_MIN_DAYS:
                self.warnings.append(
                    gettext(
                        "This schedule is below the norm: %(dagdelen)s dagdelen on %(days)s "
                        "days a week, where at least %(min_dagdelen)s dagdelen on "
                        "%(min_days)s days are expected."
                    )
                    % {
                        "dagdelen": dagdelen,
                        "days": days,
                        "min_dagdelen": NORM_MIN_DAGDELEN,
                        "min_days": NORM_MIN_DAYS,
                    }
                )
        return cleaned

    def _check_sequence(self, day, open_cells) -> None:
        """Morning, afternoon and evening must follow each other without overlapping."""
        for (before, b_start, b_end), (after, a_start, _a_end) in zip(
            open_cells, open_cells[1:], strict=False
        ):
            names = {
                "before": before.label.lower(),
                "after": after.label.lower(),
                "end": b_end.strftime("%H:%M"),
                "start": a_start.strftime("%H:%M"),
            }
            prefix_after = _cell_prefix(day, after)
            if a_start < b_start:
                self.add_error(
                    f"{prefix_after}_start",
                    gettext(
                        "The %(after)s starts before the %(before)s. Morning, afternoon and "
                        "evening must come in that order."
                    )
                    % names,
                )
            elif a_start < b_end:
                self.add_error(
                    f"{prefix_after}_start",
                    gettext(
                        "The %(before)s runs into the %(after)s: it ends at %(end)s, "
                        "the %(after)s starts at %(start)s."
                    )
                    % names,
                )

    def grid(self) -> list[dict]:
        """Rows (weekdays) of cells (dagdelen) of bound fields, for the template."""
        rows = []
        for day in Weekday:
            cells = []
            for dagdeel in Dagdeel:
                prefix = _cell_prefix(day, dagdeel)
                fields = [self[f"{prefix}_{part}"] for part in ("open", "start", "end")]
                cells.append(
                    {
                        "dagdeel": dagdeel,
                        "label": gettext("%(day)s %(dagdeel)s")
                        % {"day": day.label, "dagdeel": dagdeel.label.lower()},
                        "open": fields[0],
                        "start": fields[1],
                        "end": fields[2],
                        "fields": fields,
                        "has_errors": any(f.errors for f in fields),
                    }
                )
            rows.append({"day": day, "cells": cells})
        return rows

    def _grid_field_names(self) -> list[str]:
        return [
            f"{_cell_prefix(day, dagdeel)}_{part}"
            for day in Weekday
            for dagdeel in Dagdeel
            for part in ("open", "start", "end")
        ]


class ScheduleForm(WeekGridForm):
    """A schedule version as a grid (see ``WeekGridForm``) with its start date and note.

    ``hub`` is the hub the version belongs to; ``version`` the version being
    edited (None for a new one); ``source_slots`` the slots to prefill from (the
    version in force, when making a new one).
    """

    valid_from = forms.DateField(
        label=_("Valid from"),
        widget=DateInput,
        help_text=_("The first day on which this schedule applies."),
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=200,
        required=False,
        help_text=_("Why this schedule was made, e.g. a wijkraad proposal."),
    )

    def __init__(
        self, data=None, *, hub: Hub, today: dt.date, version=None, source_slots=(), initial=None
    ):
        self.hub, self.today, self.version = hub, today, version
        super().__init__(data, source_slots=source_slots, initial=initial)

    def clean_valid_from(self) -> dt.date:
        valid_from = self.cleaned_data["valid_from"]
        if valid_from < self.today:
            raise forms.ValidationError(
                gettext("Choose today or a later date: a schedule cannot start in the past.")
            )
        clash = ScheduleVersion.objects.filter(hub=self.hub, valid_from=valid_from)
        if self.version is not None:
            clash = clash.exclude(pk=self.version.pk)
        if clash.exists():
            raise forms.ValidationError(
                gettext(
                    "This hub already has a schedule starting on %(date)s. "
                    "Choose another date or change that schedule."
                )
                % {"date": valid_from.strftime("%d-%m-%Y")}
            )
        return valid_from


# --- closures and closing days --------------------------------------------------------------


class ClosureForm(forms.ModelForm):
    """A closure of one hub, or of every hub when the instance has no hub.

    Pass ``instance=Closure(hub=...)`` for a new one, so ``Closure.clean`` can
    check overlaps within the same hub (or among the city-wide closures).
    """

    class Meta:
        model = Closure
        fields = ["start_date", "end_date", "reason"]
        widgets = {"start_date": DateInput, "end_date": DateInput}

    def __init__(self, *args, submit_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            submit_label or _("Add closure"),
            Div(
                Div("start_date", css_class="col-md-3"),
                Div("end_date", css_class="col-md-3"),
                Div("reason", css_class="col-md-6"),
                css_class="row",
            ),
        )


class ClosingDayForm(forms.ModelForm):
    class Meta:
        model = ClosingDay
        fields = ["date", "name", "is_closed"]
        widgets = {"date": DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            _("Add closing day"),
            Div(
                Div("date", css_class="col-md-3"),
                Div("name", css_class="col-md-5"),
                Div(Field("is_closed"), css_class="col-md-4 pt-md-4"),
                css_class="row",
            ),
            submit_name="add",
        )

    def clean_date(self) -> dt.date:
        day = self.cleaned_data["date"]
        existing = ClosingDay.objects.filter(date=day).exclude(pk=self.instance.pk).first()
        if existing:
            raise forms.ValidationError(
                gettext("%(date)s is already on the list as “%(name)s”. Change that day instead.")
                % {"date": day.strftime("%d-%m-%Y"), "name": existing.name}
            )
        return day


class ClosingDayEditForm(forms.ModelForm):
    """Rename a closing day or switch it between closed and open; its date stays."""

    class Meta:
        model = ClosingDay
        fields = ["name", "is_closed"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save"), "name", "is_closed")


class HolidayImportForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year"),
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        error_messages={
            "invalid": _("Enter a year such as 2027."),
            "min_value": _("Choose a year between 2000 and 2100."),
            "max_value": _("Choose a year between 2000 and 2100."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Import public holidays"), "year", submit_name="import")


# --- the mobile hub's stops -----------------------------------------------------------------


class MobileStopForm(forms.ModelForm):
    """A stop of the mobile hub; pass ``instance=MobileStop(hub=hub)`` and ``today``."""

    class Meta:
        model = MobileStop
        fields = ["date", "dagdeel", "place", "address"]
        widgets = {"date": DateInput}

    def __init__(self, *args, today: dt.date, **kwargs):
        self.today = today
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            _("Add stop"),
            Div(
                Div("date", css_class="col-md-3"),
                Div("dagdeel", css_class="col-md-3"),
                Div("place", css_class="col-md-6"),
                css_class="row",
            ),
            "address",
        )

    def clean_date(self) -> dt.date:
        day = self.cleaned_data["date"]
        if day < self.today:
            raise forms.ValidationError(gettext("Choose today or a later date."))
        return day

    def clean(self):
        cleaned = super().clean()
        day, dagdeel = cleaned.get("date"), cleaned.get("dagdeel")
        # The hub is not a form field, so the model's unique constraint is not
        # checked by the ModelForm; check it here with a message that says which stop.
        if day and dagdeel:
            clash = (
                MobileStop.objects.filter(hub=self.instance.hub, date=day, dagdeel=dagdeel)
                .exclude(pk=self.instance.pk)
                .first()
            )
            if clash:
                self.add_error(
                    "dagdeel",
                    gettext(
                        "The mobile hub already has a stop on %(date)s in the %(dagdeel)s: "
                        "%(place)s."
                    )
                    % {
                        "date": day.strftime("%d-%m-%Y"),
                        "dagdeel": Dagdeel(dagdeel).label.lower(),
                        "place": clash.place,
                    },
                )
        return cleaned
