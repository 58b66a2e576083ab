"""The built-in OKR template library: its data, and its installation into each company."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django_scopes import scope

from tandem.goals import okr_templates
from tandem.goals.models import Industry, MeasureType, OkrTemplate, OkrTemplateKeyResult
from tandem.goals.template_library import LIBRARY

BUILT_IN_INDUSTRIES = {"saas", "ecommerce", "sales", "marketing", "customer_success", "rnd",
                       "recruiting", "finance"}


def test_the_library_covers_eight_industries_with_unique_keys():
    assert len(LIBRARY) >= 8
    assert {spec.industry for spec in LIBRARY} == BUILT_IN_INDUSTRIES
    assert len({spec.key for spec in LIBRARY}) == len(LIBRARY)
    assert {spec.industry for spec in LIBRARY} <= set(Industry.values)


@pytest.mark.parametrize("spec", LIBRARY, ids=lambda spec: spec.key)
def test_each_template_is_bilingual_with_two_to_four_sensible_key_results(spec):
    assert spec.title and spec.title_en and spec.title != spec.title_en
    assert spec.description and spec.description_en
    assert 2 <= len(spec.key_results) <= 4
    for kr in spec.key_results:
        assert kr.title and kr.title_en and kr.title != kr.title_en
        assert kr.measure_type in MeasureType.values
        assert kr.target != kr.start
        if kr.measure_type in ("number", "percent", "currency"):
            assert kr.unit and kr.unit_en
        if kr.measure_type == "milestone":
            assert kr.milestones and all(zh and en for zh, en in kr.milestones)
        else:
            assert kr.milestones == ()
        if kr.measure_type == "percent":
            # Percent points with a "%" unit, as the key result forms take them (not fractions).
            assert kr.unit == "%" and max(kr.start, kr.target) > 1
            assert Decimal(0) <= min(kr.start, kr.target) and max(kr.start, kr.target) <= 200


def test_the_library_uses_every_measure_type():
    used = {kr.measure_type for spec in LIBRARY for kr in spec.key_results}
    assert used == set(MeasureType.values)


def test_installing_copies_the_library_once_per_company(org, other_org):
    with scope(company=org.company.pk):
        assert okr_templates.install_library(company=org.company) == len(LIBRARY)
        assert okr_templates.install_library(company=org.company) == len(LIBRARY)
        assert OkrTemplate.objects.count() == len(LIBRARY)
        assert OkrTemplateKeyResult.objects.count() == sum(
            len(spec.key_results) for spec in LIBRARY)
        saas = OkrTemplate.objects.get(builtin_key="saas-user-growth")
        assert (saas.industry, saas.title_en, saas.kind) == (
            "saas", "Get more teams using the product and staying", "aspirational")
        churn = saas.key_results.get(position=2)
        assert (churn.title, churn.measure_type, churn.start_value, churn.target_value,
                churn.unit) == ("月度付费流失率", "percent", Decimal("3.5"), Decimal("2"), "%")
    with scope(company=other_org.company.pk):
        assert OkrTemplate.objects.count() == 0


def test_a_refresh_replaces_an_edited_copy(org):
    with scope(company=org.company.pk):
        okr_templates.install_library(company=org.company)
        template = OkrTemplate.objects.get(builtin_key="sales-new-revenue")
        template.title = "改过的标题"
        template.save()
        template.key_results.first().delete()
        okr_templates.install_library(company=org.company)
        template.refresh_from_db()
        assert template.title == "完成季度新签收入目标"
        assert template.key_results.count() == 3


def test_ensure_installs_only_when_missing(org, django_assert_num_queries):
    with scope(company=org.company.pk):
        okr_templates.ensure_library(company=org.company)
        assert OkrTemplate.objects.count() == len(LIBRARY)
        with django_assert_num_queries(1):
            okr_templates.ensure_library(company=org.company)


def test_the_management_command_installs_every_company(org, other_org):
    call_command("install_okr_templates", stdout=open("/dev/null", "w"))  # noqa: SIM115
    for company in (org.company, other_org.company):
        with scope(company=company.pk):
            assert OkrTemplate.objects.exclude(builtin_key="").count() == len(LIBRARY)


def test_display_follows_the_active_language(org):
    from django.utils import translation

    with scope(company=org.company.pk):
        okr_templates.install_library(company=org.company)
        template = OkrTemplate.objects.get(builtin_key="rnd-delivery")
        kr = template.key_results.get(position=0)
        with translation.override("en"):
            assert (template.display_title, kr.display_title, kr.display_unit) == (
                "Ship faster and more reliably", "Average lead time of a change", "days")
        with translation.override("zh-hans"):
            assert (template.display_title, kr.display_title, kr.display_unit) == (
                "更快、更稳地交付产品", "需求平均交付周期", "天")
