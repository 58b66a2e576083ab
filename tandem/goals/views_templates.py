"""Pages of the OKR template library: the gallery by industry, one template with its preview
and the form that applies it, saving an objective as a company template and deleting one
(HR)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.web.decorators import member_required, require_perm

from . import okr_template_deletion, okr_templates, selectors
from .forms_templates import ApplyTemplateForm, SaveAsTemplateForm
from .models import Industry, OkrTemplate


def _posted(request):
    return request.POST if request.method == "POST" else None


@member_required
def gallery(request):
    require_perm(request, "goals.view_okrtemplate")
    okr_templates.ensure_library(company=request.company)
    labels = dict(Industry.choices)
    groups: dict[str, list[OkrTemplate]] = {}
    for template in okr_templates.templates_with_key_results():
        groups.setdefault(template.industry, []).append(template)
    order = [value for value, _label in Industry.choices]
    return render(request, "goals/templates_gallery.html", {
        "groups": [{"industry": key, "label": labels[key], "templates": groups[key]}
                   for key in order if key in groups],
        "can_delete": request.user.has_perm("goals.delete_okrtemplate"),
    })


@member_required
def template_detail(request, pk):
    """The template's preview and, posted, the draft objective it makes."""
    template = get_object_or_404(okr_templates.templates_with_key_results(), pk=pk)
    require_perm(request, "goals.apply_okrtemplate", template)
    form = ApplyTemplateForm(_posted(request), actor=request.actor,
                             cycle=selectors.current_cycle(timezone.localdate()))
    if form.is_valid():
        try:
            objective = okr_templates.apply_template(
                template=template, by=request.user, actor=request.actor, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            return redirect("goals:objective_detail", objective.pk)
    return render(request, "goals/templates_detail.html", {
        "template": template, "form": form,
        "can_delete": request.user.has_perm("goals.delete_okrtemplate", template),
    })


@member_required
def save_as_template(request, pk):
    objective = get_object_or_404(selectors.objectives_with_owners(), pk=pk)
    require_perm(request, "goals.add_okrtemplate")
    form = SaveAsTemplateForm(_posted(request))
    if form.is_valid():
        try:
            template = okr_templates.save_as_template(
                objective=objective, industry=form.cleaned_data["industry"], by=request.user,
                actor=request.actor)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            return redirect("goals:template_detail", template.pk)
    return render(request, "goals/templates_save.html", {"objective": objective, "form": form})


@member_required
def template_delete(request, pk):
    """Confirmation on GET, deletion on POST. A built-in template is explained and kept (409
    when posted anyway)."""
    template = get_object_or_404(OkrTemplate.objects, pk=pk)
    require_perm(request, "goals.delete_okrtemplate", template)
    refusal = str(okr_template_deletion.BUILTIN_MESSAGE) if template.builtin else None
    if request.method == "POST" and refusal is None:
        title = template.display_title
        okr_template_deletion.delete_template(template=template, by=request.user,
                                              actor=request.actor)
        messages.success(request, _("Template “%(title)s” deleted.") % {"title": title})
        return redirect("goals:templates")
    return render(request, "goals/templates_delete.html", {
        "template": template, "refusal": refusal,
    }, status=409 if request.method == "POST" and refusal else 200)
