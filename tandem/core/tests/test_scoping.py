import pytest
from django_scopes import ScopeError, scope

from tandem.org.models import Department, Employee


def test_a_company_query_outside_a_scope_raises(org):
    with pytest.raises(ScopeError):
        list(Department.objects.all())


def test_inside_a_scope_only_that_companys_rows_are_seen(org, other_org):
    with scope(company=org.company.pk):
        assert set(Department.objects.values_list("name", flat=True)) == {"研发部", "平台组", "销售部"}
        assert Employee.objects.count() == 6
        assert not Employee.objects.filter(pk=other_org.employees["staff"].pk).exists()


def test_an_empty_scope_matches_nothing(org):
    with scope(company=[]):
        assert Employee.objects.count() == 0
