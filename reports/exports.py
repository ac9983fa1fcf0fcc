"""CSV and Excel downloads of report tables.

The rows are the ``Table`` rows the page shows, written raw: numbers as numbers
(a percentage as 42.5, hours and days as decimals), weeks as the date of their
Monday, and nothing where the page shows "–".
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from audit.models import AuditKind
from audit.services import record

from .period import Period
from .report import Scope, Table

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel number formats per column kind; a percentage stays 42.5, shown as 42.5%.
XLSX_FORMATS = {
    "int": "0",
    "float": "0.0",
    "pct": '0.0"%"',
    "hours": "0.0",
    "days": "0.0",
    "week": "yyyy-mm-dd",
}
MAX_COLUMN_WIDTH = 60


def log_export(request, scope: Scope, table_id: str, fmt: str) -> None:
    """A download of report figures is data access: it goes into the audit log."""
    record(
        AuditKind.EXPORT,
        request=request,
        subject=f"rapport {scope.kind} {scope.name}: {table_id}.{fmt}",
        query=request.GET.urlencode()[:200],
    )


def filename(scope_slug: str, table_id: str, period: Period, fmt: str) -> str:
    return f"rapport-{scope_slug}-{table_id}-{period.slug()}.{fmt}"


def _attachment(response: HttpResponse, name: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# Text that a spreadsheet would run as a formula (a topic named "=HYPERLINK(…)"):
# prefixed with an apostrophe, as OWASP advises against CSV/formula injection.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe_text(value) -> str:
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_value(value):
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return _safe_text(value) if not isinstance(value, (int, float)) else value


def csv_response(table: Table, name: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    writer = csv.writer(response)
    writer.writerow([str(column.label) for column in table.columns])
    for row in table.rows:
        writer.writerow([csv_value(value) for value in row])
    return _attachment(response, name)


def xlsx_value(value):
    if value is None or isinstance(value, (int, float, dt.date)):
        return value
    return _safe_text(value)


def _sheet(workbook: Workbook, table: Table, index: int) -> None:
    sheet = workbook.active if index == 0 else workbook.create_sheet()
    sheet.title = table.id[:31]  # Excel's limit; the ids are short Dutch words
    sheet.append([str(column.label) for column in table.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    widths = [len(str(column.label)) for column in table.columns]
    for r, row in enumerate(table.rows):
        sheet.append([xlsx_value(value) for value in row])
        for c, value in enumerate(row):
            kind = table.kind_at(r, c)
            if kind in XLSX_FORMATS and value is not None:
                sheet.cell(row=r + 2, column=c + 1).number_format = XLSX_FORMATS[kind]
            widths[c] = max(widths[c], 10 if isinstance(value, dt.date) else len(str(value)))
    for c, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(c)].width = min(width + 2, MAX_COLUMN_WIDTH)


def xlsx_response(tables: list[Table], name: str, *, title: str) -> HttpResponse:
    """One sheet per table, named after its id, header row in bold."""
    workbook = Workbook()
    workbook.properties.title = title
    for index, table in enumerate(tables):
        _sheet(workbook, table, index)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _attachment(HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE), name)
