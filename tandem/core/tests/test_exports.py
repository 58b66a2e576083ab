"""core.exports: workbooks from headers and rows, read back with openpyxl, and the download's
headers (a Chinese filename by RFC 5987 with an ASCII fallback)."""

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tandem.core.exports import (
    DATE,
    INTEGER,
    MONEY,
    RATE,
    TEXT,
    XLSX_CONTENT_TYPE,
    Column,
    Sheet,
    attachment_header,
    cell_value,
    safe_filename,
    sheet_title,
    workbook_bytes,
    xlsx_response,
)

COLUMNS = [Column("姓名"), Column("Net pay", MONEY), Column("Days", INTEGER),
           Column("Rate", RATE), Column("Paid on", DATE)]


def read(data: bytes):
    return load_workbook(io.BytesIO(data))


def test_money_is_a_number_rounded_half_up_to_the_fen_with_a_number_format():
    book = read(workbook_bytes([Sheet("S", COLUMNS, [
        ("张三", Decimal("8152.505"), 3, Decimal("0.03"), date(2026, 9, 30)),
        ("李四", "1000", 1, None, None),
    ])]))
    sheet = book["S"]
    assert [cell.value for cell in sheet[1]] == ["姓名", "Net pay", "Days", "Rate", "Paid on"]
    assert all(cell.font.bold for cell in sheet[1])
    name, net, days, rate, paid = sheet[2]
    assert net.data_type == "n" and Decimal(str(net.value)) == Decimal("8152.51")
    assert net.number_format == "#,##0.00"
    assert days.value == 3 and days.number_format == "0"
    assert Decimal(str(rate.value)) == Decimal("0.03") and rate.number_format == "0.##%"
    assert paid.value.date() == date(2026, 9, 30) and paid.number_format == "yyyy-mm-dd"
    assert name.value == "张三" and name.data_type == "s"
    assert Decimal(str(sheet["B3"].value)) == Decimal("1000.00")
    assert sheet["D3"].value is None and sheet["E3"].value is None
    assert sheet.freeze_panes == "A2"


def test_a_total_row_is_written_last_in_bold():
    book = read(workbook_bytes([Sheet("S", COLUMNS[:2], [("a", 1), ("b", 2)],
                                      total=("合计", Decimal("3")))]))
    sheet = book["S"]
    assert sheet.max_row == 4
    assert [cell.value for cell in sheet[4]] == ["合计", 3]
    assert sheet["A4"].font.bold and sheet["B4"].font.bold
    assert not sheet["A2"].font.bold


def test_text_that_looks_like_a_formula_stays_text():
    book = read(workbook_bytes([Sheet("S", [Column("Name", TEXT)], [
        ('=HYPERLINK("http://evil","x")',), ("+1",), ("a\x01b",)])]))
    sheet = book["S"]
    assert sheet["A2"].data_type == "s"
    assert sheet["A2"].value == '=HYPERLINK("http://evil","x")'
    assert sheet["A3"].value == "+1"
    assert sheet["A4"].value == "ab"  # a control character Excel refuses is dropped


def test_several_sheets_keep_their_order_and_titles_are_made_valid():
    book = read(workbook_bytes([Sheet("转账", COLUMNS[:1], []),
                                Sheet("missing", COLUMNS[:1], [("x",)]),
                                Sheet("a/b:c*d?[e]" + "x" * 40, COLUMNS[:1], [])]))
    assert book.sheetnames[:2] == ["转账", "missing"]
    assert book.sheetnames[2] == sheet_title("a/b:c*d?[e]" + "x" * 40)
    assert len(book.sheetnames[2]) == 31 and not set("[]:*?/\\") & set(book.sheetnames[2])


def test_rows_may_be_a_generator_and_must_match_the_columns():
    book = read(workbook_bytes([Sheet("S", COLUMNS[:2], ((str(n), n) for n in range(3)))]))
    assert book["S"].max_row == 4
    with pytest.raises(ValueError):
        workbook_bytes([Sheet("S", COLUMNS[:2], [("only one",)])])
    with pytest.raises(ValueError):
        workbook_bytes([])
    with pytest.raises(ValueError):
        Column("x", "colour")


def test_cell_values():
    assert cell_value(None, MONEY) is None
    assert cell_value("", TEXT) is None
    assert cell_value("12.345", MONEY) == Decimal("12.35")
    assert cell_value(Decimal("-0.005"), MONEY) == Decimal("-0.01")
    assert cell_value(7, TEXT) == "7"


def test_a_chinese_filename_goes_out_by_rfc_5987_with_an_ascii_fallback():
    header = attachment_header("银行代发-2026-09.xlsx")
    assert header == ('attachment; filename="2026-09.xlsx"; '
                      "filename*=utf-8''%E9%93%B6%E8%A1%8C%E4%BB%A3%E5%8F%91-2026-09.xlsx")
    assert attachment_header("银行代发-2026-09.xlsx", "bank-transfers-2026-09.xlsx") == (
        'attachment; filename="bank-transfers-2026-09.xlsx"; '
        "filename*=utf-8''%E9%93%B6%E8%A1%8C%E4%BB%A3%E5%8F%91-2026-09.xlsx")
    assert attachment_header("report.xlsx") == 'attachment; filename="report.xlsx"'
    assert attachment_header("工资.xlsx") == (
        "attachment; filename=\"export.xlsx\"; filename*=utf-8''%E5%B7%A5%E8%B5%84.xlsx")


def test_unsafe_filenames_are_cleaned():
    assert safe_filename('../../etc/"passwd"\r\n.xlsx') == "etc-passwd-.xlsx"
    assert safe_filename("a\\b:c.xlsx") == "a-b-c.xlsx"
    assert safe_filename("...") == "export.xlsx"
    header = attachment_header('x";\r\nSet-Cookie: a=b.xlsx')
    assert "\r" not in header and "\n" not in header and header.count('"') == 2


def test_the_response_is_a_private_xlsx_attachment():
    response = xlsx_response([Sheet("S", COLUMNS[:2], [("a", Decimal("1.50"))])],
                             "工资汇总-2026-09.xlsx", fallback_filename="payroll-2026-09.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"].startswith(
        'attachment; filename="payroll-2026-09.xlsx"; filename*=utf-8\'\'')
    assert response["Cache-Control"] == "private, no-store"
    assert Decimal(str(read(response.content)["S"]["B2"].value)) == Decimal("1.50")
