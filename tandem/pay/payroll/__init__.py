"""Payroll runs: the set-based loader of a month's calculation inputs (`loader`) and the
conversion of the calculation's results into stored payslips and problems (`store`). The
services that drive a run are in `pay.services_payroll`."""
