"""`claim_version`: an edit lands only on the version it started from."""

import pytest
from django.db import transaction
from django.utils import translation
from django_scopes import scope

from tandem.core.versioning import EditConflict, claim_version
from tandem.org.models import Department


@pytest.fixture
def sales(org):
    with scope(company=org.company.pk):
        yield Department.objects.get(pk=org.sales.pk)


def stored_version(department) -> int:
    return Department._base_manager.get(pk=department.pk).version


def test_a_claim_moves_the_row_and_the_instance_to_the_next_version(sales):
    with transaction.atomic():
        claim_version(sales)
    assert (sales.version, stored_version(sales)) == (2, 2)


def test_a_claim_from_an_older_version_is_a_conflict_that_changes_nothing(sales):
    with transaction.atomic():
        claim_version(sales)
    with pytest.raises(EditConflict) as conflict, transaction.atomic():
        claim_version(sales, 1)
    assert (conflict.value.expected, conflict.value.current) == (1, 2)
    with translation.override("en"):
        assert conflict.value.messages == [
            "This record was changed by someone else meanwhile; reload and try again."
        ]
    assert stored_version(sales) == 2


def test_the_instance_says_which_version_it_was_loaded_at(sales):
    stale = Department._base_manager.get(pk=sales.pk)
    with transaction.atomic():
        claim_version(sales)
    with pytest.raises(EditConflict), transaction.atomic():
        claim_version(stale)
    assert stored_version(sales) == 2


def test_a_deleted_row_is_a_conflict_without_a_current_version(sales, org):
    with scope(company=org.company.pk):
        gone = Department.objects.create(company=org.company, name="临时")
        Department.objects.filter(pk=gone.pk).delete()
    with pytest.raises(EditConflict) as conflict, transaction.atomic():
        claim_version(gone)
    assert conflict.value.current is None


def test_a_claim_outside_a_transaction_is_a_programming_error(sales, settings):
    # pytest-django wraps the test in a transaction; leave it to see the guard.
    connection = transaction.get_connection()
    saved = connection.in_atomic_block
    connection.in_atomic_block = False
    try:
        with pytest.raises(RuntimeError, match="inside the transaction"):
            claim_version(sales)
    finally:
        connection.in_atomic_block = saved
