"""The Excel import of KPI figures: `kpis.imports.import_measurements` and
POST /api/v1/kpi-assignments/import/."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django_scopes import scope
from openpyxl import Workbook

from tandem.kpis.imports import import_measurements, template_response
from tandem.kpis.models import Assignment, Measurement

pytestmark = pytest.mark.django_db

HEADERS = ["Employee number", "Department", "Indicator code", "Date", "Value", "Note"]


def workbook(rows, headers=HEADERS) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("figures.xlsx", buffer.getvalue())


def _run(org, goals, rows, role="hr", **kwargs):
    with scope(company=org.company.pk), translation.override("en"):
        from tandem.core.actor import resolve_actor

        actor = resolve_actor(org.users[role])
        return import_measurements(company=org.company, cycle=goals.quarter,
                                   uploaded_file=workbook(rows, **kwargs), actor=actor,
                                   by=org.users[role])


def test_a_good_import_records_every_figure(org, goals, kpis):
    staff = org.employees["staff"].employee_number
    result = _run(org, goals, [
        [staff, None, "DEFECTS", date(2026, 11, 30), 3, "十一月"],
        [None, "研发部", "SALES", "2026-10-31", 120000.5, None],
        [None, "研发部", "SALES", "2026/11/30", "180000", None],
    ])
    assert result.ok, result.errors
    assert (result.created, result.rows) == (3, 3)
    with scope(company=org.company.pk):
        rnd = Assignment.objects.get(pk=kpis.rnd.pk)
        assert rnd.actual == Decimal("300000.5")
        assert Assignment.objects.get(pk=kpis.staff.pk).actual == Decimal("3")  # last
        imported = Measurement.objects.filter(source="import")
        assert imported.count() == 3
        assert {m.recorded_by_id for m in imported} == {org.users["hr"].pk}
        assert imported.get(assignment=kpis.staff).note == "十一月"


def test_a_bad_row_writes_nothing_and_names_the_row(org, goals, kpis):
    staff = org.employees["staff"].employee_number
    result = _run(org, goals, [
        [None, "研发部", "SALES", "2026-10-31", 120000, None],
        [staff, None, "DEFECTS", "2027-01-15", 3, None],       # row 3: outside the cycle
        [staff, None, "SALES", "2026-11-30", 3, None],         # row 4: not assigned
        ["E99999", None, "DEFECTS", "2026-11-30", 3, None],    # row 5: no such person
        [staff, "研发部", "DEFECTS", "2026-11-30", 3, None],   # row 6: both
        [None, "研发部", "SALES", "2026-11-30", "lots", None],  # row 7: not a number
    ])
    assert not result.ok and result.created == 0
    by_row = {(e.row, e.column) for e in result.errors}
    assert by_row == {(3, "Date"), (4, "Indicator code"), (5, "Employee number"), (6, None),
                      (7, "Value")}
    with scope(company=org.company.pk):
        assert not Measurement.objects.filter(source="import").exists()
        assert Assignment.objects.get(pk=kpis.rnd.pk).actual is None


def test_a_leader_imports_only_for_their_people(org, goals, kpis):
    staff, peer = (org.employees[k].employee_number for k in ("staff", "peer"))
    result = _run(org, goals, [[staff, None, "DEFECTS", "2026-11-30", 2, None],
                               [peer, None, "NEW_CUST", "2026-11-30", 2, None]], role="lead")
    assert [(e.row, e.column) for e in result.errors] == [(3, None)]
    result = _run(org, goals, [[staff, None, "DEFECTS", "2026-11-30", 2, None]], role="lead")
    assert result.ok and result.created == 1


def test_a_file_with_a_missing_column_is_refused(org, goals, kpis):
    result = _run(org, goals, [["x", "SALES"]], headers=["Employee number", "Indicator code"])
    assert not result.ok
    assert {e.column for e in result.errors} == {"Date", "Value"}


def test_the_template_has_the_columns(org):
    with scope(company=org.company.pk), translation.override("en"):
        response = template_response()
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [c.value for c in sheet[1]] == ["Employee number", "Department",
                                           "Indicator code *", "Date *", "Value *", "Note"]


def test_the_import_endpoint(org, goals, kpis, api_as):
    url = "/api/v1/kpi-assignments/import/"
    staff = org.employees["staff"].employee_number
    api = api_as(org.users["hr"])
    api.cookies["tandem_language"] = "en"
    bad = api.post(url, {"cycle": goals.quarter.pk,
                         "file": workbook([[staff, None, "DEFECTS", "2026-11-30", "x", None]])},
                   format="multipart")
    assert bad.status_code == 400
    assert bad.json()["errors"] == {"row 2": ["Value: Enter a number."]}
    good = api.post(url, {"cycle": goals.quarter.pk,
                          "file": workbook([[staff, None, "DEFECTS", "2026-11-30", 1, None]])},
                    format="multipart")
    assert good.status_code == 200, good.json()
    assert good.json() == {"created": 1, "rows": 1, "errors": []}
    assert set(api.post(url, {}, format="multipart").json()["errors"]) == {"cycle", "file"}
    staff_api = api_as(org.users["staff"])
    assert staff_api.post(url, {"cycle": goals.quarter.pk,
                                "file": workbook([])}, format="multipart").status_code == 403


def test_an_import_takes_the_same_queries_for_more_rows(org, goals, kpis,
                                                         django_assert_max_num_queries):
    staff = org.employees["staff"].employee_number
    few = [[staff, None, "DEFECTS", "2026-11-30", 1, None],
           [None, "研发部", "SALES", "2026-10-01", 1, None]]
    many = few + [[None, "研发部", "SALES", f"2026-11-{day:02d}", day, None]
                  for day in range(1, 21)]
    with django_assert_max_num_queries(40) as counted:
        assert _run(org, goals, few).ok
    with django_assert_max_num_queries(len(counted.captured_queries)):
        assert _run(org, goals, many).created == 22
