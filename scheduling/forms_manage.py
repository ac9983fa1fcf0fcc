"""Forms of the rostering pages for wijkmanagers, coordinators and hosts (views/manage.py).

Forms normalise and check what was typed; the views decide what happens with it
and call the services, whose RosterError messages are put back on the form.
"""

from __future__ import annotations

import datetime as dt

from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout, Submit
from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.constants import Role
from accounts.models import Cluster
from accounts.permissions import SIGNUP_ROLES
from hubs.constants import Dagdeel, Weekday
from hubs.models import Gebied, Hub
from wijkhubs.widgets import MAX_YEAR, MIN_YEAR, DateInput, DateTimeInput

from .models import Shift

MAX_WEEKS = 8
DEFAULT_WEEKS = 4
# A bulk offer covers at most this many days: enough for a season, small enough
# that a typo in a year (2207) gets a message instead of a very long request.
MAX_OFFER_DAYS = 366


def _show_button() -> StrictButton:
    # A <button> without a name, so the filter address holds only the filters.
    return StrictButton(_("Show"), type="submit", css_class="btn-primary mb-3")


def _role_choices() -> list[tuple[str, str]]:
    """The roles a shift may require: those of the people who can take a place."""
    return [(role.value, role.label) for role in Role if role in SIGNUP_ROLES]


# --- coverage ------------------------------------------------------------------------------


class CoverageFilterForm(forms.Form):
    """The filters of the coverage page and its CSV export (all optional, GET).

    The template draws the fields by hand (scheduling/manage/coverage.html), as crispy's
    Bootstrap 5 pack would. ``hubs`` holds the hubs the user manages, with their gebied:
    read once for both choice lists, and used by the page for its hub headings.
    """

    weeks = forms.IntegerField(label=_("Weeks"), min_value=1, max_value=MAX_WEEKS, required=False)
    gebied = forms.ModelChoiceField(
        label=_("District"),
        queryset=Gebied.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("All districts"),
    )
    hub = forms.ModelChoiceField(
        label=_("Hub"),
        queryset=Hub.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("All hubs"),
    )

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("initial", {"from": timezone.localdate(), "weeks": DEFAULT_WEEKS})
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword, so the field is added by name here.
        self.fields["from"] = forms.DateField(
            label=_("From"), required=False, widget=DateInput(), input_formats=["%Y-%m-%d"]
        )
        self.order_fields(["from", "weeks", "gebied", "hub"])
        hubs = Hub.objects.manageable_by(user)
        # The querysets check a chosen value (one query, only when there is one); the
        # choices come from one read of the hubs with their gebied.
        self.fields["hub"].queryset = hubs.order_by("name")
        self.fields["gebied"].queryset = Gebied.objects.filter(hubs__in=hubs).distinct()
        self.hubs = list(
            hubs.select_related("gebied")
            .only("name", "slug", "gebied__name", "gebied__slug")
            .order_by("name")
        )
        gebieden = {hub.gebied_id: hub.gebied for hub in self.hubs}.values()
        self.fields["hub"].choices = [("", self.fields["hub"].empty_label)] + [
            (hub.slug, hub.name) for hub in self.hubs
        ]
        self.fields["gebied"].choices = [("", self.fields["gebied"].empty_label)] + [
            (gebied.slug, gebied.name) for gebied in sorted(gebieden, key=lambda g: g.name)
        ]

    def clean_from(self) -> dt.date | None:
        # Called for the field "from"; a far-off year would overflow the date sums.
        value = self.cleaned_data.get("from")
        if value and not MIN_YEAR <= value.year <= MAX_YEAR:
            raise forms.ValidationError(
                gettext("Choose a date between %(first)s and %(last)s.")
                % {"first": MIN_YEAR, "last": MAX_YEAR}
            )
        return value

    def filters(self) -> dict:
        """The valid filters, with defaults for what is missing or was typed wrongly."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "first": data.get("from") or timezone.localdate(),
            "weeks": data.get("weeks") or DEFAULT_WEEKS,
            "gebied": data.get("gebied"),
            "hub": data.get("hub"),
        }


# --- one shift -------------------------------------------------------------------------------


class StaffingForm(forms.Form):
    min_staff = forms.IntegerField(label=_("Minimum"), min_value=0, max_value=50)
    max_staff = forms.IntegerField(label=_("Maximum"), min_value=1, max_value=50)
    required_roles = forms.MultipleChoiceField(
        label=_("Required roles"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("At least one of the people present must hold one of these roles."),
    )

    def __init__(self, *args, shift: Shift, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "min_staff": shift.min_staff,
                "max_staff": shift.max_staff,
                "required_roles": list(shift.required_roles),
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["required_roles"].choices = _role_choices()
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.form_action = reverse("scheduling:shift_staffing", args=[shift.pk])
        self.helper.layout = Layout(
            Div(
                Div("min_staff", css_class="col-sm-6"),
                Div("max_staff", css_class="col-sm-6"),
                css_class="row",
            ),
            "required_roles",
            Submit("save_staffing", _("Save staffing")),
        )

    def clean(self):
        data = super().clean()
        low, high = data.get("min_staff"), data.get("max_staff")
        if low is not None and high is not None and low > high:
            self.add_error("min_staff", gettext("The minimum cannot be above the maximum."))
        return data


ATTENDED_YES, ATTENDED_NO, ATTENDED_UNKNOWN = "came", "absent", "unknown"
_ATTENDED_VALUES = {ATTENDED_YES: True, ATTENDED_NO: False, ATTENDED_UNKNOWN: None}


class AttendanceForm(forms.Form):
    """One radio group per confirmed person: came, did not come, not known."""

    def __init__(self, *args, signups, **kwargs):
        super().__init__(*args, **kwargs)
        self.signups = list(signups)
        choices = [
            (ATTENDED_YES, _("came")),
            (ATTENDED_NO, _("did not come")),
            (ATTENDED_UNKNOWN, _("unknown")),
        ]
        for signup in self.signups:
            initial = {True: ATTENDED_YES, False: ATTENDED_NO}.get(
                signup.attended, ATTENDED_UNKNOWN
            )
            self.fields[self.field_name(signup)] = forms.ChoiceField(
                label=str(signup.user),
                choices=choices,
                initial=initial,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            )

    @staticmethod
    def field_name(signup) -> str:
        return f"signup_{signup.pk}"

    def rows(self):
        """(sign-up, bound field) pairs for the template."""
        return [(s, self[self.field_name(s)]) for s in self.signups]

    def attended(self) -> dict[int, bool | None]:
        return {s.pk: _ATTENDED_VALUES[self.cleaned_data[self.field_name(s)]] for s in self.signups}


# --- cluster offers ----------------------------------------------------------------------------


class OfferBulkForm(forms.Form):
    """Offers places in many dagdelen at once: every active, upcoming shift of the
    chosen hubs between the dates, on the chosen weekdays and dagdelen."""

    cluster = forms.ModelChoiceField(label=_("Cluster"), queryset=Cluster.objects.all())
    places = forms.IntegerField(label=_("Places per dagdeel"), min_value=1, max_value=50)
    release_at = forms.DateTimeField(
        label=_("Released at"),
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("Until this moment only the cluster's people may take the places."),
    )
    hubs = forms.ModelMultipleChoiceField(
        label=_("Hubs"),
        queryset=Hub.objects.active().order_by("name"),
        widget=forms.CheckboxSelectMultiple,
    )
    first = forms.DateField(label=_("From"), widget=DateInput(), input_formats=["%Y-%m-%d"])
    last = forms.DateField(
        label=_("Until (inclusive)"), widget=DateInput(), input_formats=["%Y-%m-%d"]
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Weekdays"),
        choices=Weekday.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    dagdelen = forms.MultipleChoiceField(
        label=_("Dagdelen"), choices=Dagdeel.choices, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "weekdays": [d.value for d in Weekday if d < Weekday.SATURDAY],
                "dagdelen": [d.value for d in Dagdeel],
            },
        )
        super().__init__(*args, **kwargs)
        self.shifts: list[Shift] = []
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.layout = Layout(
            Div(
                Div("cluster", css_class="col-md-4"),
                Div("places", css_class="col-md-4"),
                Div("release_at", css_class="col-md-4"),
                css_class="row",
            ),
            Div(
                Div("first", css_class="col-md-6"),
                Div("last", css_class="col-md-6"),
                css_class="row",
            ),
            Div(
                Div("weekdays", css_class="col-md-6"),
                Div("dagdelen", css_class="col-md-6"),
                css_class="row",
            ),
            Div("hubs", css_class="offer-hubs"),
            Submit("create_offers", _("Create offers")),
        )

    def clean(self):
        data = super().clean()
        first, last = data.get("first"), data.get("last")
        if first and last:
            if last < first:
                self.add_error("last", gettext("The end date is before the start date."))
            elif (last - first).days >= MAX_OFFER_DAYS:
                self.add_error(
                    "last",
                    gettext("Choose a period of at most %(days)s days.") % {"days": MAX_OFFER_DAYS},
                )
        if self.errors:
            return data
        self.shifts = self._matching_shifts(data)
        if not self.shifts:
            raise forms.ValidationError(
                gettext("No upcoming dagdelen of these hubs match the dates, days and dagdelen.")
            )
        too_small = [s for s in self.shifts if s.max_staff < data["places"]]
        if too_small:
            examples = ", ".join(str(s) for s in too_small[:3])
            self.add_error(
                "places",
                gettext(
                    "%(count)s of the dagdelen take fewer people than that (for example "
                    "%(examples)s with a maximum of %(max)s). Offer fewer places."
                )
                % {
                    "count": len(too_small),
                    "examples": examples,
                    "max": too_small[0].max_staff,
                },
            )
        return data

    @staticmethod
    def _matching_shifts(data) -> list[Shift]:
        shifts = (
            Shift.objects.active()
            .upcoming()
            .between(data["first"], data["last"])
            .filter(hub__in=data["hubs"], dagdeel__in=data["dagdelen"])
            .select_related("hub")
        )
        weekdays = set(data["weekdays"])
        return [s for s in shifts if s.date.weekday() in weekdays]


class MonthForm(forms.Form):
    """``?month=YYYY-MM`` of the cluster report."""

    month = forms.CharField(label=_("Month"), required=False, max_length=20)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].widget.input_type = "month"
        self.fields["month"].widget.attrs["placeholder"] = "2026-01"
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.form_class = "row g-2 align-items-end mb-3"
        self.helper.layout = Layout(
            Div("month", css_class="col-sm-4 col-lg-3"),
            Div(_show_button(), css_class="col-sm-2"),
        )

    def clean_month(self) -> dt.date | None:
        value = self.cleaned_data["month"].strip()
        if not value:
            return None
        try:
            first = dt.datetime.strptime(value, "%Y-%m").date()
        except ValueError:
            raise forms.ValidationError(
                gettext("Give the month as year and month, for example 2026-03.")
            ) from None
        if not MIN_YEAR <= first.year <= MAX_YEAR:
            raise forms.ValidationError(
                gettext("Choose a month between %(first)s and %(last)s.")
                % {"first": MIN_YEAR, "last": MAX_YEAR}
            )
        return first

    def first_day(self) -> dt.date:
        """The first day of the chosen month, or of this month."""
        self.is_valid()
        chosen = getattr(self, "cleaned_data", {}).get("month")
        return chosen or timezone.localdate().replace(day=1)
