"""Formatting of report figures, and the chart of a table.

Figures arrive as raw numbers (``reports.report``); how they read is decided here,
once, in the active language: Dutch 1.234 and 42,5%, English 1,234 and 42.5%.
"""

from __future__ import annotations

import datetime as dt

from django import template
from django.urls import reverse
from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from hubs.constants import Dagdeel
from reports.charts import render_chart

register = template.Library()

NUMERIC_KINDS = frozenset({"int", "float", "pct", "hours", "days", "week"})
MISSING = "–"  # nothing to divide by


def _number(value, digits: int) -> str:
    # number_format cuts decimals off rather than rounding them: round first.
    return formats.number_format(round(float(value), digits), digits, force_grouping=True)


def _plural(value) -> int:
    """gettext's plural forms take whole numbers: 1 is singular, 1,5 is not."""
    return 1 if value == 1 else 2


def format_figure(value, kind: str) -> str:
    """``value`` as a reader sees it; ``kind`` is a ``Column`` kind."""
    if value is None or value == "":
        return MISSING
    if kind == "int":
        # A count, but the city's average of counts may fall between two numbers.
        return _number(value, 0 if float(value).is_integer() else 1)
    if kind == "float":
        return _number(value, 1)
    if kind == "pct":
        return _("%(number)s%%") % {"number": _number(value, 1)}
    if kind == "hours":
        return _("%(number)s h") % {"number": _number(value, 1)}
    if kind == "days":
        return ngettext("%(number)s day", "%(number)s days", _plural(value)) % {
            "number": _number(value, 1)
        }
    if kind == "week" and isinstance(value, dt.date):
        # The day month format is a translation of its own: Dutch writes "28 sep".
        day = formats.date_format(value, pgettext("report week label", "j M"))
        return _("wk %(week)s (%(day)s)") % {"week": value.isocalendar().week, "day": day}
    return str(value)


@register.filter
def figure(value, kind: str = "text") -> str:
    """``{{ value|figure:"pct" }}``."""
    return format_figure(value, kind)


@register.simple_tag
def table_rows(table) -> list[list[dict]]:
    """The table's cells, formatted: ``{"text", "numeric", "raw", "kind"}`` per cell."""
    rows = []
    for r, row in enumerate(table.rows):
        cells = []
        for c, value in enumerate(row):
            kind = table.kind_at(r, c)
            cells.append(
                {
                    "text": format_figure(value, kind),
                    "numeric": kind in NUMERIC_KINDS,
                    "raw": value,
                    "kind": kind,
                }
            )
        rows.append(cells)
    return rows


@register.simple_tag
def change(current, previous, kind: str) -> SafeString:
    """This period against the previous one: an arrow and the difference in words,
    so that the direction does not rest on colour or on the symbol alone."""
    if current is None or previous is None or kind not in NUMERIC_KINDS - {"week"}:
        return SafeString("")
    diff = round(float(current) - float(previous), 0 if kind == "int" else 1)
    if diff == 0:
        return format_html(
            '<span class="report-change"><span aria-hidden="true">=</span> {}</span>',
            _("unchanged"),
        )
    if kind == "pct":
        amount = ngettext(
            "%(number)s percentage point", "%(number)s percentage points", _plural(abs(diff))
        ) % {"number": _number(abs(diff), 1)}
    else:
        amount = format_figure(abs(diff), kind)
    if diff > 0:
        return format_html(
            '<span class="report-change"><span aria-hidden="true">▲</span> {}</span>',
            _("%(amount)s higher") % {"amount": amount},
        )
    return format_html(
        '<span class="report-change"><span aria-hidden="true">▼</span> {}</span>',
        _("%(amount)s lower") % {"amount": amount},
    )


@register.simple_tag
def report_chart(table) -> SafeString:
    """The table's chart as inline SVG ("" when it has none)."""
    return render_chart(table)


@register.simple_tag(takes_context=True)
def export_url(context, table_id: str, fmt: str) -> str:
    """The download of ``table_id`` as ``fmt`` for the scope and period on the page."""
    url = reverse(context["export_url"], args=[*context["export_args"], table_id, fmt])
    return f"{url}?{context['period'].query()}"


@register.simple_tag
def short_dagdelen(item) -> SafeString:
    """The items of "These dagdelen still need people" on "Mijn hub deze week": a hub can
    list dozens, and as template markup each cost a link, a date and a translation. Each
    links to the dagdeel's own page for those who may mark attendance, else to the week
    grid. reports/tests/test_week.py compares it with the template it replaced."""
    if item["shift_details"]:
        stand_in = 987654321
        pattern = reverse("scheduling:shift_detail", args=[stand_in])

        def link(shift) -> str:
            return pattern.replace(str(stand_in), str(shift.pk))

    else:

        def link(shift) -> str:
            return item["grid_url"]

    needed = _("%(staffed)s signed up, at least %(minimum)s needed")
    # A week has seven days and three dagdelen: each name is translated once.
    days: dict = {}
    dagdelen: dict = {}

    def day(value) -> str:
        if value not in days:
            days[value] = formats.date_format(value, "l j F")
        return days[value]

    def dagdeel(value) -> str:
        if value not in dagdelen:
            dagdelen[value] = str(Dagdeel(value).label).lower()
        return dagdelen[value]

    return format_html_join(
        "",
        '<li><a href="{}">{}, {}</a>: {}</li>',
        (
            (
                link(shift),
                day(shift.date),
                dagdeel(shift.dagdeel),
                needed % {"staffed": shift.confirmed_count, "minimum": shift.min_staff},
            )
            for shift in item["week"].short_to_come
        ),
    )
