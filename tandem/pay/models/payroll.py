"""Payroll runs: a company's month, calculated in one go into payslips and problems, approved
and marked paid. Salary data is for HR, finance and the employee themself only
(`pay.rules_payroll`).

Decisions (see the task report for the reasoning):
- One run per company and month. A correction after approval is a `PayItem` of kind
  adjustment in a later month's run, never a second run for the same month: the cumulative
  withholding (IIT Law Art. 10; 国家税务总局公告2018年第61号) keeps one figure per employer
  and month, and a supplementary run would have to fold into the month's figures anyway.
- A payslip's lines are one JSON column, not rows: a run of 10,000 employees writes 10,000
  rows instead of some 150,000, and the lines are only ever read whole, with their payslip.
- Payslips and problems carry no change history: they are derived, replaced wholesale while
  the run is a draft and immutable once it is approved; the inputs they come from (profiles,
  items, openings) and the run itself (who calculated, approved, paid) keep theirs.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tandem.core.models import CompanyScoped, Versioned

from .company import mask_account
from .reference import MONEY

ZERO = Decimal(0)


class RunStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CALCULATING = "calculating", _("Calculating")
    CALCULATED = "calculated", _("Calculated")
    APPROVED = "approved", _("Approved")
    PAID = "paid", _("Paid")


# Runs whose payslips stand: their year-to-date figures feed the next month.
LOCKED_STATUSES = (RunStatus.APPROVED, RunStatus.PAID)


class PayrollRun(CompanyScoped, Versioned):
    """The payroll of a month (`month` is its first day). draft → calculated → approved →
    paid; `calculating` while the background task works (progress in `progress_done` of
    `progress_total`). Approved and paid runs are immutable."""

    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    status = models.CharField(_("status"), max_length=12, choices=RunStatus.choices,
                              default=RunStatus.DRAFT)
    employee_count = models.PositiveIntegerField(_("payslips"), default=0)
    gross_total = models.DecimalField(_("gross pay"), **MONEY, default=ZERO)
    employee_contributions_total = models.DecimalField(
        _("employee contributions"), **MONEY, default=ZERO)
    employer_contributions_total = models.DecimalField(
        _("employer contributions"), **MONEY, default=ZERO)
    tax_total = models.DecimalField(_("income tax"), **MONEY, default=ZERO)
    net_total = models.DecimalField(_("net pay"), **MONEY, default=ZERO)
    employer_cost_total = models.DecimalField(_("employer cost"), **MONEY, default=ZERO)
    blocking_problem_count = models.PositiveIntegerField(_("blocking problems"), default=0)
    warning_count = models.PositiveIntegerField(_("warnings"), default=0)
    progress_done = models.PositiveIntegerField(_("employees done"), default=0)
    progress_total = models.PositiveIntegerField(_("employees to do"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    calculated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                      null=True, blank=True, related_name="+",
                                      verbose_name=_("calculated by"))
    calculated_at = models.DateTimeField(_("calculated at"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("approved by"))
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                null=True, blank=True, related_name="+",
                                verbose_name=_("marked paid by"))
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    # Progress is written with queryset updates, so it leaves no history rows.
    history = HistoricalRecords(excluded_fields=["version", "progress_done", "progress_total"])

    class Meta:
        verbose_name = _("payroll run")
        verbose_name_plural = _("payroll runs")
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["company", "month"], name="payrollrun_unique_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="payrollrun_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.get_status_display()}"

    @property
    def locked(self) -> bool:
        return self.status in LOCKED_STATUSES


class Payslip(CompanyScoped):
    """One employee's month in a run: the totals, the lines (`lines`: a list of
    {code, label, name, section, amount, explanation: [{label, value, kind}]}, amounts as
    strings, labels English msgids) and the cumulative withholding figures the next month
    starts from (`ytd_*`, tax year `run.month.year`)."""

    run = models.ForeignKey(PayrollRun, on_delete=models.CASCADE, related_name="payslips",
                            verbose_name=_("payroll run"))
    employee = models.ForeignKey("org.Employee", on_delete=models.PROTECT,
                                 related_name="payslips", verbose_name=_("employee"))
    profile = models.ForeignKey("pay.SalaryProfile", on_delete=models.PROTECT,
                                related_name="+", verbose_name=_("salary profile"))
    month = models.DateField(_("month"))
    gross = models.DecimalField(_("gross pay"), **MONEY)
    taxable_income = models.DecimalField(_("taxable income"), **MONEY)
    employee_contributions = models.DecimalField(_("employee contributions"), **MONEY)
    employer_contributions = models.DecimalField(_("employer contributions"), **MONEY)
    tax_withheld = models.DecimalField(_("income tax withheld"), **MONEY)
    annual_bonus_tax = models.DecimalField(_("annual bonus tax"), **MONEY)
    post_tax_deductions = models.DecimalField(_("deductions after tax"), **MONEY)
    net = models.DecimalField(_("net pay"), **MONEY)
    employer_cost = models.DecimalField(_("employer cost"), **MONEY)
    annual_bonus_method = models.CharField(_("annual bonus method"), max_length=12,
                                           blank=True)
    months_employed = models.PositiveSmallIntegerField(_("months employed this year"))
    ytd_income = models.DecimalField(_("income to date"), **MONEY)
    ytd_tax_free_income = models.DecimalField(_("tax-free income to date"), **MONEY)
    ytd_special_deductions = models.DecimalField(_("special deductions to date"), **MONEY)
    ytd_special_additional_deductions = models.DecimalField(
        _("special additional deductions to date"), **MONEY)
    ytd_other_deductions = models.DecimalField(_("other deductions to date"), **MONEY)
    ytd_withheld = models.DecimalField(_("tax withheld to date"), **MONEY)
    bank_name = models.CharField(_("bank"), max_length=80, blank=True)
    bank_account = models.CharField(_("bank account"), max_length=34, blank=True)
    lines = models.JSONField(_("lines"), default=list)
    # The special additional deductions by category (DeductionCategory values), as the IIT
    # withholding declaration lists them: {"month": {category: amount}, "year_to_date":
    # {...}}, amounts as strings. Its own small column, not inside `lines`: the next month's
    # payroll carries the year-to-date figures and must not read every payslip's lines for
    # them. {} on a payslip calculated before categories were kept (only totals are known).
    special_additional_by_category = models.JSONField(
        _("special additional deductions by category"), default=dict, blank=True)

    class Meta:
        verbose_name = _("payslip")
        verbose_name_plural = _("payslips")
        ordering = ["run", "employee"]
        constraints = [models.UniqueConstraint(fields=["run", "employee"],
                                               name="payslip_unique_employee")]
        indexes = [models.Index(fields=["company", "employee", "month"])]

    def __str__(self) -> str:
        return f"{self.employee} {self.month:%Y-%m}"

    @property
    def masked_bank_account(self) -> str:
        return mask_account(self.bank_account)


class ProblemCode(models.TextChoices):
    """The run's own problems; the calculation's (`pay.calculation.ProblemCode`) are stored
    with their own codes."""

    NO_SALARY_PROFILE = "no_salary_profile", _("No salary profile")
    NO_CITY_POLICY = "no_city_policy", _("No city policy in force")
    CALENDAR_UNKNOWN = "calendar_unknown", _("Holiday calendar unknown")
    CANNOT_CALCULATE = "cannot_calculate", _("Cannot be calculated")
    MISSING_BANK_ACCOUNT = "missing_bank_account", _("No bank account")


# Problems that leave the employee without a payslip: the run cannot be approved with them.
BLOCKING_CODES = frozenset({ProblemCode.NO_SALARY_PROFILE, ProblemCode.NO_CITY_POLICY,
                            ProblemCode.CALENDAR_UNKNOWN, ProblemCode.CANNOT_CALCULATE})


class RunProblem(CompanyScoped):
    """Something HR must look at before approving: `blocking` ones (the employee could not be
    priced) stop the approval, the others are warnings on a payslip that was computed."""

    run = models.ForeignKey(PayrollRun, on_delete=models.CASCADE, related_name="problems",
                            verbose_name=_("payroll run"))
    employee = models.ForeignKey("org.Employee", on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("employee"))
    code = models.CharField(_("code"), max_length=40)
    params = models.JSONField(_("details"), default=dict)
    blocking = models.BooleanField(_("blocking"), default=False)

    class Meta:
        verbose_name = _("payroll problem")
        verbose_name_plural = _("payroll problems")
        ordering = ["run", "-blocking", "employee", "code"]

    def __str__(self) -> str:
        return f"{self.employee} {self.code}"


class PayItemType(models.TextChoices):
    REGULAR_BONUS = "regular_bonus", _("Bonus")
    ANNUAL_BONUS = "annual_bonus", _("Annual one-time bonus")
    ALLOWANCE = "allowance", _("Allowance")
    DEDUCTION = "deduction", _("Deduction")
    ADJUSTMENT = "adjustment", _("Correction of an earlier month")


class AnnualBonusMethod(models.TextChoices):
    """The same values as `pay.calculation.BonusMethod`."""

    CHEAPER = "cheaper", _("Whichever is cheaper")
    SEPARATE = "separate", _("Taxed separately")
    MERGED = "merged", _("Merged into the year's income")


class PayItemSource(models.TextChoices):
    MANUAL = "manual", _("Entered")
    IMPORT = "import", _("Imported")
    REVIEW = "review", _("From a performance review")


class PayItem(CompanyScoped, Versioned):
    """A one-off amount for one employee's month, entered or imported by HR: a bonus, the
    annual one-time bonus (with its tax method), an allowance, a deduction, or a correction of
    an earlier, approved month (`adjusts_month`; negative to recover). `taxable` False: an
    allowance or correction that is tax-free income, or a deduction taken before tax."""

    employee = models.ForeignKey("org.Employee", on_delete=models.PROTECT,
                                 related_name="pay_items", verbose_name=_("employee"))
    month = models.DateField(_("month"), help_text=_("The first day of the month paid."))
    kind = models.CharField(_("kind"), max_length=16, choices=PayItemType.choices)
    name = models.CharField(_("name"), max_length=60)
    amount = models.DecimalField(_("amount"), **MONEY)
    taxable = models.BooleanField(_("taxable"), default=True)
    annual_bonus_method = models.CharField(_("annual bonus method"), max_length=12,
                                           choices=AnnualBonusMethod.choices, blank=True)
    adjusts_month = models.DateField(_("corrects month"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=8, choices=PayItemSource.choices,
                              default=PayItemSource.MANUAL)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("pay item")
        verbose_name_plural = _("pay items")
        ordering = ["-month", "employee", "kind", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(month__day=1), name="payitem_first_day"),
            models.CheckConstraint(condition=Q(adjusts_month__isnull=True)
                                   | Q(adjusts_month__lt=models.F("month")),
                                   name="payitem_adjusts_earlier_month"),
        ]
        indexes = [models.Index(fields=["company", "month"])]

    def __str__(self) -> str:
        return f"{self.employee} {self.month:%Y-%m} {self.name}"


class YearToDateOpening(CompanyScoped, Versioned):
    """An employee's cumulative withholding figures of `year` at this employer up to and
    including `through_month`, as the previous system left them: a company that starts with
    Tandem mid-year imports them, and the first month in Tandem carries on from them."""

    employee = models.ForeignKey("org.Employee", on_delete=models.PROTECT,
                                 related_name="year_to_date_openings",
                                 verbose_name=_("employee"))
    year = models.PositiveSmallIntegerField(_("tax year"), validators=[
        MinValueValidator(2019), MaxValueValidator(2100)])
    through_month = models.PositiveSmallIntegerField(_("through month"), validators=[
        MinValueValidator(1), MaxValueValidator(12)])
    income = models.DecimalField(_("income to date"), **MONEY)
    tax_free_income = models.DecimalField(_("tax-free income to date"), **MONEY, default=ZERO)
    special_deductions = models.DecimalField(_("special deductions to date"), **MONEY,
                                             default=ZERO)
    special_additional_deductions = models.DecimalField(
        _("special additional deductions to date"), **MONEY, default=ZERO)
    other_deductions = models.DecimalField(_("other deductions to date"), **MONEY,
                                           default=ZERO)
    withheld = models.DecimalField(_("tax withheld to date"), **MONEY, default=ZERO)
    # 国税发〔2005〕9号: the separate annual-bonus method is open once per tax year.
    annual_bonus_separate_used = models.BooleanField(
        _("annual bonus already taxed separately this year"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("year-to-date opening")
        verbose_name_plural = _("year-to-date openings")
        ordering = ["-year", "employee"]
        constraints = [models.UniqueConstraint(fields=["employee", "year"],
                                               name="ytdopening_unique_year")]

    def __str__(self) -> str:
        return f"{self.employee} {self.year}-{self.through_month:02d}"
