"""The dashboard: real figures of the company, read in a constant number of queries."""

from datetime import date

from django.db.models import Count, Q
from django.shortcuts import render
from django.utils import timezone

from tandem.org.models import Employee, EmployeeStatus
from tandem.org.selectors import department_tree, flatten

from .decorators import member_required


def month_bounds(day: date) -> tuple[date, date]:
    first = day.replace(day=1)
    following = first.replace(year=first.year + 1, month=1) if first.month == 12 \
        else first.replace(month=first.month + 1)
    return first, following


@member_required
def dashboard(request):
    today = timezone.localdate()
    first, following = month_bounds(today)
    figures = Employee.objects.aggregate(
        headcount=Count("pk", filter=~Q(status=EmployeeStatus.LEFT)),
        on_probation=Count("pk", filter=Q(status=EmployeeStatus.PROBATION)),
        joiners=Count("pk", filter=Q(hire_date__gte=first, hire_date__lt=following)),
        leavers=Count("pk", filter=Q(leave_date__gte=first, leave_date__lt=following)),
    )
    return render(request, "web/dashboard.html", {
        "figures": figures,
        "month": first,
        "departments": flatten(department_tree()),
    })
