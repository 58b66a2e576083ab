"""Access table of the payslip pages and PDFs (HR and finance all; an employee their own,
once the run is approved: the fixture's September run is). The owner and a manager (lead) as
such read no one's payslip. "My payslips" is every member's own list."""

from tandem.core.access_table import EVERYONE

PAYSLIP = "pay.Payslip"
READ_OWN = {"staff": frozenset({"hr", "finance", "staff"}),
            "peer": frozenset({"hr", "finance", "peer"})}

ACCESS: dict = {
    "/pay/payslips/": {"GET": EVERYONE},
    "/pay/payslips/<pk>/": {"model": PAYSLIP, "GET": READ_OWN},
    "/pay/payslips/<pk>/pdf/": {"model": PAYSLIP, "GET": READ_OWN},
    "/api/v1/payslips/<pk>/pdf/": {"model": PAYSLIP, "GET": READ_OWN},
}
