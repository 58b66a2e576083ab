"""Excel exports: a workbook from headers and rows, returned as a download.

Every export of the project goes through here, so they all behave alike:

- a sheet is a list of `Column`s (header text, already translated, and a kind that gives the
  cell its number format) and the rows, plain values in column order; an optional `total`
  row is written last, in bold;
- money is written as a number (a `Decimal` rounded half-up to the fen), never as text, with
  the format ``#,##0.00``, so Excel and WPS add it up; rates as numbers with a percent format;
  dates as dates;
- text is always text: a name that begins with ``=`` is not turned into a formula (Excel
  formula injection), and control characters Excel refuses are dropped;
- the header row is frozen and filtered, columns get a width from their header and kind;
- `xlsx_response` (and `xlsx_download`, for a workbook written earlier) names the download
  safely, Chinese included (RFC 5987 / RFC 6266:
  ``filename*=utf-8''…`` with an ASCII fallback), and marks it private.

Example::

    columns = [Column(_("Name")), Column(_("Net pay"), MONEY)]
    sheet = Sheet(_("Transfers"), columns, [(p.name, p.net) for p in payslips],
                  total=(_("Total"), total))
    return xlsx_response([sheet], _("bank-transfers-%(month)s.xlsx") % {"month": "2026-09"})

Exports that may take a while run as background jobs (`core.export_jobs`): the builder
returns the sheets, the job writes them with `workbook_bytes` and the download answers with
`xlsx_download`.

The workbook is written in openpyxl's write-only mode (rows are streamed into the file, not
kept as cell objects): tens of thousands of rows stay within a few megabytes of memory.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import quote

from django.http import HttpResponse

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Column kinds and their Excel number formats.
TEXT = "text"
MONEY = "money"
INTEGER = "integer"
DECIMAL = "decimal"  # a quantity with up to two places (days, hours)
RATE = "rate"  # a Decimal fraction (0.03) shown as a percent (3%)
DATE = "date"

FORMATS = {
    TEXT: "@",
    MONEY: "#,##0.00",
    INTEGER: "0",
    DECIMAL: "0.00",
    RATE: "0.##%",
    DATE: "yyyy-mm-dd",
}
WIDTHS = {TEXT: 16, MONEY: 14, INTEGER: 8, DECIMAL: 10, RATE: 9, DATE: 12}
FEN = Decimal("0.01")

# Characters XML 1.0 (and so Excel) does not allow in a cell.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# A sheet title: at most 31 characters, none of []:*?/\ .
_SHEET_TITLE = re.compile(r"[\[\]:*?/\\]")
_UNSAFE_FILENAME = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|]+')


@dataclass(frozen=True)
class Column:
    """A column: its header (translated text) and kind (`TEXT`, `MONEY`, `INTEGER`,
    `DECIMAL`, `RATE`, `DATE`); `width` in characters, else from the header and kind."""

    header: str
    kind: str = TEXT
    width: int | None = None

    def __post_init__(self):
        if self.kind not in FORMATS:
            raise ValueError(f"unknown column kind {self.kind!r}")


@dataclass
class Sheet:
    """A worksheet: `rows` is any iterable of sequences in column order (a generator is
    fine: it is read once); `total`, when given, is written last in bold."""

    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence]
    total: Sequence | None = None


def sheet_title(title: str) -> str:
    """`title` as Excel accepts it: without []:*?/\\ and at most 31 characters."""
    return _SHEET_TITLE.sub(" ", str(title)).strip()[:31] or "Sheet"


def cell_value(value, kind: str):
    """`value` as it is written in a cell of `kind`: money rounded half-up to the fen (a
    Decimal, written as a number), text as text; None stays empty."""
    if value is None or value == "":
        return None
    if kind == MONEY:
        return Decimal(str(value)).quantize(FEN, rounding=ROUND_HALF_UP)
    if kind in (INTEGER,):
        return int(value)
    if kind in (DECIMAL, RATE):
        return Decimal(str(value))
    if kind == DATE:
        if isinstance(value, (date, datetime)):
            return value
        return str(value)
    return _ILLEGAL.sub("", str(value))


def _cell(worksheet, value, kind: str, *, bold: bool = False):
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    cell = WriteOnlyCell(worksheet, value=cell_value(value, kind) if kind else value)
    if isinstance(cell.value, str):
        # Text, never a formula, whatever it begins with.
        cell.data_type = "s"
    elif kind and cell.value is not None:
        cell.number_format = FORMATS[kind]
    if bold:
        cell.font = Font(bold=True)
    return cell


def _write_sheet(workbook, sheet: Sheet) -> None:
    from openpyxl.utils import get_column_letter

    worksheet = workbook.create_sheet(sheet_title(sheet.title))
    columns = list(sheet.columns)
    for index, column in enumerate(columns, start=1):
        width = column.width or max(WIDTHS[column.kind], min(len(column.header) * 2 + 2, 40))
        worksheet.column_dimensions[get_column_letter(index)].width = width
    if columns:
        worksheet.freeze_panes = "A2"
        worksheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}1"
    worksheet.append([_cell(worksheet, column.header, TEXT, bold=True) for column in columns])
    for row in sheet.rows:
        worksheet.append([_cell(worksheet, value, column.kind)
                          for value, column in zip(row, columns, strict=True)])
    if sheet.total is not None:
        worksheet.append([_cell(worksheet, value, column.kind, bold=True)
                          for value, column in zip(sheet.total, columns, strict=True)])


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    """The .xlsx file of `sheets`, in order (at least one)."""
    from openpyxl import Workbook

    if not sheets:
        raise ValueError("a workbook needs at least one sheet")
    workbook = Workbook(write_only=True)
    try:
        for sheet in sheets:
            _write_sheet(workbook, sheet)
    except Exception:
        # Finish the half-written sheets' temporary files before giving up.
        for worksheet in workbook.worksheets:
            worksheet.close()
        raise
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def safe_filename(filename: str, default: str = "export.xlsx") -> str:
    """`filename` without path separators, quotes and control characters (Chinese kept)."""
    cleaned = _UNSAFE_FILENAME.sub("-", str(filename)).strip(" .-")
    return cleaned or default


def attachment_header(filename: str, fallback: str = "") -> str:
    """A Content-Disposition value for downloading `filename` (RFC 6266): ``filename*`` in
    UTF-8 (RFC 5987), which every current browser prefers, and a plain ASCII ``filename``
    for clients that know only that one (`fallback`, else `filename` without its non-ASCII
    characters)."""
    filename = safe_filename(filename)
    if fallback:
        ascii_name = safe_filename(re.sub(r"[^\x20-\x7e]+", "", fallback))
    else:
        stem, dot, extension = filename.rpartition(".")
        if not dot:
            stem, extension = filename, ""
        stem = re.sub(r"[^\x20-\x7e]+", "", stem).strip(" -_.") or "export"
        ascii_name = safe_filename(f"{stem}.{extension}" if extension else stem)
    if filename == ascii_name:
        return f'attachment; filename="{ascii_name}"'
    return (f'attachment; filename="{ascii_name}"; '
            f"filename*=utf-8''{quote(filename, safe='')}")


def xlsx_response(sheets: Sequence[Sheet], filename: str, *,
                  fallback_filename: str = "") -> HttpResponse:
    """The workbook as a download named `filename` (Chinese is fine: see
    `attachment_header`; `fallback_filename` is the ASCII name for old clients). Salary
    exports must not sit in shared caches: the response is private and not stored."""
    return xlsx_download(workbook_bytes(sheets), filename, fallback_filename=fallback_filename)


def xlsx_download(content: bytes, filename: str, *, fallback_filename: str = "") -> HttpResponse:
    """A workbook already written (`workbook_bytes`, an export job's file) as a private
    download named `filename`, like `xlsx_response`."""
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = attachment_header(filename, fallback_filename)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
