"""Properties of cumulative withholding over any year of wages (hypothesis)."""

from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from tandem.pay.tax import FEN, MonthIncome, cumulative_withholding

money = st.decimals(min_value=0, max_value=200_000, places=2, allow_nan=False,
                    allow_infinity=False)


@st.composite
def month_incomes(draw):
    return MonthIncome(draw(money), tax_free_income=draw(money) / 20,
                       special_deductions=draw(money) / 10,
                       special_additional_deductions=draw(money) / 20,
                       other_deductions=draw(money) / 50)


@st.composite
def schedules(draw):
    first_month = draw(st.integers(min_value=1, max_value=12))
    months = draw(st.lists(month_incomes(), min_size=1, max_size=13 - first_month))
    return first_month, months, draw(st.booleans())


@given(schedules())
def test_withholding_is_never_negative_and_always_to_the_fen(case):
    first_month, months, first_wage = case
    schedule = cumulative_withholding(months, first_month=first_month,
                                      first_wage_income_of_year=first_wage)
    for month in schedule.months:
        assert month.withheld >= 0
        assert month.withheld == month.withheld.quantize(FEN)
        assert month.cumulative_tax == month.cumulative_tax.quantize(FEN)
    assert schedule.total_withheld == sum((m.withheld for m in schedule.months), D(0))


@given(schedules())
def test_cumulative_withheld_is_cumulative_tax_until_a_balance_turns_negative(case):
    first_month, months, first_wage = case
    schedule = cumulative_withholding(months, first_month=first_month,
                                      first_wage_income_of_year=first_wage)
    for month in schedule.months:
        if month.negative_balance < 0:
            # Withheld stays above the tax due, by exactly the balance, and no month refunds.
            assert month.cumulative_withheld == month.cumulative_tax - month.negative_balance
            break
        assert month.cumulative_withheld == month.cumulative_tax
    # Whatever happened, the withholding never falls behind the tax due.
    assert all(m.cumulative_withheld >= m.cumulative_tax for m in schedule.months)


@given(schedules(), st.integers(min_value=0, max_value=11),
       st.decimals(min_value="0.01", max_value=50_000, places=2))
def test_more_income_in_a_month_never_lowers_any_cumulative_tax(case, index, raise_by):
    first_month, months, first_wage = case
    index %= len(months)
    richer = list(months)
    month = richer[index]
    richer[index] = MonthIncome(month.income + raise_by, month.tax_free_income,
                                month.special_deductions, month.special_additional_deductions,
                                month.other_deductions)
    before = cumulative_withholding(months, first_month=first_month,
                                    first_wage_income_of_year=first_wage)
    after = cumulative_withholding(richer, first_month=first_month,
                                   first_wage_income_of_year=first_wage)
    for old, new in zip(before.months, after.months, strict=True):
        assert new.cumulative_tax >= old.cumulative_tax
        assert new.cumulative_withheld >= old.cumulative_withheld
    assert after.total_withheld >= before.total_withheld


@given(st.lists(month_incomes(), min_size=1, max_size=12))
def test_without_a_negative_balance_the_year_withholds_the_annual_tax(months):
    schedule = cumulative_withholding(months)
    if all(m.negative_balance == 0 for m in schedule.months):
        assert schedule.total_withheld == schedule.months[-1].cumulative_tax
