"""`open_workbook`: a real .xlsx opens; anything else is refused with a reason."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook

from tandem.core.spreadsheets import OLE2_SIGNATURE, open_workbook


def xlsx_bytes(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "员工"
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(content: bytes, name: str = "people.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def zip_bytes(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def refusal(content: bytes, **limits) -> ValidationError:
    with pytest.raises(ValidationError) as error, translation.override("en"):
        open_workbook(upload(content), **limits)
    return error.value


def test_a_real_workbook_opens_with_its_values():
    workbook = open_workbook(upload(xlsx_bytes([["工号", "姓名"], ["E1", "林"]])))
    try:
        rows = list(workbook["员工"].iter_rows(values_only=True))
    finally:
        workbook.close()
    assert rows == [("工号", "姓名"), ("E1", "林")]


def test_a_plain_file_object_works_too():
    workbook = open_workbook(io.BytesIO(xlsx_bytes([["a"]])))
    workbook.close()


@pytest.mark.parametrize(("content", "code"), [
    (b"", "empty"),
    (b"employee_number,name\nE1,Lin\n", "not_excel"),
    ("工号,姓名\n".encode("gbk"), "not_excel"),
    (b"%PDF-1.7\n", "not_excel"),
    (b"<html><table></table></html>", "not_excel"),
    (OLE2_SIGNATURE + b"\x00" * 504, "old_format"),
    (b"PK\x03\x04" + b"\x00" * 100, "damaged"),
    (zip_bytes({"word/document.xml": b"<w/>", "[Content_Types].xml": b"<x/>"}), "not_excel"),
    (zip_bytes({"xl/workbook.xml": b"not xml at all", "[Content_Types].xml": b"<x/>"}),
     "damaged"),
], ids=["empty", "csv", "gbk csv", "pdf", "html", "xls", "broken zip", "docx", "broken xlsx"])
def test_what_is_not_a_workbook_is_refused_with_its_reason(content, code):
    assert refusal(content).code == code


def test_the_messages_say_what_to_do():
    assert refusal(b"a,b\n").messages == [
        "This file is not an Excel workbook. Upload an .xlsx file saved from Excel, WPS or "
        "LibreOffice."
    ]
    assert refusal(OLE2_SIGNATURE).messages == [
        "This is an old-format (.xls) or password-protected workbook. Open it in Excel, remove "
        "any password and save it as .xlsx, then upload it again."
    ]


def test_a_truncated_workbook_is_damaged():
    content = xlsx_bytes([["a"] * 20] * 50)
    assert refusal(content[: len(content) // 2]).code == "damaged"


def test_a_file_over_the_size_limit_is_refused_before_it_is_read():
    error = refusal(xlsx_bytes([["a"]]), max_bytes=100)
    assert error.code == "too_large"
    assert error.messages == ["The file is larger than 100\xa0bytes. Split it into smaller "
                              "workbooks."]


def test_a_zip_bomb_is_refused_by_its_unpacked_size():
    bomb = zip_bytes({"xl/workbook.xml": b"<workbook/>", "xl/padding.bin": b"\x00" * 5_000_000})
    assert len(bomb) < 100_000
    assert refusal(bomb, max_unpacked_bytes=1_000_000).code == "too_large"
