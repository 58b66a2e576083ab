"""Joiners and leavers are paid monthly wage ÷ 21.75 × paid days, at most the monthly wage
(domain reference §4.2); the paid days are the workdays and statutory holidays employed."""

from dataclasses import replace
from datetime import date
from decimal import Decimal as D

import pytest

from tandem.pay.calculation import Attendance, TaxInputs, calculate_payslip, paid_days_between
from tandem.pay.calculation.examples import shanghai_month
from tandem.pay.workdays import CalendarUnknown, DayKind, WorkCalendar

CALENDAR = WorkCalendar(days={})  # 2026 from chinese_calendar and the statutory-days table
BASE = D("21750")  # a daily wage of exactly 1,000


def joiner_in_september():
    data = shanghai_month(2026, 9, base_wage=BASE, join_date=date(2026, 9, 14),
                          calendar=CALENDAR, tax=TaxInputs(months_employed=1))
    # A new starter pays the housing fund from the second month (住房公积金管理条例 Art. 17).
    return replace(data, social=replace(data.social, housing_fund_due=False))


def test_paid_days_count_make_up_workdays_and_statutory_holidays_not_rest_days():
    # 14–30 September 2026: 12 weekdays, Sunday 20th (a make-up workday) and Friday 25th
    # (Mid-Autumn, a statutory holiday); Saturday 19th, 26th and Sunday 27th are rest days.
    assert paid_days_between(CALENDAR, date(2026, 9, 14), date(2026, 9, 30)) == D(14)


def test_a_mid_month_joiner_by_hand():
    """14 paid days × 1,000 = 14,000. Declared base 21,750 (no housing fund in the first
    month): pension 1,740, medical 435, unemployment 108.75 → 2,283.75.
    Tax, first month at this employer: 14,000 − 5,000 − 2,283.75 = 6,716.25 × 3 %
    = 201.4875 → 201.49.  Net = 14,000 − 2,283.75 − 201.49 = 11,514.76."""
    result = calculate_payslip(joiner_in_september())
    base_pay = result.line("base_pay")
    assert base_pay.amount == D("14000.00")
    assert base_pay.label == "Base pay for part of the month"
    steps = {step.label: step.value for step in base_pay.explanation}
    assert steps["Employed from"] == date(2026, 9, 14)
    assert steps["Paid days (workdays and statutory holidays)"] == D(14)
    assert result.employee_contributions == D("2283.75")
    assert "housing_fund_employee" not in result.codes()
    assert "housing_fund_employer" not in result.codes()
    assert result.tax_withheld == D("201.49")
    assert result.net == D("11514.76")


def test_a_leaver_is_paid_to_the_last_day_included():
    """Leaves on Wednesday 10 June 2026: 1–5 and 8–10 June, 8 paid days → 8,000."""
    data = shanghai_month(2026, 6, base_wage=BASE, leave_date=date(2026, 6, 10),
                          calendar=CALENDAR)
    result = calculate_payslip(data)
    assert result.line("base_pay").amount == D("8000.00")
    assert result.gross == D("8000.00")


def test_the_attendance_summary_paid_days_win_over_the_calendar():
    data = replace(joiner_in_september(), attendance=Attendance(paid_days=D("10.5")))
    assert calculate_payslip(data).line("base_pay").amount == D("10500.00")


def test_part_month_pay_never_exceeds_the_monthly_wage():
    # Joining on Wednesday 2 September 2026: 21 weekdays to the 30th (the 25th a statutory
    # holiday) and Sunday the 20th, a make-up workday: 22 paid days, paid the monthly wage.
    data = replace(joiner_in_september(), join_date=date(2026, 9, 2))
    line = calculate_payslip(data).line("base_pay")
    steps = {step.label: step.value for step in line.explanation}
    assert steps["Paid days (workdays and statutory holidays)"] == D(22)
    assert line.amount == D("21750.00")


def test_a_summary_of_a_full_month_is_the_monthly_wage():
    data = shanghai_month(2026, 9, base_wage=BASE, attendance=Attendance(paid_days=D("21.75")))
    line = calculate_payslip(data).line("base_pay")
    assert (line.label, line.amount) == ("Base pay", D("21750.00"))


def test_an_unknown_year_stops_the_calculation_instead_of_guessing():
    data = shanghai_month(2027, 1, base_wage=BASE, join_date=date(2027, 1, 11),
                          calendar=CALENDAR, tax=TaxInputs(months_employed=1))
    with pytest.raises(CalendarUnknown) as raised:
        calculate_payslip(data)
    assert raised.value.year == 2027


def test_a_published_holiday_table_prices_an_unknown_year():
    # 11–29 January 2027 (leaves on Friday the 29th) with a published table that only lists
    # New Year's Day: 15 weekdays.
    calendar = WorkCalendar(days={date(2027, 1, 1): DayKind.STATUTORY_HOLIDAY},
                            known_years=frozenset({2027}))
    data = shanghai_month(2027, 1, base_wage=BASE, join_date=date(2027, 1, 11),
                          leave_date=date(2027, 1, 29), calendar=calendar,
                          tax=TaxInputs(months_employed=1))
    assert calculate_payslip(data).line("base_pay").amount == D("15000.00")


def test_a_part_month_without_paid_days_or_calendar_is_a_loader_error():
    data = replace(joiner_in_september(), calendar=None)
    with pytest.raises(ValueError, match="paid_days or a work calendar"):
        calculate_payslip(data)


def test_a_month_outside_the_employment_is_a_loader_error():
    data = shanghai_month(2026, 6, leave_date=date(2026, 5, 31))
    with pytest.raises(ValueError, match="not employed"):
        calculate_payslip(data)
