"""Forms of the desk, the question list and the lists coordinators keep.

The desk form is drawn by hand in templates/questions/desk/desk.html (big touch
targets, subtopics grouped under their main topic), and so is the question list's
filter (for speed, see QuestionFilterForm); the other forms use crispy.
Forms normalise and check; the views decide what happens.
"""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout, Submit
from django import forms
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import gettext_lazy as _

from hubs.models import Hub
from wijkhubs.widgets import DateInput

from .constants import Language, Outcome
from .models import Article, ReferralTarget, Topic
from .validators import looks_like_personal_data

NOTE_MAX = 280


class PreparedChoices(BaseChoiceIterator):
    """Choices already in Django's normal form: ``[(value, label), ...]``, a group as
    ``(name, [(value, label), ...])``, every label a plain string.

    Setting ``field.choices`` to a list makes Django normalise it, checking each value
    and label on every request; for a filter with every topic that cost more than
    drawing it. An iterator is taken as it is (django.utils.choices.normalize_choices),
    so lists built in the right form skip that work."""

    def __init__(self, choices: list):
        self.choices = choices

    def __iter__(self):
        return iter(self.choices)


def _helper(submit_label, *fields, method="post") -> FormHelper:
    helper = FormHelper()
    helper.form_method = method
    helper.layout = Layout(*fields, Submit("submit", submit_label))
    return helper


# --- the desk ----------------------------------------------------------------------------


class _FetchedChoices(forms.models.ModelChoiceIterator):
    """A ModelChoiceField's options from one plain fetch of its queryset. Django iterates
    with ``queryset.iterator()``, which on PostgreSQL opens a server-side cursor: three
    round trips (declare, fetch, close) for a list of a few dozen destinations."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class QuestionForm(forms.Form):
    """One walk-in question: a topic (a main topic, optionally one of its subtopics),
    an outcome, and the optional rest. Only topic and outcome are required, so an
    anonymous question is three taps and Save."""

    topic = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=Topic.objects.active().main(),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Tap a topic."),
            "invalid_choice": _("That topic does not exist (any more); tap another one."),
        },
    )
    subtopic = forms.ModelChoiceField(
        label=_("Subtopic"),
        queryset=Topic.objects.active().filter(parent__isnull=False, parent__is_active=True),
        required=False,
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": _("That subtopic does not exist (any more); tap another one."),
        },
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Tap what happened with the question."),
            "invalid_choice": _("Tap one of the outcomes shown."),
        },
    )
    referral_target = forms.ModelChoiceField(
        label=_("Referred to"),
        queryset=ReferralTarget.objects.none(),
        required=False,
        empty_label=_("— choose where to —"),
        error_messages={
            "invalid_choice": _("That destination is not on this hub's list; choose another."),
        },
    )
    note = forms.CharField(
        label=_("Short note"),
        max_length=NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": NOTE_MAX}),
        help_text=_("What the question was about. No names, phone numbers or other personal data."),
    )
    language = forms.ChoiceField(
        label=_("Language of the conversation"),
        choices=[("", _("— not noted —")), *Language.choices],
        required=False,
    )
    interpreter_needed = forms.BooleanField(label=_("Interpreter needed"), required=False)
    save_anyway = forms.BooleanField(
        label=_("The note holds no personal data: save it anyway"), required=False
    )

    def __init__(self, *args, hub: Hub, outcomes=None, **kwargs):
        """``outcomes``: the outcomes on offer (a correction cannot turn a question into
        a callback request, nor a callback request into something else)."""
        super().__init__(*args, **kwargs)
        self.hub = hub
        # The iterator first: setting the queryset hands the widget its choices.
        self.fields["referral_target"].iterator = _FetchedChoices
        self.fields["referral_target"].queryset = ReferralTarget.objects.for_hub(hub)
        # The desk draws its own radio buttons; these are the other widgets' classes.
        self.fields["referral_target"].widget.attrs["class"] = "form-select form-select-lg"
        self.fields["note"].widget.attrs.update(
            {"class": "form-control", "aria-describedby": "note-help"}
        )
        self.fields["language"].widget.attrs["class"] = "form-select form-select-lg"
        for name in ("interpreter_needed", "save_anyway"):
            self.fields[name].widget.attrs["class"] = "form-check-input"
        if outcomes is not None:
            self.fields["outcome"].choices = [
                (value, label) for value, label in Outcome.choices if value in outcomes
            ]

    def clean(self):
        data = super().clean()
        topic, subtopic = data.get("topic"), data.get("subtopic")
        if subtopic is not None and topic is not None and subtopic.parent_id != topic.pk:
            self.add_error(
                "subtopic",
                _("%(sub)s is not a subtopic of %(main)s.")
                % {"sub": subtopic.name, "main": topic.name},
            )
        if (
            data.get("outcome") == Outcome.REFERRED
            and data.get("referral_target") is None
            and "referral_target" not in self.errors
        ):
            self.add_error("referral_target", _("Choose where the resident was referred to."))
        return data

    @property
    def chosen_topic(self) -> Topic | None:
        """The subtopic if one was tapped, else the main topic."""
        return self.cleaned_data.get("subtopic") or self.cleaned_data.get("topic")

    def personal_data_found(self) -> list[str]:
        """What the note seems to hold, unless the host said it is fine ([] then)."""
        if self.cleaned_data.get("save_anyway"):
            return []
        return looks_like_personal_data(self.cleaned_data.get("note", ""))


class DeskForm(QuestionForm):
    """The desk adds the kennisbank article that answered the question."""

    article = forms.ModelChoiceField(
        label=_("Kennisbank article that answered the question"),
        queryset=Article.objects.filter(is_published=True),
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("That article is not in the kennisbank.")},
    )


class GapForm(forms.Form):
    """ "Geen antwoord gevonden": the posted desk form, read for the gap's fields only."""

    topic = forms.ModelChoiceField(queryset=Topic.objects.all(), required=False)
    subtopic = forms.ModelChoiceField(queryset=Topic.objects.all(), required=False)
    q = forms.CharField(label=_("Searched for"), max_length=200, required=False)
    note = forms.CharField(label=_("Short note"), max_length=NOTE_MAX, required=False)

    def clean(self):
        data = super().clean()
        typed = self.data.get("q", "").strip() or self.data.get("note", "").strip()
        if not typed:
            raise forms.ValidationError(
                _("Search the kennisbank first, or write in the note what was asked.")
            )
        if looks_like_personal_data(data.get("note", "")):
            self.add_error(
                "note",
                _(
                    "The note seems to hold personal data; the kennisbank "
                    "editors must not get that. Remove it and try again."
                ),
            )
        return data

    @property
    def chosen_topic(self) -> Topic | None:
        return self.cleaned_data.get("subtopic") or self.cleaned_data.get("topic")


# --- the question list -------------------------------------------------------------------


class QuestionFilterForm(forms.Form):
    hub = forms.ModelChoiceField(
        label=_("Hub"),
        queryset=Hub.objects.none(),
        required=False,
        to_field_name="slug",
        empty_label=_("All my hubs"),
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput)
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=Topic.objects.none(),
        required=False,
        empty_label=_("All topics"),
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        required=False,
        choices=[("", _("All outcomes")), *Outcome.choices],
    )

    # Drawn by hand in question_list.html (templates/questions/_filter_field.html): crispy's
    # layout machinery was a large share of the page's time.

    def __init__(self, *args, hubs: list[Hub], topics: list[Topic] | dict[int, str], **kwargs):
        """``hubs`` and ``topics``: the choices, in their order; ``topics`` as Topic
        objects or as labels by id (``str(topic)``, which the question list reads from
        plain rows). The view has them because it shows the rows' hubs and topics from
        them too; drawn from them, the choices cost no query of their own (a
        ModelChoiceField queries its queryset again each time it draws its options)."""
        super().__init__(*args, **kwargs)
        hub, topic = self.fields["hub"], self.fields["topic"]
        hub.queryset = Hub.objects.filter(pk__in=[h.pk for h in hubs])
        hub.choices = PreparedChoices(
            [("", str(hub.empty_label)), *((h.slug, str(h)) for h in hubs)]
        )
        if not isinstance(topics, dict):
            topics = {t.pk: str(t) for t in topics}
        topic.queryset = Topic.objects.filter(pk__in=list(topics))
        topic.choices = PreparedChoices([("", str(topic.empty_label)), *topics.items()])
        for name in ("date_from", "date_to"):
            self.fields[name].error_messages["invalid"] = _(
                "Enter a date like 2026-11-23; this filter was left out."
            )

    def clean(self):
        data = super().clean()
        first, last = data.get("date_from"), data.get("date_to")
        if first and last and last < first:
            self.add_error("date_to", _("The last day cannot be before the first day."))
        return data

    def valid_filters(self) -> dict:
        """The filters that could be read; a malformed one is left out (and its
        error shown), the others still apply."""
        self.is_valid()
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in self.errors and value not in (None, "")
        }


# --- topics ----------------------------------------------------------------------------------


class TopicForm(forms.ModelForm):
    class Meta:
        model = Topic
        fields = ["name", "parent", "position", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parents = Topic.objects.main()
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["parent"].required = False
        self.fields["parent"].empty_label = _("— none: this is a main topic —")
        self.fields["position"].help_text = _("Lower numbers come first on the desk.")
        self.helper = _helper(
            _("Save") if self.instance.pk else _("Add topic"),
            Div(
                Div("name", css_class="col-md-5"),
                Div("parent", css_class="col-md-4"),
                Div("position", css_class="col-md-3"),
                css_class="row",
            ),
            "is_active",
        )


# --- referral destinations -------------------------------------------------------------------


class ReferralTargetForm(forms.ModelForm):
    """A coordinator keeps every destination; a wijkmanager only those of their own
    hubs, so "for every hub" is not theirs to set and the hubs are limited to theirs."""

    class Meta:
        model = ReferralTarget
        fields = ["name", "kind", "description", "all_hubs", "hubs", "is_active"]
        widgets = {"hubs": forms.CheckboxSelectMultiple}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.coordinator = user.access.is_coordinator
        self.fields["hubs"].queryset = Hub.objects.manageable_by(user).order_by("name")
        fields = ["name", "kind", "description", "all_hubs", "hubs", "is_active"]
        if not self.coordinator:
            del self.fields["all_hubs"]
            fields.remove("all_hubs")
            self.fields["hubs"].required = True
            self.fields["hubs"].error_messages["required"] = _("Choose at least one of your hubs.")
        self.helper = _helper(_("Save") if self.instance.pk else _("Add destination"), *fields)

    def clean(self):
        data = super().clean()
        if self.coordinator and not data.get("all_hubs") and not data.get("hubs"):
            self.add_error("hubs", _("Choose at least one hub, or tick “for every hub”."))
        return data

    def _save_m2m(self):
        # A wijkmanager sees only their own hubs; links to other hubs stay as they were
        # (the view lets them edit only destinations wholly theirs, but a coordinator
        # may have linked one since the page was opened).
        chosen = set(self.cleaned_data.get("hubs") or [])
        if self.instance.pk and not self.coordinator:
            offered = set(self.fields["hubs"].queryset)
            chosen |= set(self.instance.hubs.all()) - offered
        self.instance.hubs.set(chosen)
        self.cleaned_data.pop("hubs", None)
        super()._save_m2m()
