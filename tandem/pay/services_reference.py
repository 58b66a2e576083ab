"""Writes of the reference data (city policies, the holiday table) and of the company's
work-injury class rates. Staff also edit the reference data in the admin, which runs the
same model validation (`CityPolicy.clean`)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tandem.core.models import Company

from . import rules_records  # noqa: F401 (registers the permissions)
from .models import (
    City,
    CityPolicy,
    CompanyWorkInjuryRate,
    DayKind,
    HolidayDay,
    HolidayYear,
    SchemeRate,
)
from .services import _attribute, _full_clean

# ---------------------------------------------------------------------------------------------
# City policies (reference data; staff use the admin, which runs the same `clean`)


@transaction.atomic
def create_city_policy(*, city: City, effective_from: date, schemes: list[dict],
                       by=None, **fields) -> CityPolicy:
    """A new period of a city's policy with its scheme rows (dicts of SchemeRate fields).
    The city row is locked so that two overlapping periods cannot be saved side by side."""
    City.objects.select_for_update().filter(pk=city.pk).first()
    policy = CityPolicy(city=city, effective_from=effective_from, **fields)
    policy.full_clean()
    _attribute(policy, by)
    policy.save()
    for row in schemes:
        rate = SchemeRate(policy=policy, **row)
        rate.full_clean(exclude=["policy"])
        rate.save()
    return policy


def _validate_work_injury_rate(rate: CompanyWorkInjuryRate) -> None:
    errors: dict[str, list[str]] = {}
    try:
        _full_clean(rate)
    except ValidationError as error:
        errors.update(error.message_dict)
    if rate.employer_rate is not None and rate.employer_rate <= 0:
        errors.setdefault("employer_rate", []).append(
            _("Every employer pays work-injury insurance: give a rate above 0."))
    if rate.city_id and rate.effective_from and CompanyWorkInjuryRate.objects.filter(
        city_id=rate.city_id, effective_from=rate.effective_from,
    ).exclude(pk=rate.pk).exists():
        errors.setdefault("effective_from", []).append(
            _("A rate for this city already starts on this date; change that one."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_work_injury_rate(*, company: Company, city: City, effective_from: date,
                            employer_rate: Decimal, by=None) -> CompanyWorkInjuryRate:
    """The company's class rate in `city` from `effective_from`, replacing the policy's
    default rate for work injury (《社会保险法》第三十四条)."""
    rate = CompanyWorkInjuryRate(company=company, city=city, effective_from=effective_from,
                                 employer_rate=employer_rate)
    _validate_work_injury_rate(rate)
    _attribute(rate, by)
    rate.save()
    return rate


@transaction.atomic
def update_work_injury_rate(*, rate: CompanyWorkInjuryRate, by=None,
                            **changes) -> CompanyWorkInjuryRate:
    for name, value in changes.items():
        setattr(rate, name, value)
    _validate_work_injury_rate(rate)
    _attribute(rate, by)
    rate.save()
    return rate


@transaction.atomic
def delete_work_injury_rate(*, rate: CompanyWorkInjuryRate, by=None) -> None:
    _attribute(rate, by)
    rate.delete()


# ---------------------------------------------------------------------------------------------
# The holiday table (reference data; staff also edit it day by day in the admin)


@transaction.atomic
def publish_holiday_year(*, year: int, days: dict[date, tuple[str, str]], source: str = "",
                         by=None) -> HolidayYear:
    """Replaces `year`'s entries of the holiday table with `days` (date → (kind, name): the
    holidays, bridged rest days and make-up workdays) and marks the year published, so every
    other day of it counts as an ordinary weekday or weekend. For a year chinese_calendar does
    not know yet (2027 with 1.11.0), from the State Council's arrangement."""
    errors = [_("%(date)s is not in %(year)s.") % {"date": day.isoformat(), "year": year}
              for day in days if day.year != year]
    errors += [_("%(date)s: unknown kind %(kind)s.") % {"date": day.isoformat(), "kind": kind}
               for day, (kind, _name) in days.items() if kind not in DayKind.values]
    if errors:
        raise ValidationError({"days": errors})
    HolidayDay.objects.filter(date__year=year).delete()
    for day, (kind, name) in sorted(days.items()):
        entry = HolidayDay(date=day, kind=kind, name=name)
        _attribute(entry, by)
        entry.save()
    published, _created = HolidayYear.objects.update_or_create(
        year=year, defaults={"source": source})
    return published
