"""A company's backup, restored into an emptied database, gives back every row of every model."""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django_scopes import scope, scopes_disabled
from rest_framework.authtoken.models import Token

from tandem.core.models import Company, Membership, Role
from tandem.core.testing import make_employee, make_org, make_user
from tandem.org.demo import seed_demo_company
from tandem.org.models import Department, Employee, JobHistory
from tandem.org.services import update_employee

from .backup_support import empty_database

User = get_user_model()

# Tables that are not company data: rebuilt by `migrate` (content types, permissions), or
# per-installation and short-lived (sessions, sign-in attempts, admin log), or credentials that a
# backup deliberately leaves out (API tokens).
NOT_COMPARED = {
    "contenttypes.contenttype", "auth.permission", "sessions.session", "admin.logentry",
    "authtoken.token",
}


def every_row() -> dict[str, list[tuple]]:
    """Every row of every model of the database, field by field, by model."""
    rows = {}
    with scopes_disabled():
        for model in apps.get_models(include_auto_created=True):
            label = model._meta.label_lower
            if model._meta.proxy or label in NOT_COMPARED or label.startswith("axes."):
                continue
            fields = [f.attname for f in model._meta.concrete_fields]
            rows[label] = list(model._base_manager.order_by("pk").values_list(*fields))
    return rows


@pytest.fixture(autouse=True)
def fresh_content_types(db):
    """`flush` recreates content types under new ids inside the test's transaction: forget them
    when it rolls back."""
    yield
    ContentType.objects.clear_cache()


@pytest.fixture
def demo(db):
    demo = seed_demo_company()
    hr = User.objects.get(username="hr")
    # Someone outside the company (a platform operator) records a change: their user row must
    # travel with the backup, since the job history points to it.
    operator = make_user("operator")
    with scope(company=demo.company.pk):
        first, second, third = Employee.objects.order_by("pk")[1:4]
        update_employee(employee=second, by=hr, manager=first, note="reorg")
        update_employee(employee=third, by=operator, phone="13800000000")
    Token.objects.create(user=hr)
    return demo


def test_a_restored_company_equals_the_original_row_by_row(demo, tmp_path):
    before = every_row()
    assert len(before["org.employee"]) == 60
    assert len(before["org.historicalemployee"]) > 60
    with scopes_disabled():
        assert JobHistory.objects.filter(recorded_by__username="hr", note="reorg").count() == 1
        assert Employee.history.filter(history_user__username="operator").count() == 1
    make_org(prefix="other-", name="云帆网络", name_en="Sail Networks")
    path = tmp_path / "demo.zip"

    call_command("tandem_backup", str(path), "--company", str(demo.company.pk))
    empty_database()
    assert Company.objects.count() == User.objects.count() == 0
    call_command("tandem_restore", str(path))

    after = every_row()
    assert after == before
    assert User.objects.get(username="admin").check_password("tandem-demo")
    assert not User.objects.get(username="operator").memberships.exists()
    assert not User.objects.filter(username__startswith="other-").exists()
    assert not Token.objects.exists()


def test_rows_created_after_a_restore_get_new_keys(demo, tmp_path):
    path = tmp_path / "demo.zip"
    call_command("tandem_backup", str(path))
    restored = {
        "company": Company.objects.order_by("-pk")[0].pk,
        "user": User.objects.order_by("-pk")[0].pk,
    }
    empty_database()  # also restarts the sequences
    call_command("tandem_restore", str(path))

    company = Company.objects.create(name="新公司")
    user = make_user("newcomer", company=company, role=Role.OWNER)
    with scope(company=demo.company.pk):
        department = Department.objects.order_by("pk")[0]
    employee = make_employee(demo.company, department, name="新人")
    assert company.pk > restored["company"]
    assert user.pk > restored["user"]
    with scopes_disabled():
        assert employee.pk == Employee.objects.order_by("-pk")[0].pk
        assert Employee.objects.filter(pk=employee.pk).count() == 1
    assert Membership.objects.filter(user=user, company=company).exists()


def test_backing_up_every_company_restores_both(org, other_org, tmp_path):
    before = every_row()
    path = tmp_path / "all.zip"
    call_command("tandem_backup", str(path))
    empty_database()
    call_command("tandem_restore", str(path))
    assert every_row() == before
    assert sorted(Company.objects.values_list("pk", flat=True)) == sorted(
        [org.company.pk, other_org.company.pk]
    )
