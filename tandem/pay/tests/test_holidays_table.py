"""The holiday table: seeded for 2025 and 2026 from chinese_calendar and the statutory days of
`pay.workdays`, read as a `WorkCalendar` in one query, and the year chinese_calendar does not
know (2027 with 1.11.0): unknown until its table is published, then exact."""

from datetime import date

import chinese_calendar
import pytest
from django.core.exceptions import ValidationError

from tandem.pay import services_reference
from tandem.pay.models import HolidayDay, HolidayYear
from tandem.pay.selectors import work_calendar
from tandem.pay.workdays import STATUTORY_HOLIDAYS, CalendarUnknown, DayKind

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_seeded_statutory_days_are_the_13_of_the_holiday_measures(year):
    statutory = set(HolidayDay.objects.filter(date__year=year, kind="statutory_holiday")
                    .values_list("date", flat=True))
    assert statutory == STATUTORY_HOLIDAYS[year]
    assert len(statutory) == 13


def test_2026_make_up_workdays_and_bridged_days():
    days = dict(HolidayDay.objects.filter(date__year=2026).values_list("date", "kind"))
    workdays = {day for day, kind in days.items() if kind == "workday"}
    assert workdays == {date(2026, 1, 4), date(2026, 2, 14), date(2026, 2, 28),
                        date(2026, 5, 9), date(2026, 9, 20), date(2026, 10, 10)}
    # 调休 days inside a block are rest days (200 %), not statutory (300 %).
    for bridged in (date(2026, 1, 2), date(2026, 2, 20), date(2026, 2, 23), date(2026, 5, 5),
                    date(2026, 10, 6), date(2026, 10, 7)):
        assert days[bridged] == "rest_day"
    assert HolidayDay.objects.get(date=date(2026, 2, 17)).name == "春节"


def test_the_calendar_comes_in_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        calendar = work_calendar([2025, 2026])
    assert calendar.known_years == {2025, 2026}
    assert calendar.kind_of(date(2026, 10, 1)) == DayKind.STATUTORY_HOLIDAY
    assert calendar.kind_of(date(2026, 10, 6)) == DayKind.REST_DAY
    assert calendar.kind_of(date(2026, 2, 28)) == DayKind.WORKDAY


def test_the_table_alone_gives_the_248_workdays_of_2026(monkeypatch):
    """Without chinese_calendar's data (as for a year it does not know), the published table
    and the ordinary week give the same year."""

    def unknown(day):
        raise NotImplementedError(f"no available data for year {day.year}")

    monkeypatch.setattr(chinese_calendar, "get_holiday_detail", unknown)
    calendar = work_calendar([2026])
    assert calendar.workdays_between(date(2026, 1, 1), date(2026, 12, 31)) == 248


def test_2027_is_unknown_until_its_table_is_published():
    calendar = work_calendar([2027])
    assert calendar.known_years == frozenset()
    with pytest.raises(CalendarUnknown) as unknown:
        calendar.kind_of(date(2027, 1, 4))
    assert unknown.value.year == 2027


def test_a_published_2027_is_read_from_the_table():
    services_reference.publish_holiday_year(year=2027, days={
        date(2027, 1, 1): ("statutory_holiday", "元旦"),
        date(2027, 2, 5): ("statutory_holiday", "春节"),
        date(2027, 2, 20): ("workday", "春节"),
    }, source="test arrangement")
    calendar = work_calendar([2027])
    assert calendar.known_years == {2027}
    assert calendar.kind_of(date(2027, 1, 1)) == DayKind.STATUTORY_HOLIDAY
    assert calendar.kind_of(date(2027, 2, 20)) == DayKind.WORKDAY  # a Saturday
    assert calendar.kind_of(date(2027, 1, 4)) == DayKind.WORKDAY  # an ordinary Monday
    assert calendar.kind_of(date(2027, 1, 9)) == DayKind.REST_DAY  # an ordinary Saturday


def test_a_published_year_with_no_exceptions_is_still_known():
    services_reference.publish_holiday_year(year=2028, days={})
    assert work_calendar([2028]).kind_of(date(2028, 1, 3)) == DayKind.WORKDAY


def test_publishing_refuses_days_of_another_year_or_kind():
    with pytest.raises(ValidationError) as refused:
        services_reference.publish_holiday_year(year=2027, days={
            date(2026, 12, 31): ("rest_day", ""), date(2027, 1, 1): ("holiday", "")})
    assert len(refused.value.message_dict["days"]) == 2
    assert not HolidayYear.objects.filter(year=2027).exists()


def test_republishing_replaces_the_year():
    services_reference.publish_holiday_year(year=2027, days={date(2027, 1, 1): ("rest_day", "")})
    services_reference.publish_holiday_year(year=2027, days={date(2027, 1, 2): ("rest_day", "")})
    assert list(HolidayDay.objects.filter(date__year=2027).values_list("date", flat=True)) == [
        date(2027, 1, 2)]
