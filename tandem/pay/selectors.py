"""Reads of the Pay data, set-based: each gives what is in force on a date for any number of
employees or cities in a constant number of queries (payroll for 10,000 people reads them as
a handful of queries, not one per person)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import CharField, DateField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import ExtractYear

from .models import (
    AttendanceSummary,
    CityPolicy,
    CompanyWorkInjuryRate,
    DeductionDeclaration,
    DeductionStandard,
    FixedPayItem,
    HolidayDay,
    HolidayYear,
    MinimumWage,
    SalaryProfile,
)
from .workdays import DayKind, WorkCalendar


def in_force(queryset: QuerySet, on: date, *, key: tuple[str, ...],
             date_field: str = "effective_from") -> QuerySet:
    """The rows of `queryset` that are the latest to start on or before `on`, one per value of
    the `key` fields (an employee; a company and a city): a correlated subquery, so one query
    whatever the count."""
    same = {name: OuterRef(name) for name in key}
    latest = (queryset.model._base_manager
              .filter(**same, **{f"{date_field}__lte": on})
              .order_by(f"-{date_field}", "-pk").values("pk")[:1])
    return queryset.filter(**{f"{date_field}__lte": on}).filter(pk=Subquery(latest))


def salary_profiles_in_force(on: date, employees: Iterable | None = None) -> QuerySet:
    """Each employee's salary profile in force on `on` (employees without one are absent),
    with city and fixed pay items: two queries. Needs the company scope."""
    profiles = SalaryProfile.objects.all()
    if employees is not None:
        profiles = profiles.filter(employee__in=employees)
    return (in_force(profiles, on, key=("employee",))
            .select_related("employee", "city")
            .prefetch_related(Prefetch("items", queryset=FixedPayItem.objects.order_by(
                "kind", "name"))))


def policies_in_force(on: date, cities: Iterable | None = None) -> dict[int, CityPolicy]:
    """City id → the policy in force on `on`, scheme rates prefetched: two queries."""
    policies = CityPolicy.objects.filter(effective_from__lte=on).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=on))
    if cities is not None:
        policies = policies.filter(city__in=cities)
    policies = policies.select_related("city").prefetch_related("scheme_rates")
    return {policy.city_id: policy for policy in policies}


def policy_in_force(city, on: date) -> CityPolicy | None:
    return policies_in_force(on, [city]).get(getattr(city, "pk", city))


class PolicyTable:
    """Every policy of `cities` (all cities when None) read in one query, answering
    `policy_in_force` for any of them on any date without another: for an import that checks
    thousands of rows, each against the policy of its own date. City policies are a short
    reference table (a few periods a city). Scheme rates are not fetched."""

    def __init__(self, cities: Iterable | None = None):
        policies = CityPolicy.objects.order_by("effective_from", "pk")
        if cities is not None:
            policies = policies.filter(city__in=cities)
        self.by_city: dict[int, list[CityPolicy]] = {}
        for policy in policies:
            self.by_city.setdefault(policy.city_id, []).append(policy)

    def on(self, city, on: date) -> CityPolicy | None:
        """The policy of `city` (an id or a City) in force on `on`, as `policy_in_force`."""
        found = None
        for policy in self.by_city.get(getattr(city, "pk", city), ()):
            if policy.effective_from <= on and (policy.effective_to is None
                                                or policy.effective_to >= on):
                found = policy
        return found


def minimum_wages_in_force(on: date) -> dict[int, MinimumWage]:
    """City id → the minimum wage in force on `on`: one query."""
    return {wage.city_id: wage
            for wage in in_force(MinimumWage.objects.all(), on, key=("city",))}


def work_injury_rates_in_force(on: date) -> dict[int, CompanyWorkInjuryRate]:
    """City id → the company's work-injury rate in force on `on` (company scope): one query."""
    return {rate.city_id: rate
            for rate in in_force(CompanyWorkInjuryRate.objects.all(), on,
                                     key=("company", "city"))}


def deduction_standards_on(on: date) -> dict[tuple[str, str], DeductionStandard]:
    """(category, variant) → the standard in force on `on`: one query."""
    standards = DeductionStandard.objects.filter(effective_from__lte=on).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=on))
    return {(s.category, s.variant): s for s in standards}


def declarations_for_month(month: date, employees: Iterable | None = None) -> QuerySet:
    """The deduction declarations covering `month` (its first day): one query."""
    declarations = DeductionDeclaration.objects.filter(from_month__lte=month).filter(
        Q(to_month__isnull=True) | Q(to_month__gte=month))
    if employees is not None:
        declarations = declarations.filter(employee__in=employees)
    return declarations


def attendance_for_month(month: date, employees: Iterable | None = None) -> QuerySet:
    summaries = AttendanceSummary.objects.filter(month=month)
    if employees is not None:
        summaries = summaries.filter(employee__in=employees)
    return summaries


def work_calendar(years: Iterable[int]) -> WorkCalendar:
    """The holiday table of `years` as a `pay.workdays.WorkCalendar`, in one query: the days
    and the published years come back together (a UNION), so a published year with no entry
    still counts as known."""
    years = sorted(set(years))
    if not years:
        return WorkCalendar(days={}, known_years=frozenset())
    days = (HolidayDay.objects.filter(date__year__in=years)
            .annotate(y=ExtractYear("date"))
            .order_by().values_list("y", "date", "kind"))
    published = (HolidayYear.objects.filter(year__in=years)
                 .annotate(d=Value(None, output_field=DateField()),
                           k=Value("", output_field=CharField()))
                 .order_by().values_list("year", "d", "k"))
    table, known = {}, set()
    for year, day, kind in days.union(published, all=True):
        if day is None:
            known.add(year)
        else:
            table[day] = DayKind(kind)
    return WorkCalendar(days=table, known_years=frozenset(known))
