"""All-or-nothing Excel imports, shared by every module (data migration, monthly inputs).

An import is described by a list of `Column`s and run with `run_import`::

    COLUMNS = [
        Column("employee", _("Employee number"), lookup=Lookup(Employee.objects.all,
                                                              "employee_number")),
        Column("month", _("Month"), kind=MONTH, example="2026-09"),
        Column("paid_days", _("Paid days"), kind=DECIMAL, example="21.75"),
        Column("note", _("Note"), required=False),
    ]

    result = run_import(request.FILES["file"], COLUMNS,
                        serializer_class=AttendanceSummarySerializer,  # or validate_row=...
                        save=lambda row: ...,                         # CREATED / UPDATED
                        context={"request": request})
    if result.ok: result.created, result.updated
    else: result.errors  # [RowError(row=5, column="Paid days", message="...")]

What happens, in order:

1. The upload is opened with `core.spreadsheets.open_workbook` (size, format and zip-bomb
   checks); a refusal is one error without a row.
2. The first non-empty row of the first sheet holds the headers. A header is recognised by
   the column's label in *every* language of `settings.LANGUAGES` (so a Chinese template
   uploads in an English session and back), by its field name, or by an `aliases` entry;
   case, spaces, a trailing ``*`` (the template marks required columns so) and full-width
   brackets do not matter. An unknown header, a header twice, or a required column missing
   is an error of the file (row = the header row): nothing is read further.
3. Every following non-empty row becomes a dict `{field: value}` for the serializer:
   cells are converted by the column's `kind` (Excel dates and numbers become ISO dates and
   exact decimal strings — never floats; "是/否", "yes/no" become booleans; a choice is
   accepted by its value or its label in any language; a month "2026-09", "2026/9" or
   "2026年9月" becomes "2026-09-01"). Empty cells are left out, so the serializer's defaults
   and `required` apply exactly as in an API call. `Lookup` columns turn a natural key (an
   employee number) into the object's id with ONE query for the whole file.
4. Each row is validated by `serializer_class(data=row, context=context)` (DESIGN.md: a row
   is validated exactly like an API call) or by `validate_row(data) -> validated_data`
   (raising Django's or DRF's ValidationError). Errors name the row as Excel shows it and the
   column by its header in the file.
   One serializer instance validates every row (`run_validation`, what `is_valid` calls), and
   its related fields take the objects a `Lookup` column fetched, so a row costs no query to
   validate unless the serializer's own rules query.
5. `prepare(rows)`, when given, is called first inside the transaction with every valid row:
   the place to fetch at once what `save` needs per row (the records a row may update).
   `finish()`, when given, is called last inside the transaction when every row saved
   without an error: the place to write in bulk what `save` validated and queued.
   `save(row: ImportRow)` is called for every valid row inside ONE transaction; it returns
   `CREATED` or `UPDATED` (the counts of the result). A ValidationError a service raises
   while saving (a duplicate, a rule across rows) is collected with its row number as well.
   If any row has an error (in step 4 or here), the whole transaction is rolled back:
   nothing is written unless everything is, and one upload reports every error at once.

`build_template(columns, ...)` / `template_response(...)` make the downloadable workbook from
the same columns: headers in the user's language (required ones marked ``*``), one example
row, and a second sheet explaining every column.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DatabaseError, transaction
from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.relations import RelatedField

from .spreadsheets import open_workbook

TEXT, DECIMAL, INTEGER, DATE, MONTH, BOOL, CHOICE = (
    "text", "decimal", "integer", "date", "month", "bool", "choice")
CREATED, UPDATED = "created", "updated"
MAX_ROWS = 20_000
TEMPLATE_TEXT_ROWS = 500
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_TRUE = {"1", "true", "yes", "y", "是", "对", "√", "✓", "t"}
_FALSE = {"0", "false", "no", "n", "否", "不", "×", "f", ""}
_MONTH = re.compile(r"^\s*(\d{4})\s*(?:[-/.年]\s*(\d{1,2})\s*月?)\s*(?:[-/.]\s*\d{1,2}\s*日?)?\s*$")


class CellError(Exception):
    """A cell that cannot be read as its column's kind; the message says why."""


@dataclass(frozen=True)
class Lookup:
    """A column that names an object by a natural key: `queryset()` (a callable, evaluated in
    the caller's tenancy scope) filtered on `key__in` the file's values, once per import. The
    row receives the object's `attribute` (its id by default, what a serializer's
    PrimaryKeyRelatedField expects)."""

    queryset: Callable[[], Any]
    key: str
    attribute: str = "pk"

    def resolve(self, values: Iterable[str]) -> dict[str, Any]:
        """Cell text → the object it names (those found)."""
        wanted = {value for value in values if value}
        if not wanted:
            return {}
        objects = self.queryset().filter(**{f"{self.key}__in": wanted})
        return {str(getattr(obj, self.key)): obj for obj in objects}


@dataclass(frozen=True)
class Column:
    """One column of an import: `field` is the serializer's field name, `label` a lazy
    translated header. `kind` says how to read a cell (TEXT, DECIMAL, INTEGER, DATE, MONTH,
    BOOL, CHOICE with `choices` as Django's [(value, lazy label)]). `example` fills the
    template's example row; `help` its explanation sheet."""

    field: str
    label: Any
    kind: str = TEXT
    required: bool = True
    choices: tuple = ()
    lookup: Lookup | None = None
    example: Any = None
    help: Any = ""
    aliases: tuple[str, ...] = ()

    def headers(self) -> set[str]:
        """Every header this column is recognised by, normalised."""
        names = {self.field, *self.aliases}
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                names.add(str(self.label))
        return {normalise_header(name) for name in names}

    def choice_values(self) -> dict[str, str]:
        """Value or label in any language (normalised) → stored value."""
        accepted = {}
        for value, label in self.choices:
            accepted[normalise_header(str(value))] = value
            for code, _name in settings.LANGUAGES:
                with translation.override(code):
                    accepted[normalise_header(str(label))] = value
        return accepted


@dataclass(frozen=True)
class RowError:
    """`row`: the row number Excel shows (None: the file as a whole); `column`: the header as
    written in the file, or None for the row as a whole."""

    row: int | None
    column: str | None
    message: str


@dataclass
class ImportRow:
    """A row that passed validation: what `save` receives."""

    number: int
    data: dict  # validated data (the serializer's validated_data, or validate_row's answer)
    raw: dict  # the input as given to the serializer


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        return {"created": self.created, "updated": self.updated, "rows": self.rows,
                "errors": [{"row": e.row, "column": e.column, "message": e.message}
                           for e in self.errors]}


# --------------------------------------------------------------------------------------------
# Reading


def normalise_header(text: Any) -> str:
    text = unicodedata.normalize("NFKC", str(text or ""))  # full-width brackets, digits
    text = re.sub(r"\s+", "", text).rstrip("*").casefold()
    return text


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return _decimal_text(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if _midnight(value) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _midnight(value: datetime) -> bool:
    return (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0)


def _decimal_text(value: Any) -> str:
    """An exact decimal string: Excel stores numbers as doubles, and the shortest repr of the
    double is what the user typed (1234.5, not 1234.4999999)."""
    if isinstance(value, bool):
        raise CellError(_("Enter a number."))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        number = Decimal(repr(value))
    else:
        text = str(value).strip().replace(",", "").replace("，", "").replace("¥", "")
        percent = text.endswith(("%", "％"))
        try:
            number = Decimal(text.rstrip("%％").strip())
        except InvalidOperation:
            raise CellError(_("Enter a number.")) from None
        if percent and number.is_finite():
            number = number.scaleb(-2)  # "7%" is the fraction 0.07
    if not number.is_finite():
        raise CellError(_("Enter a number."))
    if number.as_tuple().exponent > 0:
        number = number.quantize(Decimal(1))
    return format(number, "f")


def _date_text(value: Any) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    match = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", text)
    if not match:
        raise CellError(_("Enter a date as YYYY-MM-DD."))
    try:
        return date(*(int(part) for part in match.groups())).isoformat()
    except ValueError:
        raise CellError(_("Enter a date as YYYY-MM-DD.")) from None


def _month_text(value: Any) -> str:
    if isinstance(value, datetime | date):
        return date(value.year, value.month, 1).isoformat()
    match = _MONTH.fullmatch(str(value))
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise CellError(_("Enter a month as YYYY-MM."))
    return date(int(match.group(1)), int(match.group(2)), 1).isoformat()


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value).casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError(_("Enter yes or no."))


def _integer(value: Any) -> int:
    text = _decimal_text(value)
    try:
        return int(text)
    except ValueError:
        raise CellError(_("Enter a whole number.")) from None


def read_cell(column: Column, value: Any, choices: dict | None = None) -> Any:
    """The cell as the serializer input of `column`; raises CellError."""
    if column.kind == DECIMAL:
        return _decimal_text(value)
    if column.kind == INTEGER:
        return _integer(value)
    if column.kind == DATE:
        return _date_text(value)
    if column.kind == MONTH:
        return _month_text(value)
    if column.kind == BOOL:
        return _bool(value)
    text = _text(value)
    if column.kind == CHOICE:
        chosen = (choices if choices is not None else column.choice_values()).get(
            normalise_header(text))
        if chosen is None:
            raise CellError(_("Choose one of: %(choices)s.") % {
                "choices": ", ".join(str(label) for _value, label in column.choices)})
        return chosen
    return text


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --------------------------------------------------------------------------------------------
# Running


def _messages(error) -> dict[str | None, list[str]]:
    """field (None: the row) → messages, from Django's or DRF's ValidationError."""
    if isinstance(error, DRFValidationError):
        detail = error.detail
    elif hasattr(error, "message_dict"):
        detail = error.message_dict
    else:
        detail = {None: error.messages}
    if not isinstance(detail, dict):
        detail = {None: detail}
    flat: dict[str | None, list[str]] = {}
    for name, messages in detail.items():
        key = None if name in ("non_field_errors", "__all__", None) else name
        flat.setdefault(key, []).extend(_flatten(messages))
    return flat


def _flatten(messages) -> list[str]:
    if isinstance(messages, dict):
        return [f"{name}: {text}" for name, inner in messages.items()
                for text in _flatten(inner)]
    if isinstance(messages, list | tuple):
        return [text for inner in messages for text in _flatten(inner)]
    return [str(messages)]


class _Sheet:
    """The header row's positions, the rows under it, and the columns they map to."""

    def __init__(self, workbook, columns: list[Column], max_rows: int):
        self.columns = columns
        self.errors: list[RowError] = []
        self.header_row = 0
        self.positions: dict[int, Column] = {}
        self.headers: dict[str, str] = {}  # field → header as written in the file
        self.rows: list[tuple[int, tuple]] = []
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        rows = sheet.iter_rows(values_only=True) if sheet is not None else iter(())
        for number, values in enumerate(rows, start=1):
            if all(_empty(value) for value in values):
                continue
            if not self.header_row:
                self.header_row = number
                self._map_headers(values)
                if self.errors:
                    return
                continue
            if len(self.rows) >= max_rows:
                self.errors.append(RowError(number, None, _(
                    "The file has more than %(max)s rows; split it into smaller files.")
                    % {"max": max_rows}))
                return
            self.rows.append((number, values))
        if not self.header_row:
            self.errors.append(RowError(None, None, _(
                "The first sheet is empty: download the template and fill it in.")))

    def _map_headers(self, values) -> None:
        by_header = {name: column for column in self.columns for name in column.headers()}
        for position, value in enumerate(values):
            if _empty(value):
                continue
            column = by_header.get(normalise_header(value))
            if column is None:
                self.errors.append(RowError(self.header_row, str(value), _(
                    "Unknown column; use the headers of the template.")))
            elif column.field in self.headers:
                self.errors.append(RowError(self.header_row, str(value), _(
                    "This column appears twice.")))
            else:
                self.positions[position] = column
                self.headers[column.field] = str(value).strip()
        for column in self.columns:
            if column.required and column.field not in self.headers:
                self.errors.append(RowError(self.header_row, str(column.label), _(
                    "This column is missing.")))


def run_import(upload, columns: list[Column], *, save: Callable[[ImportRow], str],
               serializer_class=None, validate_row: Callable[[dict], dict] | None = None,
               context: dict | None = None, prepare: Callable[[list[ImportRow]], Any] = None,
               finish: Callable[[], Any] = None, max_rows: int = MAX_ROWS) -> ImportResult:
    """Reads, validates and (only when every row is valid) saves the rows of `upload` in one
    transaction. See the module's docstring."""
    if (serializer_class is None) == (validate_row is None):
        raise TypeError("Give exactly one of serializer_class and validate_row.")
    try:
        workbook = open_workbook(upload)
    except DjangoValidationError as error:
        return ImportResult(errors=[RowError(None, None, message) for message in error.messages])
    try:
        sheet = _Sheet(workbook, list(columns), max_rows)
    finally:
        workbook.close()
    result = ImportResult(rows=len(sheet.rows), errors=sheet.errors)
    if not result.ok:
        return result
    objects: dict[str, dict] = {}
    inputs = _inputs(sheet, result.errors, objects)
    if serializer_class is not None:
        validate_row = _serializer_validation(serializer_class, context or {}, objects)
    valid = _validate(inputs, sheet, validate_row, result.errors)
    # The valid rows are saved even when others failed, so that the services' own checks
    # report in the same pass; any error then rolls the whole transaction back.
    _save_all(valid, sheet, save, result, prepare, finish)
    result.errors.sort(key=lambda e: (e.row or 0, e.column or ""))
    return result


def _inputs(sheet: _Sheet, errors: list[RowError], objects: dict
            ) -> list[tuple[int, dict, set]]:
    """(row number, serializer input, fields that failed to read) for every row; `objects`
    receives, per lookup column, the objects found by the value the row carries."""
    choices = {c.field: c.choice_values() for c in sheet.columns if c.kind == CHOICE}
    inputs = []
    for number, values in sheet.rows:
        data, failed = {}, set()
        for position, column in sheet.positions.items():
            value = values[position] if position < len(values) else None
            if _empty(value):
                continue
            try:
                data[column.field] = read_cell(column, value, choices.get(column.field))
            except CellError as error:
                errors.append(RowError(number, sheet.headers[column.field], str(error)))
                failed.add(column.field)
        inputs.append((number, data, failed))
    for column in sheet.columns:
        if column.lookup is not None and column.field in sheet.headers:
            _resolve(column, inputs, sheet.headers[column.field], errors, objects)
    return inputs


def _resolve(column: Column, inputs, header: str, errors: list[RowError],
             objects: dict) -> None:
    found = column.lookup.resolve(str(data[column.field]) for _n, data, _f in inputs
                                  if column.field in data)
    attribute = column.lookup.attribute
    objects[column.field] = {getattr(obj, attribute): obj for obj in found.values()}
    for number, data, failed in inputs:
        if column.field not in data:
            continue
        key = str(data[column.field])
        if key in found:
            data[column.field] = getattr(found[key], attribute)
        else:
            errors.append(RowError(number, header, _("“%(value)s” was not found.")
                                   % {"value": key}))
            failed.add(column.field)


def _serializer_validation(serializer_class, context: dict, objects: dict):
    """Validation by ONE serializer instance for every row (its fields are built once: most of
    a serializer's cost), exactly as `is_valid` runs it. Its related fields that a lookup
    column filled take the objects the lookup already fetched instead of a query per row."""
    serializer = serializer_class(context=context)
    for name, found in objects.items():
        field = serializer.fields.get(name)
        if isinstance(field, RelatedField) and found:
            field.to_internal_value = _known(found, field.to_internal_value)

    def validate(data: dict) -> dict:
        return serializer.run_validation(data)

    return validate


def _known(found: dict, fallback):
    def to_internal_value(data):
        obj = found.get(data)
        return obj if obj is not None else fallback(data)

    return to_internal_value


def _validate(inputs, sheet: _Sheet, validate_row, errors: list[RowError]) -> list[ImportRow]:
    valid = []
    for number, data, failed in inputs:
        if failed:
            continue  # the row's cells already have their errors
        try:
            validated = validate_row(dict(data))
        except (DjangoValidationError, DRFValidationError) as error:
            _collect(error, number, sheet, errors)
            continue
        except ObjectDoesNotExist:
            errors.append(RowError(number, None, _("A record this row names was not found.")))
            continue
        valid.append(ImportRow(number=number, data=validated, raw=data))
    return valid


def _collect(error, number: int | None, sheet: _Sheet, errors: list[RowError]) -> None:
    for name, messages in _messages(error).items():
        header = sheet.headers.get(name) if name else None
        if name and header is None:
            header = next((str(c.label) for c in sheet.columns if c.field == name), name)
        errors.extend(RowError(number, header, message) for message in messages)


class _RollBack(Exception):
    pass


def _save_all(rows: list[ImportRow], sheet: _Sheet, save, result: ImportResult,
              prepare, finish) -> None:
    counts = {CREATED: 0, UPDATED: 0}
    try:
        with transaction.atomic():
            if prepare is not None:
                prepare(rows)
            for row in rows:
                try:
                    outcome = save(row)
                except (DjangoValidationError, DRFValidationError) as error:
                    _collect(error, row.number, sheet, result.errors)
                    continue
                except DatabaseError:
                    # The transaction is broken (PostgreSQL): stop here, roll everything back.
                    result.errors.append(RowError(row.number, None, _(
                        "This row conflicts with data saved meanwhile; nothing was imported. "
                        "Try again.")))
                    raise _RollBack from None
                counts[CREATED if outcome != UPDATED else UPDATED] += 1
            if result.errors:
                raise _RollBack
            if finish is not None:
                try:
                    finish()
                except (DjangoValidationError, DRFValidationError) as error:
                    _collect(error, None, sheet, result.errors)
                    raise _RollBack from None
    except _RollBack:
        return
    result.created, result.updated = counts[CREATED], counts[UPDATED]


# --------------------------------------------------------------------------------------------
# Templates


def _example_cell(column: Column) -> Any:
    example = column.example
    if example is None:
        return None
    if column.kind == CHOICE:
        labels = dict(column.choices)
        return str(labels.get(example, example))
    if column.kind == BOOL and isinstance(example, bool):
        return _("yes") if example else _("no")
    return str(example) if not isinstance(example, int | Decimal) else example


def _kind_help(column: Column) -> str:
    if column.kind == CHOICE:
        return _("One of: %(choices)s.") % {
            "choices": ", ".join(str(label) for _value, label in column.choices)}
    return {
        DECIMAL: _("A number, e.g. 1234.50."),
        INTEGER: _("A whole number."),
        DATE: _("A date, YYYY-MM-DD."),
        MONTH: _("A month, YYYY-MM."),
        BOOL: _("yes or no."),
    }.get(column.kind, "")


def build_template(columns: list[Column], *, title: str = "", examples: list[dict] | None = None
                   ) -> bytes:
    """The import template as .xlsx bytes, in the active language: the header row (required
    columns marked *), example rows (`examples`: {field: cell}; default the columns'
    examples) and an explanation sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = (title or _("Import"))[:31]
    sheet.append([f"{column.label} *" if column.required else str(column.label)
                  for column in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for example in examples or [{}]:
        row = [example.get(column.field, _example_cell(column)) for column in columns]
        if any(value is not None for value in row):
            sheet.append(row)
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = max(
            12, len(str(column.label)) * 2 + 4)
        if column.kind == TEXT:
            # Text cells, so that Excel keeps long digit strings (bank accounts, employee
            # numbers with leading zeros) as typed instead of turning them into numbers.
            for row in range(2, TEMPLATE_TEXT_ROWS + 2):
                sheet.cell(row, index).number_format = "@"
    notes = workbook.create_sheet(_("Instructions")[:31])
    notes.append([_("Column"), _("Required"), _("Format"), _("Explanation")])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for column in columns:
        notes.append([str(column.label), _("yes") if column.required else _("no"),
                      _kind_help(column), str(column.help)])
    notes.append([])
    notes.append([_("Fill in the first sheet from its second row (replace the example). The "
                    "whole file is imported or, if any row has an error, nothing is.")])
    notes.column_dimensions["A"].width = 24
    notes.column_dimensions["C"].width = 36
    notes.column_dimensions["D"].width = 60
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_response(columns: list[Column], filename: str, **kwargs) -> HttpResponse:
    """`build_template` as a download named `filename` (.xlsx)."""
    response = HttpResponse(build_template(columns, **kwargs), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
