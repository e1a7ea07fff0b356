"""Writing rows to CSV (UTF-8 with a byte-order mark, so Excel opens it right) or XLSX, and
sending them as a download."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from django.http import HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def write_csv(headers: list[str], rows: Iterable[list[str]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def write_xlsx(headers: list[str], rows: Iterable[list[str]], *, sheet_title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    sheet.freeze_panes = "A2"
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = Font(bold=True)
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def write_table(file_name: str, headers: list[str], rows: Iterable[list[str]], title: str) -> bytes:
    if file_name.lower().endswith(".xlsx"):
        return write_xlsx(headers, rows, sheet_title=title)
    return write_csv(headers, rows)


def table_response(
    file_name: str, headers: list[str], rows: Iterable[list[str]], title: str
) -> HttpResponse:
    """The table as a download named `file_name` (XLSX when it ends .xlsx, else CSV). The
    caller writes the export in the audit log, in its own words."""
    data = write_table(file_name, headers, rows, title)
    xlsx = file_name.lower().endswith(".xlsx")
    response = HttpResponse(data, content_type=XLSX if xlsx else "text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response
