"""Special additional deductions: the seeded standards (reference §1.3) and what a declaration
may say: serious illness is never declared for monthly withholding, housing-loan interest and
rent exclude each other within a year, children are shared 50/50 or 100 %, a sibling takes at
most 1,500 of elderly support."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django_scopes import scope

from tandem.pay import services_deductions
from tandem.pay.models import DeductionDeclaration, DeductionStandard
from tandem.pay.selectors import declarations_for_month, deduction_standards_on


@pytest.fixture
def scoped(org):
    with scope(company=org.company.pk):
        yield org


def _declare(org, key="staff", **fields):
    fields.setdefault("from_month", date(2026, 1, 1))
    fields.setdefault("variant", "")
    return services_deductions.create_declaration(company=org.company, employee=org.employees[key],
                                       **fields)


def _refused(org, **fields) -> dict:
    with pytest.raises(ValidationError) as refused:
        _declare(org, **fields)
    return refused.value.message_dict


@pytest.mark.django_db
@pytest.mark.parametrize(("day", "category", "variant", "amount"), [
    (date(2022, 12, 1), "children_education", "", D("1000")),
    (date(2023, 1, 1), "children_education", "", D("2000")),
    (date(2022, 6, 1), "infant_care", "", D("1000")),
    (date(2023, 1, 1), "infant_care", "", D("2000")),
    (date(2022, 6, 1), "elderly_support", "", D("2000")),
    (date(2023, 1, 1), "elderly_support", "", D("3000")),
    (date(2026, 1, 1), "housing_loan_interest", "", D("1000")),
    (date(2026, 1, 1), "housing_rent", "tier-1", D("1500")),
    (date(2026, 1, 1), "housing_rent", "tier-2", D("1100")),
    (date(2026, 1, 1), "housing_rent", "tier-3", D("800")),
    (date(2026, 1, 1), "continuing_education", "degree", D("400")),
])
def test_the_seeded_monthly_standards(day, category, variant, amount):
    assert deduction_standards_on(day)[(category, variant)].monthly_amount == amount


@pytest.mark.django_db
def test_annual_only_standards():
    illness = DeductionStandard.objects.get(category="serious_illness")
    assert (illness.annual_amount, illness.monthly_withholding) == (D("80000"), False)
    certificate = DeductionStandard.objects.get(variant="certificate")
    assert certificate.annual_amount == D("3600")
    assert DeductionStandard.objects.get(category="elderly_support",
                                         effective_from=date(2023, 1, 1)).individual_cap == D(
        "1500")


def test_serious_illness_is_not_declarable(scoped):
    assert list(_refused(scoped, category="serious_illness")) == ["category"]


def test_the_database_refuses_a_serious_illness_declaration_too(scoped):
    with pytest.raises(IntegrityError), transaction.atomic():
        DeductionDeclaration.objects.create(company=scoped.company,
                                            employee=scoped.employees["staff"],
                                            category="serious_illness",
                                            from_month=date(2026, 1, 1))


@pytest.mark.parametrize(("first", "second"), [
    ("housing_loan_interest", "housing_rent"), ("housing_rent", "housing_loan_interest")])
def test_loan_and_rent_exclude_each_other_in_the_same_year(scoped, first, second):
    variant = {"housing_rent": "tier-1"}
    _declare(scoped, category=first, variant=variant.get(first, ""),
             from_month=date(2026, 1, 1), to_month=date(2026, 3, 1))
    errors = _refused(scoped, category=second, variant=variant.get(second, ""),
                      from_month=date(2026, 11, 1))
    assert list(errors) == ["category"]


def test_loan_and_rent_in_different_years_are_fine(scoped):
    _declare(scoped, category="housing_rent", variant="tier-1", from_month=date(2025, 1, 1),
             to_month=date(2025, 12, 1))
    loan = _declare(scoped, category="housing_loan_interest", from_month=date(2026, 1, 1))
    assert loan.pk
    # But an open-ended rent from 2027 meets the open-ended loan.
    assert list(_refused(scoped, category="housing_rent", variant="tier-1",
                         from_month=date(2027, 1, 1))) == ["category"]


def test_another_employee_s_rent_does_not_clash(scoped):
    _declare(scoped, category="housing_loan_interest")
    assert _declare(scoped, key="peer", category="housing_rent", variant="tier-2").pk


def test_children_are_shared_half_or_whole(scoped):
    assert list(_refused(scoped, category="children_education", share=D("0.3"))) == ["share"]
    assert _declare(scoped, category="children_education", share=D("0.5")).pk


def test_rent_needs_its_tier(scoped):
    assert list(_refused(scoped, category="housing_rent")) == ["variant"]


def test_a_sibling_s_elderly_support_is_capped_at_1500(scoped):
    assert list(_refused(scoped, category="elderly_support",
                         monthly_amount=D("1600"))) == ["monthly_amount"]
    assert _declare(scoped, category="elderly_support", monthly_amount=D("1500")).pk


def test_only_elderly_support_takes_a_fixed_amount(scoped):
    assert list(_refused(scoped, category="housing_loan_interest",
                         monthly_amount=D("500"))) == ["monthly_amount"]


def test_months_are_first_days(scoped):
    errors = _refused(scoped, category="housing_loan_interest", from_month=date(2026, 1, 15))
    assert list(errors) == ["from_month"]


def test_the_amount_follows_the_standard_of_the_month(scoped):
    declaration = _declare(scoped, category="children_education", share=D("0.5"),
                           from_month=date(2022, 1, 1))
    standards_2022 = deduction_standards_on(date(2022, 12, 1))
    standards_2023 = deduction_standards_on(date(2023, 1, 1))
    key = ("children_education", "")
    assert services_deductions.declaration_amount(declaration, standards_2022[key]) == D("500.00")
    assert services_deductions.declaration_amount(declaration, standards_2023[key]) == D("1000.00")


def test_declarations_covering_a_month(scoped):
    _declare(scoped, category="housing_loan_interest", from_month=date(2026, 1, 1),
             to_month=date(2026, 6, 1))
    _declare(scoped, key="peer", category="children_education", from_month=date(2026, 7, 1))
    assert [d.employee.name for d in declarations_for_month(date(2026, 6, 1))] == ["staff"]
    assert [d.employee.name for d in declarations_for_month(date(2026, 7, 1))] == ["peer"]


def test_infant_care_did_not_exist_before_2022(scoped):
    errors = _refused(scoped, category="infant_care", from_month=date(2021, 1, 1),
                      to_month=date(2021, 12, 1))
    assert list(errors) == ["from_month"]


def test_a_sibling_s_amount_across_2022_and_2023_is_capped_at_the_lower_1000(scoped):
    errors = _refused(scoped, category="elderly_support", monthly_amount=D("1500"),
                      from_month=date(2022, 6, 1), to_month=date(2023, 6, 1))
    assert list(errors) == ["monthly_amount"]
