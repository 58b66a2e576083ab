"""The alignment tree API builds its body from plain rows (`selectors.alignment_tree_rows`),
and that body is exactly what `TreeSerializer` gives for `selectors.alignment_tree`, in
every shape a tree takes and in both languages."""

import gc

import pytest
from django.utils import translation
from django_scopes import scope

from tandem.goals import selectors, services
from tandem.goals.api.alignment import tree_body
from tandem.goals.api.serializers import TreeSerializer
from tandem.goals.models import Cycle, Level, Objective


def _every_shape(org, goals) -> dict:
    """Beside make_goals' company → R&D → staff chain and the peer's orphan: a department
    objective under R&D's with one of its own below, a quarter objective aligned to the
    year's, a department objective aligned to nothing, two objectives aligned to each other,
    and English names for the people."""
    company = org.company
    with scope(company=company.pk):
        for employee, english in ((org.employees["staff"], "Stella"),
                                  (org.employees["lead"], "")):
            employee.english_name = english
            employee.save()
        platform = services.create_objective(
            company=company, cycle=goals.quarter, level=Level.DEPARTMENT,
            owner_department=org.platform, title="平台稳定", parent=goals.rnd)
        on_call = services.create_objective(
            company=company, cycle=goals.quarter, level=Level.INDIVIDUAL,
            owner_employee=org.employees["staff"], title="On call", parent=platform)
        yearly = services.create_objective(company=company, cycle=goals.year,
                                           level=Level.COMPANY, title="Be profitable")
        aligned_to_year = services.create_objective(
            company=company, cycle=goals.quarter, level=Level.DEPARTMENT,
            owner_department=org.sales, title="Cut costs", parent=yearly)
        sales_orphan = services.create_objective(
            company=company, cycle=goals.quarter, level=Level.DEPARTMENT,
            owner_department=org.sales, title="Open Chengdu")
        first, second = (services.create_objective(
            company=company, cycle=goals.quarter, level=Level.INDIVIDUAL,
            owner_employee=org.employees["lead"], title=f"Loop {n}") for n in (1, 2))
        # Forms refuse a loop; the tree must still not hang on one written around them.
        Objective.objects.filter(pk=first.pk).update(parent=second)
        Objective.objects.filter(pk=second.pk).update(parent=first)
    return {"platform": platform, "on_call": on_call, "aligned_to_year": aligned_to_year,
            "sales_orphan": sales_orphan}


def _serialized(cycle) -> dict:
    tree = selectors.alignment_tree(cycle)
    return TreeSerializer({"cycle": cycle.pk, "nodes": tree.flat(),
                           "orphans": tree.orphans}).data


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_body_is_what_the_serializer_gives(org, goals, language):
    extra = _every_shape(org, goals)
    with scope(company=org.company.pk), translation.override(language):
        cycle = Cycle.objects.get(pk=goals.quarter.pk)
        body = tree_body(cycle)
        assert body == _serialized(cycle)
    assert [(n["id"], n["depth"], n["parent"]) for n in body["nodes"]] == [
        (goals.company.pk, 0, None),
        (goals.rnd.pk, 1, goals.company.pk),
        # A department's objectives before the people's.
        (extra["platform"].pk, 2, goals.rnd.pk),
        (extra["on_call"].pk, 3, extra["platform"].pk),
        (goals.staff.pk, 2, goals.rnd.pk),
        (extra["aligned_to_year"].pk, 0, extra["aligned_to_year"].parent_id)]
    assert [o["id"] for o in body["orphans"]] == [extra["sales_orphan"].pk, goals.peer.pk]
    owners = {n["id"]: n["owner_name"] for n in body["nodes"] + body["orphans"]}
    english = language == "en"
    assert owners[goals.company.pk] == ("Galaxy Tech" if english else "星河科技")
    assert owners[goals.rnd.pk] == ("R&D" if english else "研发部")
    assert owners[extra["on_call"].pk] == ("Stella" if english else "staff")
    assert owners[goals.peer.pk] == "peer"
    assert body["nodes"][0]["progress"] == "0.0000"


def test_the_api_answers_the_body(api_as, org, goals):
    _every_shape(org, goals)
    api = api_as(org.users["peer"])
    url = f"/api/v1/objectives/tree/?cycle={goals.quarter.pk}"
    chinese = api.get(url).json()
    english = api.get(url, HTTP_COOKIE="tandem_language=en").json()
    with scope(company=org.company.pk):
        cycle = Cycle.objects.get(pk=goals.quarter.pk)
        assert chinese == _serialized(cycle)
        with translation.override("en"):
            assert english == _serialized(cycle)
    assert chinese != english


def test_the_rows_leave_the_garbage_collector_nothing_per_objective(org, goals):
    """A tracked object per objective is what set off a full collection of the process on
    every request of a 15,000-objective tree."""
    with scope(company=org.company.pk):
        for n in range(40):
            services.create_objective(company=org.company, cycle=goals.quarter,
                                      level=Level.INDIVIDUAL,
                                      owner_employee=org.employees["staff"],
                                      title=f"More {n}", parent=goals.rnd)
        cycle = Cycle.objects.select_related("company").get(pk=goals.quarter.pk)
        rows = selectors.alignment_tree_rows(cycle)
        body = tree_body(cycle)
    gc.collect()  # untracks the tuples that hold only strings and numbers
    assert len(rows.nodes) + len(rows.orphans) == 44
    assert not any(gc.is_tracked(row) for row in rows.nodes + rows.orphans)
    assert not any(gc.is_tracked(node) for node in body["nodes"] + body["orphans"])
