"""The payslip PDF: WeasyPrint with the Noto Sans CJK SC font embedded, a Chinese name in its
text layer, the file name, and a clear 503 where the server cannot make PDFs. Without the
font these tests skip with the reason; under CI=true they fail instead (CI installs it)."""

import os
import re
import zlib

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_scopes import scope

from tandem.pay import checks, pdf
from tandem.pay.testing import make_pay


def require_pdf_support():
    reason = pdf.unavailable_reason()
    if reason is None:
        return
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(f"payslip PDFs cannot be made: {reason}; CI must run these tests",
                    pytrace=False)
    pytest.skip(f"payslip PDFs cannot be made here: {reason}")


def pdf_streams(data: bytes) -> bytes:
    """The PDF's objects with every Flate stream inflated (WeasyPrint compresses them)."""
    parts = [data]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


def font_names(data: bytes) -> set[str]:
    return {name.decode() for name in
            re.findall(rb"/FontName\s*/([^\s/\]>]+)", pdf_streams(data))}


def to_unicode_maps(data: bytes) -> str:
    """The code points the fonts' ToUnicode maps give: what a reader copies as text."""
    text = pdf_streams(data).decode("latin-1")
    return " ".join(re.findall(r"beginbf(?:char|range)(.*?)endbf(?:char|range)", text, re.S))


@pytest.fixture
def pay(org):
    require_pdf_support()
    pay = make_pay(org)
    with scope(company=org.company.pk):
        employee = pay.staff_payslip.employee
        employee.name = "张伟"
        employee.save()
    return pay


def test_the_pdf_embeds_the_cjk_font_and_the_chinese_name(org, pay, client_as):
    response = client_as(org.users["staff"]).get(
        reverse("pay:payslip_pdf", args=[pay.staff_payslip.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    number = pay.staff_payslip.employee.employee_number
    assert number.startswith("E")
    assert response["Content-Disposition"] == (
        f'attachment; filename="payslip-2026-09-{number}.pdf"')
    data = response.content
    assert data.startswith(b"%PDF-")
    names = font_names(data)
    # A subset (six letters and "+") of Noto Sans CJK SC, embedded.
    assert any(re.fullmatch(r"[A-Z]{6}\+Noto-?Sans-?CJK-?SC.*", name) for name in names), names
    maps = to_unicode_maps(data).upper()
    for character in "张伟":
        assert f"{ord(character):04X}" in maps, character


def test_hr_gets_the_pdf_of_anyone(org, pay, client_as):
    response = client_as(org.users["hr"]).get(
        reverse("pay:payslip_pdf", args=[pay.peer_payslip.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(
        f'filename="payslip-2026-09-{pay.peer_payslip.employee.employee_number}.pdf"')


def test_without_the_font_the_pdf_is_a_clear_503_and_the_check_warns(org, client_as, settings,
                                                                      monkeypatch):
    pay = make_pay(org)
    monkeypatch.setattr(pdf, "_fontconfig_font", lambda: None)
    settings.TANDEM_PDF_FONT = ""
    client = client_as(org.users["staff"])
    client.cookies["tandem_language"] = "en"
    response = client.get(reverse("pay:payslip_pdf", args=[pay.staff_payslip.pk]))
    assert response.status_code == 503
    assert "Noto Sans CJK SC is not installed" in response.content.decode()
    assert [warning.id for warning in checks.pdf_can_be_made()] == ["tandem.pay.W002"]


def test_a_configured_font_file_that_is_missing_counts_as_missing(settings, tmp_path):
    settings.TANDEM_PDF_FONT = str(tmp_path / "absent.otf")
    assert pdf.font_path() is None


def test_with_the_font_the_check_is_silent(db):
    require_pdf_support()
    assert checks.pdf_can_be_made() == []
    call_command("check")  # registered: runs with the others without error
