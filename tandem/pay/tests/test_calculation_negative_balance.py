"""A month whose cumulative tax falls below what was already withheld: nothing withheld,
nothing refunded (STA 2018 No. 61 Art. 6, "余额为负值时，暂不退税"), and a later month absorbs
the difference through the carried year-to-date figures."""

from decimal import Decimal as D

from tandem.pay.calculation import Adjustment, ProblemCode, TaxInputs, calculate_payslip
from tandem.pay.calculation.examples import shanghai_month


def test_a_recovered_bonus_leaves_a_negative_balance_then_april_absorbs_it():
    """January: 20,000 + bonus 20,000: 40,000 − 5,000 − 3,500 = 31,500 × 3 % = 945.
    February: 60,000 − 10,000 − 7,000 = 43,000 → 4,300 − 2,520 = 1,780; 835 withheld.
    March: the bonus is recovered (−20,000): income 0 this month, cumulative 60,000 − 15,000
    − 10,500 = 34,500 → 1,035, below the 1,780 withheld: the balance is −745, nothing is
    withheld; net = 20,000 − 20,000 − 3,500 = −3,500 (flagged).
    April: 80,000 − 20,000 − 14,000 = 46,000 → 4,600 − 2,520 = 2,080; 2,080 − 1,780 = 300."""
    january = calculate_payslip(shanghai_month(2026, 1, regular_bonus=D("20000")))
    assert january.tax_withheld == D("945.00")
    february = calculate_payslip(shanghai_month(2026, 2, tax=TaxInputs(
        months_employed=2, previous=january.year_to_date)))
    assert february.tax_withheld == D("835.00")
    march = calculate_payslip(shanghai_month(2026, 3, tax=TaxInputs(
        months_employed=3, previous=february.year_to_date),
        adjustments=(Adjustment("奖金追回", D("-20000")),)))
    assert march.withholding.cumulative_tax == D("1035.00")
    assert march.withholding.negative_balance == D("-745.00")
    assert march.tax_withheld == D("0.00")
    assert march.line("income_tax").amount == D("0.00")
    assert march.net == D("-3500.00")
    assert [(p.code, p.params) for p in march.problems] == [
        (ProblemCode.NEGATIVE_NET, {"net": D("-3500.00")})]
    assert march.year_to_date.withheld == D("1780.00")
    april = calculate_payslip(shanghai_month(2026, 4, tax=TaxInputs(
        months_employed=4, previous=march.year_to_date)))
    assert april.tax_withheld == D("300.00")
    assert april.year_to_date.withheld == D("2080.00")
