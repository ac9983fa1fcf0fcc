"""Parts of the proposal pages written in Python rather than in templates.

The proposal page is opened all day by the city, and most of its time went into
template work: the workflow forms drawn by crispy-forms (a dozen small templates per
field; now ``{% bs_field %}``, hubs/templatetags/bs_fields.py), the before/after grids
and the question heat map (an ``{% if %}`` or two per cell, 21 cells a table, up to
five tables), and the timeline and conversation (a date filter or two and several
lookups per entry). These tags write the same HTML:

- ``{% grid_compare compare before_caption after_caption %}``: what
  ``proposals/_grid_compare.html`` drew (the template is kept in the test);
- ``{% evidence_table evidence %}``: the table of questions per weekday and dagdeel;
- ``{% proposal_timeline timeline %}`` and ``{% proposal_conversation conversation %}``:
  the items of the timeline and the messages (what ``proposals/_workflow.html`` looped
  over; the old markup is kept in the test);
- ``{% proposal_rows rows %}``: the rows of the proposal list (50 a page).

proposals/tests/test_html.py compares each with the markup it replaces. Labels are
translated at render time with the msgids the templates used, so the catalogue's
translations still apply; like ``{% translate %}``, they are written as they are in
the catalogue (not escaped), and every value from the database or a form is escaped.
"""

from __future__ import annotations

import html

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils import timezone
from django.utils.formats import date_format, localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.translation import gettext, gettext_noop

register = template.Library()

# Labels translated inside f-strings, where makemessages cannot see the gettext()
# call: marked here, so that they stay in the catalogue.
_IN_F_STRINGS = (
    gettext_noop("Day"),
    gettext_noop("No dagdeel changes: both grids are the same."),
    gettext_noop("open"),
    gettext_noop("Dagdeel not recorded"),
    gettext_noop("Total"),
    gettext_noop("Draft"),
    gettext_noop("Draft answer: %(decision)s"),
    gettext_noop("only the city sees drafts"),
    gettext_noop("Nothing has happened yet."),
    gettext_noop("No messages yet."),
    gettext_noop("Internal note"),
    gettext_noop("(overdue)"),
)


def _e(value) -> str:
    """``{{ value }}``: localized, escaped unless marked safe. Plain strings, most of what
    these tags write, take the short way: ``escape`` is ``html.escape`` behind a check
    for lazy strings that costs more than the escaping."""
    if isinstance(value, SafeData):
        return value
    if type(value) is str:
        return html.escape(value)
    return str(conditional_escape(localize(value)))


# --- the analysis ------------------------------------------------------------------------------


def _head(dagdelen, *extra: str) -> str:
    """The header row: "Day", a column per dagdeel, then ``extra`` (already escaped)."""
    cells = "".join(f'<th scope="col">{_e(d.label)}</th>' for d in dagdelen)
    return f'<thead><tr><th scope="col">{gettext("Day")}</th>{cells}{"".join(extra)}</tr></thead>'


# The "after" cell's colour repeats in colour what its label says in words.
_CHANGE_CLASSES = {
    "added": ' class="table-success"',
    "removed": ' class="table-danger"',
    "changed": ' class="table-warning"',
}


# The lists of changes under the grids, in this order: added, removed, changed.
_CHANGE_LIST_LABELS = (
    gettext_noop("Added:"),
    gettext_noop("Removed:"),
    gettext_noop("Other times:"),
)


@register.simple_tag
def grid_compare(compare: dict, before_caption, after_caption) -> SafeString:
    """Two weekly grids side by side: "before" and "after" (``selectors.compare_grids``).
    Each changed dagdeel of the "after" grid says in words what changed (added, removed,
    other times); the colour only repeats it."""
    closed = gettext("closed")
    muted_closed = f'<span class="text-body-secondary">{closed}</span>'
    rows = compare["rows"]
    head = _head([cell["dagdeel"] for cell in rows[0]["cells"]]) if rows else _head([])
    before_rows, after_rows = [], []
    for row in rows:
        day = f'<tr><th scope="row">{_e(row["day"].label)}</th>'
        before_cells, after_cells = [], []
        for cell in row["cells"]:
            before = _e(cell["before_hours"]) if cell["before"] else muted_closed
            before_cells.append(f"<td>{before}</td>")
            change = cell["change"]
            if cell["after"]:
                after = _e(cell["after_hours"])
            elif change == "removed":
                after = closed
            else:
                after = muted_closed
            if cell["change_label"]:
                after += f'<br><strong class="small">{_e(cell["change_label"])}</strong>'
                if cell["was"]:
                    after += f' <span class="small">({_e(cell["was"])})</span>'
            after_cells.append(
                f'<td data-change="{_e(change)}"{_CHANGE_CLASSES.get(change, "")}>{after}</td>'
            )
        before_rows.append(f"{day}{''.join(before_cells)}</tr>")
        after_rows.append(f"{day}{''.join(after_cells)}</tr>")

    def table(caption, body_rows) -> str:
        return (
            '<div class="col-lg-6"><div class="table-responsive">'
            '<table class="table table-sm table-bordered opening-table">'
            f'<caption class="caption-top">{_e(caption)}</caption>{head}'
            f"<tbody>{''.join(body_rows)}</tbody></table></div></div>"
        )

    out = (
        '<div class="row g-3 grid-compare">'
        f"{table(before_caption, before_rows)}{table(after_caption, after_rows)}</div>"
    )
    if compare["unchanged"]:
        out += f"<p>{gettext('No dagdeel changes: both grids are the same.')}</p>"
    else:
        lists = (compare["added"], compare["removed"], compare["changed"])
        items = [
            f"<li><strong>{gettext(label)}</strong> {', '.join(_e(n) for n in names)}</li>"
            for label, names in zip(_CHANGE_LIST_LABELS, lists, strict=True)
            if names
        ]
        out += f'<ul class="grid-changes">{"".join(items)}</ul>'
    return mark_safe(out)  # noqa: S308 - every value above is escaped with _e


# The heat map's shade per level (``selectors._heat_level``).
_HEAT_CLASSES = {
    1: " bg-warning bg-opacity-10",
    2: " bg-warning bg-opacity-25",
    3: " bg-warning bg-opacity-50",
    4: " bg-warning bg-opacity-75",
}


@register.simple_tag
def evidence_table(evidence: dict) -> SafeString:
    """The questions logged per weekday and dagdeel (``selectors.question_evidence``) as a
    heat map; dagdelen open in the proposal say so in words ("open"), not only in bold."""
    rows = evidence["rows"]
    has_unknown = evidence["has_unknown"]
    open_badge = (
        ' <span class="badge text-bg-dark bg-opacity-100" data-proposed-open>'
        f"{gettext('open')}</span>"
    )
    extra = []
    if has_unknown:
        extra.append(f'<th scope="col">{gettext("Dagdeel not recorded")}</th>')
    extra.append(f'<th scope="col">{gettext("Total")}</th>')
    head = _head([cell["dagdeel"] for cell in rows[0]["cells"]] if rows else [], *extra)
    body = []
    for row in rows:
        cells = []
        for cell in row["cells"]:
            level = cell["level"]
            bold, badge = (" fw-bold", open_badge) if cell["proposed_open"] else ("", "")
            cells.append(
                f'<td data-level="{_e(level)}" class="text-end{_HEAT_CLASSES.get(level, "")}'
                f'{bold}">{_e(cell["count"])}{badge}</td>'
            )
        unknown = f'<td class="text-end">{_e(row["unknown"])}</td>' if has_unknown else ""
        body.append(
            f'<tr><th scope="row">{_e(row["day"].label)}</th>{"".join(cells)}{unknown}'
            f'<td class="text-end">{_e(row["total"])}</td></tr>'
        )
    caption = gettext("Questions per weekday and dagdeel")
    return mark_safe(  # noqa: S308 - every value above is escaped with _e
        '<div class="table-responsive">'
        '<table class="table table-sm table-bordered w-auto evidence-table">'
        f'<caption class="visually-hidden">{caption}</caption>{head}'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


# --- the timeline and the conversation ---------------------------------------------------------


def _when(moment) -> tuple[str, str]:
    """A moment as ``|date:'c'`` and ``|date:"j F Y H:i"`` write it (in Amsterdam time)."""
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return _e(moment.isoformat()), _e(date_format(moment, "j F Y H:i"))


def _transition_item(step) -> str:
    if step.from_status:
        title = f"{_e(step.get_from_status_display())} → {_e(step.get_to_status_display())}"
    else:
        title = gettext("Started as “%(status)s”") % {"status": _e(step.get_to_status_display())}
    iso, at = _when(step.at)
    by = _e(step.by) if step.by else gettext("automatically, on the start date")
    note = ""
    if step.note and step.to_status != "decided":
        note = f'<div class="small">{linebreaksbr(step.note, autoescape=True)}</div>'
    return (
        '<li class="border-start border-3 ps-3 pb-3" data-kind="transition">'
        f'<p class="mb-1"><strong>{title}</strong></p>'
        f'<p class="small text-body-secondary mb-1"><time datetime="{iso}">{at}</time> · {by}</p>'
        f"{note}</li>"
    )


def _answer_item(answer, at) -> str:
    decision = _e(answer.get_decision_display())
    if answer.published_at:
        css, kind = "", "answer"
        published = gettext("Answer published: %(decision)s") % {"decision": decision}
        title = f"<strong>{published}</strong>"
    else:
        css, kind = " border-warning", "draft"
        title = (
            f'<span class="badge text-bg-warning">{gettext("Draft")}</span> '
            f"<strong>{gettext('Draft answer: %(decision)s') % {'decision': decision}}</strong> "
            f'<span class="small">({gettext("only the city sees drafts")})</span>'
        )
    iso, when = _when(at)
    by = f" · {_e(answer.written_by)}" if answer.written_by else ""
    start = ""
    if answer.start_date:
        day = _e(date_format(answer.start_date, "j F Y"))
        start = " · " + gettext("from %(date)s") % {"date": day}
    return (
        f'<li class="border-start border-3 ps-3 pb-3{css}" data-kind="{kind}">'
        f'<p class="mb-1">{title}</p>'
        f'<p class="small text-body-secondary mb-1"><time datetime="{iso}">{when}</time>{by}'
        f"{start}</p>"
        f'<div class="small">{linebreaksbr(answer.motivation, autoescape=True)}</div></li>'
    )


@register.simple_tag
def proposal_timeline(timeline: list[dict]) -> SafeString:
    """The items of the proposal's timeline (``views.workflow.workflow_context``): its
    status changes and the city's answers (drafts only in the city's timeline)."""
    if not timeline:
        return mark_safe(f"<li>{gettext('Nothing has happened yet.')}</li>")  # noqa: S308
    items = [
        _transition_item(entry["transition"])
        if "transition" in entry
        else _answer_item(entry["answer"], entry["at"])
        for entry in timeline
    ]
    return mark_safe("".join(items))  # noqa: S308 - values escaped with _e, see above


@register.simple_tag
def proposal_conversation(conversation: list) -> SafeString:
    """The messages of the conversation, oldest first; the city's internal notes are
    marked in words and in colour (they reach this list only for the city)."""
    if not conversation:
        return mark_safe(f"<p>{gettext('No messages yet.')}</p>")  # noqa: S308
    badge = f'<span class="badge text-bg-warning">{gettext("Internal note")}</span> '
    unknown = gettext("unknown")
    items = []
    for note in conversation:
        iso, at = _when(note.created_at)
        if note.internal:
            css, internal, mark = " border-warning", "true", badge
        else:
            css, internal, mark = "", "false", ""
        author = _e(note.author) if note.author else unknown
        items.append(
            f'<li class="card mb-2{css}" data-internal="{internal}"><div class="card-body py-2">'
            f'<p class="small text-body-secondary mb-1">{mark}{author} · '
            f'<time datetime="{iso}">{at}</time></p>'
            f"<div>{linebreaksbr(note.body, autoescape=True)}</div></div></li>"
        )
    return mark_safe(f'<ol class="list-unstyled">{"".join(items)}</ol>')  # noqa: S308


# --- the list ----------------------------------------------------------------------------------


@register.simple_tag
def proposal_rows(rows: list[dict]) -> SafeString:
    """The rows of the proposal list, from the plain strings ``views.drafting._list_rows``
    worked out; "–" stands for a date or decision there is not (yet)."""
    overdue = f' <strong class="text-danger">{gettext("(overdue)")}</strong>'
    out = []
    for row in rows:
        due = "–"
        if row["answer_due"]:
            due = _e(row["answer_due"]) + (overdue if row["is_overdue"] else "")
        out.append(
            f"<tr><td>{_e(row['hub'])}</td>"
            f'<td><a href="{_e(row["url"])}">{_e(row["title"])}</a></td>'
            f"<td>{_e(row['status'])}</td>"
            f'<td class="text-nowrap">{_e(row["submitted"] or "–")}</td>'
            f'<td class="text-nowrap">{due}</td>'
            f"<td>{_e(row['decision'] or '–')}</td></tr>"
        )
    return mark_safe("".join(out))  # noqa: S308 - every value is escaped with _e
