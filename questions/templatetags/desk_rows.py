"""The long parts of the desk (templates/questions/desk/) written in Python.

A busy hub's desk shows up to 200 questions logged today and some fifty topic buttons,
and the question list 50 rows; drawn with ``{% for %}``, ``{{ … }}``, ``{% url %}`` and
filters they took most of those pages' time. These tags write the same HTML with
f-strings in which every value is escaped (``_e``), as the template engine escapes
``{{ value }}``. What rows share — the labels, the link with a stand-in id — is worked
out once per table. questions/tests/test_desk_rows.py compares the output with the old
templates'.
"""

from __future__ import annotations

import html

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_noop

from hubs.constants import Dagdeel
from hubs.templatetags.bs_fields import bs_field

from ..constants import Language, Outcome

register = template.Library()

# Labels translated inside f-strings, where makemessages cannot see the gettext()
# call: marked here, so that they stay in the catalogue.
_IN_F_STRINGS = (gettext_noop("interpreter"),)

# A stand-in id: a row's link is reversed once per table and the id put in after.
_PK = 2_147_483_647


def _e(text) -> str:
    """Escaped as the template engine escapes ``{{ text }}`` (safe strings stay as they are).

    Django's ``escape`` is ``html.escape`` behind a wrapper for lazy strings that costs
    more than the escaping; plain strings, the rows' usual case, skip it."""
    if type(text) is str:
        return html.escape(text)
    return str(conditional_escape(text))


class _Memo(dict):
    """``memo[key]``: ``make(key)`` the first time a key is asked for, then remembered
    (a table's rows repeat the same topics, names and times)."""

    def __init__(self, make):
        super().__init__()
        self.make = make

    def __missing__(self, key):
        value = self[key] = self.make(key)
        return value


def _labels(choices) -> dict[str, str]:
    """A choice's label, escaped, by value: what ``get_FOO_display`` shows. A value
    that is not a choice (a blank one) shows as itself (questions.models._label)."""
    return {value: _e(label) for value, label in choices.choices}


def _label(labels: dict[str, str], value: str) -> str:
    return labels[value] if value in labels else _e(value)


# --- filter forms -------------------------------------------------------------------------


@register.simple_tag
def filter_field(field, wrapper_class: str = "") -> SafeString:
    """One field of a filter form (a GET form above a list) as crispy-forms' Bootstrap 5
    pack draws it inside ``{% crispy %}``: ``{% bs_field %}`` with the errors as spans.
    templates/questions/_filter_field.html is this tag, for templates that include it."""
    return bs_field(field, wrapper_class, inline_errors=True)


# --- the desk: topic buttons ---------------------------------------------------------------


@register.simple_tag
def desk_topic_choices(topic_tree, chosen) -> SafeString:
    """The main topics as big radio buttons (``chosen``: the field's value)."""
    chosen = str(chosen)  # as ``|stringformat:"s"``
    parts = []
    for main, _subtopics in topic_tree:
        pk = int(main.pk)
        checked = "checked" if chosen == str(pk) else ""
        parts.append(
            f'<input type="radio" class="btn-check" name="topic" id="topic-{pk}" value="{pk}" '
            f"required\n             {checked}>\n"
            f'      <label class="btn btn-outline-primary desk-choice" for="topic-{pk}">'
            f"{_e(main.name)}</label>\n"
        )
    return mark_safe("".join(parts))  # noqa: S308 - every text escaped above


@register.simple_tag
def desk_subtopic_choices(topic_tree, chosen) -> SafeString:
    """Per main topic with subtopics, a fieldset of them as big radio buttons."""
    chosen = str(chosen)  # as ``|stringformat:"s"``
    parts = []
    for main, subtopics in topic_tree:
        if not subtopics:
            continue
        parts.append(
            f'<fieldset class="desk-subtopics" data-parent="{int(main.pk)}">\n'
            f"      <legend>{_e(main.name)}</legend>\n"
            f'      <div class="desk-grid">\n'
        )
        for sub in subtopics:
            pk = int(sub.pk)
            checked = "checked" if chosen == str(pk) else ""
            parts.append(
                f'          <input type="radio" class="btn-check" name="subtopic" '
                f'id="subtopic-{pk}" value="{pk}"\n                 {checked}>\n'
                f'          <label class="btn btn-outline-primary desk-choice" '
                f'for="subtopic-{pk}">{_e(sub.name)}</label>\n'
            )
        parts.append("      </div>\n    </fieldset>\n")
    return mark_safe("".join(parts))  # noqa: S308 - every text escaped above


# --- the desk: today's log -----------------------------------------------------------------


@register.simple_tag
def desk_log_rows(log) -> SafeString:
    """The rows of today's log: ``LogEntry``s (questions/views/desk.py)."""
    outcomes, languages = _labels(Outcome), _labels(Language)
    interpreter = f" ({_e(gettext('interpreter'))})"
    correct = _e(gettext("Correct"))
    edit_url = _e(reverse("questions:question_edit", args=[_PK]))
    zone = timezone.get_current_timezone()  # ``|time`` shows the local time
    escaped = _Memo(_e)
    parts = []
    for entry in log:
        at = entry.created_at.astimezone(zone)
        time = f"{at.hour:02}:{at.minute:02}"  # H:i
        topic = escaped[entry.topic]
        outcome = _label(outcomes, entry.outcome)
        if entry.referral_target:
            outcome = f"{outcome}: {escaped[entry.referral_target]}"
        language = _label(languages, entry.language) or "–"
        if entry.interpreter_needed:
            language += interpreter
        action = ""
        if entry.correctable:
            url = edit_url.replace(str(_PK), str(int(entry.pk)))
            action = (
                f'<a class="btn btn-outline-secondary btn-sm" href="{url}">{correct}'
                f'<span class="visually-hidden"> {time} {topic}</span></a>'
            )
        parts.append(
            f"<tr>\n              <td>{time}</td>\n              <td>{topic}</td>\n"
            f"              <td>{outcome}</td>\n              <td>{language}</td>\n"
            f"              <td>{escaped[entry.author_initials]}</td>\n"
            f"              <td>{action}</td>\n            </tr>\n"
        )
    return mark_safe("".join(parts))  # noqa: S308 - every text escaped above


# --- the question list ---------------------------------------------------------------------


@register.simple_tag
def question_list_rows(rows) -> SafeString:
    """The rows of the question list: ``ListRow``s (questions/views/desk.py)."""
    outcomes, languages, dagdelen = _labels(Outcome), _labels(Language), _labels(Dagdeel)
    interpreter = f" ({_e(gettext('interpreter'))})"
    zone = timezone.get_current_timezone()  # ``|date`` shows the local time
    escaped = _Memo(_e)
    parts = []
    for row in rows:
        at = row.created_at.astimezone(zone)
        logged = f"{at.day:02}-{at.month:02}-{at.year:04} {at.hour:02}:{at.minute:02}"  # d-m-Y H:i
        outcome = _label(outcomes, row.outcome)
        if row.referral_target:
            outcome = f"{outcome}: {escaped[row.referral_target]}"
        language = _label(languages, row.language) or "–"
        if row.interpreter_needed:
            language += interpreter
        parts.append(
            f'<tr>\n            <td class="text-nowrap">{logged}</td>\n'
            f"            <td>{escaped[row.hub]}</td>\n"
            f"            <td>{_label(dagdelen, row.dagdeel) or '–'}</td>\n"
            f"            <td>{escaped[row.topic]}</td>\n"
            f"            <td>{outcome}</td>\n"
            f"            <td>{language}</td>\n"
            f"            <td>{_e(row.note)}</td>\n"
            f"            <td>{escaped[row.author_initials]}</td>\n"
            f"          </tr>\n"
        )
    return mark_safe("".join(parts))  # noqa: S308 - every text escaped above
