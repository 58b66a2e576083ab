"""Properties of the payslip calculation over any month (hypothesis)."""

from dataclasses import replace
from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from tandem.pay import social
from tandem.pay.calculation import (
    Adjustment,
    AnnualBonus,
    Attendance,
    BonusMethod,
    PayItem,
    PayItemKind,
    Section,
    TaxInputs,
    calculate_payslip,
)
from tandem.pay.calculation.examples import shanghai_month, shanghai_rules
from tandem.pay.tax import MonthIncome, YearToDate, cumulative_withholding


def money(high, low=0):
    return st.decimals(min_value=low, max_value=high, places=2, allow_nan=False,
                       allow_infinity=False)


days = st.decimals(min_value=0, max_value=10, places=1)
hours = st.decimals(min_value=0, max_value=40, places=1)
items = st.lists(st.builds(PayItem, st.just("item"), money(3000), st.sampled_from(PayItemKind)),
                 max_size=4)


@st.composite
def attendances(draw, with_days_off=True):
    if draw(st.booleans()):
        return None
    paid_days = draw(st.none() | st.decimals(min_value=0, max_value=23, places=2))
    return Attendance(
        paid_days=paid_days,
        absence_days=draw(days) if with_days_off else D(0),
        unpaid_leave_days=draw(days) if with_days_off else D(0),
        workday_overtime_hours=draw(hours), rest_day_overtime_hours=draw(hours),
        holiday_overtime_hours=draw(hours))


@st.composite
def previous_years(draw, month):
    if month == 1 or draw(st.booleans()):
        return YearToDate()
    return YearToDate(income=draw(money(500_000)), tax_free_income=draw(money(5_000)),
                      special_deductions=draw(money(30_000)),
                      special_additional_deductions=draw(money(40_000)),
                      withheld=draw(money(60_000)))


@st.composite
def payslip_inputs(draw, with_days_off=True, methods=tuple(BonusMethod)):
    month = draw(st.integers(min_value=1, max_value=12))
    annual = draw(st.none() | st.builds(AnnualBonus, money(400_000, "0.01"),
                                        st.sampled_from(methods)))
    tax = TaxInputs(months_employed=draw(st.integers(min_value=1, max_value=month)),
                    previous=draw(previous_years(month)),
                    first_wage_income_of_year=draw(st.booleans()),
                    special_additional_deductions=draw(money(9_000)),
                    other_deductions=draw(money(1_000)),
                    annual_bonus_separate_used=draw(st.booleans()))
    return shanghai_month(
        draw(st.sampled_from([2026, 2028])), month, base_wage=draw(money(150_000)),
        declared_base=draw(money(60_000)), items=tuple(draw(items)),
        attendance=draw(attendances(with_days_off)), regular_bonus=draw(money(20_000)),
        annual_bonus=annual, tax=tax,
        adjustments=tuple(draw(st.lists(st.builds(
            Adjustment, st.just("adj"), money(5_000, -5_000), st.booleans()), max_size=2))))


@given(payslip_inputs())
def test_the_net_is_exactly_gross_less_each_deduction_and_the_sum_of_the_lines(data):
    result = calculate_payslip(data)
    assert result.net == (result.gross - result.employee_contributions - result.tax_withheld
                          - result.annual_bonus_tax - result.post_tax_deductions)
    assert result.net == sum(line.amount for line in result.lines
                             if line.section != Section.EMPLOYER)
    assert result.gross == sum(line.amount for line in result.lines
                               if line.section == Section.EARNINGS
                               or (line.section == Section.DEDUCTIONS
                                   and line.label == "Deduction before tax"))
    assert result.employer_cost == result.gross + sum(
        line.amount for line in result.lines_in(Section.EMPLOYER))
    assert result.employee_contributions == -sum(
        line.amount for line in result.lines_in(Section.CONTRIBUTIONS))


@given(payslip_inputs())
def test_every_amount_is_to_the_fen(data):
    result = calculate_payslip(data)
    amounts = [line.amount for line in result.lines] + [
        result.gross, result.taxable_income, result.employee_contributions,
        result.employer_contributions, result.tax_withheld, result.annual_bonus_tax,
        result.post_tax_deductions, result.net, result.employer_cost,
        result.year_to_date.income, result.year_to_date.withheld]
    assert all(amount.as_tuple().exponent >= -2 for amount in amounts)


@given(payslip_inputs())
def test_tax_is_never_negative(data):
    result = calculate_payslip(data)
    assert result.tax_withheld >= 0
    assert result.annual_bonus_tax >= 0
    assert all(line.amount <= 0 for line in result.lines_in(Section.TAX))


@given(payslip_inputs(with_days_off=False, methods=(BonusMethod.SEPARATE, BonusMethod.MERGED)),
       money(20_000, "0.01"))
def test_more_base_wage_never_gives_less_net(data, raise_by):
    """With the declared base, the attendance (no absence or unpaid leave) and the bonus
    method fixed, a higher base wage raises the gross by Δ ≥ 0 whole fen (base pay, part-month
    pay and overtime each grow with it). The cumulative tax is continuous in the taxable income
    with a slope of at most 45 % (the quick deductions make the table continuous), so before
    rounding it grows by at most 0.45 Δ and after rounding to the fen by less than
    0.45 Δ + 0.01, which in whole fen is at most Δ; the withheld amount, max(cumulative tax −
    withheld before, 0), grows by no more. Everything else is unchanged. Not claimed for
    absence or unpaid leave (three separately rounded lines can move the gross down a fen) nor
    for the cheaper method (the choice may switch between months' bases)."""
    before = calculate_payslip(data)
    after = calculate_payslip(replace(data, base_wage=data.base_wage + raise_by))
    assert after.gross >= before.gross
    assert after.net >= before.net


@given(st.lists(st.tuples(money(80_000), money(2_000), money(1_000), money(6_000)),
                min_size=12, max_size=12),
       money(40_000))
def test_twelve_months_reproduce_cumulative_withholding(months, declared_base):
    """January to December carried month to month give the withholding that
    `tax.cumulative_withholding` gives for the same year's figures."""
    rules = shanghai_rules()
    special = sum((c.employee_amount for c in social.contributions(
        base=declared_base, rules=rules)), D(0))
    year = [MonthIncome(base + allowance + tax_free, tax_free_income=tax_free,
                        special_deductions=special, special_additional_deductions=claimed)
            for base, allowance, tax_free, claimed in months]
    expected = cumulative_withholding(year)
    ytd = YearToDate()
    for number, (base, allowance, tax_free, claimed) in enumerate(months, start=1):
        result = calculate_payslip(shanghai_month(
            2026, number, base_wage=base, declared_base=declared_base,
            items=(PayItem("a", allowance, PayItemKind.TAXABLE_ALLOWANCE),
                   PayItem("b", tax_free, PayItemKind.NON_TAXABLE_ALLOWANCE)),
            tax=TaxInputs(months_employed=number, previous=ytd,
                          special_additional_deductions=claimed)))
        assert result.withholding == expected.months[number - 1]
        ytd = result.year_to_date
    assert ytd.withheld == expected.total_withheld
