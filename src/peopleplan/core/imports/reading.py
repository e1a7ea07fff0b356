"""Reading CSV (UTF-8 with or without a byte-order mark, or Windows-1252) and XLSX files into
rows of text, numbered as a spreadsheet numbers them (the header is row 1)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass


class FileProblem(ValueError):
    """The file as a whole cannot be read: the message says why."""


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list[str]]]  # (row number, cells)


def decode_text(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in Windows-1252 (e.g. a £ sign or an accented name).
        return data.decode("cp1252", errors="replace")


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    return str(value).strip()


def read_csv(data: bytes) -> Table:
    text = decode_text(data)
    if "\x00" in text:
        raise FileProblem("The file is not a CSV or XLSX file.")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        headers = next(reader)
    except StopIteration:
        raise FileProblem("The file is empty.") from None
    except csv.Error as exc:
        raise FileProblem(f"The file cannot be read as CSV: {exc}") from None
    rows = []
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                rows.append((reader.line_num, [cell.strip() for cell in cells]))
    except csv.Error as exc:
        raise FileProblem(f"Row {reader.line_num} cannot be read as CSV: {exc}") from None
    return Table(headers=[h.strip() for h in headers], rows=rows)


def read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise FileProblem(f"The file cannot be read as XLSX: {exc}") from None
    sheet = workbook.worksheets[0]
    rows_iter = sheet.iter_rows(values_only=True)
    try:
        headers = [_cell_text(v) for v in next(rows_iter)]
    except StopIteration:
        raise FileProblem("The first sheet is empty.") from None
    rows = []
    for number, values in enumerate(rows_iter, start=2):
        cells = [_cell_text(v) for v in values]
        if any(cells):
            rows.append((number, cells))
    workbook.close()
    while headers and not headers[-1]:
        headers.pop()
    return Table(headers=headers, rows=rows)


def read_table(data: bytes, file_name: str) -> Table:
    if data.startswith(b"PK\x03\x04") or file_name.lower().endswith((".xlsx", ".xlsm")):
        return read_xlsx(data)
    return read_csv(data)
