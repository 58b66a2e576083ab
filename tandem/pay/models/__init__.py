"""The data payroll reads: city social-insurance policies and minimum wages, the holiday table,
special additional deduction standards (all public reference data, shared by every company),
and per company: work-injury rates, salary profiles with their fixed pay items, employees'
deduction declarations and monthly attendance summaries.

Why the city policies are global and not copied into each company: they are published by a
city for everyone, change once or twice a year, and a correction (a late July notice, a back-
dated base) must reach every company at once; per-company copies would drift apart and need a
fan-out on every update. The one figure a company does own, its work-injury class rate (《社会
保险法》第三十四条: set by industry risk class and the employer's record), lives in
`CompanyWorkInjuryRate` and replaces the policy's default rate when payroll builds the rules
(`CityPolicy.scheme_rules(work_injury_rate=...)`). Staff edit the reference data in the admin.

Every effective-dated table is read set-based: `selectors` pick the row in force on a date for
any number of employees in a constant number of queries.
"""

from .company import (
    AttendanceSummary,
    CompanyWorkInjuryRate,
    DeductionDeclaration,
    FixedPayItem,
    PayItemKind,
    SalaryProfile,
    mask_account,
)
from .payroll import (
    BLOCKING_CODES,
    LOCKED_STATUSES,
    AnnualBonusMethod,
    PayItem,
    PayItemSource,
    PayItemType,
    PayrollRun,
    Payslip,
    ProblemCode,
    RunProblem,
    RunStatus,
    YearToDateOpening,
)
from .reference import (
    FRACTION,
    INSURANCE_SCHEMES,
    MONEY,
    NON_NEGATIVE,
    RATE,
    City,
    CityPolicy,
    Confidence,
    DayKind,
    DeductionCategory,
    DeductionStandard,
    HolidayDay,
    HolidayYear,
    MinimumWage,
    Rounding,
    Scheme,
    SchemeRate,
    overlaps,
)

__all__ = [
    "FRACTION", "INSURANCE_SCHEMES", "MONEY", "NON_NEGATIVE", "RATE", "AttendanceSummary",
    "City", "CityPolicy", "CompanyWorkInjuryRate", "Confidence", "DayKind", "DeductionCategory",
    "DeductionDeclaration", "DeductionStandard", "FixedPayItem", "HolidayDay", "HolidayYear",
    "MinimumWage", "PayItemKind", "Rounding", "SalaryProfile", "Scheme", "SchemeRate",
    "mask_account", "overlaps",
    # payroll
    "BLOCKING_CODES", "LOCKED_STATUSES", "AnnualBonusMethod", "PayItem", "PayItemSource",
    "PayItemType", "PayrollRun", "Payslip", "ProblemCode", "RunProblem", "RunStatus",
    "YearToDateOpening",
]
