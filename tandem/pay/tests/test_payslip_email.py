"""Payslips emailed when a run is paid: after commit, one message per employee with a work
email, in Chinese, with the net pay, a link and the PDF attached; a failing mail server never
breaks the marking (`services_payroll.mark_paid` queues them)."""

import pytest
from django.db import transaction
from django_scopes import scope

from tandem.pay import pdf, services_payroll
from tandem.pay.models import PayrollRun, RunStatus
from tandem.pay.testing import make_pay


@pytest.fixture
def pay(org, settings):
    settings.SITE_URL = "https://hr.example.cn"
    pay = make_pay(org)
    with scope(company=org.company.pk):
        staff = pay.staff_payslip.employee
        staff.email = "staff@example.cn"
        staff.name = "张伟"
        staff.save()
    return pay


def mark_paid(org, pay):
    with scope(company=org.company.pk), transaction.atomic():
        return services_payroll.mark_paid(run=pay.run, by=org.users["finance"])


def test_paid_run_emails_each_payslip_after_commit(org, pay, mailoutbox,
                                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        mark_paid(org, pay)
    assert mailoutbox == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert len(mailoutbox) == 1  # peer has no work email
    message = mailoutbox[0]
    assert message.to == ["staff@example.cn"]
    assert message.subject == "2026年9月工资条"
    assert "17,000.00" in message.body
    assert f"https://hr.example.cn/pay/payslips/{pay.staff_payslip.pk}/" in message.body
    assert "张伟" in message.body
    if pdf.unavailable_reason() is None:
        [(name, content, mimetype)] = message.attachments
        assert name == f"payslip-2026-09-{pay.staff_payslip.employee.employee_number}.pdf"
        assert mimetype == "application/pdf"
        assert content.startswith(b"%PDF-")


def test_a_failing_mail_server_does_not_undo_the_payment(org, pay, mailoutbox, monkeypatch,
                                                         django_capture_on_commit_callbacks):
    def broken(self, *args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken)
    with django_capture_on_commit_callbacks(execute=True):
        run = mark_paid(org, pay)
    assert run.status == RunStatus.PAID
    with scope(company=org.company.pk):
        assert PayrollRun.objects.get(pk=run.pk).status == RunStatus.PAID
    assert mailoutbox == []


def test_no_email_when_the_marking_is_rolled_back(org, pay, mailoutbox,
                                                  django_capture_on_commit_callbacks):
    with (django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError),
          scope(company=org.company.pk), transaction.atomic()):
        services_payroll.mark_paid(run=pay.run, by=org.users["finance"])
        raise RuntimeError("rolled back")
    assert mailoutbox == []


def test_the_email_task_takes_a_constant_number_of_queries(org, pay,
                                                           django_assert_max_num_queries):
    from tandem.pay.payslip_email import send_payslip_email

    with django_assert_max_num_queries(4):
        assert send_payslip_email.call_local(pay.staff_payslip.pk) is True
    assert send_payslip_email.call_local(pay.peer_payslip.pk) is False  # no work email


def test_the_demo_s_history_sends_nothing(org, pay, mailoutbox,
                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), scope(company=org.company.pk):
        services_payroll.mark_paid(run=pay.run, by=org.users["finance"], email_payslips=False)
    assert mailoutbox == []
