"""The report charts: valid, escaped, accessible SVG whose labels are the table's numbers."""

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

from reports import charts
from reports.charts import format_value, nice_scale, render_chart
from reports.report import WEEKDAYS, Column, Scope, Table, build_report
from reports.tests.conftest import PERIOD, TODAY

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert("x")</script> & Co'


@pytest.fixture(autouse=True)
def dutch():
    with translation.override("nl"):
        yield


def parse(html) -> ET.Element:
    """The <svg> element of a chart; fails when the markup is not well-formed XML."""
    frame = ET.fromstring(str(html))
    svg = frame.find(f"{SVG}svg")
    assert svg is not None
    return svg


def visible(element: ET.Element) -> str:
    """The text a <text> element shows (its <title> tooltip left out)."""
    return (element.text or "") + "".join(child.tail or "" for child in element)


def texts(svg: ET.Element) -> list[str]:
    return [visible(t) for t in svg.iter(f"{SVG}text")]


def rects(svg: ET.Element, fill: str) -> list[ET.Element]:
    return [r for r in svg.iter(f"{SVG}rect") if r.get("fill") == fill]


# --- tables like the ones reports.report builds ------------------------------------------------


def trend_table(rows, lines=(3, 2)):
    return Table(
        "trend",
        "Questions per week",
        [
            Column("Week", "week"),
            Column("Questions", "int"),
            Column("Same week, previous period", "int"),
            Column("City average", "float"),
        ],
        rows,
        chart={"type": "trend", "x": 0, "bars": 1, "lines": list(lines)},
    )


def weeks(values, start=dt.date(2026, 8, 17)):
    """Trend rows from (questions, previous, city) triples, a week apart."""
    return [[start + dt.timedelta(weeks=i), *triple] for i, triple in enumerate(values)]


def bars_table(rows, **spec):
    return Table(
        "doorverwijzingen",
        "Referral destinations",
        [
            Column("Referred to"),
            Column("Questions", "int"),
            Column("Share", "pct"),
            Column("City share", "pct"),
        ],
        rows,
        chart={"type": "bars", "label": 0, "value": 1, **spec},
    )


def busy_table(rows):
    return Table(
        "drukte",
        "Questions per open dagdeel",
        [
            Column("Day"),
            Column("Dagdeel"),
            Column("Questions", "int"),
            Column("Open dagdelen", "int"),
            Column("Per open dagdeel", "float"),
            Column("City, per open dagdeel", "float"),
        ],
        rows,
        chart={"type": "heatmap", "row": 0, "col": 1, "value": 4},
    )


def day(i):
    return str(WEEKDAYS[i])


def part(i):
    return ["Ochtend", "Middag", "Avond"][i]


# --- what every chart has -------------------------------------------------------------------


def test_no_chart_spec_or_no_rows_gives_an_empty_string():
    assert render_chart(Table("x", "X", [Column("A")], [["a"]])) == ""
    assert render_chart(trend_table([])) == ""
    assert render_chart(bars_table([])) == ""
    assert render_chart(busy_table([])) == ""


def test_nothing_but_missing_values_gives_an_empty_string():
    assert render_chart(bars_table([["Wijkteam", None, None, None]])) == ""
    assert render_chart(busy_table([[day(0), part(0), 0, 0, None, 1.0]])) == ""
    assert render_chart(trend_table(weeks([(None, None, None)]))) == ""


@pytest.mark.parametrize(
    "table",
    [
        trend_table(weeks([(12, 10, 11.5), (15, 9, 12.0)])),
        bars_table([["Wijkteam", 40, 80.0, 70.0], ["Vraagwijzer", 10, 20.0, 30.0]]),
        busy_table([[day(0), part(0), 24, 4, 6.0, 5.5], [day(1), part(2), 6, 4, 1.5, 2.0]]),
    ],
    ids=["trend", "bars", "heatmap"],
)
def test_every_chart_is_a_named_and_described_image(table):
    svg = parse(render_chart(table))

    assert svg.get("role") == "img"
    assert svg.get("width") == "100%"
    assert re.fullmatch(r"0 0 \d+ \d+", svg.get("viewBox"))
    title_id, desc_id = svg.get("aria-labelledby").split()
    title = svg.find(f"{SVG}title")
    desc = svg.find(f"{SVG}desc")
    assert (title.get("id"), desc.get("id")) == (title_id, desc_id)
    assert title_id == f"chart-{table.id}-title"
    assert title.text == table.title
    assert desc.text.endswith(".")


def test_ids_follow_the_table_and_the_prefix():
    table = bars_table([["Wijkteam", 4, 50.0, 40.0]])
    svg = parse(render_chart(table, id_prefix="week"))
    assert svg.get("aria-labelledby") == "week-doorverwijzingen-title week-doorverwijzingen-desc"


@pytest.mark.parametrize(
    "table",
    [
        Table(
            "trend",
            HOSTILE,
            trend_table([]).columns[:1] + [Column(HOSTILE, "int")],
            weeks([(3,), (5,)]),
            chart={"type": "trend", "x": 0, "bars": 1, "lines": []},
        ),
        bars_table([[HOSTILE, 4, 50.0, 40.0], ["Wijkteam", 2, 25.0, 10.0]], compare=3),
        busy_table([[HOSTILE, part(0), 4, 2, 2.0, 1.0], [day(0), HOSTILE, 1, 1, 1.0, 1.0]]),
    ],
    ids=["trend", "bars", "heatmap"],
)
def test_labels_from_the_data_are_escaped(table):
    html = str(render_chart(table))

    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    svg = parse(html)  # and still well-formed
    assert any(HOSTILE in (el.text or "") for el in svg.iter())


def test_a_long_label_is_shortened_with_its_full_text_as_tooltip():
    long = "Sociaal raadslieden en de schuldhulpverlening van de gemeente Rotterdam"
    svg = parse(render_chart(bars_table([[long, 4, 50.0, 40.0], ["Wijkteam", 2, 25.0, 10.0]])))

    label = next(t for t in svg.iter(f"{SVG}text") if t.find(f"{SVG}title") is not None)
    assert label.find(f"{SVG}title").text == long
    assert visible(label).endswith("…")
    assert long.startswith(visible(label)[:-1])
    assert "Wijkteam" in texts(svg)  # a short label stays whole


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, other: str = "#ffffff") -> float:
    high, low = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_colours_that_carry_information_stand_out_from_white():
    for colour in (charts.BAR, charts.COMPARE, charts.AXIS, *charts.LINES):
        assert contrast(colour) >= 3, colour  # WCAG 1.4.11, non-text contrast
    for colour in (charts.INK, charts.MUTED):
        assert contrast(colour) >= 4.5, colour
    # Heat map cells print their value: dark text on the light ones, white on the dark.
    for i, colour in enumerate(charts.HEAT):
        text = "#ffffff" if i >= charts.HEAT_WHITE_TEXT else charts.INK
        assert contrast(colour, text) >= 4.5, colour
    # Light to dark in steps, so that the heat map also reads in greyscale.
    lightness = [_luminance(c) for c in charts.HEAT]
    assert lightness == sorted(lightness, reverse=True)


def test_compare_bars_are_darker_than_the_own_bars_for_greyscale_print():
    assert _luminance(charts.COMPARE) < _luminance(charts.BAR) / 2


def test_text_is_never_smaller_than_12_units():
    tables = [
        trend_table(weeks([(12, 10, 11.5)] * 52)),
        bars_table([["Wijkteam", 40, 80.0, 70.0]] * 12, compare=3, limit=10),
        busy_table([[day(0), part(0), 24, 4, 6.0, 5.5], [day(1), part(2), 6, 4, None, 2.0]]),
    ]
    for table in tables:
        svg = parse(render_chart(table))
        sizes = [float(t.get("font-size")) for t in svg.iter(f"{SVG}text")]
        assert min(sizes) >= 12


# --- formatting -----------------------------------------------------------------------------


def test_numbers_are_written_the_dutch_way():
    assert format_value(1234, "int") == "1.234"
    assert format_value(12.5, "int") == "12,5"  # a city average of a count
    assert format_value(1234.56, "float") == "1.234,6"
    assert format_value(20.1 + 14.6, "pct") == "34,7%"  # 34.69999…: rounded, not cut off
    assert format_value(42.5, "pct") == "42,5%"
    assert format_value(26.3, "hours").startswith("26,3")
    assert format_value(None, "pct") == "–"


@pytest.mark.parametrize(
    ("top", "integer", "expected"),
    [
        (187, True, (200, 50)),
        (7.3, False, (8, 2)),
        (0, True, (4, 1)),
        (0, False, (1, 0.25)),
        (3, True, (3, 1)),
        (12.4, False, (15, 5)),
        (0.42, False, (0.6, 0.2)),
    ],
)
def test_axis_maximum_and_step_are_round(top, integer, expected):
    axis_max, step = nice_scale(top, integer=integer)
    assert axis_max >= top
    assert (axis_max, step) == pytest.approx(expected)


# --- trend ----------------------------------------------------------------------------------


def test_trend_draws_a_bar_per_week_and_a_solid_and_a_dashed_line():
    rows = weeks([(120, 100, 110.5), (160, 150, 140.0), (90, 95, 100.2), (130, 0, 120.0)])
    svg = parse(render_chart(trend_table(rows)))

    bars = rects(svg, charts.BAR)[1:]  # the first is the legend's swatch
    assert len(bars) == 4
    heights = [float(b.get("height")) for b in bars]
    assert heights[1] == max(heights) and heights[2] == min(heights)
    # Each bar's tooltip holds the week's figures, as the table shows them.
    assert bars[0].find(f"{SVG}title").text == (
        f"{format_value(rows[0][0], 'week')}: Questions: 120; City average: 110,5; "
        "Same week, previous period: 100"
    )
    lines = [p for p in svg.iter(f"{SVG}polyline") if p.get("stroke") != "#fff"]
    assert [p.get("stroke-dasharray") for p in lines] == [None, "7 4"]
    assert all(len(p.get("points").split()) == 4 for p in lines)
    assert "34" in texts(svg) and "2026" in texts(svg)
    desc = svg.find(f"{SVG}desc").text
    assert "500" in desc and "week 35" in desc and "160" in desc


def test_trend_axis_ticks_are_round_and_cover_the_largest_value():
    svg = parse(render_chart(trend_table(weeks([(187, 20, 30.0), (40, 50, 60.5)]))))
    assert {"0", "50", "100", "150", "200"} <= set(texts(svg))


def test_trend_breaks_a_line_where_a_value_is_missing():
    rows = weeks([(5, 4, 3.0), (6, 4, None), (7, 4, None), (8, 4, 5.0), (9, 4, 6.0)])
    svg = parse(render_chart(trend_table(rows, lines=(3,))))

    solid = [p for p in svg.iter(f"{SVG}polyline") if p.get("stroke") == charts.LINES[0]]
    assert [len(p.get("points").split()) for p in solid] == [1, 2]


def test_trend_with_one_week_or_only_zeros_still_draws():
    one = parse(render_chart(trend_table(weeks([(7, 3, 5.5)]))))
    assert len(rects(one, charts.BAR)) == 2  # legend and the one bar

    zeros = parse(render_chart(trend_table(weeks([(0, 0, 0.0)] * 4))))
    assert all(float(b.get("height")) == 0 for b in rects(zeros, charts.BAR)[1:])
    assert "zero" in zeros.find(f"{SVG}desc").text or "nul" in zeros.find(f"{SVG}desc").text


def test_trend_labels_some_weeks_when_there_are_many():
    rows = weeks([(100, 90, 95.0)] * 52, start=dt.date(2025, 11, 24))
    svg = parse(render_chart(trend_table(rows)))

    x_axis = next(t for t in svg.iter(f"{SVG}text") if visible(t) == "Week").get("y")
    week_numbers = [visible(t) for t in svg.iter(f"{SVG}text") if t.get("y") == x_axis][1:]
    assert week_numbers == [
        "48",
        "52",
        "4",
        "8",
        "12",
        "16",
        "20",
        "24",
        "28",
        "32",
        "36",
        "40",
        "44",
    ]
    # The year under the first week, and where the year changes.
    assert [t for t in texts(svg) if t in ("2025", "2026")] == ["2025", "2026"]


# --- horizontal bars ------------------------------------------------------------------------


def test_bars_print_the_tables_numbers_at_their_end():
    rows = [["Wijkteam", 1120, 70.0, 65.0], ["Vraagwijzer", 96, 6.0, 10.0], ["Loket", 0, 0.0, 1.0]]
    svg = parse(render_chart(bars_table(rows)))

    for label, value, _share, _city in rows:
        assert label in texts(svg)
        assert format_value(value, "int") in texts(svg)
    assert "1.120" in texts(svg)
    widths = [float(r.get("width")) for r in rects(svg, charts.BAR)]
    assert widths[0] > widths[1] > widths[2] == 0
    desc = svg.find(f"{SVG}desc").text
    assert "Questions" in desc and "Wijkteam" in desc and "1.120" in desc


def test_percentage_bars_use_a_0_to_100_scale_and_a_compare_bar():
    rows = [["Beantwoord", 30, 50.0, 40.0], ["Doorverwezen", 30, 25.0, 100.0]]
    svg = parse(render_chart(bars_table(rows, value=2, compare=3, unit="pct")))

    own = [float(r.get("width")) for r in rects(svg, charts.BAR)[1:]]
    city = [float(r.get("width")) for r in rects(svg, charts.COMPARE)[1:]]
    assert own[0] == pytest.approx(city[1] / 2, abs=0.1)  # 50% is half of 100%
    assert own[1] == pytest.approx(own[0] / 2, abs=0.1)
    assert city[0] == pytest.approx(own[0] * 0.8, abs=0.1)
    assert {"50,0%", "25,0%", "40,0%", "100,0%"} <= set(texts(svg))
    assert {"Share", "City share"} <= set(texts(svg))  # the legend


def test_bars_show_a_dash_for_a_missing_value():
    rows = [["Team Wonen", 4, 80.0, 0], ["Team Zorg", 0, None, 0]]
    svg = parse(render_chart(bars_table(rows, value=2, unit="pct")))

    assert "–" in texts(svg)
    assert float(rects(svg, charts.BAR)[1].get("width")) == 0


def test_bars_with_only_zeros_are_drawn_without_error():
    svg = parse(render_chart(bars_table([["Wijkteam", 0, 0.0, 0.0], ["Loket", 0, 0.0, 0.0]])))
    assert texts(svg).count("0") == 2
    assert svg.find(f"{SVG}desc").text


def test_bars_limit_shows_the_first_rows_and_says_so():
    rows = [[f"Loket {i}", 100 - i, 0, 0] for i in range(12)]
    svg = parse(render_chart(bars_table(rows, limit=10)))

    assert len(rects(svg, charts.BAR)) == 10
    assert "Loket 9" in texts(svg) and "Loket 10" not in texts(svg)
    assert any("10" in t and "12" in t for t in texts(svg))


def test_topic_bars_add_up_the_subtopics_of_each_main_topic():
    table = Table(
        "onderwerpen",
        "Topics",
        [
            Column("Topic"),
            Column("Subtopic"),
            Column("Questions", "int"),
            Column("Share", "pct"),
            Column("Previous period", "int"),
            Column("City share", "pct"),
        ],
        [
            ["Wonen", "Huur", 5, 50.0, 1, 40.0],
            ["Wonen", "Onderhoud", 2, 20.0, 0, 10.0],
            ["Wonen", "", 1, 10.0, 0, 5.0],
            ["Geld", "Schulden", 2, 20.0, 3, 45.0],
        ],
        chart={"type": "bars", "label": 0, "value": 2, "group": True, "limit": 12},
    )
    svg = parse(render_chart(table))

    assert len(rects(svg, charts.BAR)) == 2
    shown = texts(svg)
    assert shown.index("Wonen") < shown.index("Geld")
    assert "8" in shown and "2" in shown and "5" not in shown
    assert "Huur" not in shown


def test_roster_bars_take_only_the_chosen_rows_and_their_kinds():
    table = Table(
        "rooster",
        "Roster",
        [
            Column("Figure"),
            Column("This period", "row"),
            Column("Previous period", "row"),
            Column("City average", "row"),
        ],
        [
            ["Dagdelen planned", 117, 115, 110.3],
            ["Dagdelen cancelled", 3, 1, 2.1],
            ["Dagdelen open", 114, 114, 108.2],
            ["Dagdelen under the minimum", 9, 14, 7.5],
            ["Fill rate", 90.1, 88.0, 91.0],
        ],
        row_kinds=["int", "int", "int", "int", "pct"],
        chart={"type": "bars", "label": 0, "value": 1, "compare": 2, "rows": [0, 2, 3]},
    )
    svg = parse(render_chart(table))

    shown = texts(svg)
    assert "Dagdelen cancelled" not in shown and "Fill rate" not in shown
    assert {"117", "115", "114", "9", "14"} <= set(shown)
    assert len(rects(svg, charts.BAR)) == 1 + 3  # legend + bars


def test_callback_bars_leave_out_the_total_rows():
    table = Table(
        "terugbelverzoeken",
        "Callback requests per team",
        [Column("Team"), Column("Requests", "int"), Column("On time", "pct")],
        [
            ["Team Schulden", 40, 71.1],
            ["Team Wonen", 12, 100.0],
            ["Total", 52, 78.0],
            ["Total, previous period", 50, 70.0],
            ["City", 900, 80.0],
        ],
        chart={"type": "bars", "label": 0, "value": 2, "unit": "pct", "skip_last": 3},
    )
    svg = parse(render_chart(table))

    shown = texts(svg)
    assert {"Team Schulden", "Team Wonen", "71,1%", "100,0%"} <= set(shown)
    assert not {"Total", "City", "78,0%"} & set(shown)


def test_callback_bars_without_teams_draw_nothing():
    table = Table(
        "terugbelverzoeken",
        "Callback requests per team",
        [Column("Team"), Column("Requests", "int"), Column("On time", "pct")],
        [["Total", 0, None], ["Total, previous period", 0, None]],
        chart={"type": "bars", "label": 0, "value": 2, "unit": "pct", "skip_last": 2},
    )
    assert render_chart(table) == ""


# --- heat map -------------------------------------------------------------------------------


def test_heatmap_puts_monday_first_and_the_dagdelen_in_order():
    rows = [
        [day(3), part(2), 3, 1, 3.0, 2.0],
        [day(0), part(1), 10, 2, 5.0, 2.0],
        [day(0), part(0), 2, 2, 1.0, 2.0],
        [day(2), part(0), 0, 0, None, 2.0],
    ]
    svg = parse(render_chart(busy_table(rows)))

    shown = texts(svg)
    assert shown[:3] == ["Ochtend", "Middag", "Avond"]
    day_rows = [t for t in shown if t in {day(0), day(2), day(3)}]
    assert day_rows == [day(0), day(2), day(3)]
    # Monday: ochtend 1,0, middag 5,0, avond not open; Wednesday: not open (None).
    cells = shown[4:7] + shown[8:11] + shown[12:15]
    assert cells == ["1,0", "5,0", "–", "–", "–", "–", "–", "–", "3,0"]
    desc = svg.find(f"{SVG}desc").text
    assert day(0) in desc and "Middag" in desc and "5,0" in desc


def test_heatmap_colours_darker_for_higher_values_with_a_legend():
    rows = [[day(0), part(i), 0, 1, v, 1.0] for i, v in enumerate((0.5, 4.0, 9.5))]
    svg = parse(render_chart(busy_table(rows)))

    cells = [
        r
        for r in svg.iter(f"{SVG}rect")
        if r.find(f"{SVG}title") is not None and r.get("fill") in charts.HEAT
    ]
    lightness = [_luminance(r.get("fill")) for r in cells]
    assert lightness == sorted(lightness, reverse=True) and len(set(lightness)) == 3
    # The legend names the value and its ranges: 0–2, …, 8–10.
    assert "Per open dagdeel:" in texts(svg)
    assert "0–2" in texts(svg) and "8–10" in texts(svg)
    assert "not open" not in texts(svg) and "niet open" not in texts(svg)


def test_heatmap_with_only_zeros_is_drawn_without_error():
    rows = [[day(0), part(0), 0, 3, 0.0, 1.0], [day(1), part(0), 0, 3, 0.0, 1.0]]
    svg = parse(render_chart(busy_table(rows)))
    assert texts(svg).count("0,0") == 2


# --- with a real report ---------------------------------------------------------------------


@pytest.mark.parametrize("scope_kind", ["city", "hub"])
def test_every_chart_of_a_report_renders_and_matches_its_table(figures, scope_kind):
    scope = (
        Scope("city", "Rotterdam", None)
        if scope_kind == "city"
        else Scope("hub", "Alfa", [figures.a.pk], figures.a)
    )
    report = build_report(scope, PERIOD, today=TODAY)

    drawn = 0
    for table in report.tables:
        html = render_chart(table)
        if not table.chart:
            assert html == ""
            continue
        svg = parse(html)
        drawn += 1
        assert svg.find(f"{SVG}title").text == table.title
        spec = table.chart
        if spec["type"] == "bars":
            rows = table.rows[: len(table.rows) - spec.get("skip_last", 0)]
            if not spec.get("group"):
                picked = [rows[i] for i in spec.get("rows", range(len(rows)))][: spec.get("limit")]
                for i, row in enumerate(picked):
                    index = table.rows.index(row)
                    value = format_value(row[spec["value"]], table.kind_at(index, spec["value"]))
                    assert value in texts(svg), (table.id, i, value)
        if spec["type"] == "heatmap":
            for row in table.rows:
                assert format_value(row[spec["value"]], "float") in texts(svg)
    assert drawn == 9  # every table with a chart spec had something to draw
