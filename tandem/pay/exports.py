"""The finance exports of an approved or paid run, as Excel sheets (`core.exports`): the bank
transfer list, the accounting summary by department and pay item, and the monthly individual
income tax withholding detail. Each reads the run's payslips in one query (their stored
figures and lines: nothing is computed again) plus the department tree where it needs one.
Headers are in the reader's language; money is numbers. Needs the company scope.

Salary data: HR and finance only (the views check it); the bank list carries full account
numbers, which nobody else ever sees."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from tandem.core.exports import INTEGER, MONEY, RATE, TEXT, Column, Sheet

from .models import LOCKED_STATUSES, DeductionCategory, PayrollRun, Payslip
from .payroll.loader import YEAR_TO_DATE, categories_of
from .reports import department_nodes, department_of_month

ZERO = Decimal("0.00")


class NotExportable(Exception):
    """The run is not approved or paid: its figures may still change."""

    def __init__(self, run: PayrollRun):
        self.run = run
        self.message = _(
            "This payroll run is %(status)s: only an approved or paid run can be exported, "
            "because its figures may still change.") % {"status": run.get_status_display()}
        super().__init__(self.message)


def check_exportable(run: PayrollRun) -> None:
    if run.status not in LOCKED_STATUSES:
        raise NotExportable(run)


def _month(run: PayrollRun) -> str:
    return run.month.strftime("%Y-%m")


def _people(count: int) -> str:
    return ngettext("%(count)s person", "%(count)s people", count) % {"count": count}


def _amount(value) -> Decimal:
    return Decimal(str(value))


# --- bank transfer list -------------------------------------------------------------------


def bank_transfer_sheets(run: PayrollRun) -> list[Sheet]:
    """Who is paid how much into which account (full account numbers), with a total row;
    people without an account on their payslip in a second sheet "missing". One query."""
    check_exportable(run)
    rows = (Payslip.objects.filter(run=run)
            .values_list("employee__employee_number", "employee__name", "bank_name",
                         "bank_account", "net")
            .order_by("employee__employee_number", "pk"))
    transfers, missing = [], []
    for number, name, bank, account, net in rows:
        if account:
            transfers.append((number, name, bank, account, net))
        else:
            missing.append((number, name, net))
    columns = [Column(_("Employee number"), TEXT, 12), Column(_("Name"), TEXT, 14),
               Column(_("Bank"), TEXT, 20), Column(_("Account number"), TEXT, 24),
               Column(_("Net pay"), MONEY)]
    total = sum((net for *_rest, net in transfers), ZERO)
    missing_total = sum((net for *_rest, net in missing), ZERO)
    return [
        Sheet(_("Transfers"), columns, transfers,
              total=(_("Total"), _people(len(transfers)), "", "",
                     total)),
        Sheet(_("missing"), [Column(_("Employee number"), TEXT, 12),
                             Column(_("Name"), TEXT, 14), Column(_("Net pay"), MONEY),
                             Column(_("What to do"), TEXT, 48)],
              [(number, name, net, _("Add a bank account to the salary profile and pay by "
                                     "hand."))
               for number, name, net in missing],
              total=(_("Total"), _people(len(missing)),
                     missing_total, "")),
    ]


def bank_transfer_filename(run: PayrollRun) -> str:
    return _("bank-transfers-%(month)s.xlsx") % {"month": _month(run)}


# --- accounting summary -------------------------------------------------------------------

# The payslip's sections as the summary groups them; deductions split by when they are
# taken, because the one before tax is inside the gross pay.
EARNINGS, PRE_TAX, CONTRIBUTIONS, TAX, POST_TAX, EMPLOYER = range(6)
PRE_TAX_LABEL = "Deduction before tax"
# The payslip's own lines in payslip order (their codes); pay items and corrections of an
# earlier month are numbered per payslip, so they are told apart by label and name.
STANDARD_ORDER = ("base_pay", "absence", "unpaid_leave", "overtime_workday",
                  "overtime_rest_day", "overtime_holiday", "item", "bonus", "annual_bonus",
                  "adjustment", "pension", "medical", "unemployment", "work_injury",
                  "maternity", "housing_fund", "supplementary_housing_fund", "income_tax",
                  "annual_bonus_tax")
# A part month's base pay is base pay all the same.
HEADERS = {"base_pay": gettext_lazy("Base pay")}


def _group(line: dict) -> int:
    section = line["section"]
    if section == "earnings":
        return EARNINGS
    if section == "deductions":
        return PRE_TAX if line["label"] == PRE_TAX_LABEL else POST_TAX
    if section == "contributions":
        return CONTRIBUTIONS
    if section == "tax":
        return TAX
    return EMPLOYER


def _column_key(line: dict) -> tuple:
    """(group, rank, label, name): the summary's column of a payslip line."""
    code = line["code"]
    group = _group(line)
    stem = code.split("_")[0] if code.startswith(("item_", "adjustment_")) else code
    if group in (CONTRIBUTIONS, EMPLOYER):
        stem = code.rsplit("_", 1)[0]
    rank = STANDARD_ORDER.index(stem) if stem in STANDARD_ORDER else len(STANDARD_ORDER)
    if stem in ("item", "adjustment"):
        return (group, rank, line["label"], line.get("name", ""))
    return (group, rank, stem, "")


def _header(key: tuple, label: str) -> str:
    _group_, _rank, stem, name = key
    if stem in HEADERS:
        return str(HEADERS[stem])
    title = _(label)
    return f"{title}: {name}" if name else title


def accounting_sheets(run: PayrollRun) -> list[Sheet]:
    """Per department of the month (rows) and pay item (columns): the earnings as on the
    payslip (absence negative), the deductions, contributions and tax as positive amounts
    withheld, the employer's contributions, with the gross, net and employer cost, and a
    totals row equal to the run's totals. Two queries."""
    check_exportable(run)
    payslips = (Payslip.objects.filter(run=run)
                .annotate(department=department_of_month(run.month))
                .values_list("department", "gross", "net", "employee_contributions",
                             "employer_contributions", "employer_cost", "lines"))
    nodes = department_nodes()
    labels: dict[tuple, str] = {}
    cells: dict[int, dict[tuple, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    figures: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for department, gross, net, employee_part, employer_part, cost, lines in payslips:
        totals = figures[department]
        totals["headcount"] += 1
        totals["gross"] += gross
        totals["net"] += net
        totals["employee"] += employee_part
        totals["employer"] += employer_part
        totals["cost"] += cost
        for line in lines:
            key = _column_key(line)
            labels.setdefault(key, line["label"])
            amount = _amount(line["amount"])
            # Amounts are their effect on the net; deductions are shown as amounts withheld.
            cells[department][key] += amount if key[0] in (EARNINGS, EMPLOYER) else -amount
    keys = sorted(labels, key=lambda key: (key[0], key[1], str(key[2]), key[3]))
    by_group = {group: [key for key in keys if key[0] == group] for group in range(6)}
    # (header, source): a line's column key, or the name of a payslip figure.
    layout: list[tuple] = []
    for key in by_group[EARNINGS] + by_group[PRE_TAX]:
        layout.append((_header(key, labels[key]), key))
    layout.append((_("Gross pay"), "gross"))
    for key in by_group[CONTRIBUTIONS]:
        layout.append((_header(key, labels[key]), key))
    layout.append((_("Employee social insurance and housing fund"), "employee"))
    for key in by_group[TAX] + by_group[POST_TAX]:
        layout.append((_header(key, labels[key]), key))
    layout.append((_("Net pay"), "net"))
    for key in by_group[EMPLOYER]:
        layout.append((_header(key, labels[key]), key))
    layout.append((_("Employer social insurance and housing fund"), "employer"))
    layout.append((_("Employer cost"), "cost"))
    columns = [Column(_("Department"), TEXT, 28), Column(_("Headcount"), INTEGER)] + [
        Column(header, MONEY) for header, _source in layout]

    def values(line_cells, totals) -> list:
        return [line_cells.get(source, ZERO) if isinstance(source, tuple)
                else totals.get(source, ZERO) for _header_, source in layout]

    order = [pk for pk in nodes if pk in figures] + [pk for pk in figures if pk not in nodes]
    rows = [[nodes[pk].path if pk in nodes else str(pk), figures[pk]["headcount"],
             *values(cells[pk], figures[pk])] for pk in order]
    all_cells: dict = defaultdict(Decimal)
    all_totals: dict = defaultdict(Decimal)
    for pk in order:
        for key, amount in cells[pk].items():
            all_cells[key] += amount
        for name, amount in figures[pk].items():
            all_totals[name] += amount
    total = [_("Total"), int(all_totals["headcount"]), *values(all_cells, all_totals)]
    return [Sheet(_("Summary %(month)s") % {"month": _month(run)}, columns, rows, total=total)]


def accounting_filename(run: PayrollRun) -> str:
    return _("payroll-accounting-%(month)s.xlsx") % {"month": _month(run)}


# --- individual income tax withholding detail ---------------------------------------------

TAX_FREE_LABELS = ("Tax-free allowance", "Tax-free adjustment of an earlier month")
SPECIAL_DEDUCTIONS = (  # the declaration's columns of this month's 专项扣除
    ("pension_employee",),
    ("medical_employee",),
    ("unemployment_employee",),
    ("housing_fund_employee", "supplementary_housing_fund_employee"),
)
STEPS = {  # the income-tax line's explanation steps (`pay.tax.withhold_next_month`)
    "cumulative_income": "Cumulative income",
    "cumulative_tax_free": "Cumulative tax-free income",
    "cumulative_basic": "Cumulative basic deduction (5,000 a month)",
    "cumulative_special": "Cumulative special deductions",
    "cumulative_special_additional": "Cumulative special additional deductions",
    "cumulative_other": "Cumulative other deductions",
    "cumulative_taxable": "Cumulative taxable income",
    "rate": "Withholding rate",
    "quick_deduction": "Quick deduction",
    "cumulative_tax": "Cumulative tax (taxable income × rate − quick deduction)",
    "withheld_before": "Withheld in earlier months",
}
BONUS_STEPS = {"rate": "Rate", "quick_deduction": "Quick deduction (taken once)"}


def _steps(line: dict | None) -> dict[str, str]:
    return {step["label"]: step["value"] for step in (line or {}).get("explanation", [])}


def _step(steps: dict, label: str) -> Decimal | None:
    value = steps.get(label)
    return None if value is None else _amount(value)


# 累计专项附加扣除 by category, in the order and wording of the withholding declaration's
# columns (累计子女教育 … 累计3岁以下婴幼儿照护; infant care came last, in 2022: 国发〔2022〕8号).
# Serious illness is never withheld monthly (reference §1.3).
CATEGORY_COLUMNS = (
    (DeductionCategory.CHILDREN_EDUCATION, gettext_lazy("Cumulative children's education")),
    (DeductionCategory.CONTINUING_EDUCATION, gettext_lazy("Cumulative continuing education")),
    (DeductionCategory.HOUSING_LOAN_INTEREST,
     gettext_lazy("Cumulative housing-loan interest")),
    (DeductionCategory.HOUSING_RENT, gettext_lazy("Cumulative housing rent")),
    (DeductionCategory.ELDERLY_SUPPORT, gettext_lazy("Cumulative elderly support")),
    (DeductionCategory.INFANT_CARE, gettext_lazy("Cumulative care of infants under 3")),
)


def _categories(stored: dict, total: Decimal) -> tuple[list, str]:
    """The year-to-date special additional deductions by category (empty cells when the
    payslip kept none), and the note for the part of `total` no category accounts for."""
    if not stored:
        return [None] * len(CATEGORY_COLUMNS), _(
            "Special additional deductions not split by category: this payslip was "
            "calculated before categories were recorded; only the total is known.")
    to_date = categories_of(stored, YEAR_TO_DATE)
    cells = [to_date.get(category, ZERO) for category, _label in CATEGORY_COLUMNS]
    unsplit = total - sum(to_date.values(), ZERO)
    if not unsplit:
        return cells, ""
    return cells, _("%(amount)s of the cumulative special additional deductions is not split "
                    "by category (carried from an imported opening or from a payslip "
                    "calculated before categories were recorded).") % {"amount": unsplit}


def iit_sheets(run: PayrollRun) -> list[Sheet]:
    """Per employee, the columns of the withholding declaration's wage-income detail
    (综合所得预扣预缴 · 正常工资薪金所得): this month's income, tax-free income and special
    deductions by kind; the cumulative income, tax-free income, basic deduction, special
    deductions, special additional deductions in total and by category, other deductions,
    taxable income; rate, quick deduction, cumulative tax, tax withheld before and this month
    — all as the payslip computed them — and a note (备注) where the categories do not
    account for the whole cumulative figure (an imported opening, an older payslip).
    A second sheet lists the annual one-time bonuses taxed separately (全年一次性奖金收入).
    One query."""
    check_exportable(run)
    payslips = (Payslip.objects.filter(run=run)
                .values_list("employee__employee_number", "employee__name",
                             "employee__id_number", "taxable_income", "tax_withheld",
                             "annual_bonus_method", "annual_bonus_tax",
                             "ytd_special_additional_deductions",
                             "special_additional_by_category", "lines")
                .order_by("employee__employee_number", "pk"))
    rows, bonuses = [], []
    identity_card = _("Resident identity card")
    for (number, name, id_number, taxable, withheld, method, bonus_tax, additional,
         by_category, lines) in payslips:
        by_code = {line["code"]: line for line in lines}
        tax_free = sum((_amount(line["amount"]) for line in lines
                        if line["label"] in TAX_FREE_LABELS), ZERO)
        special = [sum((-_amount(by_code[code]["amount"]) for code in codes
                        if code in by_code), ZERO) for codes in SPECIAL_DEDUCTIONS]
        steps = _steps(by_code.get("income_tax"))
        figures = {key: _step(steps, label) for key, label in STEPS.items()}
        if figures["cumulative_taxable"] is not None:
            # A negative figure is declared as nothing taxable (as the calculators show it).
            figures["cumulative_taxable"] = max(figures["cumulative_taxable"], ZERO)
        categories, note = _categories(by_category, additional)
        rows.append([
            number, name, identity_card if id_number else "", id_number,
            taxable + tax_free, tax_free, *special,
            figures["cumulative_income"], figures["cumulative_tax_free"],
            figures["cumulative_basic"], figures["cumulative_special"],
            figures["cumulative_special_additional"], *categories,
            figures["cumulative_other"], figures["cumulative_taxable"], figures["rate"],
            figures["quick_deduction"], figures["cumulative_tax"], figures["withheld_before"],
            withheld, note,
        ])
        if method == "separate":
            bonus = by_code.get("annual_bonus")
            bonus_steps = _steps(by_code.get("annual_bonus_tax"))
            bonuses.append([number, name, identity_card if id_number else "", id_number,
                            _amount(bonus["amount"]) if bonus else ZERO,
                            _step(bonus_steps, BONUS_STEPS["rate"]),
                            _step(bonus_steps, BONUS_STEPS["quick_deduction"]), bonus_tax])
    person = [Column(_("Employee number"), TEXT, 12), Column(_("Name"), TEXT, 14),
              Column(_("ID type"), TEXT, 14), Column(_("ID number"), TEXT, 22)]
    money = [
        _("Income this month"), _("Tax-free income this month"), _("Pension"),
        _("Medical insurance"), _("Unemployment insurance"), _("Housing fund"),
        _("Cumulative income"), _("Cumulative tax-free income"),
        _("Cumulative basic deduction"), _("Cumulative special deductions"),
        _("Cumulative special additional deductions"),
        *(str(label) for _category, label in CATEGORY_COLUMNS),
        _("Cumulative other deductions"), _("Cumulative taxable income")]
    columns = person + [Column(header, MONEY) for header in money] + [
        Column(_("Withholding rate"), RATE), Column(_("Quick deduction"), MONEY),
        Column(_("Cumulative tax"), MONEY), Column(_("Tax withheld before"), MONEY),
        Column(_("Tax this month"), MONEY), Column(_("Note"), TEXT, 48)]
    sums = [sum((row[index] or ZERO for row in rows), ZERO) for index in range(4, 10)]
    blanks = len(columns) - 4 - len(sums) - 2  # the cumulative figures are not summed
    total = [_("Total"), _people(len(rows)), "", "", *sums, *([""] * blanks),
             sum((row[-2] for row in rows), ZERO), ""]
    bonus_columns = person + [Column(_("Annual one-time bonus"), MONEY),
                              Column(_("Rate"), RATE), Column(_("Quick deduction"), MONEY),
                              Column(_("Tax on the annual bonus"), MONEY)]
    bonus_total = [_("Total"), _people(len(bonuses)), "", "",
                   sum((row[4] for row in bonuses), ZERO), "", "",
                   sum((row[-1] for row in bonuses), ZERO)]
    return [Sheet(_("Wages %(month)s") % {"month": _month(run)}, columns, rows, total=total),
            Sheet(_("Annual bonus"), bonus_columns, bonuses, total=bonus_total)]


def iit_filename(run: PayrollRun) -> str:
    return _("income-tax-withholding-%(month)s.xlsx") % {"month": _month(run)}


EXPORTS = {
    # name in the URL: (sheets, filename, ASCII fallback name)
    "bank-transfers": (bank_transfer_sheets, bank_transfer_filename, "bank-transfers"),
    "accounting-summary": (accounting_sheets, accounting_filename, "payroll-accounting"),
    "iit-withholding": (iit_sheets, iit_filename, "income-tax-withholding"),
}
