"""The parts of the desk, the question list and the kennisbank drawn in Python
(questions/templatetags/desk_rows.py and kennisbank_items.py) give the HTML the
templates they replace gave. Each test draws the same data both ways: the old template
text is kept here, word for word, and compared as HTML (whitespace aside)."""

# ruff: noqa: E501 - the old templates are kept with their long lines, as they were.

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django import forms
from django.db.models import Prefetch
from django.template import engines
from django.urls import reverse
from django.utils import timezone, translation
from pytest_django.asserts import assertHTMLEqual

from questions.constants import Outcome
from questions.forms_desk import DeskForm, QuestionFilterForm
from questions.models import Article, Question, Topic
from questions.views.desk import _topic_tree
from questions.views.kennisbank import _all_topics, _name_topics
from tests.factories import (
    ArticleFactory,
    QuestionFactory,
    ReferralTargetFactory,
    TopicFactory,
    UserFactory,
)
from wijkhubs.widgets import DateInput

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")
MONDAY = dt.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(dt.datetime(2026, 11, 23, 10, 0, tzinfo=AMS), tick=False):
        yield


def _render(source: str, **context) -> str:
    return engines["django"].from_string(source).render(context)


def _at(hour, minute):
    return dt.datetime.combine(MONDAY, dt.time(hour, minute), tzinfo=AMS)


def _tbody(html: str, table_class: str) -> str:
    table = html[html.index(f'<table class="{table_class}">') :]
    return table[table.index("<tbody>") + len("<tbody>") : table.index("</tbody>")]


def _old_initials(user) -> str:
    # questions/views/desk.py before the rows were drawn in Python.
    if user is None:
        return "–"
    parts = [p for p in (user.first_name, user.last_name) if p]
    return "".join(p[0] for p in parts).upper() if parts else user.email[:2].upper()


@pytest.fixture
def topics():
    wonen = TopicFactory(name="Wonen & <huur>", position=1)
    huur = TopicFactory(name="Huur en huurtoeslag", parent=wonen)
    onderhoud = TopicFactory(name="Onderhoud", parent=wonen, position=2)
    werk = TopicFactory(name="Werk", position=2)
    old = TopicFactory(name="Oud onderwerp", position=3, is_active=False)
    return {"wonen": wonen, "huur": huur, "onderhoud": onderhoud, "werk": werk, "old": old}


# --- the desk: topic buttons ---------------------------------------------------------------

OLD_TOPIC_CHOICES = """{% with chosen=form.topic.value|stringformat:"s" %}
    {% for main, subtopics in topic_tree %}
      <input type="radio" class="btn-check" name="topic" id="topic-{{ main.pk }}" value="{{ main.pk }}" required
             {% if chosen == main.pk|stringformat:"s" %}checked{% endif %}>
      <label class="btn btn-outline-primary desk-choice" for="topic-{{ main.pk }}">{{ main.name }}</label>
    {% endfor %}
    {% endwith %}"""

OLD_SUBTOPIC_CHOICES = """{% with chosen=form.subtopic.value|stringformat:"s" %}
  {% for main, subtopics in topic_tree %}{% if subtopics %}
    <fieldset class="desk-subtopics" data-parent="{{ main.pk }}">
      <legend>{{ main.name }}</legend>
      <div class="desk-grid">
        {% for sub in subtopics %}
          <input type="radio" class="btn-check" name="subtopic" id="subtopic-{{ sub.pk }}" value="{{ sub.pk }}"
                 {% if chosen == sub.pk|stringformat:"s" %}checked{% endif %}>
          <label class="btn btn-outline-primary desk-choice" for="subtopic-{{ sub.pk }}">{{ sub.name }}</label>
        {% endfor %}
      </div>
    </fieldset>
  {% endif %}{% endfor %}
  {% endwith %}"""

NEW_CHOICES = """{% load desk_rows %}{% desk_topic_choices topic_tree form.topic.value %}
{% desk_subtopic_choices topic_tree form.subtopic.value %}"""


@pytest.mark.parametrize("tapped", ["none", "initial", "posted", "forged"])
def test_topic_buttons_are_drawn_as_the_template_drew_them(hub, topics, tapped):
    initial = {"topic": topics["wonen"].pk, "subtopic": topics["onderhoud"].pk}
    posted = {"topic": str(topics["werk"].pk), "subtopic": str(topics["huur"].pk)}
    form = {
        "none": lambda: DeskForm(hub=hub),
        "initial": lambda: DeskForm(hub=hub, initial=initial),
        "posted": lambda: DeskForm(posted, hub=hub),
        "forged": lambda: DeskForm({"topic": "x<y", "subtopic": ""}, hub=hub),
    }[tapped]()
    tree = _topic_tree()
    assert [main.name for main, _subs in tree] == ["Wonen & <huur>", "Werk"]
    new = _render(NEW_CHOICES, form=form, topic_tree=tree)
    assertHTMLEqual(
        new,
        _render(OLD_TOPIC_CHOICES + OLD_SUBTOPIC_CHOICES, form=form, topic_tree=tree),
    )
    assert "Wonen &amp; &lt;huur&gt;" in new
    assert new.count("checked") == {"none": 0, "initial": 2, "posted": 2, "forged": 0}[tapped]


# --- the desk: today's log -----------------------------------------------------------------

OLD_LOG_ROWS = """{% load i18n %}{% for entry in log %}
            <tr>
              <td>{{ entry.created_at|time:"H:i" }}</td>
              <td>{{ entry.topic }}</td>
              <td>{{ entry.get_outcome_display }}{% if entry.referral_target %}: {{ entry.referral_target.name }}{% endif %}</td>
              <td>{{ entry.get_language_display|default:"–" }}{% if entry.interpreter_needed %} ({% translate "interpreter" %}){% endif %}</td>
              <td>{{ entry.author_initials }}</td>
              <td>{% if entry.correctable %}<a class="btn btn-outline-secondary btn-sm" href="{% url 'questions:question_edit' entry.pk %}">{% translate "Correct" %}<span class="visually-hidden"> {{ entry.created_at|time:"H:i" }} {{ entry.topic }}</span></a>{% endif %}</td>
            </tr>
          {% endfor %}"""


def test_todays_log_is_drawn_as_the_template_drew_it(client, host, hub, topics):
    colleague = UserFactory(first_name="Sanne", last_name="de Vries")
    nameless = UserFactory(first_name="", last_name="", email="xy@example.org")
    target = ReferralTargetFactory(name="Vraagwijzer & <co>")
    QuestionFactory(
        hub=hub, topic=topics["huur"], date=MONDAY, created_at=_at(9, 50), created_by=host
    )
    QuestionFactory(
        hub=hub, topic=topics["werk"], date=MONDAY, created_at=_at(8, 5), created_by=host
    )
    QuestionFactory(
        hub=hub,
        topic=topics["old"],
        date=MONDAY,
        created_at=_at(9, 5),
        created_by=colleague,
        outcome=Outcome.REFERRED,
        referral_target=target,
        language="ar",
        interpreter_needed=True,
    )
    QuestionFactory(
        hub=hub,
        topic=topics["onderhoud"],
        date=MONDAY,
        created_at=_at(9, 1),
        created_by=nameless,
        outcome=Outcome.CALLBACK,
        language="other",
        note="mag niet zichtbaar zijn",
    )
    QuestionFactory(
        hub=hub, topic=topics["wonen"], date=MONDAY, created_at=_at(7, 0), created_by=None
    )
    client.force_login(host)
    html = client.get(reverse("questions:desk", args=[hub.slug])).content.decode()

    now = timezone.now()
    log = list(
        Question.objects.filter(hub=hub, date=MONDAY)
        .select_related("topic__parent", "referral_target", "created_by")
        .order_by("-created_at", "-pk")
    )
    for entry in log:
        entry.author_initials = _old_initials(entry.created_by)
        entry.correctable = entry.can_be_corrected_by(host, now)
    assert [entry.correctable for entry in log] == [True, False, False, False, False]
    assertHTMLEqual(_tbody(html, "table desk-log"), _render(OLD_LOG_ROWS, log=log))
    assert "Vraagwijzer &amp; &lt;co&gt;" in html
    assert "mag niet zichtbaar" not in html


# --- the question list ---------------------------------------------------------------------

OLD_LIST_ROWS = """{% load i18n %}{% translate "interpreter" as interpreter_label %}
        {% for question in rows %}
          <tr>
            <td class="text-nowrap">{{ question.created_at|date:"d-m-Y H:i" }}</td>
            <td>{{ question.hub.name }}</td>
            <td>{{ question.get_dagdeel_display|default:"–" }}</td>
            <td>{{ question.topic }}</td>
            <td>{{ question.get_outcome_display }}{% if question.referral_target %}: {{ question.referral_target.name }}{% endif %}</td>
            <td>{{ question.get_language_display|default:"–" }}{% if question.interpreter_needed %} ({{ interpreter_label }}){% endif %}</td>
            <td>{{ question.note }}</td>
            <td>{{ question.author_initials }}</td>
          </tr>
        {% endfor %}"""


def test_question_list_rows_are_drawn_as_the_template_drew_them(
    client, coordinator, hub, other_hub, topics
):
    author = UserFactory(first_name="Ali", last_name="")
    target = ReferralTargetFactory(name="Wijkteam <Noord>")
    QuestionFactory(hub=hub, topic=topics["huur"], created_at=_at(9, 0), dagdeel="ochtend")
    QuestionFactory(
        hub=other_hub,
        topic=topics["old"],
        created_at=_at(13, 30),
        dagdeel="middag",
        created_by=author,
        outcome=Outcome.REFERRED,
        referral_target=target,
        language="tr",
        interpreter_needed=True,
        note='Vraag over "de huur" & <de> borg',
    )
    QuestionFactory(
        hub=hub,
        topic=topics["werk"],
        date=MONDAY - dt.timedelta(days=40),
        created_at=dt.datetime(2026, 10, 14, 23, 30, tzinfo=dt.UTC),
        created_by=UserFactory(first_name="", last_name="", email="ab@example.org"),
        language="other",
    )
    client.force_login(coordinator)
    html = client.get(reverse("questions:question_list")).content.decode()

    rows = list(
        Question.objects.select_related(
            "hub", "topic__parent", "referral_target", "created_by"
        ).order_by("-created_at", "-pk")
    )
    for row in rows:
        row.author_initials = _old_initials(row.created_by)
    assertHTMLEqual(_tbody(html, "table table-sm"), _render(OLD_LIST_ROWS, rows=rows))
    assert "15-10-2026 01:30" in html  # local time, the next day


# --- filter fields -------------------------------------------------------------------------

OLD_FILTER_FIELD = """{% load crispy_forms_field %}{% if field|is_checkbox %}
<div class="mb-3"><div id="div_{{ field.auto_id }}" class="form-check{% if wrapper_class %} {{ wrapper_class }}{% endif %}">
  {% if field.errors %}{% crispy_field field 'class' 'form-check-input is-invalid' %}{% else %}{% crispy_field field 'class' 'form-check-input' %}{% endif %}
  <label for="{{ field.id_for_label }}" class="form-check-label">{{ field.label }}</label>
  {% if field.errors %}<div id="{{ field.auto_id }}_error" class="invalid-feedback">{% for error in field.errors %}<span id="error_{{ forloop.counter }}_{{ field.auto_id }}"><strong>{{ error }}</strong></span>{% endfor %}</div>{% endif %}
</div></div>
{% else %}
<div id="div_{{ field.auto_id }}" class="mb-3{% if wrapper_class %} {{ wrapper_class }}{% endif %}">
  <label for="{{ field.id_for_label }}" class="form-label">{{ field.label }}</label>
  {% if field|is_select %}{% if field.errors %}{% crispy_field field 'class' 'form-select is-invalid' %}{% else %}{% crispy_field field 'class' 'form-select' %}{% endif %}{% elif field.errors %}{% crispy_field field 'class' 'form-control is-invalid' %}{% else %}{% crispy_field field 'class' 'form-control' %}{% endif %}
  {% if field.errors %}<div id="{{ field.auto_id }}_error" class="invalid-feedback">{% for error in field.errors %}<span id="error_{{ forloop.counter }}_{{ field.auto_id }}"><strong>{{ error }}</strong></span>{% endfor %}</div>{% endif %}
</div>
{% endif %}"""


class _Filters(forms.Form):
    q = forms.CharField(
        label="Zoek <iets>", required=False, widget=forms.TextInput(attrs={"type": "search"})
    )
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Alle"), ("a", "A & B")]
    )
    day = forms.DateField(label="Dag", required=False, widget=DateInput)
    mine = forms.BooleanField(label="Alleen de mijne", required=False)
    number = forms.IntegerField(label="Aantal", required=False, max_value=9)

    def clean(self):
        data = super().clean()
        if data.get("mine") and data.get("status"):
            self.add_error("mine", "Niet samen met een status.")
            self.add_error("mine", "Nog een fout.")
        return data


@pytest.mark.parametrize(
    "data",
    [
        None,
        {},
        {"q": "huur", "status": "a", "day": "2026-11-23", "mine": "on", "number": "3"},
        {"q": '"x" & <y>', "status": "zz", "day": "morgen", "mine": "on", "number": "10"},
    ],
)
@pytest.mark.parametrize("wrapper_class", ["", "col-sm-4"])
def test_filter_fields_are_drawn_as_the_template_drew_them(data, wrapper_class):
    new_form, old_form, included_form = (_Filters(data) for _ in range(3))
    for name in _Filters.base_fields:
        old = _render(OLD_FILTER_FIELD, field=old_form[name], wrapper_class=wrapper_class)
        new = _render(
            "{% load desk_rows %}{% filter_field field wrapper_class %}",
            field=new_form[name],
            wrapper_class=wrapper_class,
        )
        assertHTMLEqual(new, old)
        included = _render(
            '{% include "questions/_filter_field.html" %}',
            field=included_form[name],
            wrapper_class=wrapper_class,
        )
        assertHTMLEqual(included, old)


def test_question_filter_with_errors_is_drawn_as_the_template_drew_it(hub, topics):
    data = {"hub": "nergens", "date_from": "morgen", "date_to": "2026-01-01", "topic": "x"}
    hubs = [hub]
    all_topics = {topic.pk: str(topic) for topic in Topic.objects.select_related("parent")}
    for name in ("hub", "date_from", "date_to", "topic", "outcome"):
        old_form = QuestionFilterForm(data, hubs=hubs, topics=all_topics)
        new_form = QuestionFilterForm(data, hubs=hubs, topics=all_topics)
        old_form.valid_filters(), new_form.valid_filters()
        assertHTMLEqual(
            _render("{% load desk_rows %}{% filter_field field %}", field=new_form[name]),
            _render(OLD_FILTER_FIELD, field=old_form[name]),
        )


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.parametrize(
    "data",
    [
        None,
        {"hub": "nergens", "topic": "x"},
        {"hub": "{slug}", "topic": "{topic}", "onderwerp": "{topic}"},
    ],
)
def test_prepared_choices_draw_and_validate_as_plain_choices(hub, topics, data, language):
    """The filters' choices skip Django's normalising (forms_desk.PreparedChoices): the
    same options, the same one selected and the same errors as with the plain list."""
    from questions.forms_kennisbank import SearchForm

    all_topics = list(Topic.objects.select_related("parent"))
    chosen = all_topics[1]
    if data:
        data = {k: v.format(slug=hub.slug, topic=chosen.pk) for k, v in data.items()}
    with translation.override(language):
        for make in (
            lambda: QuestionFilterForm(data, hubs=[hub], topics=all_topics),
            lambda: QuestionFilterForm(data, hubs=[hub], topics={t.pk: str(t) for t in all_topics}),
            lambda: SearchForm(data, topics=all_topics),
        ):
            prepared, plain = make(), make()
            for field in plain.fields.values():
                if isinstance(field, forms.ChoiceField):
                    field.choices = list(field.choices)  # Django normalises a list
            assert [str(f) for f in prepared] == [str(f) for f in plain]
            assert prepared.is_valid() == plain.is_valid()
            assert prepared.errors == plain.errors
            if data:
                assert prepared.cleaned_data == plain.cleaned_data
            if data and "onderwerp" in data:  # the chosen topic is drawn selected
                assert any(f'value="{chosen.pk}" selected' in str(f) for f in prepared)


# --- kennisbank lists ----------------------------------------------------------------------

OLD_ARTICLE_ITEM = """{% load i18n %}
<li class="mb-3">
  <h3 class="h5 mb-1">
    <a href="{{ article.get_absolute_url }}{% if hub_query %}?{{ hub_query }}{% endif %}">{{ article.title }}</a>
    {% if not article.is_published %}<span class="badge text-bg-secondary">{% translate "not published" %}</span>{% endif %}
  </h3>
  {% if parts %}
    <p class="mb-1">{% for text, is_match in parts %}{% if is_match %}<mark>{{ text }}</mark>{% else %}{{ text }}{% endif %}{% endfor %}</p>
  {% endif %}
  <p class="small text-body-secondary mb-0">
    {% with topics=article.topics.all %}{% if topics %}
      <span class="visually-hidden">{% translate "Topics:" %}</span>
      {% for topic in topics %}{{ topic }}{% if not forloop.last %}, {% endif %}{% endfor %} ·
    {% endif %}{% endwith %}
    {% translate "last reviewed" %} {{ article.last_reviewed|date:"j F Y" }}
    {% if article.last_reviewed < review_cutoff %}<span class="badge text-bg-warning">{% translate "check" %}</span>{% endif %}
    {% if uses %} · {% blocktranslate count counter=uses %}used {{ counter }} time{% plural %}used {{ counter }} times{% endblocktranslate %}{% endif %}
  </p>
</li>"""


@pytest.fixture
def kb_articles(topics):
    first = ArticleFactory(
        title="Huurtoeslag & <borg>", last_reviewed=dt.date(2025, 3, 1), is_published=False
    )
    first.topics.add(topics["huur"], topics["werk"], topics["old"])
    second = ArticleFactory(title="Werk zoeken", last_reviewed=dt.date(2026, 11, 2))
    second.topics.add(topics["wonen"])
    third = ArticleFactory(title="Zonder onderwerp", last_reviewed=dt.date(2026, 1, 9))
    for article, uses in ((first, 1), (second, 12), (third, 0)):
        article.uses = uses
    return [first, second, third]


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("hub_query", ["", "hub=noord&x=<1>"])
def test_kennisbank_items_are_drawn_as_the_template_drew_them(kb_articles, hub_query, language):
    parts = [
        [("Zo vraag je ", False), ("huurtoeslag", True), (" aan & <meer>", False)],
        [],
        [("Alleen tekst", False)],
    ]
    context = {"hub_query": hub_query, "review_cutoff": dt.date(2025, 11, 23)}
    old_articles = Article.objects.prefetch_related(
        Prefetch("topics", queryset=Topic.objects.select_related("parent"))
    ).in_bulk([a.pk for a in kb_articles])
    _name_topics(kb_articles, _all_topics())
    assert kb_articles[0].topic_names == [
        "Wonen & <huur> › Huur en huurtoeslag",
        "Werk",
        "Oud onderwerp",
    ]
    with translation.override(language):
        for snippets, uses in ((True, False), (False, True), (False, False)):
            old = "".join(
                _render(
                    OLD_ARTICLE_ITEM,
                    article=old_articles[article.pk],
                    parts=part if snippets else None,
                    uses=article.uses if uses else None,
                    **context,
                )
                for article, part in zip(kb_articles, parts, strict=True)
            )
            items = list(zip(kb_articles, parts, strict=True)) if snippets else kb_articles
            new = _render(
                "{% load kennisbank_items %}{% kb_article_items items snippets=snippets uses=uses %}",
                items=items,
                snippets=snippets,
                uses=uses,
                **context,
            )
            assertHTMLEqual(new, old)


def test_a_refused_post_keeps_the_tapped_buttons(client, host, hub, topics):
    client.force_login(host)
    response = client.post(
        reverse("questions:desk", args=[hub.slug]),
        {"topic": topics["wonen"].pk, "subtopic": topics["onderhoud"].pk, "note": "Lekkage"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["form"].errors["outcome"]
    for name, topic in (("topic", topics["wonen"]), ("subtopic", topics["onderhoud"])):
        assert re.search(rf'id="{name}-{topic.pk}" value="{topic.pk}"[^>]*\s+checked>', html)
    assert html.count(" checked>") == 2
    assert ">\nLekkage</textarea>" in html
