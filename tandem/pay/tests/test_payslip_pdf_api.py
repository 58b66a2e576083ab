"""GET /api/v1/payslips/{id}/pdf/: the same PDF as the page's, for the same people."""

import pytest
from django.urls import include, path
from django_scopes import scope

from tandem.pay import pdf
from tandem.pay.testing import make_pay

from .test_payslip_pdf import font_names, require_pdf_support

# The route as `pay/api/urls.py` includes it (urls_payslips_pdf), ahead of the project's.
urlpatterns = [path("api/v1/", include("tandem.pay.api.urls_payslips_pdf")),
               path("", include("tandem.urls"))]
pytestmark = pytest.mark.urls(__name__)


@pytest.fixture
def pay(org):
    return make_pay(org)


def url(payslip) -> str:
    return f"/api/v1/payslips/{payslip.pk}/pdf/"


def test_the_employee_downloads_their_payslip_pdf(org, pay, api_as):
    require_pdf_support()
    response = api_as(org.users["staff"]).get(url(pay.staff_payslip),
                                              HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    number = pay.staff_payslip.employee.employee_number
    assert response["Content-Disposition"] == (
        f'attachment; filename="payslip-2026-09-{number}.pdf"')
    assert any("CJK" in name for name in font_names(response.content))


@pytest.mark.parametrize("role", ["owner", "lead", "peer"])
def test_others_are_refused_in_json(org, pay, api_as, role):
    response = api_as(org.users[role]).get(url(pay.staff_payslip))
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


def test_another_companys_payslip_is_a_404(org, other_org, pay, api_as):
    other = make_pay(other_org)
    assert api_as(org.users["hr"]).get(url(other.staff_payslip)).status_code == 404


def test_without_the_font_the_api_answers_503(org, pay, api_as, monkeypatch, settings):
    monkeypatch.setattr(pdf, "_fontconfig_font", lambda: None)
    settings.TANDEM_PDF_FONT = ""
    with scope(company=org.company.pk):
        response = api_as(org.users["finance"]).get(url(pay.staff_payslip))
    assert response.status_code == 503
    assert "Noto Sans CJK SC" in response.json()["detail"]
