"""The explanation panel computes only the part of the report its figure needs, and explains
it exactly as the whole report would (insights.explain.explain_figure)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.insights import explain, synergy

from .conftest import TODAY


def _figures(org, goals):
    departments = [str(d.pk) for d in (org.rnd, org.platform, org.sales)]
    return ([("overview", ""), ("trend", ""), ("objective", str(goals.company.pk)),
             ("coverage", "company")]
            + [(figure, key) for figure in ("kpi", "okr", "coverage") for key in departments]
            + [("cell", f"{goals.company.pk}-{key}") for key in departments]
            + [("employee", str(org.employees[name].pk)) for name in ("staff", "peer")])


def test_each_figure_is_explained_as_the_whole_report_explains_it(org, goals,
                                                                   synergy_company, scoped):
    whole = synergy.build(goals.quarter, today=TODAY)

    for figure, key in _figures(org, goals):
        alone = explain.explain_figure(goals.quarter, None, figure, key)
        assert alone == explain.explain(whole, figure, key), (figure, key)
        assert alone is not None


@pytest.mark.parametrize(("figure", "key"), [("kpi", "rnd"), ("cell", "rnd"),
                                             ("employee", "staff"), ("kpi", "nope"),
                                             ("employee", "0")])
def test_nothing_outside_what_the_reader_may_see(org, goals, synergy_company, scoped, figure,
                                                 key):
    pk = {"rnd": org.rnd.pk, "staff": org.employees["staff"].pk}.get(key, key)
    key = f"{goals.company.pk}-{pk}" if figure == "cell" else str(pk)

    assert explain.explain_figure(goals.quarter, frozenset({org.sales.pk}), figure, key) is None


def test_one_department_is_explained_without_the_weeks_and_the_others(org, goals,
                                                                       synergy_company, scoped):
    with CaptureQueriesContext(connection) as queries:
        explain.explain_figure(goals.quarter, None, "kpi", str(org.sales.pk))

    sql = [query["sql"] for query in queries]
    assert len(sql) == 10  # the report's fifteen less the five of the weeks
    assert not [q for q in sql if "goals_checkin" in q or "kpis_measurement" in q]
    # The KPI figures are read for that department alone (SQLite and PostgreSQL alike).
    reads = [q for q in sql if 'FROM "kpis_assignment"' in q]
    assert reads and any(f"IN ({org.sales.pk})" in q for q in reads)
