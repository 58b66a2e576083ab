"""Benchmark: the pure payroll calculation (`tandem.pay.calculation.calculate_payslip`) for
10,000 employee-months of Shanghai employees: varied base wages and declared bases, fixed
items, a tenth with attendance (unpaid leave, overtime), a twentieth joining mid-month (paid
days counted from the work calendar), a twentieth with an annual bonus by the cheaper method.
No database: this is the calculation's share of a payroll run, whose target from inputs to
stored payslips is under 10 s for 10,000 employees. Prints the median of RUNS runs,
the time per employee-month and the share of that budget, twice: with each result dropped
after it is computed (a run that stores payslips chunk by chunk) and with all 10,000 results
kept in memory, where the cyclic garbage collector's passes over the growing heap cost
several times the calculation itself."""

import gc
import os
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

EMPLOYEES = 10_000
RUNS = 5


def build_inputs():
    from tandem.pay.calculation import (
        AnnualBonus,
        Attendance,
        PayItem,
        PayItemKind,
        TaxInputs,
    )
    from tandem.pay.calculation.examples import shanghai_month
    from tandem.pay.tax import YearToDate
    from tandem.pay.workdays import WorkCalendar

    calendar = WorkCalendar(days={})
    meal = PayItem("餐补", Decimal("500.00"), PayItemKind.TAXABLE_ALLOWANCE)
    phone = PayItem("通讯补贴", Decimal("200.00"), PayItemKind.NON_TAXABLE_ALLOWANCE)
    union = PayItem("工会费", Decimal("20.00"), PayItemKind.POST_TAX_DEDUCTION)
    inputs = []
    for n in range(EMPLOYEES):
        base = Decimal(6000 + (n * 37) % 60000).quantize(Decimal("0.01"))
        previous = YearToDate(income=base * 10, tax_free_income=Decimal(2000),
                              special_deductions=base * Decimal("1.75"),
                              special_additional_deductions=Decimal(20000),
                              withheld=(base * Decimal("0.3")).quantize(Decimal("0.01")))
        data = shanghai_month(2026, 11, base_wage=base, items=(meal, phone, union),
                              tax=TaxInputs(months_employed=11, previous=previous,
                                            special_additional_deductions=Decimal(2000)))
        if n % 10 == 1:
            data = replace(data, attendance=Attendance(
                unpaid_leave_days=Decimal(1), workday_overtime_hours=Decimal(6),
                rest_day_overtime_hours=Decimal(8)))
        if n % 20 == 2:
            data = replace(data, join_date=date(2026, 11, 16), calendar=calendar,
                           tax=TaxInputs(months_employed=1))
        if n % 20 == 3:
            data = replace(data, annual_bonus=AnnualBonus(base * 2))
        inputs.append(data)
    return inputs


def _timed(inputs, calculate, *, keep: bool) -> tuple[float, list]:
    gc.collect()
    start = time.perf_counter()
    if keep:
        results = [calculate(data) for data in inputs]
    else:
        results = []
        for data in inputs:
            calculate(data)
    return time.perf_counter() - start, results


def main() -> None:
    # The calculation needs no database; Django's settings are read only by gettext_noop.
    data_dir = tempfile.TemporaryDirectory(prefix="tandem-bench-")
    os.environ["TANDEM_DATA_DIR"] = data_dir.name
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tandem.pay.calculation import calculate_payslip

    inputs = build_inputs()
    problems = sum(len(calculate_payslip(data).problems) for data in inputs)
    print(f"{EMPLOYEES:,} employee-months, {problems:,} problems found; median of {RUNS} runs")
    print(f"{'':<34}{'total s':>9}{'ms each':>9}{'of 10 s':>9}")
    for label, keep in (("each result dropped (streamed)", False),
                        ("all 10,000 results kept", True)):
        timings = []
        for _ in range(RUNS):
            elapsed, results = _timed(inputs, calculate_payslip, keep=keep)
            timings.append(elapsed)
            del results
        median = statistics.median(timings)
        print(f"{label:<34}{median:>9.3f}{median / EMPLOYEES * 1000:>9.3f}{median / 10:>9.1%}")


if __name__ == "__main__":
    main()
