"""The work calendar (`pay.workdays`): our table first, then chinese_calendar, then the ordinary
week for a published year; statutory holidays (300 %) told apart from bridged rest days (200 %);
a year nobody knows is `CalendarUnknown`, never chinese_calendar's NotImplementedError."""

from datetime import date, timedelta

import chinese_calendar
import pytest
from django.utils import translation

from tandem.pay.workdays import STATUTORY_HOLIDAYS, CalendarUnknown, DayKind, WorkCalendar

LIBRARY_ONLY = WorkCalendar(days={}, known_years=set())


@pytest.mark.parametrize("year", [2025, 2026])
def test_each_year_has_the_13_statutory_days_of_the_2024_holiday_law(year):
    days = STATUTORY_HOLIDAYS[year]
    assert len(days) == 13
    assert {date(year, 1, 1), date(year, 5, 1), date(year, 5, 2), date(year, 10, 1),
            date(year, 10, 2), date(year, 10, 3)} <= days
    # Every statutory day falls inside one of chinese_calendar's holiday blocks.
    for day in days:
        on_holiday, name = chinese_calendar.get_holiday_detail(day)
        assert on_holiday and name is not None, day


def test_the_2026_statutory_days_of_the_domain_reference():
    assert STATUTORY_HOLIDAYS[2026] == frozenset({
        date(2026, 1, 1), date(2026, 2, 16), date(2026, 2, 17), date(2026, 2, 18),
        date(2026, 2, 19), date(2026, 4, 5), date(2026, 5, 1), date(2026, 5, 2),
        date(2026, 6, 19), date(2026, 9, 25), date(2026, 10, 1), date(2026, 10, 2),
        date(2026, 10, 3),
    })


def test_the_2025_lunar_and_solar_term_holidays():
    # 除夕 2025-01-28 (Spring Festival 1-29 to 1-31 is 初一 to 初三), 清明 4-4, 端午 5-31, 中秋 10-6.
    assert {date(2025, 1, 28), date(2025, 1, 29), date(2025, 1, 30), date(2025, 1, 31),
            date(2025, 4, 4), date(2025, 5, 31), date(2025, 10, 6)} <= STATUTORY_HOLIDAYS[2025]
    terms = {name: day for day, name in chinese_calendar.get_solar_terms(
        date(2025, 4, 1), date(2025, 4, 10))}
    assert terms["清明"] == date(2025, 4, 4)


@pytest.mark.parametrize("day, kind", [
    (date(2026, 10, 3), DayKind.STATUTORY_HOLIDAY),  # a Saturday, but statutory
    (date(2026, 10, 4), DayKind.REST_DAY),  # bridged: 200 %
    (date(2026, 10, 7), DayKind.REST_DAY),
    (date(2026, 10, 10), DayKind.WORKDAY),  # Saturday make-up workday
    (date(2026, 2, 15), DayKind.REST_DAY),  # Spring Festival break before 除夕
    (date(2026, 2, 16), DayKind.STATUTORY_HOLIDAY),  # 除夕
    (date(2026, 2, 14), DayKind.WORKDAY),
    (date(2026, 1, 2), DayKind.REST_DAY),
    (date(2026, 1, 4), DayKind.WORKDAY),  # a Sunday make-up workday
    (date(2026, 3, 7), DayKind.REST_DAY),  # an ordinary Saturday
    (date(2026, 3, 9), DayKind.WORKDAY),
    (date(2025, 10, 6), DayKind.STATUTORY_HOLIDAY),  # 中秋 inside National Day week
    (date(2025, 10, 8), DayKind.REST_DAY),
])
def test_kinds_of_days_from_chinese_calendar_and_the_statutory_set(day, kind):
    assert LIBRARY_ONLY.kind_of(day) == kind


def test_2026_has_248_workdays():
    assert LIBRARY_ONLY.workdays_between(date(2026, 1, 1), date(2026, 12, 31)) == 248
    assert LIBRARY_ONLY.workdays_between(date(2026, 10, 1), date(2026, 10, 11)) == 3  # 8, 9, 10
    assert LIBRARY_ONLY.workdays_between(date(2026, 10, 2), date(2026, 10, 1)) == 0


def test_a_year_nobody_knows_is_calendar_unknown_with_a_clear_message():
    with pytest.raises(CalendarUnknown) as raised:
        LIBRARY_ONLY.kind_of(date(2027, 1, 4))
    assert raised.value.year == 2027
    with translation.override("en"):
        assert str(raised.value) == (
            "The holiday calendar for 2027 isn't known yet: add that year's holidays and "
            "make-up workdays in the holiday table.")
    with pytest.raises(CalendarUnknown):
        LIBRARY_ONLY.workdays_between(date(2026, 12, 28), date(2027, 1, 5))


def test_a_table_entry_answers_for_2027_and_a_published_year_falls_back_to_the_week():
    calendar = WorkCalendar(
        days={date(2027, 1, 1): DayKind.STATUTORY_HOLIDAY, date(2027, 2, 20): DayKind.WORKDAY},
        known_years={2027})
    assert calendar.kind_of(date(2027, 1, 1)) == DayKind.STATUTORY_HOLIDAY
    assert calendar.kind_of(date(2027, 2, 20)) == DayKind.WORKDAY  # a Saturday make-up day
    assert calendar.kind_of(date(2027, 1, 2)) == DayKind.REST_DAY  # Saturday
    assert calendar.kind_of(date(2027, 1, 4)) == DayKind.WORKDAY  # Monday
    assert calendar.workdays_between(date(2026, 12, 28), date(2027, 1, 8)) == 9


def test_a_table_entry_without_the_year_published_answers_for_that_day_only():
    calendar = WorkCalendar(days={date(2027, 1, 1): DayKind.STATUTORY_HOLIDAY},
                            known_years=set())
    assert calendar.kind_of(date(2027, 1, 1)) == DayKind.STATUTORY_HOLIDAY
    with pytest.raises(CalendarUnknown):
        calendar.kind_of(date(2027, 1, 4))


def test_the_table_overrides_chinese_calendar():
    calendar = WorkCalendar(days={date(2026, 10, 4): DayKind.WORKDAY}, known_years={2026})
    assert calendar.kind_of(date(2026, 10, 4)) == DayKind.WORKDAY


def test_a_holiday_of_a_year_without_its_statutory_set_is_unknown_not_guessed():
    # chinese_calendar knows 2024, but not which of its holidays are statutory (300 %).
    with pytest.raises(CalendarUnknown):
        LIBRARY_ONLY.kind_of(date(2024, 10, 1))
    # Its ordinary days and weekends are still known.
    assert LIBRARY_ONLY.kind_of(date(2024, 3, 4)) == DayKind.WORKDAY
    assert LIBRARY_ONLY.kind_of(date(2024, 3, 2)) == DayKind.REST_DAY


def test_every_day_of_2025_and_2026_is_classed():
    day = date(2025, 1, 1)
    kinds = dict.fromkeys(DayKind, 0)
    while day.year < 2027:
        kinds[LIBRARY_ONLY.kind_of(day)] += 1
        day += timedelta(days=1)
    assert kinds[DayKind.STATUTORY_HOLIDAY] == 26
    assert kinds[DayKind.WORKDAY] == 248 * 2
