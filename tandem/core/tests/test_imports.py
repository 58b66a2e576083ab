"""`core.imports`: headers in either language, cells read exactly (no floats), every row
validated like an API call, errors by Excel row number, and nothing written unless every row
is valid; the template comes from the same columns."""

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook, load_workbook
from rest_framework import serializers

from tandem.core.imports import (
    BOOL,
    CHOICE,
    CREATED,
    DATE,
    DECIMAL,
    INTEGER,
    MONTH,
    UPDATED,
    Column,
    Lookup,
    RowError,
    build_template,
    run_import,
)

pytestmark = pytest.mark.django_db

KINDS = (("bonus", _("Bonus")), ("allowance", _("Allowance")))
COLUMNS = [
    Column("name", _("Name"), example="Sales"),
    Column("amount", _("Amount"), kind=DECIMAL, example="1234.50", help="Yuan"),
    Column("since", _("Start date"), kind=DATE, required=False, example="2026-01-01"),
    Column("month", _("Month"), kind=MONTH, required=False),
    Column("active", _("Active"), kind=BOOL, required=False, example=True),
    Column("kind", _("Kind"), kind=CHOICE, choices=KINDS, required=False, example="bonus"),
    Column("count", _("Count"), kind=INTEGER, required=False, aliases=("人数",)),
]


class RowSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=20)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    since = serializers.DateField(required=False)
    month = serializers.DateField(required=False)
    active = serializers.BooleanField(required=False, default=True)
    kind = serializers.ChoiceField(choices=["bonus", "allowance"], required=False)
    count = serializers.IntegerField(required=False)

    def validate_name(self, value):
        if value == "forbidden":
            raise serializers.ValidationError("Not this name.")
        return value


def xlsx(rows) -> SimpleUploadedFile:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile("rows.xlsx", out.getvalue())


def save_group(row):
    """Creates the group, or refuses a name taken (a rule the service checks at save)."""
    group, created = Group.objects.get_or_create(name=row.data["name"])
    if not created and row.data.get("kind") != "allowance":
        raise ValidationError({"name": "This name is taken."})
    saved.append(row)
    return CREATED if created else UPDATED


saved: list = []


@pytest.fixture(autouse=True)
def _reset():
    saved.clear()
    with translation.override("en"):
        yield


def run(rows, **kwargs):
    kwargs.setdefault("serializer_class", RowSerializer)
    return run_import(xlsx(rows), COLUMNS, save=save_group, **kwargs)


def test_rows_are_read_exactly_and_saved():
    result = run([
        ["Name", "Amount", "Start date", "Month", "Active", "Kind", "Count"],
        ["A", 1234.5, datetime(2026, 3, 1), "2026/9", "否", "Allowance", 3.0],
        ["B", "0.1", "2026-01-02", "2026年10月", "yes", "bonus", None],
    ])
    assert result.ok and (result.created, result.updated, result.rows) == (2, 0, 2)
    first, second = (row.data for row in saved)
    assert first["amount"] == Decimal("1234.50") and first["since"] == date(2026, 3, 1)
    assert first["month"] == date(2026, 9, 1) and first["active"] is False
    assert first["kind"] == "allowance" and first["count"] == 3
    assert saved[0].number == 2 and saved[1].number == 3
    assert second["month"] == date(2026, 10, 1) and "count" not in second
    assert second["active"] is True  # an empty cell leaves the serializer's default
    assert Group.objects.count() == 2


def test_headers_in_chinese_field_names_aliases_and_marks_are_accepted():
    with translation.override("zh-hans"):
        name = str(_("Name"))
    result = run([[f" {name} *", "amount", "人数"], ["A", 1, 2]])
    assert result.ok and saved[0].data == {"name": "A", "amount": Decimal("1.00"),
                                           "count": 2, "active": True}


def test_floats_never_leak_into_money():
    result = run([["Name", "Amount"], ["A", 19.99], ["B", 1e21]])
    assert result.ok is False  # 1e21 has too many digits, as it would through the API
    assert result.errors == [RowError(3, "Amount", "Ensure that there are no more than 14 "
                                                   "digits in total.")]
    assert run([["Name", "Amount"], ["A", 19.99], ["B", "0.305"]]).errors == [
        RowError(3, "Amount", "Ensure that there are no more than 2 decimal places.")]
    assert run([["Name", "Amount"], ["A", 19.99]]).ok
    assert saved[0].raw["amount"] == "19.99" and saved[0].data["amount"] == Decimal("19.99")


def test_errors_name_excel_rows_and_columns_and_nothing_is_written():
    result = run([
        [],  # a blank first line: the headers are on row 2
        ["Name", "Amount", "Start date", "Kind"],
        ["ok", 10],
        ["forbidden", -5],
        [],
        ["C", "abc", "2026-02-30", "gift"],
    ])
    assert not result.ok and Group.objects.count() == 0
    assert result.errors == [
        RowError(4, "Amount", "Ensure this value is greater than or equal to 0."),
        RowError(4, "Name", "Not this name."),
        RowError(6, "Amount", "Enter a number."),
        RowError(6, "Kind", "Choose one of: Bonus, Allowance."),
        RowError(6, "Start date", "Enter a date as YYYY-MM-DD."),
    ]
    assert result.as_dict()["errors"][0] == {"row": 4, "column": "Amount",
                                             "message": "Ensure this value is greater than or "
                                                        "equal to 0."}


def test_a_required_value_missing_is_the_serializers_error():
    result = run([["Name", "Amount"], ["A", None]])
    assert result.errors == [RowError(2, "Amount", "This field is required.")]


def test_an_error_while_saving_rolls_back_every_row():
    Group.objects.create(name="taken")
    result = run([["Name", "Amount"], ["new", 1], ["taken", 2], ["other", 3]])
    assert result.errors == [RowError(3, "Name", "This name is taken.")]
    assert (result.created, result.updated) == (0, 0)
    assert set(Group.objects.values_list("name", flat=True)) == {"taken"}


def test_created_and_updated_are_counted():
    Group.objects.create(name="old")
    result = run([["Name", "Amount", "Kind"], ["old", 1, "allowance"], ["new", 2, "bonus"]])
    assert (result.created, result.updated) == (1, 1)


@pytest.mark.parametrize(("header", "error"), [
    (["Name", "Amount", "Colour"], RowError(1, "Colour",
                                            "Unknown column; use the headers of the template.")),
    (["Name", "Amount", "amount"], RowError(1, "amount", "This column appears twice.")),
    (["Name"], RowError(1, "Amount", "This column is missing.")),
])
def test_header_problems_stop_the_import(header, error):
    result = run([header, ["A", 1]])
    assert result.errors == [error] and result.rows == 0


def test_a_file_that_is_not_a_workbook_is_one_error_without_a_row():
    result = run_import(SimpleUploadedFile("x.xlsx", b"name,amount\n"), COLUMNS,
                        save=save_group, serializer_class=RowSerializer)
    assert [(e.row, e.column) for e in result.errors] == [(None, None)]
    assert "not an Excel workbook" in result.errors[0].message


def test_an_empty_sheet_and_too_many_rows():
    assert run([[None]]).errors[0].message.startswith("The first sheet is empty")
    result = run([["Name", "Amount"], ["A", 1], ["B", 2], ["C", 3]], max_rows=2)
    assert result.errors == [RowError(4, None, "The file has more than 2 rows; split it into "
                                               "smaller files.")]


def test_a_lookup_resolves_the_whole_file_in_one_query(django_assert_num_queries):
    for name in ("g1", "g2"):
        Group.objects.create(name=name)
    columns = [Column("group", _("Group"), lookup=Lookup(Group.objects.all, "name")),
               Column("amount", _("Amount"), kind=DECIMAL)]
    seen = []

    def validate(data):
        if data["amount"] == "0":
            raise ValidationError({"amount": "Not zero."})
        return data

    rows = [["Group", "Amount"], *[["g1" if i % 2 else "g2", i + 1] for i in range(50)]]
    with django_assert_num_queries(1 + 2):  # the lookup, and the transaction's savepoint pair
        result = run_import(xlsx(rows), columns, validate_row=validate,
                            save=lambda row: seen.append(row.data) or CREATED)
    assert result.created == 50 and {d["group"] for d in seen} == set(
        Group.objects.values_list("pk", flat=True))
    result = run_import(xlsx([["Group", "Amount"], ["nope", 0], ["g1", 0]]), columns,
                        validate_row=validate, save=lambda row: CREATED)
    assert result.errors == [RowError(2, "Group", "“nope” was not found."),
                             RowError(3, "Amount", "Not zero.")]


def test_exactly_one_way_of_validating():
    with pytest.raises(TypeError):
        run_import(xlsx([["Name"]]), COLUMNS, save=save_group)


def test_the_template_has_translated_headers_an_example_and_instructions():
    with translation.override("zh-hans"):
        content = build_template(COLUMNS, title="Rows")
    workbook = load_workbook(io.BytesIO(content))
    sheet, notes = workbook.worksheets
    rows = list(sheet.iter_rows(values_only=True))
    with translation.override("zh-hans"):
        assert rows[0][0] == f"{_('Name')} *" and rows[0][2] == str(_("Start date"))
        assert rows[1][5] == str(_("Bonus"))
    assert rows[1][:3] == ("Sales", "1234.50", "2026-01-01")
    assert len(list(notes.iter_rows())) == len(COLUMNS) + 3
    # The template, filled in as given, imports.
    result = run_import(SimpleUploadedFile("t.xlsx", content), COLUMNS, save=save_group,
                        serializer_class=RowSerializer)
    assert result.ok and saved[0].data["kind"] == "bonus"


class GroupRowSerializer(serializers.Serializer):
    group = serializers.PrimaryKeyRelatedField(queryset=Group.objects.all())
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)


def test_one_serializer_validates_every_row_with_the_lookups_objects(
        django_assert_num_queries):
    groups = {name: Group.objects.create(name=name) for name in ("g1", "g2")}
    columns = [Column("group", _("Group"), lookup=Lookup(Group.objects.all, "name")),
               Column("amount", _("Amount"), kind=DECIMAL)]
    prepared = []
    rows = [["Group", "Amount"], *[[f"g{1 + i % 2}", i] for i in range(40)]]
    with django_assert_num_queries(1 + 2):  # the lookup; the transaction's savepoint pair
        result = run_import(xlsx(rows), columns, serializer_class=GroupRowSerializer,
                            prepare=prepared.extend,
                            save=lambda row: saved.append(row) or CREATED)
    assert result.created == 40 and len(prepared) == 40
    assert saved[0].data["group"] == groups["g1"] and saved[1].data["group"] == groups["g2"]
