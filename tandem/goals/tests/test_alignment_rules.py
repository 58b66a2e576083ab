"""Who may align to what, and who may write which objective."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tandem.core.versioning import EditConflict
from tandem.goals import services

pytestmark = pytest.mark.usefixtures("scoped")


def individual(org, goals, parent=None, cycle=None, owner="staff", actor=None):
    return services.create_objective(company=org.company, cycle=cycle or goals.quarter,
                                     level="individual", owner_employee=org.employees[owner],
                                     title="Mine", parent=parent, actor=actor)


def test_an_individual_aligns_to_a_department_or_the_company(goals, org):
    assert individual(org, goals, parent=goals.rnd).parent == goals.rnd
    assert individual(org, goals, parent=goals.company).parent == goals.company
    with pytest.raises(ValidationError) as refused:
        individual(org, goals, parent=goals.peer)
    assert "parent" in refused.value.message_dict


def test_a_parent_lies_in_the_same_or_an_enclosing_cycle(goals, org):
    yearly = services.create_objective(company=org.company, cycle=goals.year, level="company",
                                       title="Yearly")
    assert individual(org, goals, parent=yearly).parent == yearly
    next_quarter = services.create_cycle(company=org.company, name="2026-Q3", kind="quarter",
                                         start=date(2026, 7, 1), end=date(2026, 9, 30),
                                         parent=goals.year)
    with pytest.raises(ValidationError):
        individual(org, goals, parent=goals.company, cycle=next_quarter)


def test_a_department_aligns_to_the_company_or_a_department_above(goals, org):
    platform = services.create_objective(company=org.company, cycle=goals.quarter,
                                         level="department", owner_department=org.platform,
                                         title="Platform", parent=goals.rnd)
    assert platform.parent == goals.rnd
    with pytest.raises(ValidationError):
        services.create_objective(company=org.company, cycle=goals.quarter, level="department",
                                  owner_department=org.rnd, title="R&D", parent=platform)


def test_a_cycle_lies_within_its_enclosing_cycle(goals, org):
    with pytest.raises(ValidationError) as refused:
        services.create_cycle(company=org.company, name="late", kind="quarter",
                              start=date(2026, 12, 1), end=date(2027, 2, 28), parent=goals.year)
    assert "parent" in refused.value.message_dict


def test_people_write_their_own_objectives_and_leaders_those_below(goals, org, actor_of_role):
    individual(org, goals, actor=actor_of_role("staff"))
    individual(org, goals, actor=actor_of_role("lead"))  # staff is in lead's subtree
    with pytest.raises(ValidationError) as refused:
        individual(org, goals, actor=actor_of_role("peer"))
    assert "owner_employee" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        services.create_objective(company=org.company, cycle=goals.quarter, level="company",
                                  title="Mine", actor=actor_of_role("lead"))
    with pytest.raises(PermissionDenied):
        services.update_objective(objective=goals.staff, title="x", actor=actor_of_role("peer"))


def test_an_edit_from_an_old_version_is_refused(goals):
    services.update_objective(objective=goals.staff, title="New title", version=1)
    with pytest.raises(EditConflict):
        services.update_objective(objective=goals.staff, title="Other", version=1)
