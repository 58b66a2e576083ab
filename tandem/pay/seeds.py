"""The reference data every installation starts with: city policies and minimum wages
(reference `china-payroll-labour.md` §3.2), special additional deduction standards (§1.3) and
the holiday table for 2025 and 2026 (§4.2, §5). Idempotent: a row that exists (by its natural
key) is updated to these figures, nothing is deleted. The data migration `0002` runs it with
the historical models, `manage.py seed_pay_reference` with the current ones."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D

import chinese_calendar

CITIES = [
    {"code": "shanghai", "name": "上海", "name_en": "Shanghai"},
    {"code": "beijing", "name": "北京", "name_en": "Beijing"},
]

# Reference §3.2. Rates are fractions. Work injury is the lowest class (class I, 0.2 %) as a
# default: each company sets its own class rate (`CompanyWorkInjuryRate`). Social insurance is
# rounded to the fen half up: Shanghai's historical 见分进角 is UNVERIFIED today (§3.3).
_SHANGHAI_SCHEMES = [
    # Pension 8 / 16 (国办发〔2019〕13号 caps the employer at 16 %).
    ("pension", D("0.08"), D("0.16"), D(0)),
    # Medical 2 / 9 (沪医保规〔2025〕2号, cited by the reference); maternity merged into it.
    ("medical", D("0.02"), D("0.09"), D(0)),
    ("unemployment", D("0.005"), D("0.005"), D(0)),
    ("work_injury", D(0), D("0.002"), D(0)),
]
_SHANGHAI_SOURCE = (
    "Reference §3.2. {period}: social insurance base {floor} – {ceiling}{average}; housing "
    "fund base {hf_floor} – {ceiling}, 5–7 % plus optional supplementary 1–5 %, rounded to the "
    "whole yuan half up (沪公积金管委会 rules as cited, §3.3). Pension 8/16, medical 2/9 "
    "(沪医保规〔2025〕2号), unemployment 0.5/0.5, work injury by class (class I 0.2 %), no "
    "separate maternity line. {confidence}"
)
POLICIES = [
    {
        "city": "shanghai", "effective_from": date(2025, 7, 1), "effective_to": date(2026, 6, 30),
        "average_monthly_wage": D("12434"),
        "insurance_base_floor": D("7460"), "insurance_base_ceiling": D("37302"),
        "housing_fund_base_floor": D("2690"), "housing_fund_base_ceiling": D("37302"),
        "housing_fund_rate_min": D("0.05"), "housing_fund_rate_max": D("0.07"),
        "supplementary_rate_min": D("0.01"), "supplementary_rate_max": D("0.05"),
        "housing_fund_rounding": "half_up_yuan", "confidence": "good",
        "schemes": _SHANGHAI_SCHEMES,
        "source": _SHANGHAI_SOURCE.format(
            period="2025-07-01 → 2026-06-30", floor="7,460", ceiling="37,302",
            average=" (2024 city average 12,434 × 0.6 / × 3)", hf_floor="2,690",
            confidence="Confidence good: Talent-Spot summary citing Shanghai HRSS "
            "(https://www.talent-spot.com/key-adjustments-in-chinese-cities.html); official "
            "notice as cited: https://rsj.sh.gov.cn/tgsgg_17341/20250918/t0035_1435637.html."),
    },
    {
        "city": "shanghai", "effective_from": date(2026, 7, 1), "effective_to": None,
        "average_monthly_wage": D("12577"),
        "insurance_base_floor": D("7546"), "insurance_base_ceiling": D("37731"),
        "housing_fund_base_floor": D("2740"), "housing_fund_base_ceiling": D("37731"),
        "housing_fund_rate_min": D("0.05"), "housing_fund_rate_max": D("0.07"),
        "supplementary_rate_min": D("0.01"), "supplementary_rate_max": D("0.05"),
        "housing_fund_rounding": "half_up_yuan", "confidence": "medium",
        "schemes": _SHANGHAI_SCHEMES,
        "source": _SHANGHAI_SOURCE.format(
            period="From 2026-07-01", floor="7,546", ceiling="37,731",
            average=" (implied average 12,577)", hf_floor="2,740 (沪公积金管委会〔2026〕3号, cited)",
            confidence="Confidence medium: cited by one public project "
            "(https://rsj.sh.gov.cn/tgsgg_17341/20260818/t0035_1443203.html) and matched by a "
            "second code base; official page not read."),
    },
    {
        # Open-ended: the 2026-07 figures (7,270 – 36,348) are UNVERIFIED (one code source),
        # so they are not seeded; staff add them in the admin once confirmed.
        "city": "beijing", "effective_from": date(2025, 7, 1), "effective_to": None,
        "average_monthly_wage": D("11937"),
        "insurance_base_floor": D("7162"), "insurance_base_ceiling": D("35811"),
        "housing_fund_base_floor": D("2540"), "housing_fund_base_ceiling": D("35811"),
        "housing_fund_rate_min": D("0.05"), "housing_fund_rate_max": D("0.12"),
        "supplementary_rate_min": None, "supplementary_rate_max": None,
        "housing_fund_rounding": "half_up_fen", "confidence": "medium",
        "schemes": [
            ("pension", D("0.08"), D("0.16"), D(0)),
            # Employee 2 % + 3 CNY a month serious-illness insurance (大病); employer 9.8 %
            # (some sources list maternity 0.8 % separately: here inside the 9.8 %).
            ("medical", D("0.02"), D("0.098"), D("3")),
            ("unemployment", D("0.005"), D("0.005"), D(0)),
            # Class rates about 0.2 %–1.9 % (UNVERIFIED): the lowest as a default.
            ("work_injury", D(0), D("0.002"), D(0)),
        ],
        "source": (
            "Reference §3.2. 2025-07 →: social insurance base 7,162 – 35,811 (average "
            "11,937); housing fund up to 35,811, 5–12 %, floor about the minimum wage "
            "(2,540). Pension 8/16, medical 2 % + 3 CNY/month (大病) / employer 9.8 %, "
            "unemployment 0.5/0.5. Confidence medium: several independent code bases agree "
            "and the 60 %/300 % arithmetic is consistent; no official page read. The "
            "2026-07 figures (7,270 – 36,348) are UNVERIFIED and not seeded."),
    },
]

# Reference §3.2 (minimum wage table); 《劳动法》第四十八条.
MINIMUM_WAGES = [
    {"city": "shanghai", "effective_from": date(2025, 7, 1), "monthly_amount": D("2740"),
     "confidence": "good",
     "source": "https://www.10100.com/article/1972071; the CBBC article; https://www."
               "globalneighbours.org/china-pushes-minimum-wage-hikes-to-spur-sluggish-"
               "consumption"},
    {"city": "beijing", "effective_from": date(2025, 9, 1), "monthly_amount": D("2540"),
     "confidence": "medium",
     "source": "Beijing HRSS No. 7 [2025], via Talent-Spot and globalneighbours"},
]

_RULES_2018 = "国发〔2018〕41号《个人所得税专项附加扣除暂行办法》"
_RAISE_2023 = "国发〔2023〕13号 (raised from 2023-01-01)"
# Reference §1.3. One row per category, variant and period.
DEDUCTION_STANDARDS = [
    # Children's education: 1,000 per child a month until 2022, 2,000 from 2023.
    {"category": "children_education", "variant": "", "effective_from": date(2019, 1, 1),
     "effective_to": date(2022, 12, 31), "monthly_amount": D("1000"), "source": _RULES_2018},
    {"category": "children_education", "variant": "", "effective_from": date(2023, 1, 1),
     "monthly_amount": D("2000"), "source": _RAISE_2023},
    # Infant care (under 3): added by 国发〔2022〕8号 at 1,000, 2,000 from 2023.
    {"category": "infant_care", "variant": "", "effective_from": date(2022, 1, 1),
     "effective_to": date(2022, 12, 31), "monthly_amount": D("1000"),
     "source": "国发〔2022〕8号"},
    {"category": "infant_care", "variant": "", "effective_from": date(2023, 1, 1),
     "monthly_amount": D("2000"), "source": _RAISE_2023},
    # Continuing education: degree study 400 a month (48 months at most); a vocational
    # certificate 3,600 in the year it is obtained.
    {"category": "continuing_education", "variant": "degree", "effective_from": date(2019, 1, 1),
     "monthly_amount": D("400"), "source": _RULES_2018},
    {"category": "continuing_education", "variant": "certificate",
     "effective_from": date(2019, 1, 1), "annual_amount": D("3600"), "source": _RULES_2018},
    # Serious illness: self-paid above 15,000, up to 80,000 a year, at the annual
    # reconciliation only.
    {"category": "serious_illness", "variant": "", "effective_from": date(2019, 1, 1),
     "annual_amount": D("80000"), "monthly_withholding": False,
     "source": _RULES_2018 + "; only at the annual reconciliation (reference §1.3)"},
    # Housing-loan interest: 1,000 a month, first home, 240 months at most.
    {"category": "housing_loan_interest", "variant": "", "effective_from": date(2019, 1, 1),
     "monthly_amount": D("1000"), "source": _RULES_2018},
    # Housing rent by city: 1,500 (municipalities, provincial capitals, separately-planned
    # cities…), 1,100 (districts over a million registered people), 800 (others).
    {"category": "housing_rent", "variant": "tier-1", "effective_from": date(2019, 1, 1),
     "monthly_amount": D("1500"), "source": _RULES_2018},
    {"category": "housing_rent", "variant": "tier-2", "effective_from": date(2019, 1, 1),
     "monthly_amount": D("1100"), "source": _RULES_2018},
    {"category": "housing_rent", "variant": "tier-3", "effective_from": date(2019, 1, 1),
     "monthly_amount": D("800"), "source": _RULES_2018},
    # Elderly support: an only child 2,000 (3,000 from 2023); siblings share it, each at most
    # 1,000 (1,500 from 2023).
    {"category": "elderly_support", "variant": "", "effective_from": date(2019, 1, 1),
     "effective_to": date(2022, 12, 31), "monthly_amount": D("2000"),
     "individual_cap": D("1000"), "source": _RULES_2018},
    {"category": "elderly_support", "variant": "", "effective_from": date(2023, 1, 1),
     "monthly_amount": D("3000"), "individual_cap": D("1500"), "source": _RAISE_2023},
]

HOLIDAY_YEARS = {
    2025: "国办发明电〔2024〕12号, via chinese_calendar 1.11.0; statutory days from "
          "pay.workdays.STATUTORY_HOLIDAYS",
    2026: "国办发明电〔2025〕7号 (https://www.gov.cn/zhengce/content/202511/content_7047090.htm), "
          "via chinese_calendar 1.11.0; statutory days from pay.workdays.STATUTORY_HOLIDAYS",
}


def holiday_days(year: int, statutory: frozenset[date]) -> list[tuple[date, str, str]]:
    """(date, kind, name) of every day of `year` that is not an ordinary weekday or weekend,
    from chinese_calendar, with `statutory` (the 13 days of 全国年节及纪念日放假办法 Art. 2)
    telling statutory holidays (300 %) from bridged rest days (200 %)."""
    names = {holiday.value: holiday.chinese for holiday in chinese_calendar.Holiday}
    rows = []
    day = date(year, 1, 1)
    while day.year == year:
        on_holiday, name = chinese_calendar.get_holiday_detail(day)
        label = names.get(name, name or "")
        if day in statutory:
            rows.append((day, "statutory_holiday", label))
        elif on_holiday and name is not None:
            rows.append((day, "rest_day", label))
        elif not on_holiday and day.weekday() >= 5:
            rows.append((day, "workday", label))  # a make-up workday (调休上班)
        day += timedelta(days=1)
    return rows


def _put(model, keys: dict, values: dict):
    """update_or_create without a history row: seeding is installing, like `migrate` (whose
    historical models have no history either), not an edit someone made."""
    row = model._default_manager.filter(**keys).first() or model(**keys)
    for name, value in values.items():
        setattr(row, name, value)
    row.skip_history_when_saving = True
    row.save()
    return row


def seed_reference_data(apps) -> None:
    """Writes the figures above with the models of `apps` (a migration's, or `django.apps`)."""
    from .workdays import STATUTORY_HOLIDAYS

    City = apps.get_model("pay", "City")
    CityPolicy = apps.get_model("pay", "CityPolicy")
    SchemeRate = apps.get_model("pay", "SchemeRate")
    MinimumWage = apps.get_model("pay", "MinimumWage")
    DeductionStandard = apps.get_model("pay", "DeductionStandard")
    HolidayYear = apps.get_model("pay", "HolidayYear")
    HolidayDay = apps.get_model("pay", "HolidayDay")

    cities = {}
    for row in CITIES:
        cities[row["code"]] = _put(City, {"code": row["code"]},
                                   {"name": row["name"], "name_en": row["name_en"]})
    for row in POLICIES:
        row = dict(row)
        schemes = row.pop("schemes")
        city = cities[row.pop("city")]
        policy = _put(CityPolicy, {"city": city, "effective_from": row.pop("effective_from")},
                      row)
        for scheme, employee_rate, employer_rate, employee_fixed in schemes:
            _put(SchemeRate, {"policy": policy, "scheme": scheme},
                 {"employee_rate": employee_rate, "employer_rate": employer_rate,
                  "employee_fixed": employee_fixed})
    for row in MINIMUM_WAGES:
        row = dict(row)
        _put(MinimumWage, {"city": cities[row.pop("city")],
                           "effective_from": row.pop("effective_from")}, row)
    for row in DEDUCTION_STANDARDS:
        row = dict(row)
        _put(DeductionStandard, {"category": row.pop("category"), "variant": row.pop("variant"),
                                 "effective_from": row.pop("effective_from")}, row)
    for year, source in HOLIDAY_YEARS.items():
        _put(HolidayYear, {"year": year}, {"source": source})
        for day, kind, name in holiday_days(year, STATUTORY_HOLIDAYS[year]):
            _put(HolidayDay, {"date": day}, {"kind": kind, "name": name})
