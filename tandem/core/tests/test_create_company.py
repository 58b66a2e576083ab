import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from tandem.core.models import Company, Membership, Role


def test_creates_the_company_and_a_new_owner(db, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("a-Long-and-unusual-passphrase\n"))
    out = io.StringIO()
    call_command("create_company", "--name", "示例科技", "--name-en", "Example Tech",
                 "--owner", "boss", "--email", "boss@example.com", "--password-stdin", stdout=out)
    company = Company.objects.get()
    owner = get_user_model().objects.get(username="boss")
    assert (company.name, company.name_en) == ("示例科技", "Example Tech")
    assert owner.check_password("a-Long-and-unusual-passphrase")
    assert Membership.objects.get(user=owner).role == Role.OWNER
    assert "boss is its owner" in out.getvalue()


def test_an_existing_user_becomes_the_owner_without_a_password_prompt(db):
    user = get_user_model().objects.create_user("boss", password="whatever-it-was-1")
    call_command("create_company", "--name", "示例科技", "--owner", "boss", stdout=io.StringIO())
    assert Membership.objects.get(user=user).role == Role.OWNER


def test_a_weak_password_is_refused_and_nothing_is_created(db, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("123456\n"))
    with pytest.raises(CommandError):
        call_command("create_company", "--name", "示例科技", "--owner", "boss", "--password-stdin")
    assert not Company.objects.exists()
    assert not get_user_model().objects.filter(username="boss").exists()
