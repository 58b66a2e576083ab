"""The work calendar: which kind of day a date is (workday, rest day, statutory holiday) for
pay and attendance. Pure, no ORM: `pay.selectors.work_calendar(years)` builds a `WorkCalendar`
from the holiday table (`HolidayDay` rows) and hands it to payroll and attendance.

Why three kinds: overtime on a rest day pays 200 %, on a statutory holiday 300 %
(劳动法 Art. 44), and only the statutory days themselves are statutory — the rest of a bridged
holiday block is rest days (../shared/domain/china-payroll-labour.md §4.2, §5).
`chinese_calendar` knows workdays and holidays but not which holiday days are statutory, and
knows no year after its release (1.11.0: 2004–2026), hence our own table first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

import chinese_calendar
from django.utils.translation import gettext


class DayKind(StrEnum):
    WORKDAY = "workday"
    # A weekend or a bridged day of a holiday block: overtime pays 200 % (劳动法 Art. 44(2)).
    REST_DAY = "rest_day"
    # A day of 全国年节及纪念日放假办法 Art. 2: overtime pays 300 % (劳动法 Art. 44(3)).
    STATUTORY_HOLIDAY = "statutory_holiday"


# The 13 statutory holiday days of each year under 全国年节及纪念日放假办法 as amended
# 2024-11-10 (国务院令第795号, in force 2025-01-01), Art. 2: New Year 1 day (1 Jan), Spring
# Festival 4 days (农历除夕 to 正月初三), Qingming 1 day (the 清明 solar term), Labour Day 2 days
# (1–2 May), Dragon Boat 1 day (农历五月初五), Mid-Autumn 1 day (农历八月十五), National Day
# 3 days (1–3 Oct). The lunar dates were derived from the calendar and checked against
# chinese_calendar 1.11.0 (each day falls inside the library's block of that holiday; its
# `get_solar_terms` gives 清明 2025-04-04 and 2026-04-05) and against the State Council's
# arrangements 国办发明电〔2024〕12号 (2025: 除夕 1-28; 端午 5-31; 中秋 10-6) and
# 国办发明电〔2025〕7号 (2026: 除夕 2-16; 端午 6-19; 中秋 9-25). The holiday table is seeded from
# here; a new year is added in the table (admin), or here once its arrangement is published.
STATUTORY_HOLIDAYS: dict[int, frozenset[date]] = {
    2025: frozenset({
        date(2025, 1, 1),
        date(2025, 1, 28), date(2025, 1, 29), date(2025, 1, 30), date(2025, 1, 31),
        date(2025, 4, 4),
        date(2025, 5, 1), date(2025, 5, 2),
        date(2025, 5, 31),
        date(2025, 10, 6),
        date(2025, 10, 1), date(2025, 10, 2), date(2025, 10, 3),
    }),
    2026: frozenset({
        date(2026, 1, 1),
        date(2026, 2, 16), date(2026, 2, 17), date(2026, 2, 18), date(2026, 2, 19),
        date(2026, 4, 5),
        date(2026, 5, 1), date(2026, 5, 2),
        date(2026, 6, 19),
        date(2026, 9, 25),
        date(2026, 10, 1), date(2026, 10, 2), date(2026, 10, 3),
    }),
}


class CalendarUnknown(Exception):
    """Neither the holiday table nor chinese_calendar knows the year's holidays, so no day of
    it can be classed (payroll must stop for that employee and say why, not guess)."""

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(year)

    @property
    def message(self) -> str:
        # Translated when shown, in the language of the request that shows it.
        return gettext(
            "The holiday calendar for %(year)s isn't known yet: add that year's holidays and "
            "make-up workdays in the holiday table."
        ) % {"year": self.year}

    def __str__(self) -> str:
        return self.message


def _ordinary_kind(day: date) -> DayKind:
    # 国务院关于职工工作时间的规定 Art. 7: Saturday and Sunday are the weekly rest days.
    return DayKind.REST_DAY if day.weekday() >= 5 else DayKind.WORKDAY


@dataclass(frozen=True)
class WorkCalendar:
    """`days`: the holiday table's entries (holidays, bridged rest days, make-up workdays).
    `known_years`: the years whose table is published (complete): there a date missing from
    the table is an ordinary weekday or weekend. `statutory_holidays` tells chinese_calendar's
    holidays apart (statutory or bridged) for the years the table doesn't hold."""

    days: Mapping[date, DayKind]
    known_years: set[int] | frozenset[int] = frozenset()
    statutory_holidays: Mapping[int, frozenset[date]] = field(
        default_factory=lambda: STATUTORY_HOLIDAYS
    )

    def kind_of(self, day: date) -> DayKind:
        """The table first, then chinese_calendar, then the ordinary week for a published
        year; otherwise `CalendarUnknown`."""
        if day in self.days:
            return DayKind(self.days[day])
        try:
            on_holiday, holiday_name = chinese_calendar.get_holiday_detail(day)
        except NotImplementedError:
            # chinese_calendar raises for a year it has no data for (1.11.0: after 2026).
            if day.year in self.known_years:
                return _ordinary_kind(day)
            raise CalendarUnknown(day.year) from None
        if not on_holiday:
            return DayKind.WORKDAY
        if holiday_name is None:
            return DayKind.REST_DAY  # an ordinary weekend
        statutory = self.statutory_holidays.get(day.year)
        if statutory is None:
            if day.year in self.known_years:
                return DayKind.REST_DAY  # the published table doesn't list it as statutory
            # A holiday block we can't split into statutory and bridged days: 300 % or 200 %
            # would be a guess.
            raise CalendarUnknown(day.year)
        return DayKind.STATUTORY_HOLIDAY if day in statutory else DayKind.REST_DAY

    def is_workday(self, day: date) -> bool:
        return self.kind_of(day) == DayKind.WORKDAY

    def workdays_between(self, start: date, end: date) -> int:
        """How many workdays from `start` to `end`, both included (0 if end < start)."""
        count = 0
        day = start
        while day <= end:
            if self.kind_of(day) == DayKind.WORKDAY:
                count += 1
            day += timedelta(days=1)
        return count
