"""The payslip page and "My payslips": exact figures, privacy per role, both languages."""

import pytest
from django.urls import reverse
from django_scopes import scope

from tandem.pay.models import PayrollRun, RunStatus
from tandem.pay.testing import make_pay

EN = {"tandem_language": "en"}


@pytest.fixture
def pay(org):
    return make_pay(org)


def page(client, url, lang="en"):
    client.cookies["tandem_language"] = lang
    return client.get(url)


def test_the_employee_reads_their_payslip_with_every_figure(org, pay, client_as):
    url = reverse("pay:payslip_detail", args=[pay.staff_payslip.pk])
    response = page(client_as(org.users["staff"]), url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<div class="display-5 fw-semibold td-figures td-payslip-net-amount" ' \
           'id="payslip-net">17,000.00</div>' in html
    assert "Payslip September 2026" in html
    assert "Approved" in html
    # Earnings: the base pay and the allowance under the company's wording.
    assert "20,500.00" in html and "餐补" in html
    # Pension: base 20,000, rate 8 %, 1,600 taken.
    assert ('<td class="text-end td-figures text-nowrap">20,000.00</td>'
            '<td class="text-end td-figures text-nowrap">8 %</td>\n      '
            '<td class="text-end td-figures text-nowrap">1,600.00</td>') in html
    # The employer's side apart, with its cost.
    assert "Pension (employer)" in html and "3,200.00" in html
    # The cumulative tax figures, open.
    for figure in ("Cumulative income", "20,500.00", "Cumulative basic deduction (5,000 a month)",
                   "45,000.00", "Cumulative special deductions", "3,500.00",
                   "Cumulative special additional deductions", "1,000.00",
                   "Cumulative taxable income", "-29,000.00", "3 %", "Withheld this month"):
        assert figure in html, figure
    # Each line opens its explanation.
    assert "<details>" in html and "Contribution (base × rate + fixed amount, rounded)" in html
    assert "<script" not in html.split("</head>")[1]
    assert ' style="' not in html


def test_the_page_is_in_chinese_by_default(org, pay, client_as):
    client = client_as(org.users["staff"])
    html = client.get(reverse("pay:payslip_detail", args=[pay.staff_payslip.pk])).content.decode()
    assert "2026年9月" in html
    assert "17,000.00" in html
    assert '<html lang="zh-hans">' in html
    assert "2026年9月工资条" in html and "实发工资" in html and "缴费比例" in html


@pytest.mark.parametrize("role", ["hr", "finance"])
def test_hr_and_finance_read_anyones_payslip(org, pay, client_as, role):
    response = page(client_as(org.users[role]),
                    reverse("pay:payslip_detail", args=[pay.peer_payslip.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("role", ["owner", "lead", "peer"])
def test_no_one_else_reads_staffs_payslip(org, pay, client_as, role):
    for name in ("pay:payslip_detail", "pay:payslip_pdf"):
        response = page(client_as(org.users[role]), reverse(name, args=[pay.staff_payslip.pk]))
        assert response.status_code == 403


def test_a_draft_payslip_is_not_the_employees_yet(org, pay, client_as):
    with scope(company=org.company.pk):
        PayrollRun.objects.filter(pk=pay.run.pk).update(status=RunStatus.CALCULATED)
    url = reverse("pay:payslip_detail", args=[pay.staff_payslip.pk])
    assert page(client_as(org.users["staff"]), url).status_code == 403
    assert page(client_as(org.users["hr"]), url).status_code == 200


def test_another_companys_payslip_is_not_found(org, other_org, pay, client_as):
    other_pay = make_pay(other_org)
    response = page(client_as(org.users["hr"]),
                    reverse("pay:payslip_detail", args=[other_pay.staff_payslip.pk]))
    assert response.status_code == 404


def test_my_payslips_lists_the_callers_own_released_payslips(org, pay, client_as,
                                                              django_assert_max_num_queries):
    client = client_as(org.users["staff"])
    client.cookies["tandem_language"] = "en"
    with django_assert_max_num_queries(12):
        response = client.get(reverse("pay:my_payslips"))
    html = response.content.decode()
    assert response.status_code == 200
    main = html.split("<main", 1)[1]  # past the navigation, which links this page too
    assert main.count('href="/pay/payslips/') == 2  # the page and the PDF, one payslip
    assert f'href="/pay/payslips/{pay.staff_payslip.pk}/pdf/"' in html
    assert "September 2026" in html and "17,000.00" in html
    assert f"/pay/payslips/{pay.peer_payslip.pk}/" not in html


def test_my_payslips_of_hr_shows_only_their_own(org, pay, client_as):
    html = page(client_as(org.users["hr"]), reverse("pay:my_payslips")).content.decode()
    assert f"/pay/payslips/{pay.staff_payslip.pk}/" not in html
    assert "No payslips yet" in html


def test_my_payslips_leaves_out_a_draft(org, pay, client_as):
    with scope(company=org.company.pk):
        PayrollRun.objects.filter(pk=pay.run.pk).update(status=RunStatus.CALCULATED)
    html = page(client_as(org.users["staff"]), reverse("pay:my_payslips")).content.decode()
    assert "No payslips yet" in html


def test_the_payslip_page_takes_a_constant_number_of_queries(org, pay, client_as,
                                                             django_assert_max_num_queries):
    client = client_as(org.users["hr"])
    with django_assert_max_num_queries(12):
        assert client.get(reverse("pay:payslip_detail",
                                  args=[pay.staff_payslip.pk])).status_code == 200
