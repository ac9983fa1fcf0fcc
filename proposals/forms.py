"""The drafting form of a wijkraad proposal: the weekly grid plus title, start and arguments.

The workflow forms (status changes, messages, the city's answer) are in
``forms_workflow.py``.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hubs.forms import WeekGridForm
from wijkhubs.widgets import DateInput


class ProposalForm(WeekGridForm):
    """A proposal's grid (``WeekGridForm``) with its title, desired start and arguments.

    ``today`` is the date the start must lie after. With ``preview=True`` the
    text fields may still be empty: a preview only needs a correct grid, and
    asking for the arguments before the wijkraad has seen the effect would be
    in the way. The grid's open cells are ``cleaned_slots`` after a valid save
    and ``grid_slots`` whenever the grid itself is correct.
    """

    title = forms.CharField(
        label=_("Title"),
        max_length=150,
        help_text=_("In a few words what the wijkraad proposes, e.g. “Open on Saturday morning”."),
    )
    desired_start = forms.DateField(
        label=_("Desired start date"),
        widget=DateInput,
        help_text=_("From when the wijkraad would like the new opening hours to apply."),
    )
    argumentation = forms.CharField(
        label=_("Arguments"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Why the wijkraad proposes this: what residents need."),
    )

    def __init__(self, data=None, *, today: dt.date, source_slots=(), initial=None, preview=False):
        self.today = today
        super().__init__(data, source_slots=source_slots, initial=initial)
        self.fields["title"].widget.attrs["autocomplete"] = "off"
        self.fields["title"].error_messages["required"] = _("Give the proposal a title.")
        self.fields["argumentation"].error_messages["required"] = _(
            "Write the arguments: why does the wijkraad propose this?"
        )
        self.fields["desired_start"].error_messages.update(
            {
                "required": _("Choose the date from which the new opening hours should apply."),
                "invalid": _("Enter a date like 2027-03-01."),
            }
        )
        if preview:
            for name in ("title", "desired_start", "argumentation"):
                self.fields[name].required = False

    def clean_title(self) -> str:
        return self.cleaned_data["title"].strip()

    def clean_argumentation(self) -> str:
        return self.cleaned_data["argumentation"].strip()

    def clean_desired_start(self) -> dt.date | None:
        day = self.cleaned_data["desired_start"]
        if day is not None and day <= self.today:
            raise forms.ValidationError(
                gettext("Choose a date after today: the new opening hours start in the future.")
            )
        return day

    def clean(self):
        cleaned = super().clean()
        if self.grid_slots == []:
            self.add_error(
                None,
                gettext("Tick at least one dagdeel: a proposal needs opening hours."),
            )
        return cleaned

    def text_errors(self) -> list[tuple]:
        """(bound field, message) of the fields outside the grid, for the error summary."""
        return [
            (self[name], error)
            for name in ("title", "desired_start", "argumentation")
            for error in self[name].errors
        ]


class ProposalFilterForm(forms.Form):
    """The filters of the proposal list. ``hubs`` are the hubs the user sees proposals of.

    Drawn by templates/proposals/list.html itself, in Bootstrap's markup (as crispy
    would draw it): two selects and a button do not need crispy's generic templates,
    which cost the list a sixth of its time.
    """

    status = forms.ChoiceField(label=_("Status"), required=False)
    hub = forms.ChoiceField(label=_("Hub"), required=False)

    def __init__(self, data=None, *, hubs, statuses):
        super().__init__(data)
        self.fields["status"].choices = [("", _("All statuses")), *statuses]
        # Plain choices from the hub list the view already has: no second query.
        self.fields["hub"].choices = [("", _("All hubs")), *((h.slug, h.name) for h in hubs)]
        for field in self.fields.values():
            field.widget.attrs["class"] = "select form-select"

    def full_clean(self):
        super().full_clean()
        # Bootstrap shows a field's message only after a widget marked invalid.
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["class"] += " is-invalid"

    def valid_filters(self) -> dict:
        """The filters that could be read; an unknown value is left out (with its message)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in self.errors and value
        }
