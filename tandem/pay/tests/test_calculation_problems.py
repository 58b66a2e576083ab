"""Problems payroll collects without stopping: pay below the minimum wage (劳动法 Art. 48,
counted the Shanghai/Beijing way), a declared base clamped to a scheme's floor or ceiling,
a negative net (test_calculation_negative_balance)."""

from dataclasses import replace
from decimal import Decimal as D

from tandem.pay.calculation import (
    Attendance,
    PayItem,
    PayItemKind,
    Problem,
    ProblemCode,
    calculate_payslip,
)
from tandem.pay.calculation.examples import shanghai_month


def minimum_wage_problems(result):
    return [p for p in result.problems if p.code == ProblemCode.PAY_BELOW_MINIMUM_WAGE]


def test_the_minimum_wage_as_base_is_below_it_once_own_contributions_are_taken_out():
    """Base 2,740 = Shanghai's minimum. Insurance on the 7,460 floor: 596.80 + 149.20 + 37.30
    = 783.30; housing fund 7 % of 2,740 = 191.80 → 192 (to the yuan). Counted pay
    2,740 − 975.30 = 1,764.70 < 2,740."""
    result = calculate_payslip(shanghai_month(base_wage=D("2740")))
    assert minimum_wage_problems(result) == [Problem(ProblemCode.PAY_BELOW_MINIMUM_WAGE, {
        "pay": D("1764.70"), "minimum": D("2740.00"), "minimum_wage": D("2740")})]


def test_clamped_bases_are_reported_per_scheme():
    result = calculate_payslip(shanghai_month(base_wage=D("2740")))
    assert [(p.code, p.params["scheme"]) for p in result.problems
            if p.code != ProblemCode.PAY_BELOW_MINIMUM_WAGE] == [
        (ProblemCode.BASE_BELOW_FLOOR, "pension"), (ProblemCode.BASE_BELOW_FLOOR, "medical"),
        (ProblemCode.BASE_BELOW_FLOOR, "unemployment"),
        (ProblemCode.BASE_BELOW_FLOOR, "work_injury")]
    high = calculate_payslip(shanghai_month(base_wage=D("50000")))
    assert {(p.code, p.params["base"]) for p in high.problems} == {
        (ProblemCode.BASE_ABOVE_CEILING, D("37302"))}
    assert len(high.problems) == 5  # four insurances and the housing fund
    assert high.line("pension_employee").amount == D("-2984.16")  # 37,302 × 8 %


def test_overtime_and_special_allowances_do_not_lift_pay_to_the_minimum():
    """Base 3,600: contributions 783.30 + 252 = 1,035.30, counted pay 2,564.70 < 2,740
    even with 800.07 of overtime pay and a 500 high-temperature allowance; a 500 ordinary
    allowance does count (3,064.70)."""
    attendance = Attendance(workday_overtime_hours=D("25.78"))
    hot = PayItem("高温津贴", D("500"), PayItemKind.TAXABLE_ALLOWANCE,
                  excluded_from_minimum_wage=True)
    data = shanghai_month(base_wage=D("3600"), attendance=attendance, items=(hot,))
    result = calculate_payslip(data)
    assert minimum_wage_problems(result)[0].params["pay"] == D("2564.70")
    meal = replace(hot, name="餐补", excluded_from_minimum_wage=False)
    assert minimum_wage_problems(calculate_payslip(replace(data, items=(meal,)))) == []


def test_the_minimum_is_prorated_to_the_days_worked():
    """Base 6,000 with 10 days of unpaid leave: 6,000 − 2,758.62 = 3,241.38; contributions
    783.30 + 420 = 1,203.30 → counted 2,038.08. Minimum for 11.75 of 21.75 days:
    2,740 ÷ 21.75 × 11.75 = 1,480.23: not below (it would be below the full 2,740)."""
    data = shanghai_month(base_wage=D("6000"), attendance=Attendance(unpaid_leave_days=D(10)))
    result = calculate_payslip(data)
    assert result.line("unpaid_leave").amount == D("-2758.62")
    assert result.employee_contributions == D("1203.30")
    assert minimum_wage_problems(result) == []


def test_no_minimum_wage_no_check():
    assert minimum_wage_problems(calculate_payslip(
        shanghai_month(base_wage=D("2740"), minimum_wage=None))) == []


def test_a_housing_fund_base_of_its_own():
    data = shanghai_month()
    data = replace(data, social=replace(data.social, housing_fund_base=D("10000.50")))
    result = calculate_payslip(data)
    assert result.line("housing_fund_employee").amount == D("-700.00")  # 700.035 → 700
    assert result.line("pension_employee").amount == D("-1600.00")


def test_every_problem_message_takes_its_params():
    """Each problem renders with its own params (a page formats them first)."""
    from tandem.pay.calculation import PROBLEM_MESSAGES, AnnualBonus, BonusMethod, TaxInputs

    data = shanghai_month(2026, 1, base_wage=D("2740"), attendance=Attendance(
        workday_overtime_hours=D(40)), items=(PayItem("扣款", D("9000"),
                                                      PayItemKind.POST_TAX_DEDUCTION),),
        annual_bonus=AnnualBonus(D("1000"), BonusMethod.SEPARATE),
        tax=TaxInputs(months_employed=1, annual_bonus_separate_used=True))
    high = shanghai_month(base_wage=D("50000"))
    problems = calculate_payslip(data).problems + calculate_payslip(high).problems
    assert {p.code for p in problems} == set(ProblemCode)
    for problem in problems:
        message = PROBLEM_MESSAGES[problem.code] % {k: str(v) for k, v in problem.params.items()}
        assert "%(" not in message
