"""Writes of the Pay data an employee's pay rests on: salary profiles (with their fixed pay
items) and attendance summaries; declarations are in `services_deductions`, the reference data
and the company's work-injury rates in `services_reference`. Each validates,
raising `ValidationError` with messages by field, and writes in one transaction. Updates of
versioned rows claim the version first (core.versioning): an edit that started from an older
version raises `EditConflict` and writes nothing.

Some findings are warnings, not errors: a contribution base outside the city's band is stored
as declared and clamped when payroll calculates; a wage below the minimum may be a part-month
or a part-time arrangement. `salary_profile_warnings` and `attendance_warnings` say them."""

from __future__ import annotations

import calendar
import re
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tandem.core.models import Company
from tandem.core.versioning import claim_version

from . import rules_records  # noqa: F401 (registers the permissions)
from .models import (
    AttendanceSummary,
    FixedPayItem,
    PayItemKind,
    SalaryProfile,
)
from .selectors import minimum_wages_in_force, policy_in_force

# Labour Law art. 41: overtime at most 36 hours a month.
MONTHLY_OVERTIME_LIMIT = Decimal(36)
_ACCOUNT = re.compile(r"[0-9]{8,30}")


def _attribute(instance, by) -> None:
    """Name the user in the change history even outside a web request (token API, imports)."""
    instance._history_user = by if by is not None and by.is_authenticated else None


def _same_company(company: Company, **objects) -> None:
    for name, obj in objects.items():
        if obj is not None and obj.company_id != company.pk:
            raise ValidationError({name: _("Choose one of your company's records.")})


def _full_clean(instance, exclude=()) -> None:
    instance.full_clean(exclude=["company", *exclude], validate_unique=False,
                        validate_constraints=False)


def _apply_changes(instance, changes: dict, allowed: set) -> None:
    """Sets `changes` on `instance`, refusing fields an update may not change."""
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError({name: _("This field cannot be changed.") for name in unknown})
    for name, value in changes.items():
        setattr(instance, name, value)


def _first_of_month(value: date | None, field: str, errors: dict) -> None:
    if value is not None and value.day != 1:
        errors.setdefault(field, []).append(_("Give the first day of the month."))



# ---------------------------------------------------------------------------------------------
# Salary profiles


SALARY_FIELDS = ("base_monthly_wage", "city", "insurance_base", "housing_fund_base",
                 "housing_fund_rate", "supplementary_housing_fund_rate",
                 "housing_fund_transferred", "first_wage_income_of_year", "bank_name",
                 "bank_account", "note")


class ProfileChecks:
    """What `_validate_profile` reads besides the profile itself: the city's policy in force
    on the start date and whether the employee has another profile from that date. This one
    asks the database at every call (the single-row services); an import passes one that read
    everything once for the whole file (`services_records.ProfileBatch`). `trusted`: foreign
    keys already resolved from rows just read, so `full_clean` need not look them up again."""

    trusted: tuple[str, ...] = ()

    def policy(self, city_id: int, on: date):
        return policy_in_force(city_id, on)

    def taken(self, profile: SalaryProfile) -> bool:
        return SalaryProfile.objects.filter(
            employee=profile.employee, effective_from=profile.effective_from,
        ).exclude(pk=profile.pk).exists()


def _validate_profile(profile: SalaryProfile, items: list[dict] | None,
                      checks: ProfileChecks | None = None) -> None:
    checks = checks or ProfileChecks()
    errors: dict[str, list[str]] = {}
    try:
        _full_clean(profile, exclude=["employee", *checks.trusted])
    except ValidationError as error:
        errors.update(error.message_dict)
    employee = profile.employee
    if profile.effective_from and employee.hire_date and profile.effective_from < (
        employee.hire_date.replace(day=1)
    ):
        errors.setdefault("effective_from", []).append(
            _("A salary profile cannot start before the month of the hire date (%(date)s).")
            % {"date": employee.hire_date.isoformat()})
    if profile.effective_from and checks.taken(profile):
        errors.setdefault("effective_from", []).append(
            _("This employee already has a salary profile starting on this date; change that "
              "one instead."))
    if profile.bank_account:
        profile.bank_account = re.sub(r"[\s-]", "", profile.bank_account)
        if not _ACCOUNT.fullmatch(profile.bank_account):
            errors.setdefault("bank_account", []).append(
                _("Enter the account number: 8 to 30 digits (spaces and dashes are ignored)."))
    if profile.city_id and profile.effective_from:
        _validate_against_policy(profile, errors, checks)
    if items is not None:
        names = [item.get("name") for item in items]
        if len(names) != len(set(names)):
            errors.setdefault("items", []).append(_("Give each fixed pay item its own name."))
    if errors:
        raise ValidationError(errors)


def _validate_against_policy(profile: SalaryProfile, errors: dict,
                             checks: ProfileChecks) -> None:
    policy = checks.policy(profile.city_id, profile.effective_from)
    if policy is None:
        errors.setdefault("city", []).append(_(
            "No social insurance policy of this city is in force on %(date)s; ask an "
            "administrator to add it.") % {"date": profile.effective_from.isoformat()})
        return
    # 住房公积金管理条例 第十八条 (at least 5 %) and the city's band (reference §3.1).
    rate = profile.housing_fund_rate
    if rate is not None and not policy.housing_fund_rate_min <= rate <= policy.housing_fund_rate_max:
        errors.setdefault("housing_fund_rate", []).append(_(
            "The housing fund rate must be between %(min)s and %(max)s in this city.")
            % {"min": _percent(policy.housing_fund_rate_min),
               "max": _percent(policy.housing_fund_rate_max)})
    extra = profile.supplementary_housing_fund_rate
    if extra:
        if policy.supplementary_rate_min is None:
            errors.setdefault("supplementary_housing_fund_rate", []).append(
                _("This city has no supplementary housing fund."))
        elif not policy.supplementary_rate_min <= extra <= policy.supplementary_rate_max:
            errors.setdefault("supplementary_housing_fund_rate", []).append(_(
                "The supplementary rate must be between %(min)s and %(max)s in this city.")
                % {"min": _percent(policy.supplementary_rate_min),
                   "max": _percent(policy.supplementary_rate_max)})


def _percent(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f} %"


def salary_profile_warnings(profile: SalaryProfile) -> list[str]:
    """What HR should double-check, though it may be right: bases outside the city's band
    (payroll clamps them) and a wage below the city's minimum (Labour Law art. 48)."""
    warnings = []
    policy = policy_in_force(profile.city_id, profile.effective_from)
    if policy is not None:
        base = profile.insurance_base
        if not policy.insurance_base_floor <= base <= policy.insurance_base_ceiling:
            warnings.append(_(
                "The social insurance base %(base)s is outside the city's band %(floor)s – "
                "%(ceiling)s; contributions will use the nearest bound.")
                % {"base": base, "floor": policy.insurance_base_floor,
                   "ceiling": policy.insurance_base_ceiling})
        fund_base = profile.housing_fund_base if profile.housing_fund_base is not None else base
        if not policy.housing_fund_base_floor <= fund_base <= policy.housing_fund_base_ceiling:
            warnings.append(_(
                "The housing fund base %(base)s is outside the city's band %(floor)s – "
                "%(ceiling)s; contributions will use the nearest bound.")
                % {"base": fund_base, "floor": policy.housing_fund_base_floor,
                   "ceiling": policy.housing_fund_base_ceiling})
    minimum = minimum_wages_in_force(profile.effective_from).get(profile.city_id)
    if minimum is not None and profile.base_monthly_wage < minimum.monthly_amount:
        warnings.append(_(
            "The base monthly wage is below the city's minimum wage of %(minimum)s (Labour Law "
            "art. 48).") % {"minimum": minimum.monthly_amount})
    return warnings


def _replace_items(profile: SalaryProfile, items: list[dict], by) -> None:
    profile.items.all().delete()
    for data in items:
        item = FixedPayItem(company_id=profile.company_id, profile=profile,
                            kind=data.get("kind", PayItemKind.ALLOWANCE), name=data.get("name"),
                            amount=data.get("amount"), taxable=data.get("taxable", True))
        try:
            _full_clean(item, exclude=["profile"])
        except ValidationError as error:
            raise ValidationError({"items": [f"{data.get('name')}: {message}"
                                             for messages in error.message_dict.values()
                                             for message in messages]}) from error
        _attribute(item, by)
        item.save()


@transaction.atomic
def create_salary_profile(*, company: Company, employee, effective_from: date,
                          items: list[dict] | None = None, by=None, **fields) -> SalaryProfile:
    _same_company(company, employee=employee)
    profile = SalaryProfile(company=company, employee=employee, effective_from=effective_from,
                            **fields)
    _validate_profile(profile, items)
    _attribute(profile, by)
    profile.save()
    if items:
        _replace_items(profile, items, by)
    return profile


@transaction.atomic
def update_salary_profile(*, profile: SalaryProfile, version: int | None = None,
                          items: list[dict] | None = None, by=None, **changes) -> SalaryProfile:
    """Corrects a profile (a real change of terms is a new profile from its date). `items`,
    when given, replaces the fixed pay items."""
    _apply_changes(profile, changes, {*SALARY_FIELDS, "effective_from"})
    _validate_profile(profile, items)
    claim_version(profile, version)
    _attribute(profile, by)
    profile.save()
    if items is not None:
        _replace_items(profile, items, by)
    return profile


@transaction.atomic
def delete_salary_profile(*, profile: SalaryProfile, by=None) -> None:
    _attribute(profile, by)
    profile.delete()


# ---------------------------------------------------------------------------------------------
# Attendance summaries


ATTENDANCE_FIELDS = ("paid_days", "absence_days", "unpaid_leave_days", "overtime_workday_hours",
                     "overtime_rest_day_hours", "overtime_holiday_hours", "note")


def _attendance_taken(summary: AttendanceSummary) -> bool:
    return AttendanceSummary.objects.filter(employee=summary.employee, month=summary.month
                                            ).exclude(pk=summary.pk).exists()


def _validate_attendance(summary: AttendanceSummary, taken=_attendance_taken) -> None:
    """`taken(summary)`: whether the employee has another summary of the month (an import
    answers it from the records it read once)."""
    errors: dict[str, list[str]] = {}
    try:
        _full_clean(summary, exclude=["employee", "entered_by"])
    except ValidationError as error:
        errors.update(error.message_dict)
    month = summary.month
    _first_of_month(month, "month", errors)
    if month is not None and "month" not in errors:
        days = calendar.monthrange(month.year, month.month)[1]
        away = (summary.absence_days or 0) + (summary.unpaid_leave_days or 0)
        if away > days:
            errors.setdefault("unpaid_leave_days", []).append(
                _("Absence and unpaid leave add up to more than the %(days)s days of the "
                  "month.") % {"days": days})
        employee = summary.employee
        if employee.hire_date and month < employee.hire_date.replace(day=1):
            errors.setdefault("month", []).append(_("This is before the hire month."))
        if employee.leave_date and month > employee.leave_date:
            errors.setdefault("month", []).append(_("This is after the employee left."))
        if taken(summary):
            errors.setdefault("month", []).append(
                _("This employee already has a summary for this month; change that one."))
    if errors:
        raise ValidationError(errors)


def attendance_warnings(summary: AttendanceSummary) -> list[str]:
    if summary.overtime_hours > MONTHLY_OVERTIME_LIMIT:
        return [_("%(hours)s hours of overtime is more than the 36 hours a month the Labour "
                  "Law allows (art. 41).") % {"hours": summary.overtime_hours}]
    return []


@transaction.atomic
def create_attendance_summary(*, company: Company, employee, month: date, by=None,
                              **fields) -> AttendanceSummary:
    _same_company(company, employee=employee)
    summary = AttendanceSummary(company=company, employee=employee, month=month, **fields)
    _validate_attendance(summary)
    summary.entered_by = by if by is not None and by.is_authenticated else None
    _attribute(summary, by)
    summary.save()
    return summary


@transaction.atomic
def update_attendance_summary(*, summary: AttendanceSummary, version: int | None = None,
                              by=None, **changes) -> AttendanceSummary:
    _apply_changes(summary, changes, set(ATTENDANCE_FIELDS))
    _validate_attendance(summary)
    claim_version(summary, version)
    summary.entered_by = by if by is not None and by.is_authenticated else summary.entered_by
    _attribute(summary, by)
    summary.save()
    return summary


@transaction.atomic
def delete_attendance_summary(*, summary: AttendanceSummary, by=None) -> None:
    _attribute(summary, by)
    summary.delete()
