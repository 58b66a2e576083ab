"""Applying an OKR template makes a draft objective through the goals services; HR saves an
objective as a company template."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from tandem.goals import okr_templates, services
from tandem.goals.models import KeyResult, Milestone, Objective, OkrTemplate
from tandem.goals.testing_templates import make_templates


@pytest.fixture
def templates(org):
    return make_templates(org)


def _template(key):
    return OkrTemplate.objects.get(builtin_key=key)


def test_an_employee_applies_a_template_for_themself(org, goals, templates, actor_of_role,
                                                     scoped):
    actor = actor_of_role("staff")
    objective = okr_templates.apply_template(
        template=templates.builtin, cycle=goals.quarter, level="individual",
        owner_employee=org.employees["staff"], by=actor.user, actor=actor)
    assert (objective.level, objective.owner_employee, objective.owner_department,
            objective.status, objective.kind, objective.cycle, objective.parent) == (
        "individual", org.employees["staff"], None, "draft", "aspirational", goals.quarter, None)
    assert objective.title == "让更多团队用起来并留下来"
    assert objective.description == "以激活和留存驱动订阅收入增长。"
    rows = list(objective.key_results.order_by("pk").values_list(
        "title", "measure_type", "start_value", "target_value", "current_value", "unit",
        "weight", "owner", "progress"))
    staff = org.employees["staff"].pk
    assert rows == [
        ("周活跃用户数", "number", Decimal("8000"), Decimal("15000"), Decimal("8000"), "人",
         Decimal("1"), staff, Decimal("0")),
        ("新注册 7 日激活率", "percent", Decimal("25"), Decimal("40"), Decimal("25"), "%",
         Decimal("1"), staff, Decimal("0")),
        ("月度付费流失率", "percent", Decimal("3.5"), Decimal("2"), Decimal("3.5"), "%",
         Decimal("1"), staff, Decimal("0")),
    ]
    assert objective.history.first().history_user == org.users["staff"]


def test_a_leader_applies_one_for_their_department_in_english(org, goals, templates,
                                                              actor_of_role, scoped):
    actor = actor_of_role("lead")
    with translation.override("en"):
        objective = okr_templates.apply_template(
            template=_template("rnd-delivery"), cycle=goals.quarter, level="department",
            owner_department=org.rnd, by=actor.user, actor=actor)
    assert (objective.level, objective.owner_department, objective.owner_employee,
            objective.status, objective.kind) == ("department", org.rnd, None, "draft",
                                                  "committed")
    assert objective.title == "Ship faster and more reliably"
    rows = list(objective.key_results.order_by("pk").values_list(
        "title", "measure_type", "start_value", "target_value", "unit", "owner"))
    assert rows == [
        ("Average lead time of a change", "number", Decimal("14"), Decimal("7"), "days", None),
        ("P1 production incidents", "number", Decimal("6"), Decimal("2"), "incidents", None),
        ("Automated test coverage", "percent", Decimal("55"), Decimal("75"), "%", None),
        ("Continuous deployment pipeline live", "boolean", Decimal("0"), Decimal("1"), "",
         None),
    ]


def test_hr_applies_one_for_the_company_with_milestones(org, goals, templates, actor_of_role,
                                                        scoped):
    actor = actor_of_role("hr")
    objective = okr_templates.apply_template(
        template=_template("marketing-pipeline"), cycle=goals.quarter, level="company",
        by=actor.user, actor=actor)
    assert (objective.level, objective.owner_department, objective.owner_employee,
            objective.status) == ("company", None, None, "draft")
    paper = objective.key_results.get(measure_type="milestone")
    assert paper.title == "行业白皮书上线"
    assert list(Milestone.objects.filter(key_result=paper).order_by("pk").values_list(
        "title", "done")) == [("完成选题与调研", False), ("完成初稿并评审", False),
                              ("正式发布并推广", False)]


def test_an_employee_may_not_apply_for_the_company(goals, templates, actor_of_role, scoped):
    with pytest.raises(PermissionDenied):
        okr_templates.apply_template(template=templates.builtin, cycle=goals.quarter,
                                     level="company", actor=actor_of_role("staff"))
    assert Objective.objects.filter(title=templates.builtin.title).count() == 0


def test_an_employee_may_not_apply_for_a_department_or_a_colleague(org, goals, templates,
                                                                    actor_of_role, scoped):
    actor = actor_of_role("peer")
    with pytest.raises(ValidationError) as department:
        okr_templates.apply_template(template=templates.builtin, cycle=goals.quarter,
                                     level="department", owner_department=org.rnd, actor=actor)
    assert set(department.value.message_dict) == {"owner_department"}
    with pytest.raises(ValidationError) as colleague:
        okr_templates.apply_template(template=templates.builtin, cycle=goals.quarter,
                                     level="individual", owner_employee=org.employees["staff"],
                                     actor=actor)
    assert set(colleague.value.message_dict) == {"owner_employee"}
    assert Objective.objects.count() == 4  # the goals fixture's only


def test_a_closed_cycle_is_refused_and_nothing_is_written(org, goals, templates, actor_of_role,
                                                          scoped):
    services.update_cycle(cycle=goals.year, status="closed")
    with pytest.raises(ValidationError) as error:
        okr_templates.apply_template(template=templates.builtin, cycle=goals.year,
                                     level="individual", owner_employee=org.employees["staff"],
                                     actor=actor_of_role("staff"))
    assert set(error.value.message_dict) == {"cycle"}
    assert (Objective.objects.count(), KeyResult.objects.count()) == (4, 4)


def test_hr_saves_an_objective_as_a_company_template(org, goals, actor_of_role, scoped):
    services.create_key_result(objective=goals.peer, title="Demos", measure_type="milestone",
                               milestones=[services.MilestoneSpec(title="First demo")])
    actor = actor_of_role("hr")
    template = okr_templates.save_as_template(objective=goals.peer, industry="sales",
                                              by=actor.user, actor=actor)
    assert (template.company, template.industry, template.title, template.title_en,
            template.kind, template.builtin, template.created_by) == (
        org.company, "sales", "Win new customers", "", "committed", False, org.users["hr"])
    assert list(template.key_results.values_list(
        "position", "title", "measure_type", "start_value", "target_value", "milestones")) == [
        (0, "New customers", "number", Decimal("0"), Decimal("10"), []),
        (1, "Demos", "milestone", Decimal("0"), Decimal("1"),
         [{"title": "First demo", "title_en": ""}]),
    ]
    # And it applies like a built-in one.
    copy = okr_templates.apply_template(template=template, cycle=goals.quarter,
                                        level="company", actor=actor)
    assert list(copy.key_results.values_list("title", "target_value")) == [
        ("New customers", Decimal("10")), ("Demos", Decimal("1"))]


@pytest.mark.parametrize("role", ["owner", "hr"])
def test_people_admins_may_save_templates(goals, actor_of_role, role, scoped):
    okr_templates.save_as_template(objective=goals.staff, actor=actor_of_role(role))
    assert OkrTemplate.objects.filter(title="Build the billing service").count() == 1


@pytest.mark.parametrize("role", ["finance", "lead", "staff", "peer"])
def test_others_may_not_save_templates(goals, actor_of_role, role, scoped):
    with pytest.raises(PermissionDenied):
        okr_templates.save_as_template(objective=goals.staff, actor=actor_of_role(role))
    assert OkrTemplate.objects.count() == 0
