"""Pay data a company owns: its work-injury class rates, and per employee the salary
profiles with their fixed pay items, deduction declarations and monthly attendance summaries.
Salary data is for HR, finance and the employee themself only (`pay.rules_records`)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tandem.core.models import CompanyScoped, Versioned

from .reference import FRACTION, MONEY, NON_NEGATIVE, RATE, City, DeductionCategory


class CompanyWorkInjuryRate(CompanyScoped):
    """The company's work-injury employer rate in a city from a date: its industry class rate
    with any floating adjustment (《社会保险法》第三十四条)."""

    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("city"))
    effective_from = models.DateField(_("effective from"))
    employer_rate = models.DecimalField(_("employer rate"), **RATE, validators=FRACTION)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("work-injury rate")
        verbose_name_plural = _("work-injury rates")
        ordering = ["city", "-effective_from"]
        constraints = [models.UniqueConstraint(fields=["company", "city", "effective_from"],
                                               name="workinjuryrate_unique_start")]

    def __str__(self) -> str:
        return f"{self.city} {self.effective_from.isoformat()} {self.employer_rate}"


class SalaryProfile(CompanyScoped, Versioned):
    """An employee's pay terms from `effective_from` until the next profile's start: a change
    is a new row, so every past month keeps the terms it was paid on. The insurance base is
    stored as declared and clamped to the city's band when payroll calculates (the service
    warns when it is outside)."""

    employee = models.ForeignKey("org.Employee", on_delete=models.PROTECT,
                                 related_name="salary_profiles", verbose_name=_("employee"))
    effective_from = models.DateField(_("effective from"))
    base_monthly_wage = models.DecimalField(_("base monthly wage"), **MONEY,
                                            validators=NON_NEGATIVE)
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("social insurance city"))
    insurance_base = models.DecimalField(_("social insurance base"), **MONEY,
                                         validators=NON_NEGATIVE)
    housing_fund_base = models.DecimalField(
        _("housing fund base"), **MONEY, null=True, blank=True, validators=NON_NEGATIVE,
        help_text=_("Empty: the same as the social insurance base."))
    housing_fund_rate = models.DecimalField(_("housing fund rate"), **RATE, validators=FRACTION)
    supplementary_housing_fund_rate = models.DecimalField(
        _("supplementary housing fund rate"), **RATE, null=True, blank=True,
        validators=FRACTION)
    housing_fund_transferred = models.BooleanField(
        _("housing fund account transferred in"), default=False,
        help_text=_("A transferred account pays from the first month, a new one from the "
                    "second (住房公积金管理条例 第十七条)."))
    first_wage_income_of_year = models.BooleanField(
        _("first wage income of the year"), default=False,
        help_text=_("E.g. a new graduate: the basic deduction counts every month of the year "
                    "so far (reference §1.1 (a); off unless confirmed)."))
    bank_name = models.CharField(_("bank"), max_length=80, blank=True)
    bank_account = models.CharField(_("bank account"), max_length=34, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["version", "updated_at"])

    class Meta:
        verbose_name = _("salary profile")
        verbose_name_plural = _("salary profiles")
        ordering = ["employee", "-effective_from"]
        constraints = [models.UniqueConstraint(fields=["employee", "effective_from"],
                                               name="salaryprofile_unique_start")]
        indexes = [models.Index(fields=["company", "employee", "effective_from"])]

    def __str__(self) -> str:
        return f"{self.employee} {self.effective_from.isoformat()}"

    @property
    def masked_bank_account(self) -> str:
        return mask_account(self.bank_account)


def mask_account(account: str) -> str:
    """All but the last four characters hidden (and never fewer than four hidden)."""
    if not account:
        return ""
    shown = account[-4:] if len(account) > 8 else ""
    return "*" * max(len(account) - len(shown), 4) + shown


class PayItemKind(models.TextChoices):
    ALLOWANCE = "allowance", _("Allowance")
    DEDUCTION = "deduction", _("Deduction")


class FixedPayItem(CompanyScoped):
    """A named amount paid (or deducted) every month with the profile: a meal allowance, a
    dormitory charge."""

    profile = models.ForeignKey(SalaryProfile, on_delete=models.CASCADE, related_name="items",
                                verbose_name=_("salary profile"))
    kind = models.CharField(_("kind"), max_length=12, choices=PayItemKind.choices)
    name = models.CharField(_("name"), max_length=60)
    amount = models.DecimalField(_("monthly amount"), **MONEY,
                                 validators=[MinValueValidator(Decimal("0.01"))])
    taxable = models.BooleanField(_("taxable"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fixed pay item")
        verbose_name_plural = _("fixed pay items")
        ordering = ["profile", "kind", "name"]
        constraints = [models.UniqueConstraint(fields=["profile", "name"],
                                               name="fixedpayitem_unique_name")]

    def __str__(self) -> str:
        return f"{self.name} {self.amount}"


class DeductionDeclaration(CompanyScoped, Versioned):
    """An employee's declared special additional deduction, month `from_month` to `to_month`
    (first days of months; open-ended when empty). The amount follows the standard in force
    each month times `share`, unless `monthly_amount` fixes it (an agreed split of elderly
    support, at most the standard's individual cap)."""

    employee = models.ForeignKey("org.Employee", on_delete=models.PROTECT,
                                 related_name="deduction_declarations",
                                 verbose_name=_("employee"))
    category = models.CharField(_("category"), max_length=32, choices=DeductionCategory.choices)
    variant = models.SlugField(_("variant"), max_length=32, blank=True)
    share = models.DecimalField(_("share"), max_digits=5, decimal_places=4, default=Decimal(1),
                                validators=[MinValueValidator(Decimal("0.0001")),
                                            MaxValueValidator(Decimal(1))])
    monthly_amount = models.DecimalField(_("fixed monthly amount"), **MONEY, null=True,
                                         blank=True, validators=NON_NEGATIVE)
    dependant = models.CharField(_("child, parent or course"), max_length=60, blank=True)
    from_month = models.DateField(_("from month"))
    to_month = models.DateField(_("to month"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("deduction declaration")
        verbose_name_plural = _("deduction declarations")
        ordering = ["employee", "-from_month"]
        constraints = [
            models.CheckConstraint(
                condition=Q(to_month__isnull=True) | Q(to_month__gte=models.F("from_month")),
                name="deductiondeclaration_ends_after_start"),
            models.CheckConstraint(condition=Q(from_month__day=1),
                                   name="deductiondeclaration_from_first_day"),
            models.CheckConstraint(condition=~Q(category=DeductionCategory.SERIOUS_ILLNESS),
                                   name="deductiondeclaration_not_serious_illness"),
        ]

    def __str__(self) -> str:
        return f"{self.employee} {self.get_category_display()} {self.from_month:%Y-%m}"


class AttendanceSummary(CompanyScoped, Versioned):
    """What payroll needs from a month's attendance, entered by HR now and later filled by the
    attendance module. Days are paid days (计薪天数, at most 21.75 a month under 人社部发
    〔2025〕2号 for a full month) and calendar-day counts of absence and unpaid leave."""

    employee = models.ForeignKey("org.Employee", on_delete=models.PROTECT,
                                 related_name="attendance_summaries",
                                 verbose_name=_("employee"))
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    paid_days = models.DecimalField(_("paid days"), max_digits=5, decimal_places=2,
                                    validators=[MinValueValidator(Decimal(0)),
                                                MaxValueValidator(Decimal("31"))])
    absence_days = models.DecimalField(_("absence days"), max_digits=5, decimal_places=2,
                                       default=Decimal(0),
                                       validators=[MinValueValidator(Decimal(0)),
                                                   MaxValueValidator(Decimal("31"))])
    unpaid_leave_days = models.DecimalField(_("unpaid leave days"), max_digits=5,
                                            decimal_places=2, default=Decimal(0),
                                            validators=[MinValueValidator(Decimal(0)),
                                                        MaxValueValidator(Decimal("31"))])
    overtime_workday_hours = models.DecimalField(
        _("overtime hours on workdays"), max_digits=6, decimal_places=2, default=Decimal(0),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(744))])
    overtime_rest_day_hours = models.DecimalField(
        _("overtime hours on rest days"), max_digits=6, decimal_places=2, default=Decimal(0),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(744))])
    overtime_holiday_hours = models.DecimalField(
        _("overtime hours on statutory holidays"), max_digits=6, decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(744))])
    note = models.CharField(_("note"), max_length=200, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("entered by"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["version", "updated_at"])

    class Meta:
        verbose_name = _("attendance summary")
        verbose_name_plural = _("attendance summaries")
        ordering = ["-month", "employee"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "month"],
                                    name="attendancesummary_unique_month"),
            models.CheckConstraint(condition=Q(month__day=1),
                                   name="attendancesummary_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.employee} {self.month:%Y-%m}"

    @property
    def overtime_hours(self) -> Decimal:
        return (self.overtime_workday_hours + self.overtime_rest_day_hours
                + self.overtime_holiday_hours)
