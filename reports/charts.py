"""Charts for report tables, drawn on the server as inline SVG.

``render_chart(table)`` reads ``table.chart`` (a spec written by ``reports.report``)
and returns an ``<svg>`` element in a ``<div class="chart-frame">``, or an empty
string when there is no chart or nothing to draw. There is no JavaScript and no
chart library: the page works with the CSP as it is, prints, and the table under
each chart stays the accessible alternative. The SVG itself is one image for
assistive technology (``role="img"``), named by its ``<title>`` and summed up in one
sentence in its ``<desc>``.

Three kinds of spec (column numbers index ``table.columns``):

- ``{"type": "trend", "x": 0, "bars": 1, "lines": [3, 2]}``: a bar per week, the
  first line solid, the others dashed (they stay apart in greyscale print).
- ``{"type": "bars", "label": 0, "value": 2, ...}``: horizontal bars with the
  value printed at the end. Options: ``compare`` (a column drawn as a thin
  second bar), ``unit: "pct"`` (a 0–100 scale), ``limit`` (the first N rows),
  ``group`` (sum the values per label), ``rows`` (only these row numbers) and
  ``skip_last`` (leave out N total rows at the end).
- ``{"type": "heatmap", "row": 0, "col": 1, "value": 4}``: weekdays by dagdeel,
  every cell coloured by its value and the value printed in it.

Sizes are in SVG units; see ``WIDTHS`` for how they become pixels. The page must
load ``static/css/reports-charts.css``. Numbers are written by the same function as
the table's (``report_tags.format_figure``), so the two always agree. Every text
that comes from the data goes through ``format_html``, which escapes it; there are
no ``style`` attributes (the CSP forbids them), only presentation attributes.
"""

from __future__ import annotations

import datetime as dt
import math

from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from hubs.constants import Dagdeel

from .report import WEEKDAYS, Table

# Each kind of chart has its own width: the page draws it at that many CSS pixels at
# most (static/css/reports-charts.css), so a unit is a pixel on a laptop and text
# keeps its size. On a phone the chart shrinks to 30rem and then scrolls sideways.
WIDTHS = {"trend": 600, "bars": 560, "heatmap": 480}
FONT = 14  # labels and values
SMALL = 13  # axis ticks, legends; the smallest text we draw (10.4 px at the narrowest)

# Colours. Everything that carries information has a contrast of at least 3:1
# against white (WCAG 1.4.11); text at least 4.5:1. reports/tests/test_charts.py checks.
INK = "#212529"  # text (15.4:1)
MUTED = "#495057"  # axis labels, secondary values (8.2:1)
BAR = "#00811f"  # the scope's own figures (5.1:1)
COMPARE = "#343a40"  # the comparison bar (11.5:1): darker than BAR, also in greyscale
LINES = ("#1d4f91", "#5c636a", "#8a4500")  # solid, dashed, dotted (8.1:1, 6.1:1, 7.2:1)
DASHES = (None, "7 4", "2 3")
GRID = "#dee2e6"  # gridlines and tracks: decoration only, the values are labelled
AXIS = "#6c757d"  # the zero line (4.7:1)

# Heat map: light to dark green, even steps in lightness so it reads in greyscale too.
# Every cell prints its value, so the colour only repeats what the text says and the
# light cells may be lighter than 3:1. The two darkest take white text, the others
# dark text (at least 4.5:1 either way).
HEAT = ("#e5f5e0", "#a1d99b", "#5fb16f", "#1f7a3a", "#0b4a22")
HEAT_WHITE_TEXT = 3  # index from which cells take white text
EMPTY_STROKE = "#868e96"  # the outline of a dagdeel that was not open (3.3:1)

EN_DASH = "–"
# Week labels every 1, 2 or 4 weeks, a quarter, half a year or a year.
WEEK_STEPS = (1, 2, 4, 13, 26, 52)


# --- small helpers ---------------------------------------------------------------------------


def _n(value: float) -> str:
    """A coordinate: short, always with a decimal point (never localised)."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def format_value(value, kind: str) -> str:
    """A figure exactly as the table under the chart shows it (Dutch: 1.234 and 42,5%)."""
    # Imported here: the template tags import this module for {% report_chart %}.
    from .templatetags.report_tags import format_figure

    return format_figure(value, kind)


def _text_width(text: str, size: float) -> float:
    """A generous estimate of the width of ``text`` in the page's sans-serif font."""
    return len(text) * size * 0.58


def _fit(text: str, width: float, size: float = FONT) -> str:
    """``text`` shortened with an ellipsis so that it fits in ``width``."""
    if _text_width(text, size) <= width:
        return text
    keep = max(1, int(width / (size * 0.58)) - 1)
    return text[:keep].rstrip() + "…"


def _text(
    x: float,
    y: float,
    content: str,
    *,
    anchor: str = "start",
    size: int = FONT,
    fill: str = INK,
    weight: str = "",
    width: float | None = None,
) -> SafeString:
    """A ``<text>``; when it had to be shortened to ``width``, the full text is its tooltip."""
    shown = content if width is None else _fit(content, width, size)
    tooltip = format_html("<title>{}</title>", content) if shown != content else ""
    return format_html(
        '<text x="{}" y="{}" text-anchor="{}" font-size="{}"{} fill="{}">{}{}</text>',
        _n(x),
        _n(y),
        anchor,
        size,
        format_html(' font-weight="{}"', weight) if weight else "",
        fill,
        tooltip,
        shown,
    )


def _rect(x, y, w, h, fill, *, stroke=None, tooltip: str = "", rx: float = 0) -> SafeString:
    stroke_attrs = format_html(' stroke="{}" stroke-width="1"', stroke) if stroke else ""
    return format_html(
        '<rect x="{}" y="{}" width="{}" height="{}" rx="{}" fill="{}"{}>{}</rect>',
        _n(x),
        _n(y),
        _n(max(w, 0)),
        _n(max(h, 0)),
        _n(rx),
        fill,
        stroke_attrs,
        format_html("<title>{}</title>", tooltip) if tooltip else "",
    )


def _line(x1, y1, x2, y2, stroke, width: float = 1, dash: str | None = None) -> SafeString:
    return format_html(
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="{}"{}/>',
        _n(x1),
        _n(y1),
        _n(x2),
        _n(y2),
        stroke,
        _n(width),
        format_html(' stroke-dasharray="{}"', dash) if dash else "",
    )


def _join(parts) -> SafeString:
    # Every part was built by format_html (or is itself a SafeString).
    return mark_safe("".join(parts))  # noqa: S308


def _svg(table: Table, prefix: str, height: float, summary: str, body: list) -> SafeString:
    """The ``<svg>`` in a frame that lets it scroll sideways on a narrow phone."""
    kind = table.chart["type"]
    title_id = f"{prefix}-{table.id}-title"
    desc_id = f"{prefix}-{table.id}-desc"
    return format_html(
        '<div class="chart-frame">'
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg chart-svg-{}" '
        'role="img" aria-labelledby="{} {}" viewBox="0 0 {} {}" width="100%" '
        'font-size="{}" fill="{}">'
        '<title id="{}">{}</title><desc id="{}">{}</desc>{}</svg></div>',
        kind,
        title_id,
        desc_id,
        WIDTHS[kind],
        _n(math.ceil(height)),
        FONT,
        INK,
        title_id,
        table.title,
        desc_id,
        summary,
        _join(body),
    )


def nice_scale(top: float, *, integer: bool, ticks: int = 4) -> tuple[float, float]:
    """A round axis maximum at or above ``top`` and its step (1, 2, 2.5 or 5 × 10ⁿ)."""
    if top <= 0:
        top = ticks if integer else 1
    raw = top / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    factors = (1, 2, 5, 10) if integer and magnitude < 10 else (1, 2, 2.5, 5, 10)
    step = next(f * magnitude for f in factors if f * magnitude >= raw - 1e-9)
    if integer:
        step = max(1, round(step))
    return math.ceil(top / step - 1e-9) * step, step


def heat_step(top: float, bins: int = len(HEAT)) -> float:
    """The smallest round step that splits 0..``top`` into at most ``bins`` classes."""
    if top <= 0:
        return 1
    magnitude = 10 ** math.floor(math.log10(top / bins))
    return next(
        f * magnitude
        for f in (1, 1.5, 2, 2.5, 3, 4, 5, 10)
        if math.ceil(top / (f * magnitude) - 1e-9) <= bins
    )


def _decimals(step: float) -> int:
    """How many decimals the ticks of ``step`` need."""
    for decimals in range(4):
        if abs(round(step, decimals) - step) < 1e-9:
            return decimals
    return 3


def _tick_label(value: float, decimals: int) -> str:
    return number_format(round(value, decimals), decimals, force_grouping=True)


# --- render ----------------------------------------------------------------------------------


def render_chart(table: Table, *, id_prefix: str = "chart") -> SafeString:
    """The table's chart as inline SVG, or ``""`` when it has none or nothing to show.

    ``id_prefix`` keeps the ids unique when one table is drawn twice on a page.
    """
    spec = table.chart
    if not spec or not table.rows:
        return mark_safe("")
    draw = {"trend": _trend, "bars": _bars, "heatmap": _heatmap}.get(spec.get("type"))
    if draw is None:
        raise ValueError(f"Unknown chart type {spec.get('type')!r} for table {table.id!r}")
    return draw(table, spec, id_prefix)


# --- legend ---------------------------------------------------------------------------------


LEGEND_LINE = 22


def _legend(
    items: list[tuple[str, SafeString]], y: float, x: float, right: float
) -> tuple[list, float]:
    """(label, swatch) pairs in rows from (x, y) that wrap before ``right``.

    A swatch is drawn around its own (0, 0) and is at most 24 units wide. Returns the
    parts and the y of the last row.
    """
    parts, start = [], x
    for label, swatch in items:
        shown = _fit(label, 220, SMALL)
        item_w = 30 + _text_width(shown, SMALL)
        if x > start and x + item_w > right:
            x, y = start, y + LEGEND_LINE
        parts.append(format_html('<g transform="translate({} {})">{}</g>', _n(x), _n(y), swatch))
        parts.append(_text(x + 30, y + 4.5, label, size=SMALL, fill=INK, width=220))
        x += item_w + 20
    return parts, y


def _bar_swatch(fill: str, height: float = 12) -> SafeString:
    return _rect(0, -height / 2, 22, height, fill)


def _line_swatch(stroke: str, dash: str | None, marker: bool) -> SafeString:
    dot = (
        format_html('<circle cx="11" cy="0" r="3.5" fill="{}" stroke="#fff"/>', stroke)
        if marker
        else ""
    )
    return format_html("{}{}", _line(0, 0, 24, 0, stroke, 2.5, dash), dot)


# --- trend ----------------------------------------------------------------------------------


def _week_label(week: dt.date) -> str:
    return _("week %(week)s") % {"week": week.isocalendar().week}


def _trend(table: Table, spec: dict, prefix: str) -> SafeString:
    x_col, bar_col, line_cols = spec["x"], spec["bars"], list(spec.get("lines", []))
    rows = table.rows
    bars = [row[bar_col] for row in rows]
    lines = [[row[col] for row in rows] for col in line_cols]
    values = [v for v in bars + [v for line in lines for v in line] if v is not None]
    if not values:
        return mark_safe("")
    bar_kind = table.columns[bar_col].kind
    integer = all(float(v).is_integer() for v in values)
    top, step = nice_scale(max(values), integer=integer)
    decimals = 0 if integer else _decimals(step)
    tick_values = [i * step for i in range(round(top / step) + 1)]
    tick_labels = [_tick_label(v, decimals) for v in tick_values]

    width = WIDTHS["trend"]
    # Legend: the bars, then each line with its own dash pattern.
    marker = len(rows) <= 26
    items = [(table.columns[bar_col].label, _bar_swatch(BAR))]
    for n, col in enumerate(line_cols):
        items.append(
            (
                table.columns[col].label,
                _line_swatch(LINES[n % len(LINES)], DASHES[n % len(DASHES)], marker and n == 0),
            )
        )
    parts, legend_y = _legend(items, 12, 0, width)

    x_title = str(table.columns[x_col].label)
    # Room for the tick values, and for the x title clear of the first week number.
    left = max(
        max(_text_width(t, SMALL) for t in tick_labels) + 12, _text_width(x_title, SMALL) + 22
    )
    right = 8
    plot_top = legend_y + 28
    plot_h = 210
    plot_bottom = plot_top + plot_h
    height = plot_bottom + 44
    plot_w = width - left - right
    slot = plot_w / len(rows)

    def y_of(value: float) -> float:
        return plot_bottom - plot_h * min(value, top) / top

    def x_of(i: int) -> float:
        return left + slot * (i + 0.5)

    # Gridlines and their values.
    for value, label in zip(tick_values, tick_labels, strict=True):
        y = y_of(value)
        parts.append(_line(left, y, width - right, y, AXIS if value == 0 else GRID))
        parts.append(_text(left - 6, y + 4, label, anchor="end", size=SMALL, fill=MUTED))

    # Bars, each with the week's figures as its tooltip.
    bar_w = min(max(slot * 0.64, 1), 48)
    for i, row in enumerate(rows):
        week = row[x_col]
        details = [f"{table.columns[bar_col].label}: {format_value(row[bar_col], bar_kind)}"]
        details += [
            f"{table.columns[col].label}: {format_value(row[col], table.columns[col].kind)}"
            for col in line_cols
        ]
        tooltip = f"{format_value(week, 'week')}: {'; '.join(details)}"
        value = row[bar_col] or 0
        parts.append(
            _rect(
                x_of(i) - bar_w / 2,
                y_of(value),
                bar_w,
                plot_bottom - y_of(value),
                BAR,
                tooltip=tooltip,
            )
        )

    # Lines over the bars, with a white halo so they stay visible where they cross one;
    # thinner when there are many weeks, or they would hide the bars.
    line_w = 2.5 if len(rows) <= 26 else 2 if len(rows) <= 60 else 1.5
    for n, line in enumerate(lines):
        colour, dash = LINES[n % len(LINES)], DASHES[n % len(DASHES)]
        for segment in _segments(line):
            points = " ".join(f"{_n(x_of(i))},{_n(y_of(v))}" for i, v in segment)
            for stroke, stroke_w, dashes in (("#fff", line_w + 3, None), (colour, line_w, dash)):
                parts.append(
                    format_html(
                        '<polyline points="{}" fill="none" stroke="{}" stroke-width="{}" '
                        'stroke-linejoin="round"{}/>',
                        points,
                        stroke,
                        _n(stroke_w),
                        # Round caps would close the gaps of a dashed line.
                        format_html(' stroke-dasharray="{}"', dashes)
                        if dashes
                        else mark_safe(' stroke-linecap="round"'),
                    )
                )
            if marker and n == 0:
                for i, v in segment:
                    parts.append(
                        format_html(
                            '<circle cx="{}" cy="{}" r="3.5" fill="{}" stroke="#fff"/>',
                            _n(x_of(i)),
                            _n(y_of(v)),
                            colour,
                        )
                    )

    # Week numbers: as many as fit, on round steps; the year under the first and
    # wherever it changes; the column's name ("Week") left of them, under the axis.
    parts.append(_text(left - 16, plot_bottom + 18, x_title, anchor="end", size=SMALL, fill=MUTED))
    fits = max(1, int(plot_w // 30))
    every = next((n for n in WEEK_STEPS if len(rows) / n <= fits), math.ceil(len(rows) / fits))
    shown_year = None
    for i in range(0, len(rows), every):
        week = rows[i][x_col]
        parts.append(
            _text(
                x_of(i),
                plot_bottom + 18,
                str(week.isocalendar().week),
                anchor="middle",
                size=SMALL,
                fill=MUTED,
            )
        )
        year = week.isocalendar().year
        if year != shown_year:
            parts.append(
                _text(x_of(i), plot_bottom + 34, str(year), anchor="middle", size=SMALL, fill=MUTED)
            )
            shown_year = year

    total = sum(v for v in bars if v is not None)
    top_i = max(range(len(rows)), key=lambda i: (bars[i] is not None, bars[i] or 0, -i))
    if total:
        summary = _("%(label)s: %(total)s in total, the most in %(week)s (%(value)s).") % {
            "label": table.columns[bar_col].label,
            "total": format_value(total, bar_kind),
            "week": _week_label(rows[top_i][x_col]),
            "value": format_value(bars[top_i], bar_kind),
        }
    else:
        summary = _("%(column)s: every value is zero.") % {"column": table.columns[bar_col].label}
    if line_cols:
        summary += " " + _("Lines: %(lines)s.") % {
            "lines": "; ".join(str(table.columns[col].label) for col in line_cols)
        }
    return _svg(table, prefix, height, summary, parts)


def _segments(values: list) -> list[list[tuple[int, float]]]:
    """The runs of a line between missing values."""
    runs, run = [], []
    for i, value in enumerate(values):
        if value is None:
            if run:
                runs.append(run)
            run = []
        else:
            run.append((i, value))
    if run:
        runs.append(run)
    return runs


# --- horizontal bars ------------------------------------------------------------------------


def _bar_rows(table: Table, spec: dict) -> tuple[list[tuple[str, object, object, str, str]], int]:
    """(label, value, compare, value kind, compare kind) per bar, and how many were left out."""
    label_col, value_col, compare_col = spec["label"], spec["value"], spec.get("compare")
    indexes = list(range(len(table.rows)))
    if spec.get("skip_last"):
        indexes = indexes[: len(indexes) - spec["skip_last"]]
    if spec.get("rows") is not None:
        indexes = [i for i in spec["rows"] if i in indexes]

    rows = []
    for i in indexes:
        row = table.rows[i]
        rows.append(
            [
                str(row[label_col]),
                row[value_col],
                None if compare_col is None else row[compare_col],
                table.kind_at(i, value_col),
                table.kind_at(i, compare_col) if compare_col is not None else "",
            ]
        )
    if spec.get("group"):
        grouped: dict[str, list] = {}
        for label, value, compare, kind, compare_kind in rows:
            if label not in grouped:
                grouped[label] = [label, None, None, kind, compare_kind]
            if value is not None:
                grouped[label][1] = (grouped[label][1] or 0) + value
            if compare is not None:
                grouped[label][2] = (grouped[label][2] or 0) + compare
        rows = list(grouped.values())
    limit = spec.get("limit")
    left_out = max(0, len(rows) - limit) if limit else 0
    if limit:
        rows = rows[:limit]
    return [tuple(r) for r in rows], left_out


def _bars(table: Table, spec: dict, prefix: str) -> SafeString:
    rows, left_out = _bar_rows(table, spec)
    if not rows or all(value is None for _l, value, *_rest in rows):
        return mark_safe("")
    has_compare = spec.get("compare") is not None
    pct = spec.get("unit") == "pct"
    largest = max(
        [v for _l, v, _c, *_k in rows if v is not None]
        + [c for _l, _v, c, *_k in rows if c is not None]
    )
    top = 100 if pct else (largest or 1)

    value_labels = [format_value(v, kind) for _l, v, _c, kind, _ck in rows]
    compare_labels = [format_value(c, ck) for _l, _v, c, _k, ck in rows]
    width = WIDTHS["bars"]
    # The label column: as wide as the longest label, up to 45% of the chart.
    label_w = max(min(max(_text_width(label, FONT) for label, *_r in rows), width * 0.45), 60) + 14
    value_w = max(_text_width(t, FONT) for t in value_labels + compare_labels) + 12
    plot_x = label_w
    plot_w = width - label_w - value_w

    bar_h, thin_h = 20, 9
    row_h = 46 if has_compare else 30
    y = 0
    parts = []
    if has_compare:
        items = [
            (table.columns[spec["value"]].label, _bar_swatch(BAR)),
            (table.columns[spec["compare"]].label, _bar_swatch(COMPARE, thin_h)),
        ]
        parts, legend_y = _legend(items, 12, plot_x, width)
        y = legend_y + 20
    plot_top = y

    for (label, value, compare, _kind, _ck), value_label, compare_label in zip(
        rows, value_labels, compare_labels, strict=True
    ):
        bar_y = y + 4
        parts.append(
            _text(plot_x - 10, bar_y + bar_h / 2 + 5, label, anchor="end", width=label_w - 14)
        )
        if pct:  # the whole 100% as a light track, so a share reads as part of a whole
            parts.append(_rect(plot_x, bar_y, plot_w, bar_h, "#f1f3f5"))
        length = plot_w * min(max(value or 0, 0), top) / top
        parts.append(_rect(plot_x, bar_y, length, bar_h, BAR, tooltip=f"{label}: {value_label}"))
        parts.append(_text(plot_x + length + 6, bar_y + bar_h / 2 + 5, value_label, weight="600"))
        if has_compare:
            thin_y = bar_y + bar_h + 3
            c_length = plot_w * min(max(compare or 0, 0), top) / top
            parts.append(
                _rect(
                    plot_x,
                    thin_y,
                    c_length,
                    thin_h,
                    COMPARE,
                    tooltip=f"{label}, {table.columns[spec['compare']].label}: {compare_label}",
                )
            )
            parts.append(
                _text(
                    plot_x + c_length + 6,
                    thin_y + thin_h / 2 + 4,
                    compare_label,
                    size=SMALL,
                    fill=MUTED,
                )
            )
        y += row_h
    # The zero line, over the bars' left edges.
    parts.append(_line(plot_x, plot_top, plot_x, y + 2, AXIS))
    height = y + 6
    if left_out:
        parts.append(
            _text(
                plot_x,
                y + 18,
                _("The first %(shown)s of %(total)s; the table lists them all.")
                % {"shown": len(rows), "total": len(rows) + left_out},
                size=SMALL,
                fill=MUTED,
            )
        )
        height += 22

    column = table.columns[spec["value"]].label
    best = max(range(len(rows)), key=lambda i: (rows[i][1] is not None, rows[i][1] or 0, -i))
    if not rows[best][1]:
        summary = _("%(column)s: every value is zero.") % {"column": column}
    else:
        summary = _("%(column)s, highest: %(label)s with %(value)s.") % {
            "column": column,
            "label": rows[best][0],
            "value": value_labels[best],
        }
    return _svg(table, prefix, height, summary, parts)


# --- heat map -------------------------------------------------------------------------------


def _heatmap(table: Table, spec: dict, prefix: str) -> SafeString:
    row_col, col_col, value_col = spec["row"], spec["col"], spec["value"]
    kind = table.columns[value_col].kind
    cells = {(str(r[row_col]), str(r[col_col])): r[value_col] for r in table.rows}
    values = [v for v in cells.values() if v is not None]
    if not values:
        return mark_safe("")

    # Monday first and dagdelen in the day's order, whatever order the rows come in.
    def ordered(found: list[str], canonical: list[str]) -> list[str]:
        rank = {name: i for i, name in enumerate(canonical)}
        return sorted(dict.fromkeys(found), key=lambda name: rank.get(name, len(rank)))

    days = ordered([d for d, _p in cells], [str(d) for d in WEEKDAYS])
    parts_of_day = ordered([p for _d, p in cells], [str(label) for _v, label in Dagdeel.choices])

    step = heat_step(max(values))
    bins = max(1, math.ceil(max(values) / step - 1e-9))
    # Spread the bins over the palette so the darkest colour is always used.
    palette = [HEAT[round(i * (len(HEAT) - 1) / max(bins - 1, 1))] for i in range(bins)]

    def bin_of(value: float) -> int:
        return min(max(int(value / step), 0), bins - 1)

    label_w = min(max(_text_width(d, FONT) for d in days) + 16, 140)
    cell_w = min((WIDTHS["heatmap"] - label_w) / len(parts_of_day), 150)
    cell_h = 36
    head_h = 26
    parts = []
    for j, part in enumerate(parts_of_day):
        parts.append(
            _text(
                label_w + cell_w * (j + 0.5),
                17,
                part,
                anchor="middle",
                weight="600",
                width=cell_w - 8,
            )
        )
    for i, day in enumerate(days):
        y = head_h + i * cell_h
        parts.append(
            _text(label_w - 10, y + cell_h / 2 + 4.5, day, anchor="end", width=label_w - 14)
        )
        for j, part in enumerate(parts_of_day):
            x = label_w + j * cell_w
            value = cells.get((day, part))
            label = format_value(value, kind)
            tooltip = f"{day}, {part}: {label}"
            if value is None:
                parts.append(
                    _rect(
                        x + 1.5,
                        y + 1.5,
                        cell_w - 3,
                        cell_h - 3,
                        "#fff",
                        stroke=EMPTY_STROKE,
                        tooltip=tooltip,
                    )
                )
                text_fill = MUTED
            else:
                b = bin_of(value)
                parts.append(
                    _rect(x + 1, y + 1, cell_w - 2, cell_h - 2, palette[b], tooltip=tooltip)
                )
                text_fill = "#fff" if HEAT.index(palette[b]) >= HEAT_WHITE_TEXT else INK
            parts.append(
                _text(
                    x + cell_w / 2,
                    y + cell_h / 2 + 4.5,
                    label,
                    anchor="middle",
                    fill=text_fill,
                    weight="600",
                )
            )

    # Legend: the column's name, then a swatch per bin with its range.
    y = head_h + len(days) * cell_h + 24
    column = table.columns[value_col].label
    parts.append(_text(0, y + 4.5, f"{column}:", size=SMALL, weight="600"))
    decimals = _decimals(step)
    items = []
    for b, colour in enumerate(palette):
        low, high = b * step, (b + 1) * step
        text = f"{_tick_label(low, decimals)}{EN_DASH}{_tick_label(high, decimals)}"
        stroke = EMPTY_STROKE if HEAT.index(colour) == 0 else None
        items.append((text, _rect(0, -8, 22, 16, colour, stroke=stroke)))
    if len(values) < len(days) * len(parts_of_day):
        items.append((_("not open"), _rect(0, -8, 22, 16, "#fff", stroke=EMPTY_STROKE)))
    legend, legend_y = _legend(items, y + LEGEND_LINE, 0, WIDTHS["heatmap"])
    parts += legend
    height = legend_y + 14

    (best_day, best_part), best = max(
        ((key, v) for key, v in cells.items() if v is not None), key=lambda kv: kv[1]
    )
    if best:
        summary = _("Busiest moment: %(day)s %(dagdeel)s, %(value)s (%(column)s).") % {
            "day": best_day,
            "dagdeel": best_part,
            "value": format_value(best, kind),
            "column": column,
        }
    else:
        summary = _("%(column)s: every value is zero.") % {"column": column}
    return _svg(table, prefix, height, summary, parts)
