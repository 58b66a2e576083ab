"""Special additional deduction declarations (专项附加扣除): what an employee may declare for
monthly withholding, validated against the standards in force (reference §1.3)."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from tandem.core.models import Company
from tandem.core.versioning import claim_version

from . import rules_records  # noqa: F401 (registers the permissions)
from .models import (
    DeductionCategory,
    DeductionDeclaration,
    DeductionStandard,
    overlaps,
)
from .services import _attribute, _first_of_month, _full_clean, _same_company

# ---------------------------------------------------------------------------------------------
# Special additional deduction declarations


# Parents take a child's deduction 50/50 or one of them 100 % (国发〔2018〕41号 第六条, and the
# same for infant care, 国发〔2022〕8号).
_HALF_OR_WHOLE = {DeductionCategory.CHILDREN_EDUCATION, DeductionCategory.INFANT_CARE}
_EXCLUSIVE = {DeductionCategory.HOUSING_LOAN_INTEREST, DeductionCategory.HOUSING_RENT}


def _standards_for(declaration: DeductionDeclaration) -> list[DeductionStandard]:
    """The standards of the declaration's category in force during any of its months."""
    standards = DeductionStandard.objects.filter(category=declaration.category,
                                                 variant=declaration.variant)
    if declaration.from_month is None:
        return list(standards)
    return list(overlaps(declaration.from_month, declaration.to_month, standards))


def _validate_declaration(declaration: DeductionDeclaration) -> None:
    errors: dict[str, list[str]] = {}
    try:
        _full_clean(declaration, exclude=["employee"])
    except ValidationError as error:
        errors.update(error.message_dict)
    _first_of_month(declaration.from_month, "from_month", errors)
    _first_of_month(declaration.to_month, "to_month", errors)
    category = declaration.category
    if category == DeductionCategory.SERIOUS_ILLNESS:
        # 国发〔2018〕41号 第十一条: serious illness is deducted at the annual reconciliation.
        errors.setdefault("category", []).append(_(
            "Serious illness is deducted only at the annual reconciliation, not in monthly "
            "withholding."))
    elif category:
        variants = sorted({s.variant for s in DeductionStandard.objects.filter(
            category=category)})
        standards = _standards_for(declaration)
        if declaration.variant not in variants:
            errors.setdefault("variant", []).append(_("Choose one of: %(variants)s.") % {
                "variants": ", ".join(v or _("(empty)") for v in variants)})
        elif not standards:
            errors.setdefault("from_month", []).append(
                _("This deduction does not exist in these months."))
        else:
            _validate_amount(declaration, standards, errors)
        if category in _EXCLUSIVE and declaration.from_month and "to_month" not in errors:
            _validate_exclusive(declaration, errors)
    if errors:
        raise ValidationError(errors)


def _validate_amount(declaration: DeductionDeclaration, standards, errors: dict) -> None:
    if declaration.category in _HALF_OR_WHOLE and declaration.share not in (
        Decimal("0.5"), Decimal(1),
    ):
        errors.setdefault("share", []).append(
            _("Parents share this deduction 50/50 or one of them takes it all: 0.5 or 1."))
    if declaration.monthly_amount is None:
        return
    capped = [s for s in standards if s.individual_cap is not None]
    if declaration.category != DeductionCategory.ELDERLY_SUPPORT or not capped:
        errors.setdefault("monthly_amount", []).append(
            _("Only a shared elderly support deduction takes a fixed amount; give a share."))
        return
    cap = min(s.individual_cap for s in capped)
    if declaration.monthly_amount > cap:
        # 国发〔2023〕13号: siblings share 3,000, each at most 1,500 a month.
        errors.setdefault("monthly_amount", []).append(
            _("Each sibling takes at most %(cap)s a month.") % {"cap": cap})


def _validate_exclusive(declaration: DeductionDeclaration, errors: dict) -> None:
    """Housing-loan interest and rent are never both deducted in one year (暂行办法 第二十
    条): no declaration of the other kind may touch a year this one touches."""
    other = (DeductionCategory.HOUSING_RENT
             if declaration.category == DeductionCategory.HOUSING_LOAN_INTEREST
             else DeductionCategory.HOUSING_LOAN_INTEREST)
    start = date(declaration.from_month.year, 1, 1)
    end = date(declaration.to_month.year, 12, 31) if declaration.to_month else None
    clash = (DeductionDeclaration.objects
             .filter(employee=declaration.employee, category=other)
             .exclude(pk=declaration.pk)
             .filter(Q(to_month__isnull=True) | Q(to_month__gte=start)))
    if end is not None:
        clash = clash.filter(from_month__lte=end)
    if clash.exists():
        errors.setdefault("category", []).append(_(
            "Housing-loan interest and housing rent cannot both be deducted in the same year."))


def declaration_amount(declaration: DeductionDeclaration, standard: DeductionStandard
                       ) -> Decimal:
    """The month's deduction under `standard`: the fixed amount when given, else the
    standard's monthly amount times the share, to the fen half up."""
    if declaration.monthly_amount is not None:
        return declaration.monthly_amount
    if standard.monthly_amount is None:
        return Decimal("0.00")
    return (standard.monthly_amount * declaration.share).quantize(Decimal("0.01"),
                                                                  rounding=ROUND_HALF_UP)


DECLARATION_FIELDS = ("category", "variant", "share", "monthly_amount", "dependant",
                      "from_month", "to_month")


@transaction.atomic
def create_declaration(*, company: Company, employee, by=None, **fields) -> DeductionDeclaration:
    _same_company(company, employee=employee)
    declaration = DeductionDeclaration(company=company, employee=employee, **fields)
    _validate_declaration(declaration)
    _attribute(declaration, by)
    declaration.save()
    return declaration


@transaction.atomic
def update_declaration(*, declaration: DeductionDeclaration, version: int | None = None,
                       by=None, **changes) -> DeductionDeclaration:
    for name, value in changes.items():
        setattr(declaration, name, value)
    _validate_declaration(declaration)
    claim_version(declaration, version)
    _attribute(declaration, by)
    declaration.save()
    return declaration


@transaction.atomic
def delete_declaration(*, declaration: DeductionDeclaration, by=None) -> None:
    _attribute(declaration, by)
    declaration.delete()
