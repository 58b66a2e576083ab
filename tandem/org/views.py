"""Pages of the org chart: departments, positions and employees. Thin on purpose: the forms
check input and offer the allowed choices, the services in `org.services` validate and write.
Objects are read through scoped managers, so another company's id is a 404 before any
permission is asked."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, ProtectedError, Q, RestrictedError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from tandem.web.decorators import member_required, require_perm
from tandem.web.history import change_history

from . import services
from .forms import DepartmentForm, EmployeeFilterForm, EmployeeForm, EmployeeJobForm, PositionForm
from .models import PRIVATE_FIELDS, Department, Employee, EmployeeStatus, Position
from .selectors import department_tree, flatten

EMPLOYEES_PER_PAGE = 25


def _posted(request):
    return request.POST if request.method == "POST" else None


def _run(form, service, **kwargs):
    """Calls the service; its ValidationError goes onto the form. None when it refused."""
    try:
        return service(**kwargs)
    except ValidationError as error:
        form.add_service_errors(error)
        return None


def _delete(request, obj, delete, *, template_context, redirect_to, done_message):
    """Confirmation page on GET; on POST `delete()` calls the service, which deletes or says
    why it will not."""
    error = None
    if request.method == "POST":
        try:
            delete()
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        except (ProtectedError, RestrictedError):
            # A later module's rows (goals, reviews, pay…) still point here.
            error = _("Other records still refer to this one, so it cannot be deleted.")
        else:
            messages.success(request, done_message)
            return redirect(redirect_to)
    return render(request, "org/confirm_delete.html", {
        **template_context, "object": obj, "error": error,
    })


# ---------------------------------------------------------------------------------------------
# Departments


@member_required
def department_list(request):
    require_perm(request, "org.view_department")
    nodes = flatten(department_tree())
    for node in nodes:
        node.can_change = request.user.has_perm("org.change_department", node.department)
        node.can_delete = request.user.has_perm("org.delete_department", node.department)
    return render(request, "org/department_list.html", {
        "nodes": nodes,
        "can_add": request.user.has_perm("org.add_department"),
    })


@member_required
def department_create(request):
    require_perm(request, "org.add_department")
    form = DepartmentForm(_posted(request), actor=request.actor)
    if form.is_valid():
        department = _run(form, services.create_department, company=request.company,
                          by=request.user, actor=request.actor, **form.cleaned_data)
        if department is not None:
            messages.success(request, _("Department “%(name)s” created.")
                             % {"name": department.display_name})
            return redirect("org:department_list")
    return render(request, "org/department_form.html", {"form": form, "department": None})


@member_required
def department_edit(request, pk):
    department = get_object_or_404(Department.objects.select_related("parent", "leader"), pk=pk)
    require_perm(request, "org.change_department", department)
    form = DepartmentForm(_posted(request), instance=department, actor=request.actor)
    if form.is_valid():
        updated = _run(form, services.update_department, department=department,
                       by=request.user, actor=request.actor, **form.cleaned_data)
        if updated is not None:
            messages.success(request, _("Department “%(name)s” saved.")
                             % {"name": updated.display_name})
            return redirect("org:department_list")
    return render(request, "org/department_form.html", {"form": form, "department": department})


@member_required
def department_delete(request, pk):
    department = get_object_or_404(Department, pk=pk)
    require_perm(request, "org.delete_department", department)
    return _delete(
        request, department, lambda: services.delete_department(department=department,
                                                          by=request.user),
        template_context={"title": _("Delete department"),
                          "cancel_url": reverse("org:department_list"),
                          "name": department.display_name},
        redirect_to="org:department_list",
        done_message=_("Department “%(name)s” deleted.") % {"name": department.display_name},
    )


# ---------------------------------------------------------------------------------------------
# Positions


@member_required
def position_list(request):
    require_perm(request, "org.view_position")
    positions = Position.objects.select_related("department").annotate(
        headcount=Count("employees", filter=~Q(employees__status=EmployeeStatus.LEFT))
    )
    return render(request, "org/position_list.html", {
        "positions": positions,
        "can_add": request.user.has_perm("org.add_position"),
        "can_change": request.user.has_perm("org.change_position"),
        "can_delete": request.user.has_perm("org.delete_position"),
    })


@member_required
def position_create(request):
    require_perm(request, "org.add_position")
    form = PositionForm(_posted(request))
    if form.is_valid():
        position = _run(form, services.create_position, company=request.company,
                        by=request.user, **form.cleaned_data)
        if position is not None:
            messages.success(request, _("Position “%(name)s” created.")
                             % {"name": position.display_name})
            return redirect("org:position_list")
    return render(request, "org/position_form.html", {"form": form, "position": None})


@member_required
def position_edit(request, pk):
    position = get_object_or_404(Position, pk=pk)
    require_perm(request, "org.change_position", position)
    form = PositionForm(_posted(request), instance=position)
    if form.is_valid():
        updated = _run(form, services.update_position, position=position,
                       by=request.user, **form.cleaned_data)
        if updated is not None:
            messages.success(request, _("Position “%(name)s” saved.")
                             % {"name": updated.display_name})
            return redirect("org:position_list")
    return render(request, "org/position_form.html", {"form": form, "position": position})


@member_required
def position_delete(request, pk):
    position = get_object_or_404(Position, pk=pk)
    require_perm(request, "org.delete_position", position)
    return _delete(
        request, position, lambda: services.delete_position(position=position, by=request.user),
        template_context={"title": _("Delete position"),
                          "cancel_url": reverse("org:position_list"),
                          "name": position.display_name},
        redirect_to="org:position_list",
        done_message=_("Position “%(name)s” deleted.") % {"name": position.display_name},
    )


# ---------------------------------------------------------------------------------------------
# Employees


@member_required
def employee_list(request):
    require_perm(request, "org.view_employee")
    filters = EmployeeFilterForm(request.GET)
    employees = filters.filter(
        Employee.objects.select_related("department", "position", "manager"), request.company
    )
    page = Paginator(employees, EMPLOYEES_PER_PAGE).get_page(request.GET.get("page"))
    context = {"filters": filters, "page_obj": page,
               "can_add": request.user.has_perm("org.add_employee")}
    # htmx swaps in the results only; a history restore needs the whole page.
    partial = request.htmx and not request.htmx.history_restore_request
    template = "org/_employee_results.html" if partial else "org/employee_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@member_required
def employee_detail(request, pk):
    employee = get_object_or_404(
        Employee.objects.select_related("department", "position", "manager", "user"), pk=pk
    )
    require_perm(request, "org.view_employee", employee)
    can_see_private = request.user.has_perm("org.view_employee_private", employee)
    can_see_history = request.user.has_perm("org.view_employee_history", employee)
    context = {
        "employee": employee,
        "can_see_private": can_see_private,
        "can_see_history": can_see_history,
        "can_change": request.user.has_perm("org.change_employee", employee),
        "can_delete": request.user.has_perm("org.delete_employee", employee),
    }
    if can_see_history:
        context["job_history"] = employee.job_history.select_related(
            "department", "position", "manager", "recorded_by"
        )
        hidden = () if can_see_private else PRIVATE_FIELDS
        context["changes"] = change_history(employee, exclude=hidden)
    return render(request, "org/employee_detail.html", context)


@member_required
def employee_create(request):
    require_perm(request, "org.add_employee")
    form = EmployeeForm(_posted(request),
                        with_private=request.user.has_perm("org.change_employee_private"))
    if form.is_valid():
        employee = _run(form, services.create_employee, company=request.company,
                        by=request.user, actor=request.actor, **form.changes())
        if employee is not None:
            messages.success(request, _("%(name)s was added.") % {"name": employee.display_name})
            return redirect("org:employee_detail", pk=employee.pk)
    return render(request, "org/employee_form.html", {"form": form, "employee": None})


@member_required
def employee_edit(request, pk):
    employee = get_object_or_404(
        Employee.objects.select_related("department", "position", "manager"), pk=pk
    )
    require_perm(request, "org.change_employee", employee)
    if request.user.has_perm("org.add_employee"):
        form = EmployeeForm(
            _posted(request), instance=employee,
            with_private=request.user.has_perm("org.change_employee_private", employee),
        )
    else:
        form = EmployeeJobForm(_posted(request), instance=employee, actor=request.actor)
    if form.is_valid():
        updated = _run(
            form, services.update_employee, employee=employee, by=request.user,
            actor=request.actor, version=form.cleaned_data["version"],
            effective_date=form.cleaned_data.get("effective_date"),
            note=form.cleaned_data.get("note") or "", **form.changes(),
        )
        if updated is not None:
            messages.success(request, _("Changes to %(name)s saved.")
                             % {"name": updated.display_name})
            return redirect("org:employee_detail", pk=updated.pk)
    return render(request, "org/employee_form.html", {"form": form, "employee": employee})


@member_required
def employee_delete(request, pk):
    employee = get_object_or_404(Employee, pk=pk)
    require_perm(request, "org.delete_employee", employee)
    return _delete(
        request, employee, lambda: services.delete_employee(employee=employee, by=request.user),
        template_context={
            "title": _("Delete employee record"),
            "cancel_url": reverse("org:employee_detail", args=[employee.pk]),
            "name": str(employee),
            "warning": _("Only delete a record entered by mistake. For someone who has left, "
                         "set the status to “Left” and the leave date instead."),
        },
        redirect_to="org:employee_list",
        done_message=_("The record of %(name)s was deleted.") % {"name": employee.display_name},
    )
