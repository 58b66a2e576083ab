"""Who may call the Pay URLs, pages and API, role by role and object by object; the
vocabulary is explained in `core.access_table`. Salary data: HR, finance and the employee
themself only (DESIGN.md): not the owner as such, and not a manager (lead) for their report
(staff). HR writes. City policies are reference data every member reads.

The objects come from `pay.testing.make_pay` (as `org.pay`): staff's and peer's salary
profile, attendance summary and deduction declaration, and the company's Shanghai
work-injury rate."""

from tandem.core.access_table import EVERYONE, PEOPLE_ADMINS

from .access_calculators import ACCESS as CALCULATORS
from .access_calculators_labour import ACCESS as CALCULATORS_LABOUR
from .access_payslips import ACCESS as PAYSLIP_PAGES
from .access_records_pages import ACCESS as RECORD_PAGES
from .access_reports import ACCESS as REPORT_PAGES
from .access_runs import ACCESS as RUN_PAGES

FIXTURE = {"pay": "tandem.pay.testing.make_pay"}

OBJECTS = {
    "pay.SalaryProfile": {"staff": "pay.staff_profile", "peer": "pay.peer_profile"},
    "pay.AttendanceSummary": {"staff": "pay.staff_attendance", "peer": "pay.peer_attendance"},
    "pay.DeductionDeclaration": {"staff": "pay.staff_declaration",
                                 "peer": "pay.peer_declaration"},
    "pay.CompanyWorkInjuryRate": {"shanghai": "pay.work_injury_rate"},
    "pay.PayrollRun": {"september": "pay.run"},
    "pay.Payslip": {"staff": "pay.staff_payslip", "peer": "pay.peer_payslip"},
    "pay.PayItem": {"staff": "pay.staff_pay_item", "peer": "pay.peer_pay_item"},
}

HR = frozenset({"hr"})
READ_OWN = {"staff": frozenset({"hr", "finance", "staff"}),
            "peer": frozenset({"hr", "finance", "peer"})}


def _employee_records(path: str, model: str) -> dict:
    """A list everyone may read (it holds only their own unless HR or finance) and HR
    creates in, and a detail only its employee, HR and finance read and only HR changes."""
    return {
        f"/api/v1/{path}/": {"GET": EVERYONE, "POST": HR},
        f"/api/v1/{path}/<pk>/": {"model": model, "GET": READ_OWN, "PUT": HR, "PATCH": HR,
                                  "DELETE": HR},
    }


RECORDS = {
    **_employee_records("salary-profiles", "pay.SalaryProfile"),
    **_employee_records("attendance-summaries", "pay.AttendanceSummary"),
    **_employee_records("deduction-declarations", "pay.DeductionDeclaration"),
    # The change history of a profile: for whoever may read the profile.
    "/api/v1/salary-profiles/<pk>/history/": {"model": "pay.SalaryProfile", "GET": READ_OWN},
    "/api/v1/city-policies/": {"GET": EVERYONE},
    # The company's work-injury class rates: a company setting, not anyone's pay; HR and
    # administrators keep them.
    "/api/v1/work-injury-rates/": {"GET": EVERYONE, "POST": PEOPLE_ADMINS},
    "/api/v1/work-injury-rates/<pk>/": {
        "model": "pay.CompanyWorkInjuryRate", "GET": EVERYONE,
        "PUT": PEOPLE_ADMINS, "PATCH": PEOPLE_ADMINS, "DELETE": PEOPLE_ADMINS,
    },
}

# Payroll (`pay.rules_payroll`): HR prepares and calculates, finance approves, either marks
# paid; the fixture's September run is approved, so its payslips are their employees' to read
# and the writes on it answer 409.
PAYROLL_READERS = frozenset({"hr", "finance"})
RUN = "pay.PayrollRun"
PAYROLL = {
    "/api/v1/payroll-runs/": {"GET": PAYROLL_READERS, "POST": HR},
    "/api/v1/payroll-runs/<pk>/": {"model": RUN, "GET": PAYROLL_READERS, "DELETE": HR},
    "/api/v1/payroll-runs/<pk>/calculate/": {"model": RUN, "POST": HR},
    "/api/v1/payroll-runs/<pk>/approve/": {"model": RUN, "POST": frozenset({"finance"})},
    "/api/v1/payroll-runs/<pk>/mark-paid/": {"model": RUN, "POST": PAYROLL_READERS},
    "/api/v1/payroll-runs/<pk>/problems/": {"model": RUN, "GET": PAYROLL_READERS},
    "/api/v1/payslips/": {"GET": EVERYONE},
    "/api/v1/payslips/<pk>/": {"model": "pay.Payslip", "GET": READ_OWN},
    **_employee_records("pay-items", "pay.PayItem"),
}

ACCESS: dict = {
    **CALCULATORS,
    **CALCULATORS_LABOUR,
    **RUN_PAGES,
    **PAYSLIP_PAGES,
    **RECORD_PAGES,
    **REPORT_PAGES,
    **RECORDS,
    **PAYROLL,
}
