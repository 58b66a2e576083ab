"""The payroll calculation of one employee's month, gross to net: pure (no ORM), plain data
in (`inputs`), everything a payslip shows out (`result`). The payroll run loads the inputs of
every employee set-based and calls `calculate_payslip` for each."""

from .earnings import paid_days_between
from .inputs import (
    Adjustment,
    AnnualBonus,
    Attendance,
    BonusMethod,
    PayItem,
    PayItemKind,
    PayMonth,
    PayslipInput,
    SocialInsurance,
    TaxInputs,
)
from .payslip import calculate_payslip
from .result import (
    PROBLEM_MESSAGES,
    PayslipCalculation,
    PayslipLine,
    Problem,
    ProblemCode,
    Section,
)

__all__ = [
    "PROBLEM_MESSAGES", "Adjustment", "AnnualBonus", "Attendance", "BonusMethod", "PayItem",
    "PayItemKind", "PayMonth", "PayslipCalculation", "PayslipInput", "PayslipLine", "Problem",
    "ProblemCode", "Section", "SocialInsurance", "TaxInputs", "calculate_payslip",
    "paid_days_between",
]
