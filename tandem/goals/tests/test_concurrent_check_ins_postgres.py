"""Two check-ins at once, on two real PostgreSQL connections: the objective they roll up to
ends with both, never with one computed from the other's stale value."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django_scopes import scope

from tandem.goals import services
from tandem.goals.models import KeyResult, Objective
from tandem.goals.testing import make_goals

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="needs PostgreSQL: SQLite serialises writers on one file"),
]


def test_a_check_in_waits_for_a_sibling_check_in_and_the_objective_keeps_both(org):
    goals = make_goals(org)
    with scope(company=org.company.pk):
        second_kr = services.create_key_result(objective=goals.staff, title="Refunds handled",
                                               target_value=Decimal("10"))
    first_done, let_first_commit = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def first():
        # Checks in, then keeps its transaction open until the second one has started.
        try:
            with scope(company=org.company.pk), transaction.atomic():
                services.check_in(key_result=KeyResult.objects.get(pk=goals.staff_kr.pk),
                                  value=Decimal("100"), confidence=8, by=org.users["staff"])
                first_done.set()
                let_first_commit.wait(10)
        except BaseException as error:  # noqa: BLE001 (reported to the test)
            errors.append(error)
            first_done.set()
        finally:
            connection.close()

    def second():
        try:
            with scope(company=org.company.pk):
                services.check_in(key_result=KeyResult.objects.get(pk=second_kr.pk),
                                  value=Decimal("10"), confidence=8, by=org.users["staff"])
        except BaseException as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connection.close()

    one = threading.Thread(target=first)
    one.start()
    assert first_done.wait(10)
    two = threading.Thread(target=second)
    two.start()
    two.join(1.0)
    # The second check-in waits on the objective the first one holds...
    assert two.is_alive()
    let_first_commit.set()
    one.join(10)
    two.join(10)
    assert errors == []
    # ...and then rolls up with the first one's progress: both key results are complete.
    with scope(company=org.company.pk):
        assert Objective.objects.get(pk=goals.staff.pk).progress == Decimal("1")
