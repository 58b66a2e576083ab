"""Cumulative withholding (累计预扣预缴法, STA 2018 No. 61 Art. 6), reproduced to the fen on the
State Taxation Administration's published worked examples and the cases of the domain
reference §1.1 (mid-year joiner, first wage income of the year, negative balance)."""

from decimal import Decimal as D

import pytest

from tandem.pay.tax import (
    MonthIncome,
    YearToDate,
    cumulative_withholding,
    withhold_next_month,
)


def wage(income, special="0", additional="0", *, tax_free="0", other="0"):
    return MonthIncome(D(income), tax_free_income=D(tax_free), special_deductions=D(special),
                       special_additional_deductions=D(additional), other_deductions=D(other))


def withheld(schedule):
    return [month.withheld for month in schedule.months]


def test_sta_example_wage_10000_stays_at_3_percent_all_year():
    # 国家税务总局《关于〈个人所得税扣缴申报管理办法（试行）〉的解读》(2018-12), Art. 6, first
    # example: wage 10,000 a month, 三险一金 1,500, children's education 1,000 →
    # (10000 − 5000 − 1500 − 1000) × 3% = 75 every month; 30,000 taxable in the year.
    schedule = cumulative_withholding([wage("10000", "1500", "1000")] * 12)
    assert withheld(schedule) == [D("75.00")] * 12
    assert schedule.months[-1].cumulative_taxable_income == D("30000")
    assert schedule.total_withheld == D("900.00")


def test_sta_example_wage_30000_crosses_into_10_percent_in_february():
    # Same interpretation, second example: wage 30,000, 三险一金 4,500, children's education
    # and elderly support 2,000 together. January (30000 − 5000 − 4500 − 2000) × 3% = 555;
    # February 37,000 × 10% − 2,520 − 555 = 625; March 55,500 × 10% − 2,520 − 1,180 = 1,850.
    schedule = cumulative_withholding([wage("30000", "4500", "2000")] * 3)
    assert withheld(schedule) == [D("555.00"), D("625.00"), D("1850.00")]
    february = schedule.months[1]
    assert february.cumulative_income == D("60000")
    assert february.cumulative_basic_deduction == D("10000")
    assert february.cumulative_taxable_income == D("37000")
    assert (february.rate, february.quick_deduction) == (D("0.10"), D("2520"))
    assert february.cumulative_tax == D("1180.00")
    assert february.cumulative_withheld == D("1180.00")


def test_the_wage_30000_example_over_the_whole_year():
    # Continuing the example: 18,500 taxable a month; 20 % from August (148,000 > 144,000).
    schedule = cumulative_withholding([wage("30000", "4500", "2000")] * 12)
    assert withheld(schedule) == [D(x) for x in (
        "555.00", "625.00", "1850.00", "1850.00", "1850.00", "1850.00", "1850.00",
        "2250.00", "3700.00", "3700.00", "3700.00", "3700.00")]
    # The year's withholding equals the annual tax: 222,000 × 20% − 16,920.
    assert schedule.total_withheld == D("27480.00")
    assert [m.rate for m in schedule.months][6:9] == [D("0.10"), D("0.20"), D("0.20")]


def test_a_mid_year_joiner_deducts_5000_for_each_month_at_this_employer_only():
    # Joins in July: July's basic deduction is 5,000, not 35,000 (61号 Art. 6: 在本单位的任职
    # 受雇月份数), so July withholds like a January.
    schedule = cumulative_withholding([wage("30000", "4500", "2000")] * 6, first_month=7)
    assert [m.month for m in schedule.months] == [7, 8, 9, 10, 11, 12]
    assert [m.cumulative_basic_deduction for m in schedule.months] == [
        D(5000 * n) for n in range(1, 7)]
    assert withheld(schedule) == [D(x) for x in (
        "555.00", "625.00", "1850.00", "1850.00", "1850.00", "1850.00")]


def test_first_wage_income_of_the_year_deducts_5000_for_every_calendar_month():
    # STA 2020 No. 13 (domain reference §1.1 (a)): a graduate who starts work in July and has
    # had no wage income this year deducts 7 × 5,000 = 35,000 in July. At 10,000 a month with
    # 2,000 of 三险一金 nothing is withheld all year: 60,000 income against 60,000 + 12,000.
    schedule = cumulative_withholding([wage("10000", "2000")] * 6, first_month=7,
                                      first_wage_income_of_year=True)
    assert schedule.months[0].cumulative_basic_deduction == D("35000")
    assert schedule.months[-1].cumulative_basic_deduction == D("60000")
    assert withheld(schedule) == [D("0.00")] * 6
    assert [m.cumulative_taxable_income for m in schedule.months] == [D(0)] * 6
    # Without the flag the same joiner pays from July on: 3 % of 3,000 a month.
    ordinary = cumulative_withholding([wage("10000", "2000")] * 6, first_month=7)
    assert withheld(ordinary) == [D("90.00")] * 6


def test_a_negative_balance_withholds_nothing_and_refunds_nothing():
    # A big January, then a month of unpaid leave with deductions still running: the cumulative
    # tax falls below what was already withheld. 余额为负值时，暂不退税 (61号 Art. 6).
    months = [wage("40000", "1000"), wage("0", "1000"), wage("8000", "1000")]
    schedule = cumulative_withholding(months)
    january, february, march = schedule.months
    assert january.withheld == D("1020.00")  # 34,000 × 3%
    assert february.cumulative_tax == D("840.00")  # 28,000 × 3%
    assert february.withheld == D("0.00")
    assert february.negative_balance == D("-180.00")
    assert february.cumulative_withheld == D("1020.00")
    assert "Withheld this month" in [step.label for step in february.explanation]
    # March absorbs the difference: 30,000 × 3% = 900, still below 1,020: nothing again.
    assert march.cumulative_tax == D("900.00")
    assert (march.withheld, march.cumulative_withheld) == (D("0.00"), D("1020.00"))
    assert schedule.total_withheld == D("1020.00")


def test_tax_free_income_and_other_deductions_reduce_the_taxable_income():
    schedule = cumulative_withholding([wage("20000", "2000", "1000", tax_free="500",
                                            other="1000")])
    assert schedule.months[0].cumulative_taxable_income == D("10500")
    assert schedule.months[0].withheld == D("315.00")


def test_the_one_step_form_gives_what_the_schedule_gives():
    months = [wage("30000", "4500", "2000"), wage("31000.55", "4500", "2000"),
              wage("29999.99", "4500", "2000")]
    schedule = cumulative_withholding(months, first_month=4)
    ytd = YearToDate()
    for employed, (month, expected) in enumerate(zip(months, schedule.months, strict=True), 1):
        result = withhold_next_month(ytd, 3 + employed, month, months_employed=employed,
                                     first_wage_income_of_year=False)
        assert result == expected
        ytd = ytd.plus(month, result.withheld)
    assert ytd.withheld == schedule.total_withheld
    assert ytd.income == D("91000.54")


def test_every_month_explains_its_figures():
    month = cumulative_withholding([wage("30000", "4500", "2000")] * 2).months[1]
    steps = {step.label: step.value for step in month.explanation}
    assert steps["Cumulative income"] == D("60000")
    assert steps["Months counted for the basic deduction"] == 2
    assert steps["Cumulative basic deduction (5,000 a month)"] == D("10000")
    assert steps["Withholding rate"] == D("0.10")
    assert steps["Withheld in earlier months"] == D("555.00")
    assert steps["Withheld this month"] == D("625.00")


@pytest.mark.parametrize("first_month, count", [(1, 13), (7, 7), (12, 2)])
def test_a_schedule_ends_in_december(first_month, count):
    with pytest.raises(ValueError, match="13 − first_month"):
        cumulative_withholding([wage("1000")] * count, first_month=first_month)


@pytest.mark.parametrize("first_month", [0, 13])
def test_the_first_month_is_a_calendar_month(first_month):
    with pytest.raises(ValueError, match="calendar month"):
        cumulative_withholding([wage("1000")], first_month=first_month)


def test_months_employed_cannot_exceed_the_calendar_month():
    with pytest.raises(ValueError, match="months_employed"):
        withhold_next_month(YearToDate(), 3, wage("1000"), months_employed=4,
                            first_wage_income_of_year=False)


def test_an_empty_schedule_withholds_nothing():
    assert cumulative_withholding([]).total_withheld == D(0)
