from django_scopes import scope

from tandem.core.testing import make_department, make_employee
from tandem.org.models import EmployeeStatus
from tandem.org.selectors import department_tree, flatten, subtree_ids


def test_the_tree_nests_departments_and_rolls_head_counts_up(org):
    make_employee(org.company, org.platform, status=EmployeeStatus.LEFT, leave_date=org.platform.created_at.date())
    with scope(company=org.company.pk):
        roots = department_tree()
    assert [(n.department.name, n.depth, n.headcount, n.total_headcount) for n in flatten(roots)] == [
        ("研发部", 0, 1, 2),
        ("平台组", 1, 1, 1),
        ("销售部", 0, 4, 4),
    ]


def test_the_tree_costs_one_query_whatever_its_size(org, django_assert_num_queries):
    parent = org.rnd
    for i in range(20):
        parent = make_department(org.company, f"组{i}", parent=parent if i % 2 else org.sales)
        make_employee(org.company, parent)
    with scope(company=org.company.pk), django_assert_num_queries(1):
        nodes = flatten(department_tree())
        [n.department.leader for n in nodes]
    assert len(nodes) == 23


def test_subtree_ids_follow_every_branch(org):
    qa = make_department(org.company, "测试", parent=org.platform)
    assert subtree_ids(org.company, [org.rnd.pk]) == {org.rnd.pk, org.platform.pk, qa.pk}
    assert subtree_ids(org.company, [org.sales.pk]) == {org.sales.pk}
    assert subtree_ids(org.company, []) == set()
