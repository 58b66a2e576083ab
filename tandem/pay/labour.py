"""Labour-law rules payroll and the calculators share: wage conversion, part-month pay,
overtime pay, probation limits, statutory annual leave and economic compensation. Pure
functions over dataclasses and Decimals, no ORM. Rules: ../shared/domain/china-payroll-labour.md
§4.1–4.4, each cited beside its code.

Explanations are plain data (figure or rule name -> value) that the pages label and translate;
no sentence is written here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from enum import StrEnum

ZERO = Decimal(0)
FEN = Decimal("0.01")

# 人社部发〔2025〕2号 (in force 2025-01-01, replacing 劳社部发〔2008〕3号): monthly paid days
# = (365 − 104 rest days) ÷ 12 = 21.75; hourly wage = monthly wage ÷ (21.75 × 8) = ÷ 174.
MONTHLY_PAID_DAYS = Decimal("21.75")
MONTHLY_PAID_HOURS = Decimal("174")

# 劳动法 Art. 44: extended hours on a workday ≥ 150 %, a rest day without comp time off
# ≥ 200 %, a statutory holiday ≥ 300 %.
WORKDAY_OVERTIME_RATE = Decimal("1.5")
REST_DAY_OVERTIME_RATE = Decimal("2")
HOLIDAY_OVERTIME_RATE = Decimal("3")
# 劳动法 Art. 41: overtime normally ≤ 1 h a day, with special reasons ≤ 3 h a day and
# ≤ 36 h a month.
MONTHLY_OVERTIME_LIMIT_HOURS = Decimal("36")


def to_fen(amount: Decimal) -> Decimal:
    """Money rounded half-up to the fen: the law is silent, this is the convention (§4.2)."""
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


def daily_wage(monthly: Decimal) -> Decimal:
    """Monthly wage ÷ 21.75 (人社部发〔2025〕2号), unrounded: round only the final amount."""
    return monthly / MONTHLY_PAID_DAYS


def hourly_wage(monthly: Decimal) -> Decimal:
    """Monthly wage ÷ 174 (人社部发〔2025〕2号), unrounded: round only the final amount."""
    return monthly / MONTHLY_PAID_HOURS


def part_month_pay(monthly: Decimal, paid_days: Decimal) -> Decimal:
    """Pay for part of a month: monthly wage ÷ 21.75 × paid days, never more than the monthly
    wage, half-up to the fen. The law doesn't prorate part months; this is the convention of
    the domain reference (§4.2)."""
    if paid_days < ZERO:
        raise ValueError("paid days cannot be negative")
    return to_fen(min(daily_wage(monthly) * paid_days, monthly))


# --- Overtime (劳动法 Art. 44) -------------------------------------------------------------


@dataclass(frozen=True)
class OvertimePay:
    """`hourly_wage` is shown to the fen; each pay is computed from the unrounded hourly wage
    and rounded half-up to the fen (§4.2); `total` is the sum of the three rounded pays."""

    hourly_wage: Decimal
    workday_pay: Decimal
    rest_day_pay: Decimal
    holiday_pay: Decimal
    total: Decimal
    explanation: dict[str, object] = field(default_factory=dict, compare=False)


def overtime_pay(
    *,
    monthly_wage: Decimal,
    workday_hours: Decimal,
    rest_day_hours: Decimal,
    holiday_hours: Decimal,
) -> OvertimePay:
    """Overtime pay at the legal minimum rates: 150 % on workdays, 200 % on rest days
    without comp time off, 300 % on statutory holidays (劳动法 Art. 44)."""
    if min(monthly_wage, workday_hours, rest_day_hours, holiday_hours) < ZERO:
        raise ValueError("wages and hours cannot be negative")
    hourly = hourly_wage(monthly_wage)
    workday_pay = to_fen(hourly * WORKDAY_OVERTIME_RATE * workday_hours)
    rest_day_pay = to_fen(hourly * REST_DAY_OVERTIME_RATE * rest_day_hours)
    holiday_pay = to_fen(hourly * HOLIDAY_OVERTIME_RATE * holiday_hours)
    total = workday_pay + rest_day_pay + holiday_pay
    hours = workday_hours + rest_day_hours + holiday_hours
    return OvertimePay(
        hourly_wage=to_fen(hourly),
        workday_pay=workday_pay,
        rest_day_pay=rest_day_pay,
        holiday_pay=holiday_pay,
        total=total,
        explanation={
            "monthly_wage": monthly_wage,
            "monthly_paid_hours": MONTHLY_PAID_HOURS,
            "hourly_wage_exact": hourly,
            "workday_hours": workday_hours,
            "workday_rate": WORKDAY_OVERTIME_RATE,
            "rest_day_hours": rest_day_hours,
            "rest_day_rate": REST_DAY_OVERTIME_RATE,
            "holiday_hours": holiday_hours,
            "holiday_rate": HOLIDAY_OVERTIME_RATE,
            "total_hours": hours,
            # 劳动法 Art. 41: more than 36 h in a month is over the legal limit.
            "over_monthly_limit": hours > MONTHLY_OVERTIME_LIMIT_HOURS,
        },
    )


# --- Probation (劳动合同法 Art. 19, 20, 70; 实施条例 Art. 15) ---------------------------------


class ContractType(StrEnum):
    FIXED = "fixed"  # 固定期限
    OPEN_ENDED = "open_ended"  # 无固定期限
    TASK = "task"  # 以完成一定工作任务为期限
    PART_TIME = "part_time"  # 非全日制


class ProbationRule(StrEnum):
    """Which limb of the law set the limit (the page names it)."""

    ALREADY_HAD_PROBATION = "already_had_probation"
    TASK_CONTRACT = "task_contract"
    PART_TIME = "part_time"
    TERM_UNDER_3_MONTHS = "term_under_3_months"
    TERM_3_MONTHS_TO_1_YEAR = "term_3_months_to_1_year"
    TERM_1_TO_3_YEARS = "term_1_to_3_years"
    TERM_3_YEARS_OR_MORE = "term_3_years_or_more"
    OPEN_ENDED = "open_ended"


PROBATION_WAGE_SHARE = Decimal("0.8")


@dataclass(frozen=True)
class ProbationLimit:
    max_probation_months: int
    probation_wage_floor: Decimal
    explanation: dict[str, object] = field(default_factory=dict, compare=False)


def _probation_months(
    contract_type: ContractType, term_months: int | None, had_probation: bool
) -> tuple[int, ProbationRule]:
    if had_probation:
        # 劳动合同法 Art. 19 ¶2: 同一用人单位与同一劳动者只能约定一次试用期.
        return 0, ProbationRule.ALREADY_HAD_PROBATION
    if contract_type == ContractType.PART_TIME:
        # 劳动合同法 Art. 70: 非全日制用工双方当事人不得约定试用期.
        return 0, ProbationRule.PART_TIME
    if contract_type == ContractType.TASK:
        # 劳动合同法 Art. 19 ¶3: 以完成一定工作任务为期限的…不得约定试用期.
        return 0, ProbationRule.TASK_CONTRACT
    if contract_type == ContractType.OPEN_ENDED:
        # 劳动合同法 Art. 19 ¶1: 三年以上固定期限和无固定期限的劳动合同，试用期不得超过六个月.
        return 6, ProbationRule.OPEN_ENDED
    if term_months is None:
        raise ValueError("a fixed-term contract needs its term in months")
    # 劳动合同法 Art. 19 ¶1, with 民法典 Art. 1259 (以上…包括本数; 不满…不包括本数): exactly 3
    # months allows 1 month, exactly 1 year 2 months, exactly 3 years 6 months; under 3 months
    # none (Art. 19 ¶3: 劳动合同期限不满三个月的，不得约定试用期).
    if term_months < 3:
        return 0, ProbationRule.TERM_UNDER_3_MONTHS
    if term_months < 12:
        return 1, ProbationRule.TERM_3_MONTHS_TO_1_YEAR
    if term_months < 36:
        return 2, ProbationRule.TERM_1_TO_3_YEARS
    return 6, ProbationRule.TERM_3_YEARS_OR_MORE


def probation_limit(
    *,
    contract_type: ContractType | str,
    term_months: int | None,
    contract_wage: Decimal,
    local_minimum_wage: Decimal,
    had_probation_with_employer: bool,
) -> ProbationLimit:
    """The longest probation the contract may set and the lowest probation wage.

    The wage floor is max(80 % × contract wage, local minimum wage) (劳动合同法 Art. 20 with
    实施条例 Art. 15: 不得低于…劳动合同约定工资的百分之八十，并不得低于用人单位所在地的最低
    工资标准), half-up to the fen. The employer's lowest wage for the same post, the other
    limb of Art. 20, isn't an input here.
    """
    kind = ContractType(contract_type)
    if term_months is not None and term_months < 0:
        raise ValueError("a contract term cannot be negative")
    months, rule = _probation_months(kind, term_months, had_probation_with_employer)
    share_of_contract = to_fen(contract_wage * PROBATION_WAGE_SHARE)
    floor = max(share_of_contract, to_fen(local_minimum_wage))
    return ProbationLimit(
        max_probation_months=months,
        probation_wage_floor=floor,
        explanation={
            "rule": rule.value,
            "contract_type": kind.value,
            "term_months": term_months,
            "contract_wage": contract_wage,
            "contract_wage_share": PROBATION_WAGE_SHARE,
            "share_of_contract_wage": share_of_contract,
            "local_minimum_wage": local_minimum_wage,
            "floor_from": "minimum_wage" if floor > share_of_contract else "contract_wage",
        },
    )


# --- Statutory annual leave (职工带薪年休假条例; 企业职工带薪年休假实施办法) -----------------------

DAYS_PER_LEAVE_YEAR = Decimal(365)  # 实施办法 Art. 5, 12: "÷365天", also in leap years
# 条例 Art. 5 / 实施办法 Art. 10: unused leave is paid at 300 % of the daily wage, the 100 %
# of normal pay included, so the extra payout is 200 %.
UNUSED_LEAVE_EXTRA_RATE = Decimal("2")


@dataclass(frozen=True)
class AnnualLeave:
    full_year_days: int
    prorated_days: int
    unused_days_payable: Decimal
    unused_leave_extra_pay: Decimal
    explanation: dict[str, object] = field(default_factory=dict, compare=False)


def full_year_leave_days(cumulative_years_worked: Decimal) -> int:
    """条例 Art. 3 / 实施办法 Art. 4: 累计工作已满1年不满10年 5 days, 已满10年不满20年 10 days,
    已满20年 15 days; under one year none (条例 Art. 2: 连续工作1年以上)."""
    if cumulative_years_worked < 1:
        return 0
    if cumulative_years_worked < 10:
        return 5
    if cumulative_years_worked < 20:
        return 10
    return 15


def _floor_days(value: Decimal) -> int:
    # 实施办法 Art. 5, 12: 折算后不足1整天的部分不享受年休假.
    return int(value.to_integral_value(rounding=ROUND_FLOOR))


def annual_leave(
    *,
    year: int,
    cumulative_years_worked: Decimal,
    join_date: date | None = None,
    leave_date: date | None = None,
    taken_days: Decimal,
    average_monthly_wage: Decimal,
) -> AnnualLeave:
    """Leave due for the calendar year (实施办法 Art. 18) and the extra pay for the unused days.

    - Full year: the entitlement by cumulative years worked (实施办法 Art. 4).
    - Joined this year: floor(days at the employer left in the year ÷ 365 × entitlement)
      (实施办法 Art. 5).
    - Leaving this year: floor(days at the employer elapsed in the year ÷ 365 × entitlement −
      days taken), never below 0: leave taken beyond the pro rata isn't clawed back
      (实施办法 Art. 12).
    - Unused days are paid 200 % extra of the daily wage = average monthly wage over the last
      12 months (overtime excluded) ÷ 21.75 (条例 Art. 5; 实施办法 Art. 10, 11), half-up to
      the fen.
    """
    if taken_days < ZERO or average_monthly_wage < ZERO:
        raise ValueError("days taken and wages cannot be negative")
    year_start, year_end = date(year, 1, 1), date(year, 12, 31)
    full_days = full_year_leave_days(cumulative_years_worked)
    first = max(join_date, year_start) if join_date else year_start
    last = min(leave_date, year_end) if leave_date else year_end
    days_at_employer = max((last - first).days + 1, 0)
    whole_year = days_at_employer >= (year_end - year_start).days + 1
    pro_rata = Decimal(days_at_employer) / DAYS_PER_LEAVE_YEAR * full_days
    # A leap year's 366 days ÷ 365 never give more than the entitlement.
    prorated = min(_floor_days(pro_rata), full_days)
    leaving = leave_date is not None and leave_date <= year_end
    if leaving:
        # 实施办法 Art. 12: the days taken come off before the fraction is dropped.
        unused = Decimal(max(min(_floor_days(pro_rata - taken_days), full_days), 0))
    else:
        unused = max(Decimal(prorated) - taken_days, ZERO)
    daily = daily_wage(average_monthly_wage)
    extra_pay = to_fen(daily * UNUSED_LEAVE_EXTRA_RATE * unused)
    return AnnualLeave(
        full_year_days=full_days,
        prorated_days=prorated,
        unused_days_payable=unused,
        unused_leave_extra_pay=extra_pay,
        explanation={
            "cumulative_years_worked": cumulative_years_worked,
            "period_start": first,
            "period_end": last,
            "days_at_employer": days_at_employer,
            "days_per_year": DAYS_PER_LEAVE_YEAR,
            "pro_rata_exact": pro_rata,
            "whole_year": whole_year,
            "leaving": leaving,
            "taken_days": taken_days,
            "average_monthly_wage": average_monthly_wage,
            "monthly_paid_days": MONTHLY_PAID_DAYS,
            "daily_wage_exact": daily,
            "extra_rate": UNUSED_LEAVE_EXTRA_RATE,
        },
    )


# --- Economic compensation (劳动合同法 Art. 47) -------------------------------------------

HIGH_EARNER_MULTIPLE = Decimal(3)
HIGH_EARNER_MAX_YEARS = Decimal(12)
HALF = Decimal("0.5")
# 劳动合同法 Art. 97 ¶3: service before 2008-01-01 follows the rules of that time.
CONTRACT_LAW_IN_FORCE = date(2008, 1, 1)


@dataclass(frozen=True)
class EconomicCompensation:
    n: Decimal
    monthly_wage_used: Decimal
    compensation: Decimal
    explanation: dict[str, object] = field(default_factory=dict, compare=False)


def _month_anniversary(day: date, months: int) -> date:
    """The first day of the month of service that starts `months` after `day`: the same day
    of that month, or the first day of the month after when that month has no such day (so a
    month from 31 January ends with February's last day)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    try:
        return date(year, month + 1, day.day)
    except ValueError:
        return date(year + (month == 11), (month + 1) % 12 + 1, 1)


def service_length(service_start: date, service_end: date) -> tuple[int, int, int]:
    """(years, months, days) of service from the first day to the last day, both included.
    A month from a day the next month lacks (31 January) ends with that month's end, as
    民法典 Art. 202 has it (没有对应日的，月末日为期间的最后一日)."""
    end_exclusive = service_end + timedelta(days=1)
    months = (end_exclusive.year - service_start.year) * 12 + (
        end_exclusive.month - service_start.month
    )
    if _month_anniversary(service_start, months) > end_exclusive:
        months -= 1
    days = (end_exclusive - _month_anniversary(service_start, months)).days
    return months // 12, months % 12, days


def compensation_years(years: int, months: int, days: int) -> Decimal:
    """劳动合同法 Art. 47 ¶1: 每满一年支付一个月工资; 六个月以上不满一年的，按一年计算; 不满六个
    月的，向劳动者支付半个月工资的经济补偿 — a remainder of 6 months or more counts as one
    year, any shorter remainder as half."""
    if months >= 6:
        return Decimal(years + 1)
    if months > 0 or days > 0:
        return Decimal(years) + HALF
    return Decimal(years)


def economic_compensation(
    *,
    service_start: date,
    service_end: date,
    average_monthly_wage: Decimal,
    local_average_monthly_wage: Decimal,
    local_minimum_wage: Decimal | None = None,
) -> EconomicCompensation:
    """N months' wage for N years of service (劳动合同法 Art. 47), where the monthly wage is
    the average of the 12 months before the end (实施条例 Art. 27: bonuses, allowances and
    subsidies included; with less than 12 months of service, the average of the months
    worked). A wage below the local minimum wage counts as the minimum wage (实施条例 Art. 27:
    低于当地最低工资标准的，按照当地最低工资标准计算), when it is given. High earners: above
    3 × the local average monthly wage of the previous year, the wage used is 3 × that average
    and N is at most 12 (Art. 47 ¶2). Half-up to the fen."""
    if service_end < service_start:
        raise ValueError("the service cannot end before it starts")
    if min(average_monthly_wage, local_average_monthly_wage, local_minimum_wage or ZERO) < ZERO:
        raise ValueError("wages cannot be negative")
    raised_to_minimum = local_minimum_wage is not None and average_monthly_wage < local_minimum_wage
    wage = local_minimum_wage if raised_to_minimum else average_monthly_wage
    years, months, days = service_length(service_start, service_end)
    n_by_service = compensation_years(years, months, days)
    cap = local_average_monthly_wage * HIGH_EARNER_MULTIPLE
    high_earner = wage > cap
    if high_earner:
        wage_used, n = cap, min(n_by_service, HIGH_EARNER_MAX_YEARS)
    else:
        wage_used, n = wage, n_by_service
    return EconomicCompensation(
        n=n,
        monthly_wage_used=to_fen(wage_used),
        compensation=to_fen(wage_used * n),
        explanation={
            "service_years": years,
            "service_months": months,
            "service_days": days,
            "n_by_service": n_by_service,
            "average_monthly_wage": average_monthly_wage,
            "local_average_monthly_wage": local_average_monthly_wage,
            "local_minimum_wage": local_minimum_wage,
            "raised_to_minimum": raised_to_minimum,
            "high_earner_cap": cap,
            "high_earner": high_earner,
            "max_years": HIGH_EARNER_MAX_YEARS,
            "service_before_2008": service_start < CONTRACT_LAW_IN_FORCE,
        },
    )
