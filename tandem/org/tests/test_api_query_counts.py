"""API lists issue a constant number of queries whatever the number of rows."""

from datetime import date

import pytest
from django_scopes import scope

from tandem.core.testing import make_department, make_employee
from tandem.org import services


def grow(org, n: int) -> None:
    """n more people, each with a position and a manager, in n/5 more departments with
    leaders and positions, and n job changes for staff."""
    departments, positions = [], []
    for i in range(n // 5):
        department = make_department(org.company, f"组{i}", parent=org.platform,
                                     leader=org.employees["peer"])
        departments.append(department)
        with scope(company=org.company.pk):
            positions.append(services.create_position(
                company=org.company, title=f"工程师{i}", department=department))
    for i in range(n):
        make_employee(org.company, departments[i % len(departments)],
                      position=positions[i % len(positions)], manager=org.employees["lead"])
    staff = org.employees["staff"]
    with scope(company=org.company.pk):
        for i in range(n):
            target = org.rnd if i % 2 else org.platform
            services.update_employee(employee=staff, department=target, manager=None,
                                     effective_date=date(2025, 1, 1))


# Token and membership, then count and page; the subtree filter reads the department and the
# tree; the job history reads the employee, and for a leader their own record and subtree.
LISTS = {
    "/api/v1/employees/?page_size=200": 4,
    "/api/v1/employees/?page_size=200&department={platform}&include_subdepartments=true": 6,
    "/api/v1/departments/?page_size=200": 4,
    "/api/v1/positions/?page_size=200": 4,
    "/api/v1/employees/{staff}/job-history/?page_size=200": 8,
}


@pytest.mark.parametrize("n", [5, 40])
@pytest.mark.parametrize("role", ["hr", "lead", "staff"])
@pytest.mark.parametrize("path", list(LISTS))
def test_list_queries_do_not_grow_with_rows(org, api_as, django_assert_max_num_queries,
                                            n, role, path):
    grow(org, n)
    api = api_as(org.users[role])
    url = path.format(platform=org.platform.pk, staff=org.employees["staff"].pk)
    with django_assert_max_num_queries(LISTS[path]):
        response = api.get(url)
    assert response.status_code == 200
    body = response.json()
    assert len(body["results"]) == body["count"] >= n // 5
