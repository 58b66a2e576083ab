"""Property: on any department tree with any people in it, `department_tree` gives every
department a total head count equal to its own plus its sub-departments' totals, and the roots'
totals add up to everyone who has not left."""

from datetime import date

import pytest
from django.db import transaction
from django_scopes import scope
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tandem.core.testing import make_company
from tandem.org.models import Department, Employee, EmployeeStatus
from tandem.org.selectors import department_tree, flatten, subtree_ids


@st.composite
def trees(draw):
    """Parents as indexes of earlier departments (None: a root), and people as (department
    index, has left)."""
    size = draw(st.integers(min_value=1, max_value=12))
    parents = [None] + [draw(st.one_of(st.none(), st.integers(0, i - 1))) for i in range(1, size)]
    people = draw(st.lists(st.tuples(st.integers(0, size - 1), st.booleans()), max_size=25))
    return parents, people


def build(company, parents, people):
    departments = []
    for i, parent in enumerate(parents):
        departments.append(Department.objects.create(
            company=company, name=f"部门{i}", parent=None if parent is None else departments[parent],
        ))
    Employee.objects.bulk_create([
        Employee(company=company, employee_number=f"E{n}", name=f"员工{n}",
                 department=departments[index], hire_date=date(2024, 1, 1),
                 status=EmployeeStatus.LEFT if left else EmployeeStatus.ACTIVE,
                 leave_date=date(2025, 1, 1) if left else None)
        for n, (index, left) in enumerate(people)
    ])
    return departments


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tree=trees())
def test_totals_are_the_sum_of_the_children(tree):
    parents, people = tree
    with transaction.atomic():
        company = make_company()
        with scope(company=company.pk):
            departments = build(company, parents, people)
            nodes = flatten(department_tree())
            by_id = {node.department.pk: node for node in nodes}

            assert len(nodes) == len(parents)
            for index, department in enumerate(departments):
                node = by_id[department.pk]
                here = sum(1 for at, left in people if at == index and not left)
                assert node.headcount == here
                assert node.total_headcount == here + sum(c.total_headcount for c in node.children)
                below = subtree_ids(company, [department.pk])
                in_subtree = sum(1 for at, left in people
                                 if departments[at].pk in below and not left)
                assert node.total_headcount == in_subtree
            roots = [node for node in nodes if node.depth == 0]
            assert sum(r.total_headcount for r in roots) == sum(1 for _, left in people if not left)
        transaction.set_rollback(True)
