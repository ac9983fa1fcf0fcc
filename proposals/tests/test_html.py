"""The parts of the proposal page written in Python (proposals/templatetags/proposal_html.py)
make the same HTML as what they replaced, apart from whitespace between tags: crispy's
``|as_crispy_field`` for the workflow's fields, and the template markup kept below for
the grids, the heat map, the timeline and the conversation."""

# The old templates below are kept as they were, long lines and all.
# ruff: noqa: E501

import datetime as dt
import re

import pytest
from django.template import Context, Template
from django.utils import translation

from accounts.models import User
from hubs.constants import Dagdeel, Weekday
from proposals import selectors
from proposals.constants import Decision, Status
from proposals.forms import ProposalForm
from proposals.forms_workflow import AnswerForm, MessageForm, TransitionForm
from proposals.models import Answer, Message, Transition

TODAY = dt.date(2026, 11, 4)
T = dt.time


def _squash(html: str) -> str:
    html = re.sub(r">\s+", ">", html)
    html = re.sub(r"\s+<", "<", html)
    html = re.sub(r"\s+", " ", html)
    return html.replace(' "', '"').replace(" >", ">").strip()


def _render(source: str, **context) -> str:
    return Template(source).render(Context(context))


@pytest.fixture(params=["nl", "en"])
def language(request):
    with translation.override(request.param):
        yield request.param


# --- the workflow's fields ---------------------------------------------------------------------


def _forms():
    """The workflow's forms as the page shows them: empty, prefilled, and posted with errors."""
    yield TransitionForm(target=Status.WITHDRAWN, initial={"to": Status.WITHDRAWN})
    yield TransitionForm(target=Status.IN_CONVERSATION)
    posted = TransitionForm(
        {"to": Status.WITHDRAWN, "expected": Status.SUBMITTED, "note": "  "},
        target=Status.WITHDRAWN,
    )
    posted.is_valid()
    yield posted
    yield MessageForm(can_write_internal=True)
    yield MessageForm()
    posted = MessageForm({"body": "", "internal": "on"}, can_write_internal=True)
    posted.is_valid()
    yield posted
    yield MessageForm({"body": "<b>Tot & met</b>\n“morgen”"}, can_write_internal=True)
    yield AnswerForm(today=TODAY, initial={"expected": Status.SUBMITTED})
    yield AnswerForm(
        today=TODAY,
        initial={
            "decision": Decision.PARTLY,
            "motivation": "Omdat <het> kan.",
            "start_date": dt.date(2027, 1, 4),
        },
    )
    for decision in ("", Decision.ACCEPTED, "nonsense"):
        posted = AnswerForm(
            {"decision": decision, "motivation": " ", "start_date": "2026-11-01"}, today=TODAY
        )
        posted.is_valid()
        yield posted
    # The drafting form's own fields (its grid is hubs/_grid_fields.html).
    yield ProposalForm(today=TODAY, initial={"title": "Zaterdag <open>"})
    posted = ProposalForm({"title": "", "desired_start": "2026-01-01"}, today=TODAY)
    posted.is_valid()
    yield posted


def test_each_field_is_drawn_as_crispy_draws_it(language):
    checked = 0
    for form in _forms():
        names = (
            ("title", "desired_start", "argumentation") if "title" in form.fields else form.fields
        )
        for name in names:
            crispy = _render(
                "{% load crispy_forms_tags %}{{ field|as_crispy_field }}", field=form[name]
            )
            ours = _render("{% load bs_fields %}{% bs_field field %}", field=form[name])
            assert _squash(ours) == _squash(crispy), (type(form).__name__, name)
            checked += 1
    assert checked > 20


def test_fields_keep_what_was_typed_and_say_what_is_wrong():
    form = MessageForm({"body": "Wij <komen>", "internal": "on"}, can_write_internal=True)
    form.add_error("body", "Te kort")
    html = _render("{% load bs_fields %}{% bs_field form.body %}", form=form)
    assert "Wij &lt;komen&gt;</textarea>" in html
    assert 'aria-invalid="true"' in html
    assert "is-invalid" in html
    assert '<p id="error_1_id_body"><strong>Te kort</strong></p>' in html


# --- the grids and the heat map ----------------------------------------------------------------

OLD_GRID_COMPARE = """{% load i18n %}{% translate "closed" as closed %}
<div class="row g-3 grid-compare">
  <div class="col-lg-6">
    <div class="table-responsive">
    <table class="table table-sm table-bordered opening-table">
      <caption class="caption-top">{{ before_caption }}</caption>
      <thead>
        <tr>
          <th scope="col">{% translate "Day" %}</th>
          {% for cell in compare.rows.0.cells %}<th scope="col">{{ cell.dagdeel.label }}</th>{% endfor %}
        </tr>
      </thead>
      <tbody>
      {% for row in compare.rows %}
        <tr>
          <th scope="row">{{ row.day.label }}</th>
          {% for cell in row.cells %}
            <td>{% if cell.before %}{{ cell.before_hours }}{% else %}<span class="text-body-secondary">{{ closed }}</span>{% endif %}</td>
          {% endfor %}
        </tr>
      {% endfor %}
      </tbody>
    </table>
    </div>
  </div>
  <div class="col-lg-6">
    <div class="table-responsive">
    <table class="table table-sm table-bordered opening-table">
      <caption class="caption-top">{{ after_caption }}</caption>
      <thead>
        <tr>
          <th scope="col">{% translate "Day" %}</th>
          {% for cell in compare.rows.0.cells %}<th scope="col">{{ cell.dagdeel.label }}</th>{% endfor %}
        </tr>
      </thead>
      <tbody>
      {% for row in compare.rows %}
        <tr>
          <th scope="row">{{ row.day.label }}</th>
          {% for cell in row.cells %}
            <td data-change="{{ cell.change }}"{% if cell.change == "added" %} class="table-success"{% elif cell.change == "removed" %} class="table-danger"{% elif cell.change == "changed" %} class="table-warning"{% endif %}>
              {% if cell.after %}{{ cell.after_hours }}{% elif cell.change == "removed" %}{{ closed }}{% else %}<span class="text-body-secondary">{{ closed }}</span>{% endif %}
              {% if cell.change_label %}<br><strong class="small">{{ cell.change_label }}</strong>{% if cell.was %} <span class="small">({{ cell.was }})</span>{% endif %}{% endif %}
            </td>
          {% endfor %}
        </tr>
      {% endfor %}
      </tbody>
    </table>
    </div>
  </div>
</div>
{% if compare.unchanged %}
  <p>{% translate "No dagdeel changes: both grids are the same." %}</p>
{% else %}
  <ul class="grid-changes">
    {% if compare.added %}<li><strong>{% translate "Added:" %}</strong> {{ compare.added|join:", " }}</li>{% endif %}
    {% if compare.removed %}<li><strong>{% translate "Removed:" %}</strong> {{ compare.removed|join:", " }}</li>{% endif %}
    {% if compare.changed %}<li><strong>{% translate "Other times:" %}</strong> {{ compare.changed|join:", " }}</li>{% endif %}
  </ul>
{% endif %}"""


def slot(weekday, dagdeel, start, end) -> dict:
    return {"weekday": weekday, "dagdeel": dagdeel, "start_time": start, "end_time": end}


BEFORE = [
    slot(0, Dagdeel.OCHTEND, T(9), T(12, 30)),
    slot(0, Dagdeel.MIDDAG, T(13), T(17)),
    slot(1, Dagdeel.OCHTEND, T(9), T(12, 30)),
]
AFTER = [
    slot(0, Dagdeel.OCHTEND, T(10), T(12, 30)),
    slot(1, Dagdeel.OCHTEND, T(9), T(12, 30)),
    slot(3, Dagdeel.AVOND, T(18), T(21)),
    slot(5, Dagdeel.OCHTEND, T(10), T(13)),
]


@pytest.mark.parametrize(
    ("before", "after"),
    [(BEFORE, AFTER), (BEFORE, BEFORE), ([], AFTER), (AFTER, [])],
    ids=["changes", "unchanged", "all-new", "all-removed"],
)
def test_grid_compare_is_the_old_template(language, before, after):
    context = {
        "compare": selectors.compare_grids(before, after),
        "before_caption": "Nu & straks",
        "after_caption": "Voorgesteld <b>",
    }
    old = _render(OLD_GRID_COMPARE, **context)
    new = _render(
        "{% load proposal_html %}{% grid_compare compare before_caption after_caption %}",
        **context,
    )
    assert _squash(new) == _squash(old)


OLD_EVIDENCE_TABLE = """{% load i18n %}
    <div class="table-responsive">
    <table class="table table-sm table-bordered w-auto evidence-table">
      <caption class="visually-hidden">{% translate "Questions per weekday and dagdeel" %}</caption>
      <thead>
        <tr>
          <th scope="col">{% translate "Day" %}</th>
          {% for cell in e.rows.0.cells %}<th scope="col">{{ cell.dagdeel.label }}</th>{% endfor %}
          {% if e.has_unknown %}<th scope="col">{% translate "Dagdeel not recorded" %}</th>{% endif %}
          <th scope="col">{% translate "Total" %}</th>
        </tr>
      </thead>
      <tbody>
      {% for row in e.rows %}
        <tr>
          <th scope="row">{{ row.day.label }}</th>
          {% for cell in row.cells %}
            <td data-level="{{ cell.level }}" class="text-end{% if cell.level == 1 %} bg-warning bg-opacity-10{% elif cell.level == 2 %} bg-warning bg-opacity-25{% elif cell.level == 3 %} bg-warning bg-opacity-50{% elif cell.level == 4 %} bg-warning bg-opacity-75{% endif %}{% if cell.proposed_open %} fw-bold{% endif %}">
              {{ cell.count }}{% if cell.proposed_open %} <span class="badge text-bg-dark bg-opacity-100" data-proposed-open>{% translate "open" %}</span>{% endif %}
            </td>
          {% endfor %}
          {% if e.has_unknown %}<td class="text-end">{{ row.unknown }}</td>{% endif %}
          <td class="text-end">{{ row.total }}</td>
        </tr>
      {% endfor %}
      </tbody>
    </table>
    </div>"""


def _evidence(unknown: int) -> dict:
    """Evidence as ``selectors.question_evidence`` gives it, with every heat level."""
    rows = []
    for day in Weekday:
        cells = [
            {
                "dagdeel": dagdeel,
                "count": day.value * 700 + n,
                "level": (day.value + n) % 5,
                "proposed_open": (day.value + n) % 2 == 0,
            }
            for n, dagdeel in enumerate(Dagdeel)
        ]
        rows.append(
            {
                "day": day,
                "cells": cells,
                "unknown": unknown,
                "total": sum(c["count"] for c in cells) + unknown,
            }
        )
    return {"rows": rows, "has_unknown": bool(unknown)}


@pytest.mark.parametrize("unknown", [0, 3])
def test_evidence_table_is_the_old_template(language, unknown):
    evidence = _evidence(unknown)
    old = _render(OLD_EVIDENCE_TABLE, e=evidence)
    new = _render("{% load proposal_html %}{% evidence_table e %}", e=evidence)
    assert _squash(new) == _squash(old)


# --- the timeline and the conversation ---------------------------------------------------------

OLD_TIMELINE = """{% load i18n %}
  {% for entry in timeline %}
    {% if entry.transition %}{% with step=entry.transition %}
    <li class="border-start border-3 ps-3 pb-3" data-kind="transition">
      <p class="mb-1">
        {% if step.from_status %}
          <strong>{{ step.get_from_status_display }} → {{ step.get_to_status_display }}</strong>
        {% else %}
          <strong>{% blocktranslate with status=step.get_to_status_display %}Started as “{{ status }}”{% endblocktranslate %}</strong>
        {% endif %}
      </p>
      <p class="small text-body-secondary mb-1">
        <time datetime="{{ step.at|date:'c' }}">{{ step.at|date:"j F Y H:i" }}</time> ·
        {% if step.by %}{{ step.by }}{% else %}{% translate "automatically, on the start date" %}{% endif %}
      </p>
      {% if step.note and step.to_status != "decided" %}<div class="small">{{ step.note|linebreaksbr }}</div>{% endif %}
    </li>
    {% endwith %}{% else %}{% with answer=entry.answer %}
    <li class="border-start border-3 ps-3 pb-3{% if not answer.published_at %} border-warning{% endif %}" data-kind="{% if answer.published_at %}answer{% else %}draft{% endif %}">
      <p class="mb-1">
        {% if answer.published_at %}
          <strong>{% blocktranslate with decision=answer.get_decision_display %}Answer published: {{ decision }}{% endblocktranslate %}</strong>
        {% else %}
          <span class="badge text-bg-warning">{% translate "Draft" %}</span>
          <strong>{% blocktranslate with decision=answer.get_decision_display %}Draft answer: {{ decision }}{% endblocktranslate %}</strong>
          <span class="small">({% translate "only the city sees drafts" %})</span>
        {% endif %}
      </p>
      <p class="small text-body-secondary mb-1">
        <time datetime="{{ entry.at|date:'c' }}">{{ entry.at|date:"j F Y H:i" }}</time>{% if answer.written_by %} · {{ answer.written_by }}{% endif %}
        {% if answer.start_date %} · {% blocktranslate with date=answer.start_date|date:"j F Y" %}from {{ date }}{% endblocktranslate %}{% endif %}
      </p>
      <div class="small">{{ answer.motivation|linebreaksbr }}</div>
    </li>
    {% endwith %}{% endif %}
  {% empty %}
    <li>{% translate "Nothing has happened yet." %}</li>
  {% endfor %}"""

OLD_CONVERSATION = """{% load i18n %}
  {% if conversation %}
  <ol class="list-unstyled">
    {% for note in conversation %}
    <li class="card mb-2{% if note.internal %} border-warning{% endif %}" data-internal="{{ note.internal|yesno:'true,false' }}">
      <div class="card-body py-2">
        <p class="small text-body-secondary mb-1">
          {% if note.internal %}<span class="badge text-bg-warning">{% translate "Internal note" %}</span>{% endif %}
          {{ note.author|default:_("unknown") }} ·
          <time datetime="{{ note.created_at|date:'c' }}">{{ note.created_at|date:"j F Y H:i" }}</time>
        </p>
        <div>{{ note.body|linebreaksbr }}</div>
      </div>
    </li>
    {% endfor %}
  </ol>
  {% else %}
  <p>{% translate "No messages yet." %}</p>
  {% endif %}"""

# Summer and winter time, so the local time of each moment is checked too.
SUMMER = dt.datetime(2026, 7, 1, 22, 30, tzinfo=dt.UTC)
WINTER = dt.datetime(2026, 11, 4, 9, 5, tzinfo=dt.UTC)
ANNA = User(first_name="Anna", last_name="<de> Vries", email="anna@example.nl")


def _timeline() -> list[dict]:
    steps = [
        Transition(to_status=Status.CONCEPT, by=ANNA, at=SUMMER),
        Transition(
            from_status=Status.CONCEPT,
            to_status=Status.WITHDRAWN,
            by=ANNA,
            at=WINTER,
            note="Niet meer nodig.\nDank & groet <b>",
        ),
        Transition(
            from_status=Status.SUBMITTED, to_status=Status.DECIDED, by=None, at=WINTER, note="x"
        ),
    ]
    answers = [
        Answer(
            decision=Decision.PARTLY,
            motivation="Deels:\n<ja>",
            start_date=dt.date(2027, 1, 4),
            written_by=ANNA,
            written_at=SUMMER,
            published_at=WINTER,
        ),
        Answer(decision=Decision.REJECTED, motivation="Nee.", written_by=None, written_at=SUMMER),
    ]
    timeline = [{"at": t.at, "transition": t} for t in steps]
    timeline += [{"at": a.published_at or a.written_at, "answer": a} for a in answers]
    return timeline


@pytest.mark.parametrize("empty", [False, True])
def test_timeline_is_the_old_template(language, settings, empty):
    timeline = [] if empty else _timeline()
    old = _render(OLD_TIMELINE, timeline=timeline)
    new = _render("{% load proposal_html %}{% proposal_timeline timeline %}", timeline=timeline)
    assert _squash(new) == _squash(old)


@pytest.mark.parametrize("empty", [False, True])
def test_conversation_is_the_old_template(language, empty):
    conversation = [
        Message(author=ANNA, body="Wanneer?\n\nMorgen <om> 10 uur & later", created_at=SUMMER),
        Message(author=None, body="Intern", internal=True, created_at=WINTER),
    ]
    conversation = [] if empty else conversation
    old = _render(OLD_CONVERSATION, conversation=conversation)
    new = _render(
        "{% load proposal_html %}{% proposal_conversation conversation %}",
        conversation=conversation,
    )
    assert _squash(new) == _squash(old)


# --- the list ----------------------------------------------------------------------------------

OLD_LIST_ROWS = """{% load i18n %}
    {% for row in rows %}
      <tr>
        <td>{{ row.hub }}</td>
        <td><a href="{{ row.url }}">{{ row.title }}</a></td>
        <td>{{ row.status }}</td>
        <td class="text-nowrap">{{ row.submitted|default:"–" }}</td>
        <td class="text-nowrap">{% if row.answer_due %}{{ row.answer_due }}{% if row.is_overdue %} <strong class="text-danger">{% translate "(overdue)" %}</strong>{% endif %}{% else %}–{% endif %}</td>
        <td>{{ row.decision|default:"–" }}</td>
      </tr>
    {% endfor %}"""


def test_list_rows_are_the_old_template(language):
    rows = [
        {
            "hub": "Noord & Zuid",
            "url": "/voorstellen/1/",
            "title": "Later <open>",
            "status": "Ingediend",
            "submitted": "05-11-2026",
            "answer_due": "03-12-2026",
            "is_overdue": overdue,
            "decision": decision,
        }
        for overdue in (False, True)
        for decision in ("", "Akkoord")
    ]
    rows.append({**rows[0], "submitted": "", "answer_due": "", "is_overdue": True})
    old = _render(OLD_LIST_ROWS, rows=rows)
    new = _render("{% load proposal_html %}{% proposal_rows rows %}", rows=rows)
    assert _squash(new) == _squash(old)
