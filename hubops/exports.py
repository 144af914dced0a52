"""Safe spreadsheet exports: the one way the hub writes CSV and XLSX.

A value a person typed (a name, a school, a note) can begin with ``=``, ``+``, ``-`` or ``@``;
a spreadsheet opening the file would run it as a formula (``=HYPERLINK(...)`` leaking data to
another site). :func:`safe_cell` writes such text as text, with a leading apostrophe, as the
OWASP guidance on CSV injection advises; tabs and carriage returns at the start are treated
the same. CSVs begin with a UTF-8 byte-order mark so that Excel reads "Zoë Ó Dálaigh" right.
In XLSX, dates and times are real dates (with a date format), numbers are numbers, and no cell
is ever a formula.

Every export uses these: the apps' own (participation returns, key contacts, the complaints
log, the data-request log) and the admin's import-export formats (``hubops.resources``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

DANGEROUS_FIRST = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_text(value: str) -> str:
    """Text a spreadsheet will show, never run: a leading ``'`` when it could be a formula."""
    if value.startswith(DANGEROUS_FIRST):
        return "'" + value
    return value


def safe_cell(value: Any) -> Any:
    """One cell's value, safe for CSV and XLSX: text that could start a formula is prefixed
    with ``'``; None becomes empty; numbers, booleans and dates are kept as they are."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float | Decimal | dt.date | dt.time):
        return value
    return safe_text(str(value))


def _csv_value(value: Any) -> Any:
    value = safe_cell(value)
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value.tzinfo else value
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def csv_text(rows: Iterable[Sequence[Any]], header: Sequence[str] | None = None) -> str:
    """CSV text with a byte-order mark; every cell through :func:`safe_cell`."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer)
    if header is not None:
        writer.writerow([_csv_value(h) for h in header])
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
    return buffer.getvalue()


def csv_bytes(rows: Iterable[Sequence[Any]], header: Sequence[str] | None = None) -> bytes:
    return csv_text(rows, header).encode("utf-8")


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def csv_response(
    rows: Iterable[Sequence[Any]], filename: str, header: Sequence[str] | None = None
) -> HttpResponse:
    """A CSV download: UTF-8 with a byte-order mark, formulas neutralised."""
    return _attachment(csv_bytes(rows, header), CSV_TYPE, filename)


def xlsx_bytes(
    rows: Iterable[Sequence[Any]],
    header: Sequence[str] | None = None,
    *,
    title: str = "Sheet1",
) -> bytes:
    """An XLSX workbook with one sheet: dates as dates, numbers as numbers, text as text
    (never a formula)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])

    def cell(value: Any) -> WriteOnlyCell:
        value = safe_cell(value)
        if isinstance(value, dt.datetime):
            if value.tzinfo is not None:  # Excel has no time zones: local time, as shown
                value = timezone.localtime(value).replace(tzinfo=None)
            out = WriteOnlyCell(sheet, value=value)
            out.number_format = "yyyy-mm-dd hh:mm"
            return out
        if isinstance(value, dt.date):
            out = WriteOnlyCell(sheet, value=value)
            out.number_format = "yyyy-mm-dd"
            return out
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters XLSX refuses
        out = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            out.data_type = "s"  # belt and braces: text, whatever it looks like
        return out

    if header is not None:
        sheet.append([cell(h) for h in header])
    for row in rows:
        sheet.append([cell(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(
    rows: Iterable[Sequence[Any]],
    filename: str,
    header: Sequence[str] | None = None,
    *,
    title: str = "Sheet1",
) -> HttpResponse:
    return _attachment(xlsx_bytes(rows, header, title=title), XLSX_TYPE, filename)
