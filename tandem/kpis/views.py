"""The KPI library pages: everyone reads the company's indicators (filter by category and
tag, search); HR and administrators create, edit, deactivate and delete them. Thin: the form
checks input, `kpis.services` validates and writes."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from tandem.web.decorators import member_required, require_perm

from . import services
from .forms import IndicatorForm, LibraryFilterForm
from .models import Indicator
from .views_common import posted, run

PAGE_SIZE = 50


def _facets() -> tuple[list[str], list[str]]:
    """The categories and tags in use, for the filter (one query)."""
    categories, tags = set(), set()
    for category, tag_list in Indicator.objects.values_list("category", "tags"):
        if category:
            categories.add(category)
        for tag in tag_list or []:
            if isinstance(tag, str) and tag:
                tags.add(tag)
    return sorted(categories), sorted(tags)


@member_required
def library(request):
    require_perm(request, "kpis.view_indicator")
    categories, tags = _facets()
    filters = LibraryFilterForm(request.GET or None, categories=categories, tags=tags)
    indicators = Indicator.objects.annotate(assigned=Count("assignments")).order_by("code")
    chosen = filters.cleaned_data if filters.is_valid() else {}
    if not chosen.get("inactive"):
        indicators = indicators.filter(active=True)
    if chosen.get("category"):
        indicators = indicators.filter(category=chosen["category"])
    query = (chosen.get("q") or "").strip()
    if query:
        indicators = indicators.filter(Q(code__icontains=query) | Q(name__icontains=query)
                                       | Q(name_en__icontains=query)
                                       | Q(description__icontains=query))
    rows = list(indicators)
    if chosen.get("tag"):
        rows = [row for row in rows if chosen["tag"] in (row.tags or [])]
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "kpis/library.html", {
        "filters": filters, "page_obj": page, "indicators": page.object_list,
        "can_manage": request.user.has_perm("kpis.add_indicator"),
    })


@member_required
def indicator_create(request):
    require_perm(request, "kpis.add_indicator")
    form = IndicatorForm(posted(request))
    if form.is_valid():
        indicator = run(form, services.create_indicator, company=request.company,
                        actor=request.actor, by=request.user, **form.service_kwargs())
        if indicator is not None:
            messages.success(request, _("Indicator “%(name)s” added.")
                             % {"name": indicator.display_name})
            return redirect("kpis:library")
    return render(request, "kpis/indicator_form.html", {"form": form, "indicator": None})


@member_required
def indicator_edit(request, pk):
    indicator = get_object_or_404(Indicator.objects, pk=pk)
    require_perm(request, "kpis.change_indicator", indicator)
    form = IndicatorForm(posted(request), instance=indicator)
    if form.is_valid():
        saved = run(form, services.update_indicator, indicator=indicator,
                    version=form.cleaned_data.get("version"), actor=request.actor,
                    by=request.user, **form.service_kwargs())
        if saved is not None:
            messages.success(request, _("Indicator “%(name)s” saved.")
                             % {"name": saved.display_name})
            return redirect("kpis:library")
        indicator.refresh_from_db()
    return render(request, "kpis/indicator_form.html", {"form": form, "indicator": indicator})


@member_required
def indicator_delete(request, pk):
    """Deletes an indicator nobody holds; an assigned one can only be deactivated (which
    this page offers instead)."""
    indicator = get_object_or_404(Indicator.objects.annotate(assigned=Count("assignments")),
                                  pk=pk)
    require_perm(request, "kpis.delete_indicator", indicator)
    error = None
    if request.method == "POST":
        try:
            services.delete_indicator(indicator=indicator, actor=request.actor)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(request, _("Indicator “%(name)s” deleted.")
                             % {"name": indicator.display_name})
            return redirect("kpis:library")
    return render(request, "kpis/indicator_delete.html", {"indicator": indicator,
                                                          "error": error},
                  status=409 if error else 200)


@member_required
def indicator_activate(request, pk):
    """POST: deactivate an active indicator (its assignments stay) or bring it back."""
    indicator = get_object_or_404(Indicator.objects, pk=pk)
    require_perm(request, "kpis.change_indicator", indicator)
    if request.method == "POST":
        try:
            services.update_indicator(indicator=indicator, actor=request.actor, by=request.user,
                                      active=not indicator.active)
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
        else:
            if indicator.active:
                text = _("Indicator “%(name)s” is back in use.")
            else:
                text = _("Indicator “%(name)s” deactivated: nobody new gets it.")
            messages.success(request, text % {"name": indicator.display_name})
    return redirect("kpis:library")
