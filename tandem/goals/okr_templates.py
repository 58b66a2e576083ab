"""OKR templates: the built-in library copied into each company, applying a template as a
draft objective (through `goals.services`, so every rule of objectives and key results
applies), and saving an objective as a company template (HR and administrators)."""

from __future__ import annotations

from decimal import Decimal

import rules
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import get_language

from tandem.core.models import Company
from tandem.core.permissions import is_member, is_people_admin
from tandem.org.models import Department, Employee

from . import services
from .models import (
    Cycle,
    Industry,
    MeasureType,
    Objective,
    ObjectiveStatus,
    OkrTemplate,
    OkrTemplateKeyResult,
)
from .template_library import LIBRARY

rules.set_perm("goals.view_okrtemplate", is_member)
rules.set_perm("goals.add_okrtemplate", is_people_admin)
rules.set_perm("goals.apply_okrtemplate", is_member)  # the services check the owner


def _english() -> bool:
    return (get_language() or "").startswith("en")


@transaction.atomic
def install_library(*, company: Company) -> int:
    """Copies the built-in library into the company, replacing older copies of its entries.
    Returns the number of templates written. Idempotent."""
    existing = {t.builtin_key: t for t in OkrTemplate.objects.filter(
        company=company).exclude(builtin_key="")}
    for spec in LIBRARY:
        template = existing.get(spec.key) or OkrTemplate(company=company, builtin_key=spec.key)
        template.industry = spec.industry
        template.title, template.title_en = spec.title, spec.title_en
        template.description, template.description_en = spec.description, spec.description_en
        template.kind = spec.kind
        template.save()
        template.key_results.all().delete()
        OkrTemplateKeyResult.objects.bulk_create([
            OkrTemplateKeyResult(
                company=company, template=template, position=position, title=kr.title,
                title_en=kr.title_en, measure_type=kr.measure_type, start_value=kr.start,
                target_value=kr.target, unit=kr.unit, unit_en=kr.unit_en,
                milestones=[{"title": zh, "title_en": en} for zh, en in kr.milestones])
            for position, kr in enumerate(spec.key_results)])
    return len(LIBRARY)


def ensure_library(*, company: Company) -> None:
    """Installs the built-in library once for a company that does not have it yet (one query
    when it does)."""
    if not OkrTemplate.objects.filter(company=company).exclude(builtin_key="").exists():
        install_library(company=company)


@transaction.atomic
def apply_template(*, template: OkrTemplate, cycle: Cycle, level: str,
                   owner_department: Department | None = None,
                   owner_employee: Employee | None = None, by=None, actor=None) -> Objective:
    """A draft objective with the template's key results, in the active language, for the
    given owner. `create_objective` and `create_key_result` check who may write it."""
    english = _english()

    def pick(chinese: str, other: str) -> str:
        return other if english and other else chinese or other

    objective = services.create_objective(
        company=template.company, cycle=cycle, level=level,
        title=pick(template.title, template.title_en),
        description=pick(template.description, template.description_en), kind=template.kind,
        owner_department=owner_department, owner_employee=owner_employee,
        status=ObjectiveStatus.DRAFT, by=by, actor=actor)
    for kr in template.key_results.all():
        milestones = [services.MilestoneSpec(title=pick(m.get("title", ""),
                                                        m.get("title_en", "")))
                      for m in kr.milestones] if kr.measure_type == MeasureType.MILESTONE else []
        services.create_key_result(
            objective=objective, title=pick(kr.title, kr.title_en),
            measure_type=kr.measure_type, start_value=kr.start_value,
            target_value=kr.target_value, unit=pick(kr.unit, kr.unit_en), weight=kr.weight,
            milestones=milestones, by=by, actor=actor)
    return objective


@transaction.atomic
def save_as_template(*, objective: Objective, industry: str = Industry.GENERAL, by=None,
                     actor=None) -> OkrTemplate:
    """A company template from an objective and its key results (targets as they stand,
    without owners, cascades or check-ins). HR and administrators."""
    if actor is not None and not is_people_admin(actor.user):
        raise PermissionDenied
    template = OkrTemplate(
        company=objective.company, industry=industry, title=objective.title,
        description=objective.description, kind=objective.kind,
        created_by=by if by is not None and by.is_authenticated else None)
    template.full_clean(exclude=["company"])
    template.save()
    rows = []
    for position, kr in enumerate(objective.key_results.prefetch_related("milestones")):
        rows.append(OkrTemplateKeyResult(
            company=objective.company, template=template, position=position, title=kr.title,
            measure_type=kr.measure_type, start_value=kr.start_value,
            target_value=kr.target_value, unit=kr.unit, weight=kr.weight or Decimal("1"),
            milestones=[{"title": m.title, "title_en": ""} for m in kr.milestones.all()]))
    OkrTemplateKeyResult.objects.bulk_create(rows)
    return template


def templates_with_key_results():
    """Every template of the current company with its key results, in two queries."""
    return OkrTemplate.objects.prefetch_related("key_results").order_by("industry", "pk")
