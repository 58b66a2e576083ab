"""Salary profiles and deduction declarations pages. Thin: `pay.services` and
`pay.services_deductions` validate and write, `pay.services_records` reads,
`pay.rules_records` says who may: HR writes, HR and finance read everyone's, an employee reads
their own (bank account masked), nobody else anything."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tandem.core.versioning import EditConflict
from tandem.web.decorators import member_required, require_perm
from tandem.web.history import change_history

from . import services, services_deductions, services_records
from .forms_records import (
    DeclarationFilterForm,
    DeclarationForm,
    FixedItemFormSet,
    ProfileFilterForm,
    SalaryProfileForm,
    items_of,
)
from .models import DeductionDeclaration, SalaryProfile
from .rules_records import reads_all_pay_of

PAGE_SIZE = 50
HIDDEN_IN_HISTORY = ("bank_account",)


def _with_percent(profiles):
    """Each profile's housing fund rate as a percent for display ("7", "7.5")."""
    for profile in profiles:
        profile.fund_percent = format((profile.housing_fund_rate * 100).normalize(), "f")
    return profiles


def _may(request, perm: str) -> bool:
    return request.user.has_perm(perm)


# --- salary profiles ------------------------------------------------------------------------


@require_GET
@member_required
def profile_list(request):
    require_perm(request, "pay.view_salaryprofile")
    filters = ProfileFilterForm(request.GET)
    profiles = services_records.salary_profiles(request.actor, **filters.values())
    page = Paginator(profiles, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "pay/records/profile_list.html", {
        "filters": filters, "page_obj": page, "profiles": _with_percent(page.object_list),
        "reads_all": reads_all_pay_of(request.actor),
        "may_add": _may(request, "pay.add_salaryprofile"),
    })


@require_GET
@member_required
def profile_detail(request, pk):
    profile = get_object_or_404(SalaryProfile.objects.select_related("employee", "city"),
                                pk=pk)
    require_perm(request, "pay.view_salaryprofile", profile)
    _with_percent([profile])
    return render(request, "pay/records/profile_detail.html", {
        "profile": profile, "timeline": services_records.profile_timeline(profile),
        "changes": change_history(profile, exclude=HIDDEN_IN_HISTORY),
        "warnings": services.salary_profile_warnings(profile),
        "may_change": request.user.has_perm("pay.change_salaryprofile", profile),
    })


def _profile_form(request, profile: SalaryProfile | None):
    form = SalaryProfileForm(request.POST or None, instance=profile or SalaryProfile())
    initial_items = ([{"kind": i.kind, "name": i.name, "amount": i.amount, "taxable": i.taxable}
                      for i in profile.items.all()] if profile else [])
    items = FixedItemFormSet(request.POST or None, prefix="items", initial=initial_items)
    if request.method == "POST" and form.is_valid() and items.is_valid():
        try:
            if profile is None:
                saved = services.create_salary_profile(
                    company=request.company, by=request.user, items=items_of(items),
                    **form.service_fields())
            else:
                fields = form.service_fields()
                saved = services.update_salary_profile(
                    profile=profile, version=form.cleaned_data["version"], by=request.user,
                    items=items_of(items), **fields)
        except (ValidationError, EditConflict) as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The salary profile is saved."))
            for warning in services.salary_profile_warnings(saved):
                messages.warning(request, warning)
            return redirect("pay:salary_profile_detail", saved.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "pay/records/profile_form.html",
                  {"form": form, "items": items, "profile": profile}, status=status)


@member_required
def profile_create(request):
    require_perm(request, "pay.add_salaryprofile")
    return _profile_form(request, None)


@member_required
def profile_edit(request, pk):
    profile = get_object_or_404(SalaryProfile.objects.select_related("employee"), pk=pk)
    require_perm(request, "pay.change_salaryprofile", profile)
    return _profile_form(request, profile)


# --- deduction declarations -----------------------------------------------------------------


@require_GET
@member_required
def declaration_list(request):
    require_perm(request, "pay.view_deductiondeclaration")
    filters = DeclarationFilterForm(request.GET)
    rows = services_records.declarations(request.actor, **filters.values())
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "pay/records/declaration_list.html", {
        "filters": filters, "page_obj": page, "declarations": page.object_list,
        "reads_all": reads_all_pay_of(request.actor),
        "may_add": _may(request, "pay.add_deductiondeclaration"),
    })


def _declaration_form(request, declaration: DeductionDeclaration | None):
    form = DeclarationForm(request.POST or None, instance=declaration or DeductionDeclaration())
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        try:
            if declaration is None:
                services_deductions.create_declaration(company=request.company,
                                                       by=request.user, **data)
            else:
                services_deductions.update_declaration(declaration=declaration,
                                                       version=version, by=request.user,
                                                       **data)
        except (ValidationError, EditConflict) as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The declaration is saved."))
            return redirect("pay:deduction_list")
    status = 400 if request.method == "POST" else 200
    return render(request, "pay/records/declaration_form.html",
                  {"form": form, "declaration": declaration}, status=status)


@member_required
def declaration_create(request):
    require_perm(request, "pay.add_deductiondeclaration")
    return _declaration_form(request, None)


@member_required
def declaration_edit(request, pk):
    declaration = get_object_or_404(DeductionDeclaration.objects.select_related("employee"),
                                    pk=pk)
    require_perm(request, "pay.change_deductiondeclaration", declaration)
    return _declaration_form(request, declaration)
