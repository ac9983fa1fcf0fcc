"""``{% shift_cell cell %}``: one cell of the week grid, in Python.

The grid has a cell per hub and dagdeel — 40 hubs × 21 dagdelen is 840 cells — and an
included template per cell cost about 0.4 ms each, most of the page's time. This tag
writes the same HTML with ``format_html``; what does not change from cell to cell (the
labels, the action URLs, the date of each day) is worked out once per page. The htmx
answer to a sign-up (``scheduling/_shift_cell.html``) uses the same tag, so a cell
swapped in looks exactly like the one it replaces.
"""

from __future__ import annotations

from django import template
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, gettext_noop, ngettext

register = template.Library()

# A stand-in id: each action URL is reversed once per page and the id put in after.
_PK = 2_147_483_647
_ACTIONS = {
    "open": ("scheduling:signup", "shift", gettext_noop("Sign up")),
    "full": ("scheduling:waitlist", "shift", gettext_noop("Join the waitlist")),
    "confirmed": ("scheduling:cancel", "mine", gettext_noop("Cancel")),
    "waitlisted": ("scheduling:cancel", "mine", gettext_noop("Leave the waitlist")),
    "handover": ("scheduling:handover_withdraw", "handover", gettext_noop("I can come after all")),
}
_STATUS_BADGES = {
    # state: (badge class, label)
    "confirmed": ("text-bg-success", gettext_noop("you are signed up")),
    "past_confirmed": ("text-bg-success", gettext_noop("you are signed up")),
    "handover": ("text-bg-warning", gettext_noop("hand-over requested")),
    "full": ("text-bg-secondary", gettext_noop("full")),
}


def _e(text) -> str:
    """Escaped as the template engine escapes ``{{ text }}`` (safe strings stay as they are)."""
    return str(conditional_escape(text))


class _Page:
    """What every cell of one page shares, worked out once."""

    def __init__(self, context):
        self.request = context.get("request")
        self.can_sign_up = context.get("can_sign_up")
        self.next = context.get("next", "")
        # One token for the page, as {% csrf_token %} gives every form of a page.
        self.token = get_token(self.request) if self.request else ""
        self.next = _e(self.next)
        self.urls = {
            state: _e(reverse(name, args=[_PK])) for state, (name, _k, _l) in _ACTIONS.items()
        }
        self.buttons = {state: _e(gettext(label)) for state, (_n, _k, label) in _ACTIONS.items()}
        # The catalogue's patterns, filled in per cell with ints or escaped text.
        self.staffing = gettext("%(staffed)s/%(minimum)s (max %(maximum)s)")
        self.staffing_spoken = gettext(
            "%(staffed)s signed up, minimum %(minimum)s, maximum %(maximum)s"
        )
        self.waitlisted = gettext("on the waitlist (number %(position)s)")
        self.clash = gettext("You already work at %(hub)s in this dagdeel.")
        self.badges = {
            state: format_html('<span class="badge {}">{}</span>', css, gettext(label))
            for state, (css, label) in _STATUS_BADGES.items()
        }
        self.closed = format_html(
            '<span class="badge text-bg-secondary">{}</span>', gettext("Closed")
        )
        self.needs_people = format_html(
            '<span class="badge text-bg-danger">{}</span>', gettext("needs people")
        )
        self.empty = format_html(
            '<span class="text-body-secondary" aria-hidden="true">–</span>'
            '<span class="visually-hidden">{}</span>',
            gettext("not open"),
        )
        self.days: dict = {}
        self.dagdelen: dict = {}

    def action_url(self, state: str, cell) -> str:
        kind = _ACTIONS[state][1]
        pk = (
            cell.shift.pk
            if kind == "shift"
            else cell.mine.pk
            if kind == "mine"
            else cell.mine.open_handover_id
        )
        return self.urls[state].replace(str(_PK), str(pk))

    def day(self, day) -> str:
        if day not in self.days:
            self.days[day] = _e(date_format(day, "l j F"))
        return self.days[day]

    def dagdeel(self, shift) -> str:
        if shift.dagdeel not in self.dagdelen:
            self.dagdelen[shift.dagdeel] = _e(str(shift.get_dagdeel_display()).lower())
        return self.dagdelen[shift.dagdeel]


def _page(context) -> _Page:
    store = context.render_context
    if "roster_page" not in store:
        store["roster_page"] = _Page(context)
    return store["roster_page"]


@register.simple_tag(takes_context=True)
def shift_cell(context, cell):
    page = _page(context)
    if not cell:
        return page.empty
    # f-strings with every text escaped (``_e``): format_html per part cost as much as
    # the template it replaces. Numbers and ids are ints; labels come escaped from _Page.
    shift, state = cell.shift, cell.state
    pk = shift.pk
    starts, ends = timezone.localtime(shift.starts_at), timezone.localtime(shift.ends_at)
    parts = [
        f'<div class="shift-cell" id="shift-{pk}">'
        f'<div class="small text-body-secondary">{starts:%H:%M}–{ends:%H:%M}</div>'
    ]
    if state == "closed":
        parts.append(page.closed)
        if shift.cancel_reason:
            parts.append(f'<div class="small">{_e(shift.cancel_reason)}</div>')
    else:
        numbers = {
            "staffed": int(shift.confirmed_count),
            "minimum": int(shift.min_staff),
            "maximum": int(shift.max_staff),
        }
        parts.append(
            f'<div class="shift-staffing"><span aria-hidden="true">{page.staffing % numbers}'
            f'</span><span class="visually-hidden">{page.staffing_spoken % numbers}</span></div>'
        )
        if cell.needs_people:
            parts.append(page.needs_people)
        if state in page.badges:
            parts.append(page.badges[state])
        elif state in ("waitlisted", "past_waitlisted"):
            position = page.waitlisted % {"position": int(cell.waitlist_position)}
            parts.append(f'<span class="badge text-bg-warning">{position}</span>')
        elif state == "clash":
            parts.append(f'<div class="small">{page.clash % {"hub": _e(cell.clash_hub)}}</div>')
        if page.can_sign_up and not cell.is_past and state in _ACTIONS:
            action = page.action_url(state, cell)
            css = "btn-primary" if state == "open" else "btn-outline-secondary"
            # The button keeps its id whatever it does: htmx puts the focus back on the
            # element with the focused element's id after the swap, so a keyboard user
            # stays in the cell.
            parts.append(
                f'<form method="post" action="{action}" hx-post="{action}" '
                f'hx-target="#shift-{pk}" hx-swap="outerHTML" class="mt-1">'
                f'<input type="hidden" name="csrfmiddlewaretoken" value="{page.token}">'
                f'<input type="hidden" name="next" value="{page.next}">'
                f'<button type="submit" id="shift-{pk}-action" class="btn btn-sm {css}">'
                f'{page.buttons[state]}<span class="visually-hidden">: {_e(shift.hub.name)}, '
                f"{page.day(shift.date)}, {page.dagdeel(shift)}</span></button></form>"
            )
    message = context.get("message")
    if message:
        level = context.get("message_level")
        level = "danger" if level == "error" else _e(level)
        parts.append(
            f'<p class="alert alert-{level} small p-1 mt-1 mb-0" role="status">{_e(message)}</p>'
        )
    parts.append("</div>")
    return mark_safe("".join(parts))  # noqa: S308 - every text escaped above


# --- the coverage page: a cell per hub, date and dagdeel -----------------------------------


class _CoveragePage:
    """What every coverage cell of one page shares, worked out once."""

    def __init__(self):
        self.url = _e(reverse("scheduling:shift_detail", args=[_PK]))
        self.staffing = gettext("%(staffed)s of min. %(minimum)s, max. %(maximum)s")
        self.closed = f'<td><span class="text-body-secondary">{_e(gettext("closed"))}</span></td>'
        self.labels: dict = {}

    def more_needed(self, count: int) -> str:
        return ngettext("%(count)s more needed", "%(count)s more needed", count) % {"count": count}

    def label(self, cell) -> str:
        if cell.status not in self.labels:
            self.labels[cell.status] = _e(cell.status_label)
        return self.labels[cell.status]


@register.simple_tag(takes_context=True)
def coverage_cell(context, cell):
    """The whole ``<td>``: the staffing, linked to the shift, and its status."""
    store = context.render_context
    if "coverage_page" not in store:
        store["coverage_page"] = _CoveragePage()
    page = store["coverage_page"]
    if not cell:
        return mark_safe(page.closed)  # noqa: S308 - escaped in _CoveragePage
    shift = cell.shift
    css = f' class="{cell.css_class}"' if cell.css_class else ""
    numbers = {
        "staffed": int(shift.confirmed_count),
        "minimum": int(shift.min_staff),
        "maximum": int(shift.max_staff),
    }
    warning = '<span aria-hidden="true">⚠ </span>' if cell.at_risk else ""
    shortage = shift.shortage
    more = f' <span class="small">({page.more_needed(shortage)})</span>' if shortage else ""
    url = page.url.replace(str(_PK), str(shift.pk))
    return mark_safe(  # noqa: S308 - numbers, our URL and escaped labels only
        f'<td{css}><a href="{url}">{page.staffing % numbers}</a>'
        f'<br><span class="fw-semibold">{warning}{page.label(cell)}</span>{more}</td>'
    )
