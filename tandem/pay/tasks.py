"""Background work of Pay, run by the Huey worker (`manage.py run_huey`; inline in tests)."""

from huey.contrib.djhuey import db_task


@db_task()
def calculate_payroll_run(run_id: int, user_id: int | None = None) -> int | None:
    """Calculates a payroll run (`services_payroll.calculate_run`) in the company's scope;
    the run's status and progress tell the client how far it got. Returns the payslip count,
    None when the run is gone or already approved (nothing to do)."""
    from django.contrib.auth import get_user_model
    from django_scopes import scope

    from tandem.pay import services_payroll
    from tandem.pay.models import PayrollRun

    run = PayrollRun._base_manager.filter(pk=run_id).first()
    if run is None or run.locked:
        return None
    by = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    with scope(company=run.company_id):
        run = services_payroll.calculate_run(run=run, by=by)
    return run.employee_count


# Lives next to the message it sends; imported here so that the worker registers it.
from .payslip_email import send_payslip_email  # noqa: E402, F401
