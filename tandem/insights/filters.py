"""The filters of the synergy report (cycle, department) and who sees what, shared by the page,
its explanation panel, the Excel export and the API, so that all four answer alike.

- `cycle`: a cycle id of the company (another company's or an unknown id: 404; not a number:
  `BadFilter`, a 400); left out: the active cycle that contains today.
- `department`: a department id (same answers); the report then covers it and the
  departments below it. HR and administrators may pick any; a department leader only one of
  the departments they lead or below (another: PermissionDenied, 403), and without a pick
  sees all of those."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.core.permissions import is_people_admin
from tandem.goals import selectors
from tandem.goals.models import Cycle
from tandem.goals.tree_page import department_filter
from tandem.org.models import Department


class BadFilter(Exception):
    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


@dataclass
class Filters:
    cycle: Cycle | None
    department: Department | None
    # Department ids the report covers; None: the whole company.
    subtree: frozenset[int] | None
    # What the department picker offers.
    choices: list[Department]
    # True for HR and administrators (the whole company), False for a leader.
    everyone: bool = True

    def query(self, **extra) -> str:
        parts = []
        if self.cycle is not None:
            parts.append(f"cycle={self.cycle.pk}")
        if self.department is not None:
            parts.append(f"department={self.department.pk}")
        parts.extend(f"{key}={value}" for key, value in extra.items())
        return "&".join(parts)


def _id(raw: str) -> int | None:
    return int(raw) if raw.isascii() and raw.isdigit() and 0 < int(raw) < 2**63 else None


def resolve(actor, params) -> Filters:
    """The report's filters from the query parameters, for `actor`. Three queries at most."""
    errors: dict[str, list[str]] = {}
    raw_cycle = params.get("cycle", "") or ""
    raw_department = params.get("department", "") or ""
    if raw_cycle and _id(raw_cycle) is None:
        errors["cycle"] = [_("Give a cycle id, or leave the parameter out.")]
    if raw_department and _id(raw_department) is None:
        errors["department"] = [_("Give a department id, or leave the parameter out.")]
    if errors:
        raise BadFilter(errors)
    if raw_cycle:
        cycle = Cycle.objects.filter(pk=_id(raw_cycle)).first()
        if cycle is None:
            raise Http404
    else:
        cycle = selectors.current_cycle(timezone.localdate())
    everyone = is_people_admin(actor.user)
    managed = frozenset() if everyone else actor.managed_department_ids
    picked = department_filter(raw_department, Department.objects.order_by("name", "pk"))
    if picked is None:
        raise Http404
    choices = [d for d in picked.choices if everyone or d.pk in managed]
    if everyone:
        return Filters(cycle, picked.department, picked.subtree, choices)
    if not managed:
        raise PermissionDenied
    if picked.department is None:
        return Filters(cycle, None, managed, choices, everyone=False)
    if picked.department.pk not in managed:
        raise PermissionDenied
    return Filters(cycle, picked.department, picked.subtree, choices, everyone=False)
