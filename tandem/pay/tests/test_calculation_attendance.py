"""Absence and unpaid leave at the daily wage (÷ 21.75) and overtime at 150/200/300 % of the
hourly wage (÷ 174) on the overtime base (人社部发〔2025〕2号; 劳动法 Art. 44)."""

from decimal import Decimal as D

from tandem.pay.calculation import Attendance, ProblemCode, calculate_payslip
from tandem.pay.calculation.examples import shanghai_month

BASE = D("21750")  # daily wage 1,000, hourly wage 125


def test_unpaid_leave_and_absence_come_off_the_earnings_by_hand():
    """2 days of unpaid leave → 2 × 1,000 = 2,000; 1.5 days of absence → 1,500;
    gross 21,750 − 3,500 = 18,250."""
    data = shanghai_month(base_wage=BASE, attendance=Attendance(
        absence_days=D("1.5"), unpaid_leave_days=D(2)))
    result = calculate_payslip(data)
    assert result.line("absence").amount == D("-1500.00")
    assert result.line("unpaid_leave").amount == D("-2000.00")
    assert result.gross == D("18250.00")


def test_a_deduction_is_rounded_once_to_the_fen():
    # 20,000 ÷ 21.75 × 1 = 919.5402… → 919.54
    data = shanghai_month(attendance=Attendance(unpaid_leave_days=D(1)))
    assert calculate_payslip(data).line("unpaid_leave").amount == D("-919.54")


def test_overtime_on_each_kind_of_day_by_hand():
    """Hourly 21,750 ÷ 174 = 125: 10 h on workdays × 150 % = 1,875; 8 h on a rest day
    × 200 % = 2,000; 8 h on a statutory holiday × 300 % = 3,000; gross 28,625."""
    data = shanghai_month(base_wage=BASE, attendance=Attendance(
        workday_overtime_hours=D(10), rest_day_overtime_hours=D(8),
        holiday_overtime_hours=D(8)))
    result = calculate_payslip(data)
    assert [(line.code, line.amount) for line in result.lines[1:4]] == [
        ("overtime_workday", D("1875.00")), ("overtime_rest_day", D("2000.00")),
        ("overtime_holiday", D("3000.00"))]
    assert result.gross == D("28625.00")
    assert result.problems == ()


def test_only_the_kinds_worked_get_a_line():
    data = shanghai_month(base_wage=BASE, attendance=Attendance(rest_day_overtime_hours=D(4)))
    result = calculate_payslip(data)
    assert [code for code in result.codes() if code.startswith("overtime")] == [
        "overtime_rest_day"]
    assert result.line("overtime_rest_day").amount == D("1000.00")


def test_the_overtime_base_may_differ_from_the_base_wage():
    # Overtime base 17,400 → hourly 100; 10 h × 150 % = 1,500.
    data = shanghai_month(base_wage=BASE, overtime_base=D("17400"),
                          attendance=Attendance(workday_overtime_hours=D(10)))
    assert calculate_payslip(data).line("overtime_workday").amount == D("1500.00")


def test_overtime_is_paid_on_the_full_wage_in_a_part_month():
    data = shanghai_month(base_wage=BASE, attendance=Attendance(
        paid_days=D(5), workday_overtime_hours=D(2)))
    result = calculate_payslip(data)
    assert result.line("base_pay").amount == D("5000.00")
    assert result.line("overtime_workday").amount == D("375.00")  # 125 × 1.5 × 2


def test_more_than_36_hours_is_flagged_and_still_paid():
    data = shanghai_month(base_wage=BASE, attendance=Attendance(workday_overtime_hours=D(40)))
    result = calculate_payslip(data)
    assert result.line("overtime_workday").amount == D("7500.00")
    assert [(p.code, p.params) for p in result.problems] == [
        (ProblemCode.OVERTIME_OVER_MONTHLY_LIMIT, {"hours": D(40)})]
