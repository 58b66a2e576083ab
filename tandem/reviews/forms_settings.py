"""Forms of the company's review settings: OKR and KPI shares, the OKR score cap, difficulty
bounds, adjustment limit, the grade scale with the forced distribution's share of each grade,
and the weight overrides per department or position. Every rule comes from `reviews.scoring`
(../shared/domain/okr-kpi.md, "Final score, grades, distribution"). Shares and the cap are
typed as percents (40) and stored as fractions (0.4)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_scopes.forms import SafeModelChoiceField

from tandem.kpis.attainment import percent, plain
from tandem.kpis.forms import PercentField
from tandem.org.models import Department, Position
from tandem.web.forms import DepartmentChoiceField, ServiceErrorsMixin, StyledFormMixin

from . import scoring
from .models import ReviewSettings, WeightOverride

ONE = Decimal(1)
SETTING_FIELDS = ("okr_weight", "kpi_weight", "okr_score_cap", "difficulty_min",
                  "difficulty_max", "adjustment_limit", "use_distribution")


def validate_distribution(grades: list[str], shares: list[tuple[str, Decimal | None]]) -> None:
    """The forced distribution names exactly the grades of the scale, each with a share, and
    the shares sum to 1 (domain: default 10/20/50/15/5 %)."""
    named = [grade for grade, _share in shares]
    if sorted(named) != sorted(grades) or len(set(named)) != len(named):
        raise ValidationError(_("The forced distribution must name the grades of the scale "
                                "(%(grades)s), each once.") % {"grades": ", ".join(grades)})
    missing = [grade for grade, share in shares if share is None]
    if missing:
        raise ValidationError(_("Give the share of grade %(grade)s in the forced "
                                "distribution.") % {"grade": missing[0]})
    for grade, share in shares:
        if not Decimal(0) <= share <= ONE:
            raise ValidationError(_("The share %(share)s of grade %(grade)s must be between "
                                    "0 and %(whole)s.")
                                  % {"share": percent(share), "grade": grade,
                                     "whole": percent(ONE)})
    total = sum((share for _grade, share in shares), Decimal(0))
    if total != ONE:
        raise ValidationError(_("The shares of the forced distribution must sum to %(whole)s, "
                                "not %(total)s.")
                              % {"whole": percent(ONE), "total": percent(total)})


class SettingsForm(StyledFormMixin, ServiceErrorsMixin, forms.ModelForm):
    okr_weight = PercentField(label=gettext_lazy("OKR share in %"), min_value=0, max_value=100)
    kpi_weight = PercentField(label=gettext_lazy("KPI share in %"), min_value=0, max_value=100)
    okr_score_cap = PercentField(label=gettext_lazy("OKR score cap in %"), min_value=100,
                                 max_value=300)

    class Meta:
        model = ReviewSettings
        fields = list(SETTING_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["okr_score_cap"].help_text = _(
            "An objective scores at most this share of its expectation (default 120).")
        self.fields["difficulty_min"].help_text = _(
            "The manager's difficulty coefficient per objective stays between the lowest and "
            "the highest (default 0.8 and 1.3).")
        self.style_widgets()

    def clean(self):
        # The model's validators keep the lowest difficulty at most 1 and the highest at
        # least 1, so the two never cross.
        cleaned = super().clean()
        okr, kpi = cleaned.get("okr_weight"), cleaned.get("kpi_weight")
        if okr is not None and kpi is not None:
            try:
                scoring.validate_weights(okr, kpi)
            except scoring.ScoringError as error:
                self.add_error("okr_weight", str(error.message))
        return cleaned

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in SETTING_FIELDS}


class GradeRowForm(StyledFormMixin, forms.Form):
    grade = forms.CharField(label=gettext_lazy("grade"), max_length=scoring.GRADE_NAME_LENGTH,
                            required=False)
    minimum = forms.DecimalField(label=gettext_lazy("minimum score"), max_digits=7,
                                 decimal_places=2, min_value=0, required=False)
    share = PercentField(label=gettext_lazy("forced distribution share in %"), min_value=0,
                         max_value=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()


class BaseGradeRows(forms.BaseFormSet):
    """The grade scale, best grade first; a row without a grade name is left out."""

    def clean(self):
        if any(self.errors):
            return
        rows = []
        for form in self.forms:
            data = form.cleaned_data
            name = (data.get("grade") or "").strip()
            if not name:
                continue
            if data.get("minimum") is None:
                raise ValidationError(_("Give the minimum score of grade %(grade)s.")
                                      % {"grade": name})
            rows.append((name, data["minimum"], data.get("share")))
        rows.sort(key=lambda row: row[1], reverse=True)
        try:
            scoring.validate_grades([scoring.GradeBand(name, minimum)
                                     for name, minimum, _share in rows])
        except scoring.ScoringError as error:
            raise ValidationError(str(error.message)) from None
        validate_distribution([name for name, _minimum, _share in rows],
                              [(name, share) for name, _minimum, share in rows])
        self.grades = [[name, plain(minimum)] for name, minimum, _share in rows]
        self.distribution = [[name, plain(share)] for name, _minimum, share in rows]


GradeRows = forms.formset_factory(GradeRowForm, formset=BaseGradeRows, extra=2, max_num=12,
                                  validate_max=True)


def grade_rows_initial(row: ReviewSettings) -> list[dict]:
    shares = {str(grade): Decimal(str(share)) for grade, share in row.distribution}
    return [{"grade": str(grade), "minimum": Decimal(str(minimum)),
             "share": shares.get(str(grade))} for grade, minimum in row.grades]


class OverrideTarget:
    DEPARTMENT = "department"
    POSITION = "position"
    CHOICES = [(DEPARTMENT, gettext_lazy("a department (and those below it)")),
               (POSITION, gettext_lazy("a position"))]


class OverrideForm(StyledFormMixin, ServiceErrorsMixin, forms.Form):
    target = forms.ChoiceField(label=gettext_lazy("for"), choices=OverrideTarget.CHOICES,
                               initial=OverrideTarget.DEPARTMENT)
    department = DepartmentChoiceField(label=gettext_lazy("department"), required=False,
                                       queryset=Department.objects.none())
    position = SafeModelChoiceField(label=gettext_lazy("position"), required=False,
                                    queryset=Position.objects.none())
    okr_weight = PercentField(label=gettext_lazy("OKR share in %"), min_value=0, max_value=100)
    kpi_weight = PercentField(label=gettext_lazy("KPI share in %"), min_value=0, max_value=100)
    reason = forms.CharField(label=gettext_lazy("reason"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.all()
        self.fields["position"].queryset = Position.objects.order_by("title")
        self.style_widgets()

    def clean(self):
        cleaned = super().clean()
        target = cleaned.get("target")
        if target == OverrideTarget.DEPARTMENT:
            cleaned["position"] = None
            if cleaned.get("department") is None:
                self.add_error("department", _("Choose the department."))
            elif WeightOverride.objects.filter(department=cleaned["department"]).exists():
                self.add_error("department", _("This department already has its shares; "
                                               "delete them first."))
        elif target == OverrideTarget.POSITION:
            cleaned["department"] = None
            if cleaned.get("position") is None:
                self.add_error("position", _("Choose the position."))
            elif WeightOverride.objects.filter(position=cleaned["position"]).exists():
                self.add_error("position", _("This position already has its shares; delete "
                                             "them first."))
        okr, kpi = cleaned.get("okr_weight"), cleaned.get("kpi_weight")
        if okr is not None and kpi is not None:
            try:
                scoring.validate_weights(okr, kpi)
            except scoring.ScoringError as error:
                self.add_error("okr_weight", str(error.message))
        return cleaned
