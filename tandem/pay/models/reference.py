"""Pay's reference data, shared by every company: cities, their social-insurance policies
and scheme rates, minimum wages, the holiday table and the special additional deduction
standards. Staff maintain it in the admin; `pay.seeds` installs the published figures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tandem.core.models import bilingual

MONEY = {"max_digits": 14, "decimal_places": 2}
RATE = {"max_digits": 7, "decimal_places": 5}
NON_NEGATIVE = [MinValueValidator(Decimal(0))]
FRACTION = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))]


class Rounding(models.TextChoices):
    """The same values as `pay.social.Rounding`: rounding is local (reference §3.3)."""

    HALF_UP_FEN = "half_up_fen", _("To the fen, half up")
    UP_JIAO = "up_jiao", _("Up to the jiao (见分进角)")
    HALF_UP_JIAO = "half_up_jiao", _("To the jiao, half up")
    HALF_UP_YUAN = "half_up_yuan", _("To the yuan, half up")
    UP_YUAN = "up_yuan", _("Up to the yuan")


class Scheme(models.TextChoices):
    """The same values as `pay.social.Scheme`. The housing fund's rules come from the policy's
    band and the employee's chosen rate, not from a scheme row."""

    PENSION = "pension", _("Pension")
    MEDICAL = "medical", _("Medical")
    UNEMPLOYMENT = "unemployment", _("Unemployment")
    WORK_INJURY = "work_injury", _("Work injury")
    MATERNITY = "maternity", _("Maternity")
    HOUSING_FUND = "housing_fund", _("Housing fund")
    SUPPLEMENTARY_HOUSING_FUND = "supplementary_housing_fund", _("Supplementary housing fund")


INSURANCE_SCHEMES = (Scheme.PENSION, Scheme.MEDICAL, Scheme.UNEMPLOYMENT, Scheme.WORK_INJURY,
                     Scheme.MATERNITY)


class Confidence(models.TextChoices):
    """How well the figures are sourced (reference §3.2's confidence column)."""

    GOOD = "good", _("Good")
    MEDIUM = "medium", _("Medium")
    UNVERIFIED = "unverified", _("Unverified")


def overlaps(start: date, end: date | None, others) -> Q:
    """Rows of `others` (with effective_from / effective_to) whose period meets [start, end]."""
    meets = Q(effective_to__isnull=True) | Q(effective_to__gte=start)
    if end is not None:
        meets &= Q(effective_from__lte=end)
    return others.filter(meets)


class City(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=40)
    name_en = models.CharField(_("English name"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        ordering = ["code"]

    def __str__(self) -> str:
        return bilingual(self.name, self.name_en)


class CityPolicy(models.Model):
    """A city's social-insurance and housing-fund figures for one period. Periods of one city
    never overlap (checked in `clean`, which the admin and `services` run)."""

    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="policies",
                             verbose_name=_("city"))
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True,
                                    help_text=_("Last day in force; empty while open-ended."))
    average_monthly_wage = models.DecimalField(
        _("local average monthly wage"), **MONEY, null=True, blank=True,
        validators=NON_NEGATIVE,
        help_text=_("The published average the bases derive from (60 % and 300 %); also caps "
                    "economic compensation (Labour Contract Law art. 47)."))
    insurance_base_floor = models.DecimalField(_("insurance base floor"), **MONEY,
                                               validators=NON_NEGATIVE)
    insurance_base_ceiling = models.DecimalField(_("insurance base ceiling"), **MONEY,
                                                 validators=NON_NEGATIVE)
    housing_fund_rate_min = models.DecimalField(_("housing fund minimum rate"), **RATE,
                                                validators=FRACTION)
    housing_fund_rate_max = models.DecimalField(_("housing fund maximum rate"), **RATE,
                                                validators=FRACTION)
    supplementary_rate_min = models.DecimalField(
        _("supplementary housing fund minimum rate"), **RATE, null=True, blank=True,
        validators=FRACTION)
    supplementary_rate_max = models.DecimalField(
        _("supplementary housing fund maximum rate"), **RATE, null=True, blank=True,
        validators=FRACTION)
    housing_fund_base_floor = models.DecimalField(_("housing fund base floor"), **MONEY,
                                                  validators=NON_NEGATIVE)
    housing_fund_base_ceiling = models.DecimalField(_("housing fund base ceiling"), **MONEY,
                                                    validators=NON_NEGATIVE)
    housing_fund_rounding = models.CharField(_("housing fund rounding"), max_length=16,
                                             choices=Rounding.choices,
                                             default=Rounding.HALF_UP_FEN)
    confidence = models.CharField(_("confidence"), max_length=12, choices=Confidence.choices,
                                  default=Confidence.UNVERIFIED)
    source = models.TextField(_("source"), blank=True, max_length=2000)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("city policy")
        verbose_name_plural = _("city policies")
        ordering = ["city__code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["city", "effective_from"],
                                    name="citypolicy_unique_start"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gte=models.F("effective_from")),
                name="citypolicy_ends_after_start"),
            models.CheckConstraint(
                condition=Q(insurance_base_ceiling__gte=models.F("insurance_base_floor")),
                name="citypolicy_insurance_band"),
            models.CheckConstraint(
                condition=Q(housing_fund_base_ceiling__gte=models.F("housing_fund_base_floor")),
                name="citypolicy_housing_fund_band"),
            models.CheckConstraint(
                condition=Q(housing_fund_rate_max__gte=models.F("housing_fund_rate_min")),
                name="citypolicy_housing_fund_rates"),
        ]

    def __str__(self) -> str:
        end = self.effective_to.isoformat() if self.effective_to else "…"
        return f"{self.city} {self.effective_from.isoformat()} – {end}"

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.effective_to and self.effective_from and self.effective_to < self.effective_from:
            errors.setdefault("effective_to", []).append(
                _("The period cannot end before it starts."))
        pairs = [("insurance_base_floor", "insurance_base_ceiling"),
                 ("housing_fund_base_floor", "housing_fund_base_ceiling"),
                 ("housing_fund_rate_min", "housing_fund_rate_max"),
                 ("supplementary_rate_min", "supplementary_rate_max")]
        for low, high in pairs:
            lo, hi = getattr(self, low), getattr(self, high)
            if lo is not None and hi is not None and hi < lo:
                errors.setdefault(high, []).append(_("The maximum is below the minimum."))
        if (self.supplementary_rate_min is None) != (self.supplementary_rate_max is None):
            errors.setdefault("supplementary_rate_max", []).append(
                _("Give both ends of the supplementary band, or neither."))
        if self.city_id and self.effective_from and "effective_to" not in errors:
            clash = overlaps(self.effective_from, self.effective_to,
                             CityPolicy.objects.filter(city_id=self.city_id)
                             .exclude(pk=self.pk)).first()
            if clash is not None:
                errors.setdefault("effective_from", []).append(_(
                    "This period overlaps the city's policy in force from %(start)s; end that "
                    "one first.") % {"start": clash.effective_from.isoformat()})
        if errors:
            raise ValidationError(errors)

    def scheme_rules(self, *, housing_fund_rate: Decimal | None = None,
                     supplementary_rate: Decimal | None = None,
                     work_injury_rate: Decimal | None = None) -> list:
        """The policy as `pay.social.SchemeRule`s: each insurance scheme row, then the housing
        fund at `housing_fund_rate` (the band's minimum when not given; employer and employee
        at the same rate, 住房公积金管理条例 第十八条), and the supplementary fund when a rate
        is given. `work_injury_rate` is the company's class rate, replacing the default.
        Reads `self.scheme_rates.all()`, so prefetch them for many policies."""
        from tandem.pay import social

        rules = []
        for row in self.scheme_rates.all():
            employer_rate = row.employer_rate
            if row.scheme == Scheme.WORK_INJURY and work_injury_rate is not None:
                employer_rate = work_injury_rate
            rules.append(social.SchemeRule(
                scheme=social.Scheme(row.scheme), employee_rate=row.employee_rate,
                employer_rate=employer_rate,
                base_floor=row.base_floor if row.base_floor is not None
                else self.insurance_base_floor,
                base_ceiling=row.base_ceiling if row.base_ceiling is not None
                else self.insurance_base_ceiling,
                employee_fixed=row.employee_fixed, employer_fixed=row.employer_fixed,
                rounding=social.Rounding(row.rounding)))
        funds = [(social.Scheme.HOUSING_FUND,
                  self.housing_fund_rate_min if housing_fund_rate is None
                  else housing_fund_rate)]
        if supplementary_rate:
            funds.append((social.Scheme.SUPPLEMENTARY_HOUSING_FUND, supplementary_rate))
        for scheme, rate in funds:
            rules.append(social.SchemeRule(
                scheme=scheme, employee_rate=rate, employer_rate=rate,
                base_floor=self.housing_fund_base_floor,
                base_ceiling=self.housing_fund_base_ceiling,
                rounding=social.Rounding(self.housing_fund_rounding)))
        return rules


class SchemeRate(models.Model):
    """One insurance scheme of a city policy. Base floor and ceiling default to the policy's
    (bases can differ by scheme, e.g. Shenzhen's pension base follows Guangdong's bounds)."""

    policy = models.ForeignKey(CityPolicy, on_delete=models.CASCADE,
                               related_name="scheme_rates", verbose_name=_("policy"))
    scheme = models.CharField(_("scheme"), max_length=32,
                              choices=[(s.value, s.label) for s in INSURANCE_SCHEMES])
    employee_rate = models.DecimalField(_("employee rate"), **RATE, validators=FRACTION)
    employer_rate = models.DecimalField(_("employer rate"), **RATE, validators=FRACTION)
    base_floor = models.DecimalField(_("base floor"), **MONEY, null=True, blank=True,
                                     validators=NON_NEGATIVE)
    base_ceiling = models.DecimalField(_("base ceiling"), **MONEY, null=True, blank=True,
                                       validators=NON_NEGATIVE)
    employee_fixed = models.DecimalField(_("employee fixed amount"), **MONEY,
                                         default=Decimal(0), validators=NON_NEGATIVE)
    employer_fixed = models.DecimalField(_("employer fixed amount"), **MONEY,
                                         default=Decimal(0), validators=NON_NEGATIVE)
    rounding = models.CharField(_("rounding"), max_length=16, choices=Rounding.choices,
                                default=Rounding.HALF_UP_FEN)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("scheme rate")
        verbose_name_plural = _("scheme rates")
        ordering = ["policy", "scheme"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "scheme"], name="schemerate_unique"),
            models.CheckConstraint(
                condition=Q(base_floor__isnull=True) | Q(base_ceiling__isnull=True)
                | Q(base_ceiling__gte=models.F("base_floor")),
                name="schemerate_base_band"),
        ]

    def __str__(self) -> str:
        return f"{self.policy} {self.get_scheme_display()}"


class MinimumWage(models.Model):
    """A city's monthly minimum wage (full-time) from a date (《劳动法》第四十八条)."""

    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="minimum_wages",
                             verbose_name=_("city"))
    effective_from = models.DateField(_("effective from"))
    monthly_amount = models.DecimalField(_("monthly minimum wage"), **MONEY,
                                         validators=NON_NEGATIVE)
    hourly_amount = models.DecimalField(_("hourly minimum wage (part-time)"), **MONEY,
                                        null=True, blank=True, validators=NON_NEGATIVE)
    confidence = models.CharField(_("confidence"), max_length=12, choices=Confidence.choices,
                                  default=Confidence.UNVERIFIED)
    source = models.TextField(_("source"), blank=True, max_length=2000)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("minimum wage")
        verbose_name_plural = _("minimum wages")
        ordering = ["city__code", "-effective_from"]
        constraints = [models.UniqueConstraint(fields=["city", "effective_from"],
                                               name="minimumwage_unique_start")]

    def __str__(self) -> str:
        return f"{self.city} {self.effective_from.isoformat()} {self.monthly_amount}"


class DayKind(models.TextChoices):
    """The same values as `pay.workdays.DayKind`."""

    WORKDAY = "workday", _("Workday")
    REST_DAY = "rest_day", _("Rest day")
    STATUTORY_HOLIDAY = "statutory_holiday", _("Statutory holiday")


class HolidayYear(models.Model):
    """A year whose holiday table is complete: the days listed in `HolidayDay` are the
    exceptions, every other day is an ordinary weekday or weekend. A year not published here
    and unknown to chinese_calendar has no calendar (payroll refuses rather than guesses)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True,
                                            validators=[MinValueValidator(2004),
                                                        MaxValueValidator(2100)])
    source = models.TextField(_("source"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("published holiday year")
        verbose_name_plural = _("published holiday years")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class HolidayDay(models.Model):
    """A day that differs from the ordinary week: a statutory holiday (300 % overtime pay), a
    bridged rest day (调休, 200 %) or a make-up workday on a weekend."""

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=DayKind.choices)
    name = models.CharField(_("name"), max_length=60, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("holiday table day")
        verbose_name_plural = _("holiday table")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()} {self.name}".strip()


class DeductionCategory(models.TextChoices):
    """专项附加扣除 (国发〔2018〕41号; infant care 国发〔2022〕8号)."""

    CHILDREN_EDUCATION = "children_education", _("Children's education")
    INFANT_CARE = "infant_care", _("Care of infants under 3")
    CONTINUING_EDUCATION = "continuing_education", _("Continuing education")
    SERIOUS_ILLNESS = "serious_illness", _("Serious illness")
    HOUSING_LOAN_INTEREST = "housing_loan_interest", _("Housing-loan interest")
    HOUSING_RENT = "housing_rent", _("Housing rent")
    ELDERLY_SUPPORT = "elderly_support", _("Elderly support")


class DeductionStandard(models.Model):
    """The amount of a special additional deduction over a period. `variant` tells apart the
    tiers of one category (rent by city size; degree study against a certificate)."""

    category = models.CharField(_("category"), max_length=32, choices=DeductionCategory.choices)
    variant = models.SlugField(_("variant"), max_length=32, blank=True)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    monthly_amount = models.DecimalField(_("monthly amount"), **MONEY, null=True, blank=True,
                                         validators=NON_NEGATIVE)
    annual_amount = models.DecimalField(_("annual amount"), **MONEY, null=True, blank=True,
                                        validators=NON_NEGATIVE,
                                        help_text=_("For items claimed by the year."))
    individual_cap = models.DecimalField(
        _("cap per person when shared"), **MONEY, null=True, blank=True,
        validators=NON_NEGATIVE,
        help_text=_("Elderly support shared between siblings: each takes at most this."))
    monthly_withholding = models.BooleanField(
        _("deductible in monthly withholding"), default=True,
        help_text=_("Serious illness is claimed only at the annual reconciliation."))
    source = models.TextField(_("source"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("deduction standard")
        verbose_name_plural = _("deduction standards")
        ordering = ["category", "variant", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["category", "variant", "effective_from"],
                                    name="deductionstandard_unique_start"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gte=models.F("effective_from")),
                name="deductionstandard_ends_after_start"),
        ]

    def __str__(self) -> str:
        variant = f" ({self.variant})" if self.variant else ""
        return f"{self.get_category_display()}{variant} {self.effective_from.isoformat()}"

    def clean(self) -> None:
        if self.effective_to and self.effective_from and self.effective_to < self.effective_from:
            raise ValidationError({"effective_to": _("The period cannot end before it starts.")})
        if self.category and self.effective_from:
            same = DeductionStandard.objects.filter(
                category=self.category, variant=self.variant).exclude(pk=self.pk)
            if overlaps(self.effective_from, self.effective_to, same).exists():
                raise ValidationError({"effective_from": _(
                    "This period overlaps another standard of the same category.")})
