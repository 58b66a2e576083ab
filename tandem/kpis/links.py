"""Key results feeding KPI assignments (the core of ../shared/domain/okr-kpi.md's worked
example: the monthly-sales KR's check-ins add up to the quarterly sales KPI). A link turns every
check-in of its key result inside the assignment's cycle into a measurement of the assignment
— in the check-in's own transaction, each measurement pointing back to its check-in — and
removing the link removes those measurements."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.core.permissions import is_people_admin
from tandem.goals.models import CheckIn, KeyResult, MeasureType

from .compute import recompute
from .models import (
    ActualSource,
    Assignment,
    KeyResultLink,
    LinkMode,
    Measurement,
    MeasurementSource,
)
from .signals import announce_backdated

VALUE_PLACES = Decimal("0.0001")


def may_link(actor, key_result: KeyResult, assignment: Assignment) -> bool:
    """HR and administrators; otherwise who may change the key result and manage or hold the
    assignment."""
    if actor is None or is_people_admin(actor.user):
        return True
    user = actor.user
    return user.has_perm("goals.change_keyresult", key_result) and (
        user.has_perm("kpis.change_assignment", assignment)
        or (actor.employee is not None and assignment.employee_id == actor.employee.pk))


def _units_differ(key_result: KeyResult, assignment: Assignment) -> bool:
    return (key_result.unit or "").strip().lower() != (assignment.indicator.unit or "").strip(
    ).lower()


@transaction.atomic
def link(*, key_result: KeyResult, assignment: Assignment, mode: str = LinkMode.VALUE,
         factor: Decimal | None = None, actor=None, by=None) -> KeyResultLink:
    """Links and brings in the key result's check-ins so far. An assignment with no figures of
    its own takes its actual from its key results from then on."""
    if not may_link(actor, key_result, assignment):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if key_result.measure_type == MeasureType.MILESTONE:
        errors["key_result"] = [_("A milestone key result has no figures to feed a KPI.")]
    if key_result.driven_by_objective_id is not None:
        errors["key_result"] = [_("This key result takes its progress from an aligned "
                                  "objective and has no check-ins of its own.")]
    if assignment.position_id is not None:
        errors["assignment"] = [_("Link to a person's or a department's KPI, not a "
                                  "position's.")]
    if mode not in LinkMode.values:
        errors["mode"] = [_("Choose how check-ins count.")]
    if factor is not None and Decimal(factor) <= 0:
        errors["factor"] = [_("The conversion factor must be above 0.")]
    if factor is None and _units_differ(key_result, assignment):
        errors["factor"] = [_("The key result counts in “%(kr)s” and the indicator in "
                              "“%(kpi)s”: give a conversion factor.")
                            % {"kr": key_result.unit or "—",
                               "kpi": assignment.indicator.unit or "—"}]
    kr_cycle, cycle = key_result.objective.cycle, assignment.cycle
    if kr_cycle.end < cycle.start or kr_cycle.start > cycle.end:
        errors["key_result"] = [_("The key result's cycle does not overlap the KPI's.")]
    if key_result.objective.company_id != assignment.company_id:
        raise PermissionDenied
    if KeyResultLink.objects.filter(key_result=key_result, assignment=assignment).exists():
        errors["assignment"] = [_("This key result already feeds this KPI.")]
    if errors:
        raise ValidationError(errors)
    created = KeyResultLink.objects.create(
        company=assignment.company, key_result=key_result, assignment=assignment, mode=mode,
        factor=Decimal(factor) if factor is not None else Decimal(1),
        created_by=by if by is not None and by.is_authenticated else None)
    if assignment.actual_source == ActualSource.OWN and not assignment.measurements.exists():
        assignment.actual_source = ActualSource.KEY_RESULTS
        assignment.save(update_fields=["actual_source", "updated_at"])
    check_ins = CheckIn.objects.filter(key_result=key_result).order_by("created_at", "pk")
    measured = _measure([created], list(check_ins), key_result)
    recompute([assignment.pk])
    announce_backdated([assignment.cycle_id], (row.date for row in measured))
    return created


@transaction.atomic
def unlink(*, key_result_link: KeyResultLink, actor=None) -> None:
    """Removes the link and every measurement it brought; the assignment is recomputed (and
    goes back to its own figures when no key result feeds it any more)."""
    if not may_link(actor, key_result_link.key_result, key_result_link.assignment):
        raise PermissionDenied
    assignment = key_result_link.assignment
    key_result_link.delete()  # its measurements go with it (CASCADE)
    if (assignment.actual_source == ActualSource.KEY_RESULTS
            and not assignment.key_result_links.exists()):
        assignment.actual_source = ActualSource.OWN
        assignment.save(update_fields=["actual_source", "updated_at"])
    recompute([assignment.pk])
    announce_backdated([assignment.cycle_id], None)  # its figures may date from any day


def _measure(links: Iterable[KeyResultLink], check_ins: list[CheckIn], key_result: KeyResult
             ) -> list[Measurement]:
    """Measurements of `check_ins` (of one key result, oldest first) for each link, dated the
    check-in's day; check-ins outside the assignment's cycle count nowhere. The increment of
    the first check-in is measured from the key result's start value."""
    rows = []
    for each in links:
        cycle = each.assignment.cycle
        previous = _previous_value(key_result, check_ins[0]) if check_ins else None
        for entry in check_ins:
            if entry.value is None:
                continue
            value = entry.value
            amount = value if each.mode == LinkMode.VALUE else value - previous
            previous = value
            day = timezone.localdate(entry.created_at)
            if not cycle.start <= day <= cycle.end:
                continue
            rows.append(Measurement(
                company=each.company, assignment=each.assignment, date=day,
                value=(amount * each.factor).quantize(VALUE_PLACES),
                source=MeasurementSource.KEY_RESULT, link=each, check_in=entry,
                recorded_by=entry.author))
    return Measurement.objects.bulk_create(rows)


def _previous_value(key_result: KeyResult, first: CheckIn) -> Decimal:
    earlier = (CheckIn.objects.filter(key_result=key_result, value__isnull=False)
               .filter(Q(created_at__lt=first.created_at)
                       | Q(created_at=first.created_at, pk__lt=first.pk))
               .order_by("-created_at", "-pk")
               .values_list("value", flat=True).first())
    return earlier if earlier is not None else key_result.start_value


def on_check_in(check_in: CheckIn) -> None:
    """Called inside the check-in's transaction (goals.signals.checked_in)."""
    key_result = check_in.key_result
    links = list(KeyResultLink.objects.filter(key_result=key_result)
                 .select_related("assignment__cycle"))
    if not links:
        return
    _measure(links, [check_in], key_result)
    recompute({each.assignment_id for each in links})
