"""Forms of the proposal workflow (views/workflow.py): status changes, the conversation,
the city's answer with its adopted grid, and the publication switch.

Forms normalise and check what was typed; the views decide, and the services
(proposals/services.py) check once more under a row lock. The hidden ``expected``
field carries the status the page showed, so a form posted twice is recognised.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hubs.forms import ScheduleForm
from wijkhubs.widgets import DateInput

from .constants import Decision, Status

# The longest reason for withdrawing that Proposal.withdrawn_reason holds.
MAX_REASON = 300
MAX_MESSAGE = 5000


class TransitionForm(forms.Form):
    """One status change: submit, withdraw (with a reason) or start the conversation."""

    to = forms.ChoiceField(choices=Status.choices, widget=forms.HiddenInput)
    expected = forms.ChoiceField(choices=Status.choices, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, target: str | None = None, **kwargs):
        # Several of these forms sit on one page: each gets its own element ids.
        kwargs.setdefault("auto_id", f"id_{target or 'transition'}_%s")
        super().__init__(*args, **kwargs)
        if target == Status.WITHDRAWN:
            self.fields["note"].label = _("Reason for withdrawing")
            self.fields["note"].max_length = MAX_REASON
            self.fields["note"].widget.attrs["maxlength"] = MAX_REASON
            self.fields["note"].help_text = _("The city and the wijkraad see this reason.")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("to") == Status.WITHDRAWN:
            note = cleaned.get("note", "")
            if not note.strip() and "note" not in self.errors:
                self.add_error("note", gettext("Say why the proposal is withdrawn."))
            elif len(note) > MAX_REASON:
                self.add_error(
                    "note",
                    gettext("Keep the reason under %(count)s characters.") % {"count": MAX_REASON},
                )
        return cleaned


class MessageForm(forms.Form):
    """A reply in the conversation; the city may instead write an internal note."""

    body = forms.CharField(
        label=_("Your message"),
        max_length=MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write a message first.")},
    )
    internal = forms.BooleanField(
        label=_("Internal note: only the city sees it"),
        required=False,
        help_text=_("The wijkraad does not see internal notes and gets no e-mail about them."),
    )

    def __init__(self, *args, can_write_internal: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_write_internal:
            del self.fields["internal"]


class AnswerForm(forms.Form):
    """The city's answer: a draft, or (for the coordinator) the published decision."""

    # The status the page showed; only deciding needs it (the view passes it on).
    expected = forms.ChoiceField(choices=Status.choices, widget=forms.HiddenInput, required=False)
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a decision.")},
    )
    motivation = forms.CharField(
        label=_("Motivation"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Why the city decides this. The wijkraad reads it, and so may residents."),
        error_messages={"required": _("Write the motivation: every decision needs one.")},
    )
    start_date = forms.DateField(
        label=_("New opening hours from"),
        required=False,
        widget=DateInput,
        help_text=_("Needed when the proposal is accepted, fully or partly."),
    )

    def __init__(self, *args, today: dt.date, **kwargs):
        self.today = today
        kwargs.setdefault("auto_id", "id_answer_%s")
        super().__init__(*args, **kwargs)

    def clean_motivation(self) -> str:
        motivation = self.cleaned_data["motivation"].strip()
        if not motivation:
            raise forms.ValidationError(gettext("Write the motivation: every decision needs one."))
        return motivation

    def clean_start_date(self) -> dt.date | None:
        day = self.cleaned_data.get("start_date")
        if day is not None and day <= self.today:
            raise forms.ValidationError(
                gettext("Choose a date after today: new opening hours cannot start in the past.")
            )
        return day

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        accepted = decision in (Decision.ACCEPTED, Decision.PARTLY)
        if accepted and cleaned.get("start_date") is None and "start_date" not in self.errors:
            self.add_error(
                "start_date",
                gettext("Choose the date from which the new opening hours apply."),
            )
        if decision == Decision.REJECTED:
            # A rejection changes no opening hours: a date typed before is not kept.
            cleaned["start_date"] = None
        return cleaned

    @property
    def is_partly(self) -> bool:
        value = self.data.get("decision") if self.is_bound else self.initial.get("decision")
        return value == Decision.PARTLY


class AdoptedGridForm(ScheduleForm):
    """The weekly grid the city adopts when it accepts a proposal partly.

    The grid of the hub management pages (hubs.forms.ScheduleForm) with its checks
    on order, overlaps and times, without its own start date and note: the
    answer's start date applies. Prefixed, so it can share a form with the answer.
    """

    prefix = "adopted"

    def __init__(self, data=None, *, proposal, today: dt.date, source_slots=()):
        super().__init__(data, hub=proposal.hub, today=today, source_slots=source_slots)
        del self.fields["valid_from"]
        del self.fields["note"]

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not self.cleaned_slots:
            raise forms.ValidationError(
                gettext("Tick at least one dagdeel the hub is open in the adopted opening hours.")
            )
        return cleaned


def answer_is_valid(answer_form: AnswerForm, grid_form: AdoptedGridForm) -> bool:
    """Validates the answer, and the adopted grid only when the decision is "partly"."""
    valid = answer_form.is_valid()
    if answer_form.cleaned_data.get("decision") == Decision.PARTLY:
        valid = grid_form.is_valid() and valid
    return valid


class PublicationForm(forms.Form):
    """The coordinator's switch: show the proposal and its answer on the public hub page."""

    public = forms.TypedChoiceField(
        choices=[("1", _("Show")), ("0", _("Hide"))],
        coerce=lambda value: value == "1",
        widget=forms.HiddenInput,
    )
