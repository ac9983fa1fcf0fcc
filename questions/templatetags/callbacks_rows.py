"""``{% open_callback_rows %}`` and ``{% closed_callback_rows %}``: the rows of a team's
queue (templates/questions/callbacks/team_queue.html), written in Python.

A queue page shows up to 50 open and 50 closed callbacks, and drawing their rows with
``{% for %}``, ``{{ … }}`` and the ``date`` filter took most of the page's time. These
tags write the same HTML with f-strings in which every value is escaped (``_e``), as
the template engine escapes ``{{ value }}``. What rows share — the labels, the status
names, the hubs, topics and dates, which repeat from row to row — is worked out once
per table. The rows are ``QueueRow``s that the view (questions/views/callbacks.py)
fills with plain values; questions/tests/test_callbacks_rows.py compares the output
with the old template's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django import template
from django.utils import timezone
from django.utils.dates import MONTHS_3, WEEKDAYS_ABBR
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_noop

from ..constants import CallbackStatus
from .desk_rows import _e, _Memo  # the same escaping and memo as the desk's rows

register = template.Library()

# Labels translated inside f-strings, where makemessages cannot see the gettext()
# call: marked here, so that they stay in the catalogue.
_IN_F_STRINGS = (gettext_noop("nobody yet"),)


def _status_labels() -> _Memo:
    # As ``{{ row.get_status_display }}``: the label of a known status, else the value.
    labels = dict(CallbackStatus.choices)
    return _Memo(lambda value: _e(labels.get(value, value)))


class _Dates:
    """Dates as the ``date`` filter writes them with "D j b" and "j b Y" (see
    django.utils.dateformat, whose names these are). Formatting a date through
    dateformat cost ~40 µs, most of it translating its day and month names; here each
    name is translated once per table."""

    def __init__(self):
        self.zone = timezone.get_current_timezone()
        self.weekdays = _Memo(lambda number: str(WEEKDAYS_ABBR[number]))
        self.months = _Memo(lambda number: str(MONTHS_3[number]))

    def day_month(self, day: dt.date) -> str:  # "D j b": "wo 14 jan"
        return _e(f"{self.weekdays[day.weekday()]} {day.day} {self.months[day.month]}")

    def moment(self, value: dt.datetime | None) -> str:  # "j b Y H:i", in local time
        if value is None:
            return ""
        local = timezone.localtime(value, self.zone)
        return _e(
            f"{local.day} {self.months[local.month]} {local.year} "
            f"{local.hour:02d}:{local.minute:02d}"
        )


def _csrf_input(context) -> str:
    """What ``{% csrf_token %}`` writes: the same token for every form of the page."""
    token = context.get("csrf_token")
    if token and token != "NOTPROVIDED":
        return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)
    return ""


@register.simple_tag(takes_context=True)
def open_callback_rows(context, rows: Iterable, is_member: bool) -> SafeString:
    """The ``<tr>``s of the open callbacks; a claim button on the unclaimed ones for a
    member of the team."""
    overdue = _e(gettext("overdue"))
    nobody = f'<span class="fw-semibold">{_e(gettext("nobody yet"))}</span>'
    you = _e(gettext("you"))
    claim = _e(gettext("Claim"))
    csrf = _csrf_input(context) if is_member else ""
    statuses = _status_labels()
    texts = _Memo(_e)
    days = _Memo(_Dates().day_month)
    parts = []
    for row in rows:
        reference = _e(row.reference)
        if row.overdue:
            css, late = "table-danger", f" <strong>{overdue}</strong>"
        else:
            css, late = ("table-info" if row.mine else ""), ""
        if not row.claimed_by_id:
            handler = nobody
        elif row.mine:
            handler = you
        else:
            handler = texts[row.handler]
        action = ""
        if is_member:
            button = ""
            if not row.claimed_by_id:
                button = (
                    f'<form method="post" action="{_e(row.claim_url)}">{csrf}'
                    f'<button type="submit" class="btn btn-sm btn-primary">{claim}'
                    f'<span class="visually-hidden"> {reference}</span></button></form>'
                )
            action = f"<td>{button}</td>"
        parts.append(
            f'<tr class="{css}">'
            f'<th scope="row" class="text-nowrap"><a href="{_e(row.url)}">{reference}</a></th>'
            f"<td>{days[row.due_date]}{late}</td>"
            f"<td>{texts[row.hub]}</td>"
            f"<td>{texts[row.topic]}</td>"
            f"<td>{statuses[row.status]}</td>"
            f"<td>{handler}</td>"
            f"{action}</tr>\n"
        )
    return mark_safe("".join(parts))


@register.simple_tag
def closed_callback_rows(rows: Iterable) -> SafeString:
    """The ``<tr>``s of the recently closed callbacks."""
    statuses = _status_labels()
    texts = _Memo(_e)
    moment = _Dates().moment
    parts = []
    for row in rows:
        parts.append(
            f'<tr><th scope="row" class="text-nowrap">'
            f'<a href="{_e(row.url)}">{_e(row.reference)}</a></th>'
            f"<td>{moment(row.closed_at)}</td>"
            f"<td>{texts[row.hub]}</td>"
            f"<td>{texts[row.topic]}</td>"
            f"<td>{statuses[row.status]}</td>"
            f"<td>{texts[row.handler if row.claimed_by_id else '—']}</td></tr>\n"
        )
    return mark_safe("".join(parts))
