"""The rostering grids written in Python: ``{% shift_cell cell %}`` (one cell of the week
grid) and ``{% coverage_hub row %}`` (one hub's table on the coverage page).

The grid has a cell per hub and dagdeel — 40 hubs × 21 dagdelen is 840 cells — and an
included template per cell cost about 0.4 ms each, most of the page's time. These tags
write the same HTML with f-strings and escaped text; what does not change from cell to
cell (the labels, the action URLs, the date of each day) is worked out once per page.
The htmx answer to a sign-up (``scheduling/_shift_cell.html``) uses the same tag, so a
cell swapped in looks exactly like the one it replaces.
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

from hubs.constants import Dagdeel

register = template.Library()

# Labels translated inside f-strings, where makemessages cannot see the gettext()
# call: marked here, so that they stay in the catalogue.
_IN_F_STRINGS = (
    gettext_noop("closed"),
    gettext_noop("at risk"),
    gettext_noop("Date"),
)

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
        self.hubs: dict = {}
        self.hours: dict = {}

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

    def times(self, shift) -> str:
        """ "09:00–12:30": most dagdelen of a page start and end at the same hours."""
        key = (shift.starts_at, shift.ends_at)
        if key not in self.hours:
            starts, ends = timezone.localtime(key[0]), timezone.localtime(key[1])
            self.hours[key] = f"{starts:%H:%M}–{ends:%H:%M}"
        return self.hours[key]

    def hub(self, shift) -> str:
        if shift.hub_id not in self.hubs:
            self.hubs[shift.hub_id] = _e(shift.hub.name)
        return self.hubs[shift.hub_id]

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
    """One cell (``selectors.ShiftCell``, or None where the hub has no such dagdeel),
    with the message of an htmx answer in it, if there is one."""
    message = context.get("message")
    level = context.get("message_level") if message else None
    return mark_safe(_shift_cell(_page(context), cell, message, level))  # noqa: S308


@register.simple_tag(takes_context=True)
def week_row(context, row):
    """One row of the week grid (``selectors.Row``): the hub and a cell per column."""
    page = _page(context)
    hub = row.hub
    badge = ""
    if row.shortage:
        short = ngettext("%(shortage)s short", "%(shortage)s short", row.shortage) % {
            "shortage": int(row.shortage)
        }
        badge = f'\n        <span class="badge text-bg-danger">{_e(short)}</span>'
    cells = "".join(f"\n      <td>{_shift_cell(page, cell)}</td>" for cell in row.cells)
    return mark_safe(  # noqa: S308 - every text escaped here or in _shift_cell
        f'<tr>\n      <th scope="row">\n        {_e(hub.name)}\n'
        f'        <span class="d-block small fw-normal text-body-secondary">'
        f"{_e(hub.gebied.name)}</span>{badge}\n      </th>{cells}\n    </tr>"
    )


def _shift_cell(page: _Page, cell, message=None, message_level=None) -> str:
    """The cell's HTML, every text in it escaped."""
    if not cell:
        return page.empty
    # f-strings with every text escaped (``_e``): format_html per part cost as much as
    # the template it replaces. Numbers and ids are ints; labels come escaped from _Page.
    shift, state = cell.shift, cell.state
    pk = shift.pk
    parts = [
        f'<div class="shift-cell" id="shift-{pk}">'
        f'<div class="small text-body-secondary">{page.times(shift)}</div>'
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
                f'{page.buttons[state]}<span class="visually-hidden">: {page.hub(shift)}, '
                f"{page.day(shift.date)}, {page.dagdeel(shift)}</span></button></form>"
            )
    if message:
        level = "danger" if message_level == "error" else _e(message_level)
        parts.append(
            f'<p class="alert alert-{level} small p-1 mt-1 mb-0" role="status">{_e(message)}</p>'
        )
    parts.append("</div>")
    return "".join(parts)


# --- the coverage page: a table per hub, a cell per date and dagdeel ------------------------


class _CoveragePage:
    """What every hub table of one coverage page shares, worked out once."""

    def __init__(self):
        self.url = _e(reverse("scheduling:shift_detail", args=[_PK]))
        self.staffing = gettext("%(staffed)s of min. %(minimum)s, max. %(maximum)s")
        self.closed = f'<td><span class="text-body-secondary">{_e(gettext("closed"))}</span></td>'
        self.at_risk = f'<span class="badge badge-norm-low">{_e(gettext("at risk"))}</span>'
        self.caption = gettext("Staffing of %(name)s per date and dagdeel")
        self.head = "".join(
            [f'<th scope="col">{_e(gettext("Date"))}</th>']
            + [f'<th scope="col">{_e(d.label)}</th>' for d in Dagdeel]
        )
        self.order = {d.value: i for i, d in enumerate(Dagdeel)}
        self.url_start, self.url_end = self.url.split(str(_PK))
        self.days: dict = {}
        # Cells repeat: the same status, the same figures. Each part is written once.
        self.statuses: dict = {}
        self.figures: dict = {}

    def day(self, day) -> str:
        # As {{ date|date:"D j N" }}: "ma 23 nov".
        if day not in self.days:
            self.days[day] = _e(date_format(day, "D j N"))
        return self.days[day]

    def status(self, cell) -> tuple[str, str]:
        """What comes before the link (the ``<td>``) and after the figures, by status."""
        if cell.status not in self.statuses:
            css = f' class="{cell.css_class}"' if cell.css_class else ""
            warning = '<span aria-hidden="true">⚠ </span>' if cell.at_risk else ""
            self.statuses[cell.status] = (
                f"<td{css}>",
                f'<br><span class="fw-semibold">{warning}{_e(cell.status_label)}</span>',
            )
        return self.statuses[cell.status]

    def staffing_text(self, shift) -> str:
        """The figures, linked, and how many more people are needed."""
        key = (shift.confirmed_count, shift.min_staff, shift.max_staff, shift.shortage)
        if key not in self.figures:
            staffed, minimum, maximum, shortage = map(int, key)
            numbers = {"staffed": staffed, "minimum": minimum, "maximum": maximum}
            more = ngettext("%(count)s more needed", "%(count)s more needed", shortage) % {
                "count": shortage
            }
            self.figures[key] = (
                self.staffing % numbers,
                f' <span class="small">({more})</span>' if shortage else "",
            )
        return self.figures[key]

    def cell(self, cell) -> str:
        """The whole ``<td>``: the staffing, linked to the shift, and its status."""
        if not cell:
            return self.closed
        start, status = self.status(cell)
        figures, more = self.staffing_text(cell.shift)
        return (
            f'{start}<a href="{self.url_start}{int(cell.shift.pk)}{self.url_end}">{figures}</a>'
            f"{status}{more}</td>"
        )


@register.simple_tag(takes_context=True)
def coverage_hub(context, row):
    """One hub of the coverage page (``views.manage.HubCoverage``): its ``<section>`` with a
    heading and a table, a row per date and a column per dagdeel. A city page has
    hundreds of cells; written here they cost a fraction of a template's loops."""
    store = context.render_context
    if "coverage_page" not in store:
        store["coverage_page"] = _CoveragePage()
    page = store["coverage_page"]
    hub = row.hub
    slug, name = _e(hub.slug), _e(hub.name)
    risky = row.at_risk
    days: dict = {}
    for cell in row.cells:
        shift = cell.shift
        cells = days.get(shift.date)
        if cells is None:
            cells = days[shift.date] = [None] * len(page.order)
        cells[page.order[shift.dagdeel]] = cell
    body = "".join(
        f'<tr><th scope="row">{page.day(day)}</th>{"".join(map(page.cell, days[day]))}</tr>'
        for day in sorted(days)
    )
    border = " border-start border-4 border-warning ps-3" if risky else ""
    badge = f"\n    {page.at_risk}" if risky else ""
    return mark_safe(  # noqa: S308 - every text escaped above or in _CoveragePage
        f'<section class="mb-4{border}" id="hub-{slug}" aria-labelledby="hub-{slug}-heading">\n'
        f'  <h2 class="h4" id="hub-{slug}-heading">\n'
        f'    {name} <span class="small text-body-secondary">{_e(hub.gebied.name)}</span>'
        f"{badge}\n  </h2>\n"
        '  <div class="table-responsive">\n'
        '  <table class="table table-sm align-middle coverage-table">\n'
        f'    <caption class="visually-hidden">{page.caption % {"name": name}}</caption>\n'
        f"    <thead><tr>{page.head}</tr></thead>\n"
        f"    <tbody>{body}</tbody>\n"
        "  </table>\n  </div>\n</section>"
    )


# --- filters -------------------------------------------------------------------------------


@register.simple_tag
def slug_options(items, chosen=None):
    """``<option>`` per hub or gebied, by slug, ``chosen`` selected: the week grid's
    filter lists every hub, and a template loop per option added up."""
    chosen_pk = chosen.pk if chosen is not None else None
    return mark_safe(  # noqa: S308 - slugs and names escaped
        "".join(
            f'\n        <option value="{_e(item.slug)}"'
            f"{' selected' if item.pk == chosen_pk else ''}>{_e(item.name)}</option>"
            for item in items
        )
    )


# --- a sign-up's shift in a list (mijn dagdelen, hand-over requests) -----------------------


@register.simple_tag(takes_context=True)
def signup_shift(context, entry):
    """The first three cells of a row about a sign-up: the date, the dagdeel with its
    hours, and the hub (the row's header). One tag rather than an included template
    per row; dates are formatted once per page."""
    store = context.render_context
    if "signup_shift" not in store:
        store["signup_shift"] = ({}, {})
    dates, dagdelen = store["signup_shift"]
    shift = entry.shift
    if shift.date not in dates:
        dates[shift.date] = _e(date_format(shift.date, "l j F Y"))
    if shift.dagdeel not in dagdelen:
        dagdelen[shift.dagdeel] = _e(shift.get_dagdeel_display())
    starts, ends = timezone.localtime(shift.starts_at), timezone.localtime(shift.ends_at)
    return mark_safe(  # noqa: S308 - every text escaped
        f"<td>{dates[shift.date]}</td>\n"
        f"<td>{dagdelen[shift.dagdeel]}"
        f'<span class="d-block small text-body-secondary">{starts:%H:%M}–{ends:%H:%M}</span></td>\n'
        f'<th scope="row">{_e(shift.hub.name)}</th>'
    )
