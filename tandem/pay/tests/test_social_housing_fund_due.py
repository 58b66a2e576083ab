"""When the housing fund starts: 住房公积金管理条例 Art. 17 — a new starter from the second
month of work, a worker who transfers in with an account from the first month."""

from datetime import date

import pytest

from tandem.pay.social import housing_fund_due


@pytest.mark.parametrize("join_date, month, transferred, due", [
    (date(2026, 3, 1), date(2026, 3, 1), False, False),  # the first month: not yet
    (date(2026, 3, 31), date(2026, 3, 1), False, False),
    (date(2026, 3, 15), date(2026, 4, 1), False, True),  # from the second month
    (date(2026, 3, 1), date(2026, 3, 1), True, True),  # transferred in: from the first
    (date(2026, 3, 15), date(2026, 2, 1), True, False),  # before joining: never
    (date(2026, 12, 20), date(2027, 1, 1), False, True),  # across the year end
])
def test_housing_fund_starts_in_the_right_month(join_date, month, transferred, due):
    assert housing_fund_due(join_date=join_date, month_start=month,
                            transferred_account=transferred) is due


def test_any_day_of_the_month_names_that_month():
    assert housing_fund_due(join_date=date(2026, 3, 15), month_start=date(2026, 4, 30),
                            transferred_account=False) is True
    assert housing_fund_due(join_date=date(2026, 3, 15), month_start=date(2026, 3, 31),
                            transferred_account=False) is False
