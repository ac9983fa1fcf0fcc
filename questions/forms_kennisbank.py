"""Forms of the kennisbank pages: search, articles and knowledge gaps."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout, Submit
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wijkhubs.widgets import DateInput

from .forms_desk import PreparedChoices
from .models import Article, Topic
from .search import clean_query


def grouped_topic_choices(topics: list[Topic]) -> list:
    """Choices grouped by main topic: [(main name, [(id, label), ...]), ...].

    The main topic itself is the first choice of its group, so an article (or a
    search) can be about "Wonen" as a whole as well as about a subtopic.
    """
    children: dict[int, list[Topic]] = {}
    for topic in topics:
        if topic.parent_id:
            children.setdefault(topic.parent_id, []).append(topic)
    groups = []
    in_general = gettext("%(topic)s in general")
    for main in (topic for topic in topics if not topic.parent_id):
        options = [(main.pk, in_general % {"topic": main.name})]
        options += [(child.pk, child.name) for child in children.get(main.pk, [])]
        groups.append((main.name, options))
    return groups


class SearchForm(forms.Form):
    """The search box. Never invalid because of the query: a long one is cut off."""

    q = forms.CharField(
        label=_("Search the kennisbank"),
        required=False,
        strip=True,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    onderwerp = forms.TypedChoiceField(
        label=_("Topic"), required=False, coerce=int, empty_value=None
    )
    # Carried along from the desk ("?hub=<slug>"); the view checks it.
    hub = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, topics: list[Topic], **kwargs):
        """``topics``: Topic objects, or rows with their ``pk``, ``name`` and
        ``parent_id`` (the search page's ``TopicRow``)."""
        super().__init__(*args, **kwargs)
        self.topics = {topic.pk: topic for topic in topics}
        self.fields["onderwerp"].choices = PreparedChoices(
            [("", gettext("All topics")), *grouped_topic_choices(topics)]
        )
        self.fields["q"].widget.attrs["maxlength"] = 1000
        # Drawn by hand in kennisbank/search.html (templates/questions/_filter_field.html):
        # crispy's layout machinery was a large share of the page's time.

    def clean_q(self) -> str:
        return clean_query(self.cleaned_data["q"])

    def topic_ids(self) -> list[int] | None:
        """The chosen topic with its subtopics, or None for every topic."""
        if not self.is_valid() or not self.cleaned_data.get("onderwerp"):
            return None
        chosen = self.cleaned_data["onderwerp"]
        return [chosen, *(pk for pk, topic in self.topics.items() if topic.parent_id == chosen)]


class ArticleForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = ["title", "body", "topics", "last_reviewed", "is_published"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 14}),
            "topics": forms.CheckboxSelectMultiple,
            "last_reviewed": DateInput,
        }
        help_texts = {
            "body": _(
                "Plain text. An empty line starts a new paragraph. No personal data of residents."
            ),
            "last_reviewed": _(
                "When the text was last checked against the rules. "
                "Articles not checked for a year are marked."
            ),
            "is_published": _("Only editors see unpublished articles."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        available = Q(is_active=True)
        if self.instance.pk:
            # A topic made inactive later stays available on the articles that have it.
            available |= Q(pk__in=self.instance.topics.values("pk"))
        topics = Topic.objects.filter(available)
        self.fields["topics"].queryset = topics
        # Checkboxes grouped by main topic; what may be chosen is still the queryset.
        self.fields["topics"].choices = grouped_topic_choices(list(topics))
        self.fields["title"].widget.attrs["autocomplete"] = "off"
        if not self.instance.pk:
            self.initial.setdefault("last_reviewed", timezone.localdate())
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.layout = Layout(
            "title",
            "body",
            Field("topics", template="questions/kennisbank/_topic_checkboxes.html"),
            "last_reviewed",
            "is_published",
            Submit("save", _("Save article")),
        )

    def clean_title(self) -> str:
        title = self.cleaned_data["title"]
        same = Article.objects.filter(title__iexact=title).exclude(pk=self.instance.pk)
        if same.exists():
            raise forms.ValidationError(_("There already is an article with this title."))
        return title

    def clean_last_reviewed(self):
        day = self.cleaned_data["last_reviewed"]
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("The date of the last review cannot be in the future."))
        return day


class GapResolveForm(forms.Form):
    """Marks a knowledge gap resolved, optionally with the article that now answers it."""

    article = forms.ModelChoiceField(
        label=_("Article that answers it"),
        queryset=Article.objects.none(),
        required=False,
        empty_label=_("(no article: just mark it resolved)"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["article"].queryset = Article.objects.order_by("title")
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.layout = Layout("article", Submit("resolve", _("Mark resolved")))
