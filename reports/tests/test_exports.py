"""CSV and Excel downloads of report tables: they parse, hold the rows of
``build_report`` and the numbers on the page, and are refused where the page is."""

import csv
import datetime as dt
import io
import logging
import re

import openpyxl
import pytest
from django.urls import reverse

from audit.models import AuditEvent, AuditKind
from reports.report import Scope, build_report
from reports.templatetags.report_tags import format_figure
from reports.tests.test_views import DEFAULT, TODAY, _bigger, _page_queries, fill, frozen

pytestmark = pytest.mark.django_db

QUERY = {"van": "2026-08-17", "tot": "2026-11-15"}  # DEFAULT, as the page's links have it


def _export(client, hub, table, fmt, **params):
    url = reverse("reports:hub_export", args=[hub.slug, table, fmt])
    return client.get(url, params or QUERY)


def _csv_rows(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert not text.startswith("\ufeff")  # no byte order mark
    return list(csv.reader(io.StringIO(text)))


def _as_csv(value) -> str:
    """How a raw report value is written in the CSV."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _workbook(response):
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return openpyxl.load_workbook(io.BytesIO(response.content))


def _page_cells(html: str, table_id: str) -> list[list[str]]:
    body = html.split(f'id="cijfers-{table_id}"', 1)[1].split("</table>", 1)[0]
    body = body.split("<tbody>", 1)[1]
    return [
        [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", cell)).strip() for cell in row]
        for row in (
            re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, re.S)
            for tr in re.findall(r"<tr>(.*?)</tr>", body, re.S)
        )
    ]


@pytest.fixture
def data(hub, other_hub):
    with frozen:
        fill([hub, other_hub], weeks=3, per_week=2)


@frozen
def test_every_table_as_csv_holds_the_report_rows_and_the_page_numbers(
    client, wijkmanager, hub, data
):
    client.force_login(wijkmanager)
    report = build_report(Scope("hub", hub.name, [hub.pk], hub), DEFAULT, today=TODAY)
    html = client.get(reverse("reports:hub", args=[hub.slug]), QUERY).content.decode()
    for table in report.tables:
        response = _export(client, hub, table.id, "csv")
        assert response.status_code == 200
        assert response["Content-Disposition"] == (
            f'attachment; filename="rapport-feijenoord-{table.id}-20260817-20261115.csv"'
        )
        header, *rows = _csv_rows(response)
        assert header == [str(column.label) for column in table.columns]
        assert rows == [[_as_csv(v) for v in row] for row in table.rows], table.id
        # The page shows the same numbers, formatted.
        shown = [
            [format_figure(v, table.kind_at(r, c)) for c, v in enumerate(row)]
            for r, row in enumerate(table.rows)
        ]
        assert _page_cells(html, table.id) == shown, table.id


@frozen
def test_csv_writes_raw_numbers(client, wijkmanager, hub, data):
    client.force_login(wijkmanager)
    _header, *rows = _csv_rows(_export(client, hub, "trend", "csv"))
    by_week = {row[0]: row for row in rows}
    # The three weeks before this one hold 5 questions each at this hub (2 answered,
    # 2 referred, a callback request); the city's average hub as many.
    for monday in ("2026-10-26", "2026-11-02", "2026-11-09"):
        assert by_week[monday][1:] == ["5", "0", "5.0"]
    # No hub was open that week: there is no city average to compare with.
    assert by_week["2026-10-19"][1:] == ["0", "0", ""]
    _header, *rows = _csv_rows(_export(client, hub, "afhandeling", "csv"))
    assert rows[0][1:3] == ["6", "40.0"]  # answered: 6 of 15, a percentage as 40.0


@frozen
def test_excel_has_numbers_dates_and_a_bold_header(client, wijkmanager, hub, data):
    client.force_login(wijkmanager)
    report = build_report(Scope("hub", hub.name, [hub.pk], hub), DEFAULT, today=TODAY)
    response = _export(client, hub, "trend", "xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="rapport-feijenoord-trend-20260817-20261115.xlsx"'
    )
    book = _workbook(response)
    assert book.sheetnames == ["trend"]
    sheet = book["trend"]
    table = report.table("trend")
    assert [c.value for c in sheet[1]] == [str(c.label) for c in table.columns]
    assert all(c.font.bold for c in sheet[1])
    rows = [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert [[row[0].date(), *row[1:]] for row in rows] == table.rows
    assert sheet["A2"].number_format == "yyyy-mm-dd"
    assert sheet.column_dimensions["C"].width > 10


@frozen
def test_everything_as_excel_has_a_sheet_per_table(client, wijkmanager, hub, data):
    client.force_login(wijkmanager)
    report = build_report(Scope("hub", hub.name, [hub.pk], hub), DEFAULT, today=TODAY)
    response = _export(client, hub, "alles", "xlsx")
    book = _workbook(response)
    assert book.sheetnames == [table.id for table in report.tables]
    for table in report.tables:
        sheet = book[table.id]
        assert len(table.id) <= 31
        rows = [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)]
        expected = [[v.date() if isinstance(v, dt.datetime) else v for v in row] for row in rows]
        # An empty text cell reads back as nothing; 20.0 as 20 (equal numbers).
        assert expected == [[None if v == "" else v for v in r] for r in table.rows], table.id
    percentages = book["afhandeling"]
    assert percentages["C2"].value == 40.0
    assert percentages["C2"].number_format == '0.0"%"'


@frozen
def test_city_headline_export_leaves_out_the_city_average_like_the_page(client, coordinator, data):
    client.force_login(coordinator)
    url = reverse("reports:city_export", args=["kerncijfers", "csv"])
    header, *rows = _csv_rows(client.get(url, QUERY))
    assert len(header) == 3
    assert rows[0][1] == "30"  # every question of both hubs: 2 × 3 weeks × 5


@frozen
def test_gebied_export(client, wijkmanager, hub, data):
    client.force_login(wijkmanager)
    url = reverse("reports:gebied_export", args=[hub.gebied.slug, "kerncijfers", "csv"])
    response = client.get(url, QUERY)
    assert response.status_code == 200
    assert f"rapport-{hub.gebied.slug}-kerncijfers-" in response["Content-Disposition"]


@frozen
@pytest.mark.parametrize(
    "table, fmt",
    [("bestaat-niet", "csv"), ("bestaat-niet", "xlsx"), ("alles", "csv"), ("trend", "pdf")],
)
def test_unknown_table_or_format_is_404(client, wijkmanager, hub, table, fmt):
    client.force_login(wijkmanager)
    assert _export(client, hub, table, fmt).status_code == 404


@frozen
def test_export_with_a_bad_period_is_400(client, wijkmanager, hub):
    client.force_login(wijkmanager)
    response = _export(client, hub, "trend", "csv", van="2026-10-01", tot="2026-09-01")
    assert response.status_code == 400


@frozen
def test_exports_are_refused_where_the_page_is(client, cast, hub, other_hub):
    for role in ("host", "wijkraad", "outsider"):
        client.force_login(cast[role])
        assert _export(client, hub, "trend", "csv").status_code == 403, role
    client.force_login(cast["wijkmanager"])
    url = reverse("reports:city_export", args=["trend", "xlsx"])
    assert client.get(url).status_code == 403


@frozen
def test_export_is_logged_for_the_audit_trail(client, wijkmanager, hub, caplog):
    client.force_login(wijkmanager)
    with caplog.at_level(logging.INFO, logger="wijkhubs.audit"):
        _export(client, hub, "trend", "xlsx")
    subject = f"rapport hub {hub.name}: trend.xlsx"
    event = AuditEvent.objects.get(kind=AuditKind.EXPORT)
    assert (event.actor_id, event.actor, event.subject) == (
        wijkmanager.pk,
        "wijkmanager@example.org",
        subject,
    )
    assert any(
        r.getMessage().startswith(f"export wijkmanager@example.org {subject} ")
        for r in caplog.records
    )


@frozen
@pytest.mark.parametrize("table, fmt", [("onderwerpen", "csv"), ("alles", "xlsx")])
def test_export_makes_the_same_queries_at_two_sizes(
    client, coordinator, hub, other_hub, django_assert_num_queries, table, fmt
):
    """The queries of the hub's report page (see test_views) without the last refresh,
    plus the INSERT of the export's audit event."""
    client.force_login(coordinator)
    fill([hub, other_hub], weeks=1, per_week=1)
    _export(client, hub, table, fmt)
    with django_assert_num_queries(_page_queries("reports:hub") - 1 + 1):
        _export(client, hub, table, fmt)
    _bigger(hub, other_hub)
    with django_assert_num_queries(_page_queries("reports:hub") - 1 + 1):
        response = _export(client, hub, table, fmt)
    assert response.status_code == 200


def test_text_that_looks_like_a_formula_is_not_run_by_a_spreadsheet():
    import openpyxl

    from reports.exports import csv_response, xlsx_response
    from reports.report import Column, Table

    table = Table(
        "onderwerpen",
        "Topics",
        [Column("Topic"), Column("Questions", "int")],
        [['=HYPERLINK("http://evil")', 3], ["-2+3", 1], ["Wonen", -4]],
    )
    body = csv_response(table, "x.csv").content.decode()
    assert "'=HYPERLINK" in body and "'-2+3" in body and "Wonen,-4" in body
    sheet = openpyxl.load_workbook(
        io.BytesIO(xlsx_response([table], "x.xlsx", title="t").content)
    ).active
    assert sheet["A2"].value == '\'=HYPERLINK("http://evil")' and sheet["A2"].data_type == "s"
    assert sheet["B4"].value == -4  # numbers stay numbers
