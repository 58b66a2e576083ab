"""The report's figures on a small hand-built company (see conftest), exact Decimals."""

from decimal import Decimal

from tandem.insights import synergy
from tandem.insights import synergy_rules as rules

from .conftest import TODAY


def build(goals, **kwargs):
    return synergy.build(goals.quarter, today=TODAY, **kwargs)


def test_company_objectives_with_their_completion(org, goals, synergy_company, scoped):
    report = build(goals)

    assert [(o.pk, o.progress) for o in report.company_objectives] == [
        (goals.company.pk, Decimal("0.2500"))]
    assert report.expected == Decimal("0.4945")


def test_departments_kpi_attainment_okr_completion_and_coverage(org, goals, kpis,
                                                                synergy_company, scoped):
    report = build(goals)
    rows = {row.pk: row for row in report.departments}

    platform, rnd, sales = rows[org.platform.pk], rows[org.rnd.pk], rows[org.sales.pk]
    assert (platform.kpi_basis, platform.kpi_attainment) == ("department", Decimal("0.1500"))
    assert (rnd.kpi_basis, rnd.kpi_attainment) == ("department", None)  # SALES unmeasured
    assert (sales.kpi_basis, sales.kpi_attainment) == ("people", Decimal("0.4000"))
    assert [s.pk for s in sales.kpi_assignments] == [kpis.peer.pk]
    assert (platform.okr_completion, rnd.okr_completion, sales.okr_completion) == (
        None, Decimal("0.2000"), None)
    assert rnd.coverage.objective_coverage == Decimal("1.0000")
    assert platform.coverage.objective_coverage == Decimal("1.0000")
    assert sales.coverage.objective_coverage == Decimal("0.0000")
    assert report.company_coverage.objective_coverage == Decimal("0.6667")


def test_a_department_without_own_kpis_takes_its_peoples_below_it_too(org, goals, kpis,
                                                                       scoped):
    report = build(goals)
    rnd = {row.pk: row for row in report.departments}[org.rnd.pk]

    # R&D holds SALES itself, so its own figure is shown, not staff's below it.
    assert [s.pk for s in rnd.kpi_assignments] == [kpis.rnd.pk]
    platform = {row.pk: row for row in report.departments}[org.platform.pk]
    assert (platform.kpi_basis, platform.kpi_attainment) == ("people", Decimal("1.2000"))


def test_the_matrix_names_the_objectives_and_kpis_serving_each_company_objective(
        org, goals, synergy_company, scoped):
    report = build(goals)

    rnd_cell = report.cell(goals.company.pk, org.rnd.pk)
    assert [pk for pk, _title, _progress in rnd_cell.objectives] == [goals.rnd.pk]
    assert rnd_cell.kpis == []
    platform_cell = report.cell(goals.company.pk, org.platform.pk)
    assert platform_cell.objectives == []
    assert [s.pk for s in platform_cell.kpis] == [synergy_company.invoices.pk]
    assert report.cell(goals.company.pk, org.sales.pk).empty  # peer's objective is an orphan


def test_kr_progress_supports_kpi_per_person_and_the_at_risk_list(org, goals, kpis,
                                                                  synergy_company, scoped):
    report = build(goals)
    people = {person.pk: person for person in report.employees}

    peer = people[org.employees["peer"].pk]
    (support,) = peer.assignments
    assert (support.implied_actual, support.implied_progress, support.expected) == (
        Decimal("4.0000"), Decimal("0.4000"), Decimal("0.4945"))
    # 0.4945 × (1 − 0.2) = 0.3956 ≤ 0.4 < 0.4945
    assert support.verdict == peer.verdict == rules.AT_RISK
    assert people[org.employees["staff"].pk].verdict == rules.NO_LINK
    assert report.verdict_counts == {"yes": 0, "at_risk": 1, "no": 0, "no_link": 1}
    assert [(s.pk, s.verdict) for s in report.at_risk] == [
        (synergy_company.invoices.pk, rules.NO), (kpis.peer.pk, rules.AT_RISK)]


def test_own_figures_and_what_the_key_results_imply_are_shown_side_by_side(
        org, goals, synergy_company, scoped):
    report = build(goals)
    (invoices,) = [s for s in report.at_risk if s.pk == synergy_company.invoices.pk]

    assert invoices.side_by_side
    assert (invoices.actual, invoices.own_attainment) == (Decimal("30.0000"), Decimal("0.1500"))
    assert (invoices.implied_actual, invoices.kr_attainment) == (
        Decimal("40.0000"), Decimal("0.2000"))
    assert invoices.attainment == Decimal("0.1500")  # never 30 + 40


def test_the_trend_counts_check_ins_and_measurements_by_week(org, goals, synergy_company,
                                                             scoped):
    weeks = build(goals).weeks

    assert len(weeks) == 7  # 2026-10-01 … 2026-11-18
    assert [(w.number, w.check_ins, w.measurements) for w in weeks if w.check_ins
            or w.measurements] == [(3, 0, 2), (7, 4, 2)]
    assert weeks[6].mean_progress == Decimal("0.3125")  # (0.25 + 0.2 + 0.4 + 0.4) / 4
    assert weeks[6].expected == Decimal("0.5275")  # 48 / 91 at 2026-11-18


def test_a_department_filter_narrows_departments_people_and_trend(org, goals, kpis,
                                                                  synergy_company, scoped):
    report = build(goals, subtree=frozenset({org.sales.pk}))

    assert [row.pk for row in report.departments] == [org.sales.pk]
    assert [person.pk for person in report.employees] == [org.employees["peer"].pk]
    assert [s.pk for s in report.at_risk] == [kpis.peer.pk]
    assert [(w.number, w.check_ins, w.mean_progress) for w in report.weeks if w.check_ins] == [
        (7, 1, Decimal("0.4000"))]
