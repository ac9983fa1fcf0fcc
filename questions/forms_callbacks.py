"""Forms of the callback pages (views/callbacks.py).

Forms normalise and check what was typed; the views decide and call the services,
whose CallbackError messages are put back on the page. A bound form that does not
validate keeps everything that was typed, so the host never has to start over.
"""

from __future__ import annotations

from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Fieldset, Layout, Submit
from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.permissions import SIGNUP_ROLES
from hubs.validators import normalise_phone

from .constants import AttemptResult, CallbackStatus, Language
from .models import Team, Topic

# Sane upper bounds, so a typo (200 working days) gets a message.
MAX_DUE_WORKING_DAYS = 30
MAX_ATTEMPTS = 10


def _show_button() -> StrictButton:
    # A <button> without a name, so the filter address holds only the filters.
    return StrictButton(_("Show"), type="submit", css_class="btn-primary mb-3")


class _ErrorSummaryMixin:
    def has_field_errors(self) -> bool:
        """For the error summary above the form (accounts/_form_errors.html)."""
        return any(name != NON_FIELD_ERRORS for name in self.errors)


def _active_teams():
    return Team.objects.filter(is_active=True).order_by("name")


def _topics():
    """Active topics, each main topic followed by its subtopics (labels "Main › Sub")."""
    return (
        Topic.objects.active()
        .select_related("parent")
        .order_by(
            F("parent__position").asc(nulls_first=True),
            F("parent__name").asc(nulls_first=True),
            "parent_id",
            "position",
            "name",
        )
    )


def consent_label() -> str:
    """The sentence the host reads out to the resident before saving."""
    return gettext(
        "The resident agrees that the city keeps these details to call back; they are "
        "deleted %(days)s days after the callback is handled"
    ) % {"days": settings.CALLBACK_RETENTION_DAYS}


# --- making a callback request -------------------------------------------------------------


class CallbackForm(_ErrorSummaryMixin, forms.Form):
    topic = forms.ModelChoiceField(label=_("Topic"), queryset=Topic.objects.none())
    resident_name = forms.CharField(label=_("Resident's name"), max_length=120)
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=20,
        required=False,
        help_text=_("A Dutch number, e.g. 06 12 34 56 78 or 010 123 45 67."),
    )
    email = forms.EmailField(label=_("E-mail address"), required=False)
    reachable = forms.CharField(
        label=_("When reachable"),
        max_length=120,
        required=False,
        help_text=_("E.g. 'weekdays after 15:00'."),
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=Language.choices, initial=Language.DUTCH
    )
    question_text = forms.CharField(
        label=_("The question"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the team needs to know to call back well."),
    )
    team = forms.ModelChoiceField(
        label=_("Team that calls back"),
        queryset=Team.objects.none(),
        error_messages={"invalid_choice": _("Choose one of the teams in the list.")},
    )
    consent = forms.BooleanField(
        required=True,
        error_messages={
            "required": _("Read the sentence to the resident and tick it when they agree.")
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = _topics()
        self.fields["topic"].error_messages["invalid_choice"] = _(
            "Choose one of the topics in the list."
        )
        self.fields["team"].queryset = _active_teams()
        self.fields["consent"].label = consent_label()
        self.helper = FormHelper()
        self.helper.form_tag = True
        self.helper.layout = Layout(
            Fieldset(_("The question"), "topic", "question_text", "team"),
            Fieldset(
                _("The resident"),
                Field("resident_name", autocomplete="off"),
                Field("phone", autocomplete="off", inputmode="tel"),
                Field("email", autocomplete="off"),
                "reachable",
                "language",
            ),
            Fieldset(_("Consent"), "consent"),
            Submit("save", _("Save and print the slip")),
        )

    def clean_phone(self) -> str:
        value = self.cleaned_data.get("phone", "").strip()
        return normalise_phone(value) if value else ""

    def clean(self):
        cleaned = super().clean()
        if (
            not cleaned.get("phone")
            and not cleaned.get("email")
            and "phone" not in self.errors
            and "email" not in self.errors
        ):
            self.add_error("phone", _("Give a phone number or an e-mail address."))
        return cleaned


# --- actions on one callback ----------------------------------------------------------------


class _ActionForm(_ErrorSummaryMixin, forms.Form):
    submit_label = _("Save")

    def __init__(self, *args, action: str = "", **kwargs):
        kwargs.setdefault("prefix", self.prefix_name)
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_action = action
        # Several of these forms share a page: distinct button names keep the ids unique.
        self.helper.layout = Layout(*self.fields, Submit(self.prefix_name, self.submit_label))


class AttemptForm(_ActionForm):
    prefix_name = "attempt"
    submit_label = _("Record the attempt")

    result = forms.ChoiceField(
        label=_("Result of the call"),
        choices=AttemptResult.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=300,
        required=False,
        help_text=_("E.g. 'call again after 15:00'."),
    )


class CompleteForm(_ActionForm):
    prefix_name = "complete"
    submit_label = _("Complete")

    result = forms.CharField(
        label=_("Outcome"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What was agreed with the resident (no personal data)."),
        error_messages={"required": _("Say what the outcome of the callback is.")},
    )


class ForwardForm(_ActionForm):
    prefix_name = "forward"
    submit_label = _("Forward")

    team = forms.ModelChoiceField(
        label=_("To team"),
        queryset=Team.objects.none(),
        error_messages={"invalid_choice": _("Choose one of the teams in the list.")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        error_messages={"required": _("Say why the callback request goes to another team.")},
    )

    def __init__(self, *args, current_team=None, **kwargs):
        super().__init__(*args, **kwargs)
        teams = _active_teams()
        if current_team is not None:
            teams = teams.exclude(pk=current_team.pk)
        self.fields["team"].queryset = teams


class ReopenForm(_ActionForm):
    prefix_name = "reopen"
    submit_label = _("Reopen")

    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        error_messages={"required": _("Say why the callback request is reopened.")},
    )


# --- lists ------------------------------------------------------------------------------------


class QueueFilterForm(forms.Form):
    """The filters of a team's queue (GET, all optional)."""

    STATUS_CHOICES = [
        ("", _("All open")),
        (CallbackStatus.OPEN.value, _("Not claimed yet")),
        (CallbackStatus.CLAIMED.value, _("Being handled")),
    ]

    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    mine = forms.BooleanField(label=_("Only mine"), required=False)

    # Drawn by hand in team_queue.html (templates/questions/_filter_field.html): crispy's
    # layout machinery was a large share of the page's time.

    def filters(self) -> dict:
        if self.is_bound and self.is_valid():
            return self.cleaned_data
        return {"status": "", "mine": False}


class AccessLogFilterForm(forms.Form):
    reference = forms.CharField(label=_("Reference"), max_length=12, required=False)
    user = forms.CharField(
        label=_("Viewed by"),
        max_length=254,
        required=False,
        help_text=_("(Part of) an e-mail address."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.form_class = "row g-2 align-items-end mb-3"
        self.helper.layout = Layout(
            Field("reference", wrapper_class="col-sm-4"),
            Field("user", wrapper_class="col-sm-5"),
            Div(_show_button(), css_class="col-sm-auto"),
        )

    def filters(self) -> dict:
        if self.is_bound and self.is_valid():
            return {
                "reference": self.cleaned_data["reference"].strip().upper(),
                "user": self.cleaned_data["user"].strip(),
            }
        return {"reference": "", "user": ""}


# --- teams ------------------------------------------------------------------------------------


class _MemberField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        name = obj.get_full_name()
        return f"{name} ({obj.email})" if name else obj.email


class TeamForm(_ErrorSummaryMixin, forms.ModelForm):
    members = _MemberField(
        label=_("Members"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The people who phone residents back for this team."),
    )
    due_working_days = forms.IntegerField(
        label=_("Callback within (working days)"),
        min_value=1,
        max_value=MAX_DUE_WORKING_DAYS,
        help_text=_("Working days: weekends and the city's closing days do not count."),
    )
    max_attempts = forms.IntegerField(
        label=_("Attempts before unreachable"),
        min_value=1,
        max_value=MAX_ATTEMPTS,
        help_text=_("After this many failed call attempts the callback is marked unreachable."),
    )

    class Meta:
        model = Team
        fields = ["name", "cluster", "members", "due_working_days", "max_attempts", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A member whose account was switched off keeps showing (ticked), so saving the
        # team does not silently drop them.
        current = Q(teams=self.instance) if self.instance.pk else Q(pk__in=[])
        # Only city staff: a wijkraad member (a resident) must never be able to join a
        # team and so see other residents' personal data.
        staff = Q(is_active=True, role_assignments__role__in=SIGNUP_ROLES)
        self.fields["members"].queryset = (
            User.objects.filter(staff | current)
            .distinct()
            .order_by("first_name", "last_name", "email")
        )
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(_("Team"), "name", "cluster", "due_working_days", "max_attempts", "is_active"),
            Fieldset(_("Members"), "members"),
            Submit("save", _("Save")),
        )
