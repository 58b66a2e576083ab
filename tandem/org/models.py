"""The org chart: departments (a tree), positions, employees and their job history."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from tandem.core.models import CompanyScoped, Versioned, bilingual

from .validators import validate_id_number, validate_phone

# 《劳动法》第十五条: employers may not hire minors under sixteen.
MINIMUM_WORKING_AGE = 16


@deconstructible
class DateRangeValidator:
    """A sanity range for dates people type: not before `earliest`, and at most `years_ahead`
    years after today (when given). Catches 0024 for 2024 and 2204 for 2024."""

    def __init__(self, earliest: date, years_ahead: int | None = None):
        self.earliest = earliest
        self.years_ahead = years_ahead

    def latest(self) -> date | None:
        if self.years_ahead is None:
            return None
        today = timezone.localdate()
        try:
            return today.replace(year=today.year + self.years_ahead)
        except ValueError:  # 29 February
            return today.replace(year=today.year + self.years_ahead, day=28)

    def __call__(self, value: date) -> None:
        if value < self.earliest:
            raise ValidationError(
                _("Enter a date on or after %(date)s."), code="date_too_early",
                params={"date": self.earliest.isoformat()},
            )
        latest = self.latest()
        if latest is not None and value > latest:
            raise ValidationError(
                _("Enter a date on or before %(date)s."), code="date_too_late",
                params={"date": latest.isoformat()},
            )

    def __eq__(self, other) -> bool:
        return (isinstance(other, DateRangeValidator) and self.earliest == other.earliest
                and self.years_ahead == other.years_ahead)


EMPLOYMENT_DATES = DateRangeValidator(date(1950, 1, 1), years_ahead=1)
# Probation lasts at most six months (《劳动合同法》第十九条) after a hire at most a year ahead.
PROBATION_END_DATES = DateRangeValidator(date(1950, 1, 1), years_ahead=2)
BIRTH_DATES = DateRangeValidator(date(1900, 1, 1))


class Department(CompanyScoped, Versioned):
    name = models.CharField(_("name"), max_length=80)
    name_en = models.CharField(_("English name"), max_length=80, blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
        verbose_name=_("parent department"),
    )
    leader = models.ForeignKey(
        "Employee", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="led_departments", verbose_name=_("leader"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "parent", "name"], name="department_unique_name_in_parent"
            ),
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("id")), name="department_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return bilingual(self.name, self.name_en)


class Position(CompanyScoped, Versioned):
    title = models.CharField(_("title"), max_length=80)
    title_en = models.CharField(_("English title"), max_length=80, blank=True)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="positions",
        verbose_name=_("department"),
    )
    description = models.TextField(_("description"), blank=True, max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "department", "title"], name="position_unique_title_in_department"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return bilingual(self.title, self.title_en)


class EmployeeStatus(models.TextChoices):
    PROBATION = "probation", _("On probation")
    ACTIVE = "active", _("Active")
    LEFT = "left", _("Left")


class EmploymentType(models.TextChoices):
    FULL_TIME = "full_time", _("Full-time")
    PART_TIME = "part_time", _("Part-time")
    INTERN = "intern", _("Intern")


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    UNSPECIFIED = "unspecified", _("Not specified")


# Fields only HR, finance and the employee themself may read (see `org.view_employee_private`).
PRIVATE_FIELDS = (
    "birth_date", "id_number", "home_address", "emergency_contact_name",
    "emergency_contact_phone",
)
# Changes to these fields are recorded in the job history with an effective date.
JOB_FIELDS = ("department", "position", "manager")


class Employee(CompanyScoped, Versioned):
    employee_number = models.CharField(_("employee number"), max_length=32)
    name = models.CharField(pgettext_lazy("person", "name"), max_length=60)
    english_name = models.CharField(_("English name"), max_length=60, blank=True)
    gender = models.CharField(
        _("gender"), max_length=12, choices=Gender.choices, default=Gender.UNSPECIFIED
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="employee_records", verbose_name=_("user account"),
    )
    email = models.EmailField(_("work email"), blank=True)
    phone = models.CharField(_("work phone"), max_length=20, blank=True, validators=[validate_phone])
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="employees", verbose_name=_("department")
    )
    position = models.ForeignKey(
        Position, on_delete=models.SET_NULL, null=True, blank=True, related_name="employees",
        verbose_name=_("position"),
    )
    manager = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="reports",
        verbose_name=_("manager"),
    )
    employment_type = models.CharField(
        _("employment type"), max_length=12, choices=EmploymentType.choices,
        default=EmploymentType.FULL_TIME,
    )
    status = models.CharField(
        _("status"), max_length=12, choices=EmployeeStatus.choices, default=EmployeeStatus.ACTIVE
    )
    hire_date = models.DateField(_("hire date"), validators=[EMPLOYMENT_DATES])
    probation_end_date = models.DateField(
        _("probation end date"), null=True, blank=True, validators=[PROBATION_END_DATES]
    )
    leave_date = models.DateField(
        _("leave date"), null=True, blank=True, validators=[EMPLOYMENT_DATES]
    )

    birth_date = models.DateField(_("birth date"), null=True, blank=True, validators=[BIRTH_DATES])
    id_number = models.CharField(
        _("identity number"), max_length=18, blank=True, validators=[validate_id_number]
    )
    home_address = models.CharField(_("home address"), max_length=200, blank=True)
    emergency_contact_name = models.CharField(_("emergency contact"), max_length=60, blank=True)
    emergency_contact_phone = models.CharField(
        _("emergency contact phone"), max_length=20, blank=True, validators=[validate_phone]
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at", "version"])

    class Meta:
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        ordering = ["employee_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "employee_number"], name="employee_unique_number"
            ),
            models.UniqueConstraint(
                fields=["company", "user"], name="employee_unique_user",
                condition=models.Q(user__isnull=False),
            ),
            models.CheckConstraint(
                condition=models.Q(leave_date__isnull=True)
                | models.Q(leave_date__gte=models.F("hire_date")),
                name="employee_leaves_after_hire",
            ),
            models.CheckConstraint(
                condition=~models.Q(manager=models.F("id")), name="employee_not_own_manager"
            ),
        ]
        indexes = [models.Index(fields=["company", "status"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.employee_number})"

    @property
    def display_name(self) -> str:
        return bilingual(self.name, self.english_name)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.id_number:
            self.id_number = self.id_number.upper()
        if self.hire_date and self.leave_date and self.leave_date < self.hire_date:
            errors["leave_date"] = _("The leave date cannot be before the hire date.")
        if self.hire_date and self.probation_end_date and self.probation_end_date < self.hire_date:
            errors["probation_end_date"] = _("Probation cannot end before the hire date.")
        if self.status == EmployeeStatus.LEFT and not self.leave_date:
            errors["leave_date"] = _("Enter the leave date of someone who has left.")
        if self.leave_date and self.status != EmployeeStatus.LEFT:
            errors["status"] = _("Someone with a leave date has the status “Left”.")
        too_young = (
            self.birth_date and self.hire_date
            and _age_on(self.birth_date, self.hire_date) < MINIMUM_WORKING_AGE
        )
        if too_young:
            errors["birth_date"] = _(
                "Employees must be at least 16 years old on their hire date "
                "(Labour Law, article 15)."
            )
        if self.birth_date and self.birth_date > timezone.localdate():
            errors["birth_date"] = _("The birth date cannot be in the future.")
        if self.manager_id and self.pk and self.manager_id == self.pk:
            errors["manager"] = _("Nobody can be their own manager.")
        if self.position_id and self.department_id and self.position.department_id not in (
            None, self.department_id,
        ):
            errors["position"] = _("This position belongs to another department.")
        if errors:
            raise ValidationError(errors)


def _age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


class JobChange(models.TextChoices):
    HIRE = "hire", _("Hire")
    TRANSFER = "transfer", _("Transfer")
    POSITION = "position", _("Position change")
    MANAGER = "manager", _("Manager change")
    EXIT = "exit", _("Exit")


class JobHistory(CompanyScoped):
    """Where someone worked from which date: a row whenever department, position or manager
    change, with the date the change takes effect."""

    employee = models.ForeignKey(
        Employee, on_delete=models.CASCADE, related_name="job_history", verbose_name=_("employee")
    )
    effective_date = models.DateField(_("effective date"), validators=[EMPLOYMENT_DATES])
    change = models.CharField(_("change"), max_length=12, choices=JobChange.choices)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    position = models.ForeignKey(
        Position, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("position"),
    )
    manager = models.ForeignKey(
        Employee, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("manager"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("job history entry")
        verbose_name_plural = _("job history")
        ordering = ["employee", "-effective_date", "-recorded_at"]

    def __str__(self) -> str:
        return f"{self.employee} {self.get_change_display()} {self.effective_date}"
