"""The Excel imports of the Pay data (`core.imports`): salary profiles, deduction
declarations, attendance summaries, one-off pay items and year-to-date openings. A row is
validated by the API's serializer, then written by the same service an API call uses; an
employee is named by their employee number. Re-importing a row updates the record it names
(an employee's profile from a date, summary of a month, opening of a year, declaration of a
category, dependant and first month) instead of adding a second one; pay items are always
added. Each `import_*` function is all-or-nothing and returns a `core.imports.ImportResult`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
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
    ImportResult,
    Lookup,
    run_import,
)
from tandem.org.models import Employee

from . import services_deductions, services_payroll, services_records
from .api.serializers_payroll import PayItemSerializer
from .api.serializers_records import (
    AttendanceSummarySerializer,
    DeductionDeclarationSerializer,
    EmployeeField,
    SalaryProfileSerializer,
    StrictFieldsMixin,
)
from .models import (
    AnnualBonusMethod,
    AttendanceSummary,
    City,
    DeductionCategory,
    DeductionDeclaration,
    PayItemSource,
    PayItemType,
    SalaryProfile,
    YearToDateOpening,
)


class CityLookup(Lookup):
    """A city by its code, Chinese or English name ("shanghai", "上海", "Shanghai"): the
    cities are a short reference table, read whole once."""

    def resolve(self, values):
        names = {}
        for city in City.objects.all():
            for key in (city.code, city.name, city.name_en):
                if key:
                    names[key.casefold()] = city
        return {value: names[value.casefold()] for value in values
                if value and value.casefold() in names}


def _employee_column() -> Column:
    return Column("employee", _("Employee number"),
                  lookup=Lookup(Employee.objects.all, "employee_number"), example="E0001",
                  help=_("The employee number as in People."))


def profile_columns() -> list[Column]:
    return [
        _employee_column(),
        Column("effective_from", _("Effective from"), kind=DATE, example="2026-01-01",
               help=_("The new terms apply from this date; the same employee and date again "
                      "corrects that profile.")),
        Column("base_monthly_wage", _("Base monthly wage"), kind=DECIMAL, example="20000.00"),
        Column("city", _("Social insurance city"),
               lookup=CityLookup(City.objects.all, "code"), example="上海"),
        Column("insurance_base", _("Social insurance base"), kind=DECIMAL, example="20000.00"),
        Column("housing_fund_base", _("Housing fund base"), kind=DECIMAL, required=False,
               help=_("Empty: the same as the social insurance base.")),
        Column("housing_fund_rate", _("Housing fund rate"), kind=DECIMAL, example="7%",
               help=_("A percentage (7%) or a fraction (0.07).")),
        Column("supplementary_housing_fund_rate", _("Supplementary housing fund rate"),
               kind=DECIMAL, required=False),
        Column("housing_fund_transferred", _("Housing fund account transferred in"),
               kind=BOOL, required=False, example=False),
        Column("first_wage_income_of_year", _("First wage income of the year"), kind=BOOL,
               required=False, example=False),
        Column("bank_name", _("Bank"), required=False, example="招商银行"),
        Column("bank_account", _("Bank account"), required=False,
               example="6225880112345678", help=_("8 to 30 digits; keep the cell as text.")),
        Column("note", _("Note"), required=False),
    ]


DECLARABLE = tuple((value, label) for value, label in DeductionCategory.choices
                   if value != DeductionCategory.SERIOUS_ILLNESS)


def declaration_columns() -> list[Column]:
    return [
        _employee_column(),
        Column("category", _("Category"), kind=CHOICE, choices=DECLARABLE,
               example=DeductionCategory.CHILDREN_EDUCATION),
        Column("variant", _("Variant"), required=False,
               help=_("Rent: tier-1, tier-2 or tier-3; continuing education: degree or "
                      "certificate; otherwise empty.")),
        Column("share", _("Share"), kind=DECIMAL, required=False, example="0.5",
               help=_("The part of the standard amount taken: 1, or 0.5 for a 50/50 split.")),
        Column("monthly_amount", _("Fixed monthly amount"), kind=DECIMAL, required=False,
               help=_("Elderly support shared by siblings only.")),
        Column("dependant", _("Child, parent or course"), required=False, example="林小雨"),
        Column("from_month", _("From month"), kind=MONTH, example="2026-01"),
        Column("to_month", _("To month"), kind=MONTH, required=False,
               help=_("Empty while it lasts.")),
    ]


def attendance_columns(month=None) -> list[Column]:
    return [
        _employee_column(),
        Column("month", _("Month"), kind=MONTH,
               example=month.strftime("%Y-%m") if month else "2026-10"),
        Column("paid_days", _("Paid days"), kind=DECIMAL, example="21.75",
               help=_("At most 21.75 for a full month.")),
        Column("absence_days", _("Absence days"), kind=DECIMAL, required=False, example="0"),
        Column("unpaid_leave_days", _("Unpaid leave days"), kind=DECIMAL, required=False,
               example="0"),
        Column("overtime_workday_hours", _("Overtime hours on workdays"), kind=DECIMAL,
               required=False, example="4"),
        Column("overtime_rest_day_hours", _("Overtime hours on rest days"), kind=DECIMAL,
               required=False),
        Column("overtime_holiday_hours", _("Overtime hours on statutory holidays"),
               kind=DECIMAL, required=False),
        Column("note", _("Note"), required=False),
    ]


def pay_item_columns(month=None) -> list[Column]:
    return [
        _employee_column(),
        Column("month", _("Month"), kind=MONTH,
               example=month.strftime("%Y-%m") if month else "2026-11"),
        Column("kind", _("Kind"), kind=CHOICE, choices=tuple(PayItemType.choices),
               example=PayItemType.REGULAR_BONUS),
        Column("name", _("Name"), example="季度奖"),
        Column("amount", _("Amount"), kind=DECIMAL, example="1000.00",
               help=_("Positive; only a correction may be negative.")),
        Column("taxable", _("Taxable"), kind=BOOL, required=False, example=True),
        Column("annual_bonus_method", _("Annual bonus method"), kind=CHOICE,
               choices=tuple(AnnualBonusMethod.choices), required=False,
               help=_("Annual one-time bonus only; empty: whichever is cheaper.")),
        Column("adjusts_month", _("Corrects month"), kind=MONTH, required=False,
               help=_("A correction only: the earlier month it corrects.")),
        Column("note", _("Note"), required=False),
    ]


def opening_columns(year=None) -> list[Column]:
    money = [
        ("income", _("Income to date"), True, "120000.00"),
        ("tax_free_income", _("Tax-free income to date"), False, "0"),
        ("special_deductions", _("Special deductions to date"), False, "18000.00"),
        ("special_additional_deductions", _("Special additional deductions to date"), False,
         "6000.00"),
        ("other_deductions", _("Other deductions to date"), False, "0"),
        ("withheld", _("Tax withheld to date"), False, "1980.00"),
    ]
    return [
        _employee_column(),
        Column("year", _("Tax year"), kind=INTEGER, example=year or 2026),
        Column("through_month", _("Through month"), kind=INTEGER, example=6,
               help=_("The last month the previous system paid (1–12).")),
        *[Column(name, label, kind=DECIMAL, required=required, example=example)
          for name, label, required, example in money],
        Column("annual_bonus_separate_used", _("Annual bonus already taxed separately this year"),
               kind=BOOL, required=False, example=False),
    ]


class OpeningRowSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    """A year-to-date opening as the import reads it (there is no API resource for them)."""

    employee = EmployeeField()

    class Meta:
        model = YearToDateOpening
        validators: list = []  # one per employee and year: a second row updates it
        fields = ["employee", "year", "through_month", "income", "tax_free_income",
                  "special_deductions", "special_additional_deductions", "other_deductions",
                  "withheld", "annual_bonus_separate_used"]


# --------------------------------------------------------------------------------------------
# Running the imports


@dataclass
class _Importer:
    company: Any
    by: Any
    request: Any = None

    @property
    def context(self) -> dict:
        return {"request": self.request} if self.request is not None else {}


class _Existing:
    """The records an import may update, fetched once for the whole file (`prepare`) and
    kept current as rows are saved, so that a second row for the same key updates the
    record the first one created."""

    def __init__(self, model, key):
        self.model, self.key, self.records = model, key, {}

    def prepare(self, rows) -> None:
        employees = {row.data["employee"].pk: row.data["employee"] for row in rows}
        for record in self.model.objects.filter(employee_id__in=list(employees)):
            record.employee = employees[record.employee_id]  # the rows' own: no query each
            self.records[self.key(record.employee_id, record)] = record

    def get(self, employee, data):
        return self.records.get(self.key(employee.pk, data))

    def add(self, record) -> None:
        self.records[self.key(record.employee_id, record)] = record

    def taken(self, record) -> bool:
        """Whether another record has `record`'s key: the services' duplicate check, answered
        from the records read once."""
        other = self.records.get(self.key(record.employee_id, record))
        return other is not None and other is not record


def _field(name):
    return lambda record: record[name] if isinstance(record, dict) else getattr(record, name)


def _key(*names):
    getters = [_field(name) for name in names]
    return lambda employee_id, record: (employee_id, *(get(record) for get in getters))


def import_salary_profiles(upload, *, company, by, request=None) -> ImportResult:
    """Checked by the salary-profile services' rules against the city policies read once for
    the file (`services_records.ProfileBatch`), written in bulk at the end."""
    existing = _Existing(SalaryProfile, _key("effective_from"))
    batch = services_records.ProfileBatch(company=company, by=by, taken=existing.taken)

    def save(row):
        data = dict(row.data)
        employee = data.pop("employee")
        data.pop("items", None)  # no column: the fixed items are kept as they are
        profile = existing.get(employee, data)
        if profile is None:
            existing.add(batch.add(employee=employee, **data))
            return CREATED
        batch.update(profile, **data)
        return UPDATED

    return run_import(upload, profile_columns(), serializer_class=SalaryProfileSerializer,
                      context=_Importer(company, by, request).context, save=save,
                      prepare=existing.prepare, finish=batch.flush)


def _dependant(record):
    return record.get("dependant", "") if isinstance(record, dict) else record.dependant


def import_declarations(upload, *, company, by, request=None) -> ImportResult:
    category, from_month = _field("category"), _field("from_month")
    existing = _Existing(DeductionDeclaration, lambda employee_id, record: (
        employee_id, category(record), from_month(record), _dependant(record)))

    def save(row):
        data = dict(row.data)
        employee = data.pop("employee")
        declaration = existing.get(employee, data)
        if declaration is None:
            existing.add(services_deductions.create_declaration(
                company=company, employee=employee, by=by, **data))
            return CREATED
        services_deductions.update_declaration(declaration=declaration, by=by, **data)
        return UPDATED

    return run_import(upload, declaration_columns(),
                      serializer_class=DeductionDeclarationSerializer,
                      context=_Importer(company, by, request).context, save=save,
                      prepare=existing.prepare)


def import_attendance(upload, *, company, by, request=None) -> ImportResult:
    """Checked by the attendance services' rules, written in bulk at the end
    (`services_records.AttendanceBatch`)."""
    existing = _Existing(AttendanceSummary, _key("month"))
    batch = services_records.AttendanceBatch(company=company, by=by, taken=existing.taken)

    def save(row):
        data = dict(row.data)
        employee = data.pop("employee")
        summary = existing.get(employee, data)
        month = data.pop("month")
        if summary is None:
            existing.add(batch.add(employee=employee, month=month, **data))
            return CREATED
        batch.update(summary, **data)
        return UPDATED

    return run_import(upload, attendance_columns(),
                      serializer_class=AttendanceSummarySerializer,
                      context=_Importer(company, by, request).context, save=save,
                      prepare=existing.prepare, finish=batch.flush)


def import_pay_items(upload, *, company, by, request=None) -> ImportResult:
    """Checked by `services_payroll.create_pay_item`'s rules, written in bulk at the end."""
    batch = services_records.PayItemBatch(company=company, by=by)

    def save(row):
        data = dict(row.data)
        employee = data.pop("employee")
        data["source"] = PayItemSource.IMPORT
        try:
            batch.add(employee=employee, **data)
        except services_payroll.RunLocked as locked:
            raise ValidationError({"month": locked.message}) from locked
        return CREATED

    return run_import(upload, pay_item_columns(), serializer_class=PayItemSerializer,
                      context=_Importer(company, by, request).context, save=save,
                      finish=batch.flush)


def import_openings(upload, *, company, by, request=None) -> ImportResult:
    """Checked by `services_payroll.import_year_to_date_openings`'s rules, written in bulk at
    the end (`services_records.OpeningBatch`)."""
    existing = _Existing(YearToDateOpening, _key("year"))
    batch = services_records.OpeningBatch(company=company, by=by)

    def save(row):
        data = dict(row.data)
        employee = data.pop("employee")
        known = existing.get(employee, data)
        try:
            if known is None:
                existing.add(batch.add(employee=employee, **data))
                return CREATED
            data.pop("year")
            batch.update(known, **data)
        except services_payroll.RunLocked as locked:
            raise ValidationError({"year": locked.message}) from locked
        return UPDATED

    return run_import(upload, opening_columns(), serializer_class=OpeningRowSerializer,
                      context=_Importer(company, by, request).context, save=save,
                      prepare=existing.prepare, finish=batch.flush)


# name → (columns factory, import function, template file name)
IMPORTS = {
    "salary-profiles": (profile_columns, import_salary_profiles, "salary-profiles.xlsx"),
    "deductions": (declaration_columns, import_declarations, "deduction-declarations.xlsx"),
    "attendance": (attendance_columns, import_attendance, "attendance-summaries.xlsx"),
    "pay-items": (pay_item_columns, import_pay_items, "pay-items.xlsx"),
    "openings": (opening_columns, import_openings, "year-to-date-openings.xlsx"),
}
