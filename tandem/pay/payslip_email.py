"""Payslips emailed when a run is paid: each employee with a work email gets a short message
in Chinese (the company language: `core.notifications.email.recipient_language`) with the net
pay, a link to the payslip and its PDF attached. One Huey task per payslip, queued after the
marking commits, so a slow or failing mail server is retried alone and never breaks
`services_payroll.mark_paid`, which calls `queue_payslip_emails(run)`."""

from __future__ import annotations

import logging
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled
from huey.contrib.djhuey import db_task

from tandem.core.notifications.email import absolute_url, recipient_language

from . import pdf
from .models import PayrollRun, Payslip
from .views_calculators import money

logger = logging.getLogger(__name__)


def queue_payslip_emails(run: PayrollRun) -> None:
    """After the current transaction commits, one email task per payslip of `run` whose
    employee has a work email. Never raises into the caller."""
    transaction.on_commit(partial(_queue, run.pk, run.company_id), robust=True)


def _queue(run_id: int, company_id: int) -> None:
    with scope(company=company_id):
        payslip_ids = list(Payslip.objects.filter(run_id=run_id).exclude(employee__email="")
                           .order_by("pk").values_list("pk", flat=True))
    for payslip_id in payslip_ids:
        try:
            send_payslip_email(payslip_id)
        except Exception:  # the queue itself is down: the run stays paid
            logger.exception("Could not queue the email of payslip %s", payslip_id)


@db_task(retries=3, retry_delay=60)
def send_payslip_email(payslip_id: int) -> bool:
    """Emails one payslip to its employee; False when there is nothing to send (gone, no
    work email). A failure is logged and raised, for Huey to retry."""
    # A task knows the payslip only by id, before it knows the company: the one lookup that
    # spans companies, after which everything is the payslip's own.
    with scopes_disabled():
        company_id = Payslip.objects.filter(pk=payslip_id).values_list(
            "company_id", flat=True).first()
    if company_id is None:
        return False
    with scope(company=company_id):
        payslip = Payslip.objects.select_related("run", "employee", "company").get(
            pk=payslip_id)
        address = payslip.employee.email
        if not address:
            return False
        with translation.override(recipient_language(payslip.employee)):
            message = build_message(payslip, address)
    try:
        message.send()
    except Exception:
        logger.exception("Email of payslip %s to %s failed", payslip_id, address)
        raise
    return True


def build_message(payslip: Payslip, address: str) -> EmailMessage:
    month = date_format(payslip.month, "YEAR_MONTH_FORMAT")
    link = absolute_url(reverse("pay:payslip_detail", args=[payslip.pk]))
    subject = _("Payslip %(month)s") % {"month": month}
    body = "\n\n".join([
        _("Hello %(name)s,") % {"name": payslip.employee.name},
        _("Your pay for %(month)s has been paid. Net pay: %(net)s yuan.")
        % {"month": month, "net": money(payslip.net)},
        _("The payslip, with how each figure was computed: %(link)s") % {"link": link},
        str(payslip.company),
    ])
    message = EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL,
                           to=[address])
    if pdf.unavailable_reason() is None:
        message.attach(pdf.payslip_filename(payslip), pdf.payslip_pdf(payslip),
                       "application/pdf")
    else:  # the link still works; the check warns the operator about the missing font
        logger.warning("Payslip %s emailed without its PDF: %s", payslip.pk,
                       pdf.unavailable_reason())
    return message
