"""KPIs: the indicator library, assignments for a cycle, measurements, and the links through
which key-result check-ins become measurements. An assignment's actual, attainment and score
are cached here and recomputed by `kpis.services` from its measurements with the rules of
`kpis.attainment`; nobody types them."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tandem.core.models import CompanyScoped, Versioned, bilingual

from . import attainment as rules

VALUE = {"max_digits": 18, "decimal_places": 4}
FRACTION = {"max_digits": 7, "decimal_places": 4}
SCORE = {"max_digits": 7, "decimal_places": 2}


class Direction(models.TextChoices):
    HIGHER = rules.Direction.HIGHER, _("Higher is better")
    LOWER = rules.Direction.LOWER, _("Lower is better")


class Aggregation(models.TextChoices):
    SUM = rules.Aggregation.SUM, _("Sum")
    AVERAGE = rules.Aggregation.AVERAGE, _("Average")
    LAST = rules.Aggregation.LAST, _("Latest value")
    MAX = rules.Aggregation.MAX, _("Maximum")
    MIN = rules.Aggregation.MIN, _("Minimum")


class RuleKind(models.TextChoices):
    RATIO = rules.RuleKind.RATIO, _("Ratio (actual ÷ target)")
    INVERSE_RATIO = rules.RuleKind.INVERSE_RATIO, _("Inverse ratio (target ÷ actual)")
    REVERSE_DEVIATION = rules.RuleKind.REVERSE_DEVIATION, _("Reverse deviation")
    BANDED = rules.RuleKind.BANDED, _("Bands")
    PENALTY = rules.RuleKind.PENALTY, _("Penalty points")


class Indicator(CompanyScoped, Versioned):
    """One entry of the company's KPI library."""

    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices,
                                 default=Direction.HIGHER)
    aggregation = models.CharField(_("aggregation"), max_length=8, choices=Aggregation.choices,
                                   default=Aggregation.SUM)
    rule = models.CharField(_("attainment rule"), max_length=20, choices=RuleKind.choices,
                            default=RuleKind.RATIO)
    capped = models.BooleanField(_("capped"), default=True)
    cap = models.DecimalField(_("cap"), **FRACTION, default=rules.DEFAULT_CAP,
                              validators=[MinValueValidator(Decimal("1"))])
    floor = models.DecimalField(_("floor"), **FRACTION, null=True, blank=True,
                                default=rules.DEFAULT_FLOOR,
                                validators=[MinValueValidator(Decimal("0"))],
                                help_text=_("Below this attainment the indicator scores 0."))
    # [[minimum attainment, score], ...] as strings, for the banded rule.
    bands = models.JSONField(_("bands"), default=list, blank=True)
    points_per_unit = models.DecimalField(_("points per unit of shortfall"), **VALUE,
                                          default=Decimal("0"),
                                          validators=[MinValueValidator(Decimal("0"))])
    category = models.CharField(_("category"), max_length=40, blank=True)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at", "version"])

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["company", "code"], name="kpi_indicator_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.display_name}"

    @property
    def display_name(self) -> str:
        return bilingual(self.name, self.name_en)

    def band_table(self) -> tuple[tuple[Decimal, Decimal], ...]:
        if not self.bands:
            return rules.DEFAULT_BANDS
        return tuple((Decimal(str(low)), Decimal(str(score))) for low, score in self.bands)


class ActualSource(models.TextChoices):
    """Where an assignment's actual comes from; the synergy report says it beside each figure."""

    OWN = "own", _("Its own figures (entry, import, API)")
    KEY_RESULTS = "key_results", _("Its linked key results")


class Assignment(CompanyScoped, Versioned):
    """An indicator given for a goal cycle to an employee, a department, or a position. A
    position's assignment is inherited: everyone in the position gets an employee assignment
    pointing back to it (`inherited_from`), kept in step by `kpis.services`."""

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT,
                                  related_name="assignments", verbose_name=_("indicator"))
    cycle = models.ForeignKey("goals.Cycle", on_delete=models.PROTECT,
                              related_name="kpi_assignments", verbose_name=_("cycle"))
    employee = models.ForeignKey("org.Employee", on_delete=models.CASCADE, null=True,
                                 blank=True, related_name="kpi_assignments",
                                 verbose_name=_("employee"))
    department = models.ForeignKey("org.Department", on_delete=models.CASCADE, null=True,
                                   blank=True, related_name="kpi_assignments",
                                   verbose_name=_("department"))
    position = models.ForeignKey("org.Position", on_delete=models.CASCADE, null=True,
                                 blank=True, related_name="kpi_assignments",
                                 verbose_name=_("position"))
    inherited_from = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True,
                                       related_name="inherited", editable=False,
                                       verbose_name=_("inherited from"))
    target = models.DecimalField(_("target"), **VALUE)
    weight = models.DecimalField(_("weight"), **FRACTION,
                                 validators=[MinValueValidator(Decimal("0.0001")),
                                             MaxValueValidator(Decimal("1"))],
                                 help_text=_("Share of the assignee's KPI score; in a cycle, "
                                             "an assignee's weights add up to 100 %."))
    threshold_floor = models.DecimalField(_("floor value"), **VALUE, null=True, blank=True)
    threshold_stretch = models.DecimalField(_("stretch value"), **VALUE, null=True, blank=True)
    # Overrides of the indicator's rule; blank/None: the indicator's.
    rule = models.CharField(_("attainment rule"), max_length=20, choices=RuleKind.choices,
                            blank=True)
    cap = models.DecimalField(_("cap"), **FRACTION, null=True, blank=True,
                              validators=[MinValueValidator(Decimal("1"))])
    floor = models.DecimalField(_("floor"), **FRACTION, null=True, blank=True,
                                validators=[MinValueValidator(Decimal("0"))])
    actual_source = models.CharField(_("source of the actual"), max_length=12,
                                     choices=ActualSource.choices, default=ActualSource.OWN)
    # The owner's plan of cumulative shares by date: [["2026-10-31", "0.25"], ...]; empty:
    # linear over the cycle (../shared/domain/okr-kpi.md "Pace and risk").
    pace_plan = models.JSONField(_("pace plan"), default=list, blank=True)
    actual = models.DecimalField(_("actual"), **VALUE, null=True, blank=True, editable=False)
    attainment = models.DecimalField(_("attainment"), **FRACTION, null=True, blank=True,
                                     editable=False)
    score = models.DecimalField(_("score"), **SCORE, null=True, blank=True, editable=False)
    # The actual the linked key results alone imply, when the assignment keeps its own figures
    # too: shown beside it, never added to it.
    linked_actual = models.DecimalField(_("actual from key results"), **VALUE, null=True,
                                        blank=True, editable=False)
    last_measured_on = models.DateField(_("last measured"), null=True, blank=True,
                                        editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at", "version"])

    class Meta:
        verbose_name = _("KPI assignment")
        verbose_name_plural = _("KPI assignments")
        ordering = ["cycle", "indicator__code", "pk"]
        constraints = [
            models.CheckConstraint(
                name="kpi_assignment_one_assignee",
                condition=(
                    Q(employee__isnull=False, department__isnull=True, position__isnull=True)
                    | Q(employee__isnull=True, department__isnull=False, position__isnull=True)
                    | Q(employee__isnull=True, department__isnull=True, position__isnull=False)
                ),
            ),
            models.UniqueConstraint(fields=["cycle", "indicator", "employee"],
                                    condition=Q(employee__isnull=False),
                                    name="kpi_assignment_employee_once"),
            models.UniqueConstraint(fields=["cycle", "indicator", "department"],
                                    condition=Q(department__isnull=False),
                                    name="kpi_assignment_department_once"),
            models.UniqueConstraint(fields=["cycle", "indicator", "position"],
                                    condition=Q(position__isnull=False),
                                    name="kpi_assignment_position_once"),
        ]
        indexes = [
            models.Index(fields=["cycle", "employee"], name="kpi_assignment_person"),
            models.Index(fields=["cycle", "department"], name="kpi_assignment_dept"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} → {self.assignee_name}"

    @property
    def assignee_kind(self) -> str:
        if self.employee_id:
            return "employee"
        if self.department_id:
            return "department"
        return "position"

    @property
    def assignee(self):
        return self.employee or self.department or self.position

    @property
    def assignee_name(self) -> str:
        if self.employee_id:
            return self.employee.name
        if self.department_id:
            return self.department.display_name
        return self.position.display_name

    def rule_for(self, indicator: Indicator | None = None) -> rules.Rule:
        """The attainment rule in force: the indicator's, with this assignment's overrides."""
        indicator = indicator or self.indicator
        return rules.Rule(
            kind=self.rule or indicator.rule,
            direction=indicator.direction,
            capped=indicator.capped,
            cap=self.cap if self.cap is not None else indicator.cap,
            floor=self.floor if self.floor is not None else indicator.floor,
            bands=indicator.band_table(),
            points_per_unit=indicator.points_per_unit,
        )


class MeasurementSource(models.TextChoices):
    MANUAL = "manual", _("Entered")
    IMPORT = "import", _("Excel import")
    KEY_RESULT = "key_result", _("Linked key result")
    API = "api", _("API")


class Measurement(CompanyScoped):
    """One figure towards an assignment's actual, with where it came from."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE,
                                   related_name="measurements", verbose_name=_("assignment"))
    date = models.DateField(_("date"))
    value = models.DecimalField(_("value"), **VALUE)
    source = models.CharField(_("source"), max_length=12, choices=MeasurementSource.choices)
    # The trace back to the origin: the check-in through the link, or the import.
    link = models.ForeignKey("KeyResultLink", on_delete=models.CASCADE, null=True, blank=True,
                             related_name="measurements", verbose_name=_("key result link"))
    check_in = models.ForeignKey("goals.CheckIn", on_delete=models.CASCADE, null=True,
                                 blank=True, related_name="kpi_measurements",
                                 verbose_name=_("check-in"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["assignment", "date", "pk"]
        indexes = [models.Index(fields=["assignment", "date"], name="kpi_measurement_day")]
        constraints = [
            models.CheckConstraint(
                name="kpi_measurement_traced",
                condition=(Q(source="key_result", link__isnull=False, check_in__isnull=False)
                           | (~Q(source="key_result") & Q(link__isnull=True))),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id} {self.date}: {self.value}"


class LinkMode(models.TextChoices):
    VALUE = "value", _("Each check-in's value is a measurement")
    INCREMENT = "increment", _("Each check-in's increase is a measurement")


class KeyResultLink(CompanyScoped):
    """A key result feeding a KPI assignment: its check-ins become the assignment's
    measurements (value × factor), in the check-in's transaction."""

    key_result = models.ForeignKey("goals.KeyResult", on_delete=models.CASCADE,
                                   related_name="kpi_links", verbose_name=_("key result"))
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE,
                                   related_name="key_result_links",
                                   verbose_name=_("KPI assignment"))
    mode = models.CharField(_("mode"), max_length=10, choices=LinkMode.choices,
                            default=LinkMode.VALUE)
    factor = models.DecimalField(_("conversion factor"), **VALUE, default=Decimal("1"),
                                 help_text=_("Key result units × factor = indicator units."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("key result → KPI link")
        verbose_name_plural = _("key result → KPI links")
        constraints = [
            models.UniqueConstraint(fields=["key_result", "assignment"],
                                    name="kpi_link_once"),
        ]

    def __str__(self) -> str:
        return f"KR {self.key_result_id} → KPI {self.assignment_id}"


class PositionIndicator(CompanyScoped):
    """One line of a position's default KPI set: what new cycles and new hires receive."""

    position = models.ForeignKey("org.Position", on_delete=models.CASCADE,
                                 related_name="kpi_set", verbose_name=_("position"))
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE,
                                  related_name="position_sets", verbose_name=_("indicator"))
    target = models.DecimalField(_("target"), **VALUE)
    weight = models.DecimalField(_("weight"), **FRACTION,
                                 validators=[MinValueValidator(Decimal("0.0001")),
                                             MaxValueValidator(Decimal("1"))])
    threshold_floor = models.DecimalField(_("floor value"), **VALUE, null=True, blank=True)
    threshold_stretch = models.DecimalField(_("stretch value"), **VALUE, null=True, blank=True)

    class Meta:
        verbose_name = _("position KPI")
        verbose_name_plural = _("position KPI sets")
        ordering = ["position", "indicator__code"]
        constraints = [
            models.UniqueConstraint(fields=["position", "indicator"],
                                    name="kpi_position_indicator_once"),
        ]

    def __str__(self) -> str:
        return f"{self.position_id}: {self.indicator_id}"


# Pace and alert state (kpis.risk) live in their own module.
from .models_tracking import *  # noqa: E402, F401, F403
