"""Who is acting, in which company and role: resolved once per request (or task) and read by
the permission predicates in `core.permissions`."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from .models import Company, Membership, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from tandem.org.models import Employee


@dataclass
class Actor:
    user: AbstractBaseUser
    company: Company
    membership: Membership
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def role(self) -> str:
        return self.membership.role

    @property
    def is_admin(self) -> bool:
        return self.role in (Role.OWNER, Role.ADMIN)

    @property
    def is_hr(self) -> bool:
        return self.role == Role.HR

    @property
    def is_finance(self) -> bool:
        return self.role == Role.FINANCE

    @cached_property
    def employee(self) -> Employee | None:
        from tandem.org.models import Employee

        return (
            Employee.objects.with_scope(company=self.company.pk)
            .filter(user=self.user)
            .select_related("department")
            .first()
        )

    @cached_property
    def managed_department_ids(self) -> frozenset[int]:
        """Departments this person leads, with every department below them."""
        if self.employee is None:
            return frozenset()
        from tandem.org.selectors import subtree_ids

        led = self.employee.led_departments.with_scope(company=self.company.pk)
        return frozenset(subtree_ids(self.company, led.values_list("pk", flat=True)))

    @property
    def is_manager(self) -> bool:
        return bool(self.managed_department_ids)


def resolve_actor(user, company_id: int | None = None) -> Actor | None:
    """The user's active membership: the company chosen in the session when it is still valid,
    otherwise the first one."""
    if not user or not user.is_authenticated:
        return None
    memberships = Membership.objects.filter(user=user, is_active=True).select_related("company")
    membership = None
    if company_id is not None:
        membership = memberships.filter(company_id=company_id).first()
    if membership is None:
        membership = memberships.order_by("pk").first()
    if membership is None:
        return None
    actor = Actor(user=user, company=membership.company, membership=membership)
    user.actor = actor
    return actor


def actor_of(user) -> Actor | None:
    return getattr(user, "actor", None)
