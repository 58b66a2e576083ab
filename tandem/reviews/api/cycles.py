"""Review cycles over the API: set up (HR and administrators), the steps as actions, the grade
distribution of the calibration board, and the cycle's bonus awards and their approval. Thin:
`reviews.services` and `services_bonus` check, write and record."""

from collections import defaultdict

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from tandem.core.api import FilterBackend, json_type_errors
from tandem.core.versioning import VersionedAutoSchema, edit_conflicts_as_409
from tandem.pay.api.serializers_payroll import PayItemSerializer

from .. import scoring, selectors, services, services_bonus
from ..models import BonusAward, ReviewCycle
from ..policy import frozen_for
from .common import ReviewViewSetMixin, body, refusals
from .filters import ReviewCycleFilter
from .serializers import ReviewCycleSerializer, ReviewDistributionSerializer
from .serializers_more import BonusApproveSerializer, BonusAwardSerializer

STEP = {"responses": ReviewCycleSerializer, "request": None}


def may_calibrate_view(request, cycle) -> bool:
    """The distribution is the calibrating group's (HR, administrators, leaders) and
    finance's."""
    actor = request.actor
    return selectors.sees_all(actor) or actor.is_manager


def result_rows(actor, cycle):
    """The cycle's reviews with a final score whose result `actor` may read (the set form of
    reviews.view_result)."""
    rows = selectors.reviews_with_relations().filter(cycle=cycle, final_score__isnull=False)
    if not selectors.sees_all(actor):
        rows = rows.filter(selectors.team_q(actor)
                           | (selectors.own_q(actor) & Q(published_at__isnull=False)))
    return list(rows.order_by("employee__employee_number", "pk"))


def distribution(actor, cycle) -> dict:
    """scoring.forced_distribution with the cycle's frozen shares, and the headcount per grade
    of each department."""
    frozen = frozen_for(cycle)
    rows = result_rows(actor, cycle)
    result = scoring.forced_distribution(
        [(row.pk, row.final_score, row.grade) for row in rows], frozen.distribution)
    by_pk = {row.pk: row for row in rows}
    grades = [name for name, _share in frozen.distribution]
    grades += [name for name in frozen.grade_names if name not in grades]
    departments: dict = defaultdict(lambda: dict.fromkeys(grades, 0))
    names = {}
    for row in rows:
        counts = departments[row.department_id]
        counts[row.grade] = counts.get(row.grade, 0) + 1
        names[row.department_id] = row.department.name if row.department else _("No department")
    return {
        "use_distribution": frozen.use_distribution,
        "quotas": result.quotas, "actual": result.actual,
        "suggestions": [{"review": s.key, "employee": by_pk[s.key].employee_id,
                         "employee_name": by_pk[s.key].employee.name, "current": s.current,
                         "suggested": s.suggested, "reason": s.reason}
                        for s in result.suggestions],
        "departments": [{"department": key, "name": str(names[key]),
                         "total": sum(counts.values()), "counts": counts}
                        for key, counts in sorted(departments.items(),
                                                  key=lambda item: str(names[item[0]]))],
        "explanation": [str(line) for line in result.explanation],
    }


@extend_schema_view(
    list=extend_schema(description=gettext_lazy(
        "The company's review cycles; every member reads them.")),
    create=extend_schema(description=gettext_lazy(
        "Set a cycle up: the goal cycles it reviews, who is reviewed, its steps and "
        "deadlines. HR and administrators.")),
    update=extend_schema(description=gettext_lazy(
        "Change a cycle while it is being set up (400 once open).")),
    partial_update=extend_schema(description=gettext_lazy(
        "Change a cycle while it is being set up (400 once open).")),
    destroy=extend_schema(description=gettext_lazy(
        "Delete a cycle still being set up; 409 once open.")),
)
class ReviewCycleViewSet(ReviewViewSetMixin, viewsets.ModelViewSet):
    serializer_class = ReviewCycleSerializer
    schema = VersionedAutoSchema()
    filter_backends = [FilterBackend]
    filterset_class = ReviewCycleFilter
    object_permissions = {
        "update": "reviews.change_reviewcycle", "partial_update": "reviews.change_reviewcycle",
        "destroy": "reviews.delete_reviewcycle", "open": "reviews.change_reviewcycle",
        "start_calibration": "reviews.change_reviewcycle",
        "publish": "reviews.change_reviewcycle", "close": "reviews.change_reviewcycle",
        "distribution": may_calibrate_view, "bonuses": "reviews.view_bonuspolicy",
        "approve_bonuses": "reviews.approve_bonus",
    }

    def may_use(self, request) -> bool:
        if self.action == "create":
            return request.user.has_perm("reviews.add_reviewcycle")
        return True

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ReviewCycle.objects.none()
        return ReviewCycle.objects.prefetch_related("goal_cycles", "departments", "people")

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        if "data" in kwargs:
            errors = json_type_errors(serializer, kwargs["data"])
            if errors:
                raise exceptions.ValidationError(errors)
        return serializer

    def _reload(self, serializer, pk):
        serializer.instance = self.get_queryset().get(pk=pk)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        with refusals():
            cycle = services.save_cycle(actor=self.request.actor, company=self.request.company,
                                        **data)
        self._reload(serializer, cycle.pk)

    def perform_update(self, serializer):
        cycle = serializer.instance
        data = dict(serializer.validated_data)
        version = data.pop("version")
        for name in ("goal_cycles", "departments", "people"):
            data.setdefault(name, list(getattr(cycle, name).all()))
        with refusals(), edit_conflicts_as_409():
            services.save_cycle(actor=self.request.actor, company=self.request.company,
                                cycle=cycle, version=version, **data)
        self._reload(serializer, cycle.pk)

    def perform_destroy(self, instance):
        with refusals(as_conflict=True):
            services.delete_cycle(actor=self.request.actor, cycle=instance)

    def _step(self, service, **kwargs):
        cycle = self.get_object()
        with refusals():
            service(actor=self.request.actor, cycle=cycle, **kwargs)
        return Response(ReviewCycleSerializer(self.get_queryset().get(pk=cycle.pk),
                                              context=self.get_serializer_context()).data)

    @extend_schema(**STEP, description=gettext_lazy(
        "Open the cycle: the settings and every person's shares are frozen, their reviews "
        "created and scored from the goals and KPIs as they stand."))
    @action(detail=True, methods=["post"], filter_backends=[])
    def open(self, request, pk=None, format=None):  # noqa: A002 (DRF's name)
        return self._step(services.open_cycle)

    @extend_schema(**STEP, description=gettext_lazy(
        "Start calibration once every assessment is submitted."))
    @action(detail=True, methods=["post"], url_path="start-calibration", filter_backends=[])
    def start_calibration(self, request, pk=None, format=None):  # noqa: A002 (DRF's name)
        return self._step(services.start_calibration)

    @extend_schema(**STEP, description=gettext_lazy(
        "Publish every result: the people see them, improvement plans are generated and the "
        "bonus policies' awards proposed."))
    @action(detail=True, methods=["post"], filter_backends=[])
    def publish(self, request, pk=None, format=None):  # noqa: A002 (DRF's name)
        return self._step(services.publish)

    @extend_schema(**STEP, description=gettext_lazy("Close a published cycle."))
    @action(detail=True, methods=["post"], filter_backends=[])
    def close(self, request, pk=None, format=None):  # noqa: A002 (DRF's name)
        return self._step(services.close_cycle)

    @extend_schema(responses=ReviewDistributionSerializer, description=gettext_lazy(
        "The grade distribution of the reviews with a final score that the caller may read: "
        "the forced distribution's quotas from the shares frozen in the cycle, the headcount "
        "now, who falls outside (suggestions only: nobody is moved) and the headcount per "
        "grade of each department. HR, administrators, finance and leaders."))
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def distribution(self, request, pk=None, format=None):  # noqa: A002 (DRF's name)
        cycle = self.get_object()
        return Response(ReviewDistributionSerializer(distribution(request.actor, cycle)).data)

    @extend_schema(responses=BonusAwardSerializer(many=True), description=gettext_lazy(
        "The bonus awards of the cycle's reviews (proposed when it was published, or "
        "approved), with their explanation. HR, administrators and finance."))
    @action(detail=True, methods=["get"], filter_backends=[])
    def bonuses(self, request, pk=None, format=None):  # noqa: A002 (DRF's name)
        cycle = self.get_object()
        awards = (BonusAward.objects.filter(review__cycle=cycle)
                  .select_related("review__employee", "policy")
                  .order_by("review__employee__employee_number", "pk"))
        page = self.paginate_queryset(awards)
        return self.get_paginated_response(BonusAwardSerializer(page, many=True).data)

    @extend_schema(request=BonusApproveSerializer,
                   responses={201: PayItemSerializer(many=True)}, description=gettext_lazy(
                       "Approve the cycle's proposed awards: each non-zero one becomes a pay "
                       "item of the month (a bonus, or the annual one-time bonus); the answer "
                       "lists the pay items created. HR and administrators."))
    @action(detail=True, methods=["post"], url_path="approve-bonuses", filter_backends=[],
            pagination_class=None)
    def approve_bonuses(self, request, pk=None, format=None):  # noqa: A002 (DRF's name)
        cycle = self.get_object()
        data = body(BonusApproveSerializer, request.data)
        with refusals():
            items = services_bonus.approve_awards(actor=request.actor, cycle=cycle, **data)
        return Response(PayItemSerializer(items, many=True).data,
                        status=status.HTTP_201_CREATED)
