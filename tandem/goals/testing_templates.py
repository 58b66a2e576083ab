"""OKR template fixtures for tests and the access matrix: the built-in library and one company
template, written through `goals.okr_templates`."""

from __future__ import annotations

from dataclasses import dataclass

from django_scopes import scope

from . import okr_templates
from .models import OkrTemplate


@dataclass
class Templates:
    builtin: OkrTemplate  # the SaaS user-growth entry of the built-in library
    saved: OkrTemplate  # a company template (saved by HR)


def make_templates(org) -> Templates:
    company = org.company
    with scope(company=company.pk):
        okr_templates.install_library(company=company)
        builtin = OkrTemplate.objects.get(builtin_key="saas-user-growth")
        saved = OkrTemplate.objects.create(company=company, industry="sales",
                                           title="大客户拓展", title_en="Win key accounts")
        saved.key_results.create(company=company, title="新签大客户", title_en="New key accounts",
                                 measure_type="number", start_value=0, target_value=5)
    return Templates(builtin=builtin, saved=saved)
