"""The Excel import page: template download, row-numbered errors with nothing written, and a
good file's figures."""

import io
from decimal import Decimal as D

import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scope

from tandem.kpis.models import Assignment, Measurement

IMPORT = "/kpis/import/"
HEADERS = ["Employee number", "Department", "Indicator code", "Date", "Value", "Note"]


@pytest.fixture(autouse=True)
def today(time_machine):
    time_machine.move_to("2026-11-26 10:00 +08:00", tick=False)


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _workbook(rows) -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("figures.xlsx", buffer.getvalue(),
                              content_type="application/vnd.openxmlformats-officedocument."
                                           "spreadsheetml.sheet")


def test_the_template_downloads(client_as, english, org):
    response = client_as(org.users["hr"]).get(f"{IMPORT}template/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    headers = [cell.value for cell in next(book.active.iter_rows(max_row=1))]
    assert any("Indicator code" in str(header) for header in headers)


def test_a_bad_row_writes_nothing_and_is_named(client_as, english, org, goals, kpis):
    staff = org.employees["staff"].employee_number
    upload = _workbook([[staff, None, "DEFECTS", "2026-11-01", 3, "ok"],
                        [staff, None, "DEFECTS", "2027-03-01", 2, "outside"]])
    response = client_as(org.users["hr"]).post(IMPORT, {"cycle": goals.quarter.pk,
                                                        "file": upload})
    html = response.content.decode()
    assert response.status_code == 400
    assert "1 problem: nothing was imported." in html
    assert '<tr data-row="3">' in html
    with scope(company=org.company.pk):
        assert Measurement.objects.filter(assignment=kpis.staff).count() == 1


def test_a_good_file_records_its_figures(client_as, english, org, goals, kpis):
    staff = org.employees["staff"].employee_number
    upload = _workbook([[staff, None, "DEFECTS", "2026-11-01", 3, None],
                        [None, "研发部", "SALES", "2026-11-02", 120000, "Q4"]])
    response = client_as(org.users["hr"]).post(IMPORT, {"cycle": goals.quarter.pk,
                                                        "file": upload})
    assert response.status_code == 302
    with scope(company=org.company.pk):
        assert Assignment.objects.get(pk=kpis.staff.pk).actual == D(3)
        assert Assignment.objects.get(pk=kpis.rnd.pk).actual == D(120000)
        assert Measurement.objects.filter(source="import").count() == 2


def test_the_form_asks_for_a_file(client_as, english, org, goals):
    response = client_as(org.users["hr"]).post(IMPORT, {"cycle": goals.quarter.pk})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


@pytest.mark.parametrize("role", ["lead", "staff", "finance"])
def test_the_import_is_for_people_admins(client_as, org, role):
    client = client_as(org.users[role])
    assert client.get(IMPORT).status_code == 403
    assert client.get(f"{IMPORT}template/").status_code == 403
