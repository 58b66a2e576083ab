"""Reviews over the API: the list (only what the caller may read), one review with its scores
and explanation (null for the person reviewed until published), and the steps as actions
with JSON bodies. Thin: `reviews.services` checks the step, validates and writes."""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from tandem.core.api import FilterBackend, json_type_errors

from .. import selectors, services
from .common import ReviewViewSetMixin, body, ratings_renamer, refusals
from .filters import ReviewFilter
from .serializers import (
    ReviewAcknowledgeSerializer,
    ReviewAssessmentSerializer,
    ReviewGradeSerializer,
    ReviewRatingSerializer,
    ReviewReturnSerializer,
    ReviewSelfAssessmentSerializer,
    ReviewSerializer,
)


def assessment_body(data) -> dict:
    """The assessment's body, each rating's JSON types checked as the top level's are."""
    ratings = data.get("ratings") if isinstance(data, dict) else None
    if isinstance(ratings, list):
        errors = {}
        for index, row in enumerate(ratings):
            for field, messages in json_type_errors(ReviewRatingSerializer(), row).items():
                errors[f"ratings.{index}.{field}"] = messages
        if errors:
            raise exceptions.ValidationError(errors)
    return body(ReviewAssessmentSerializer, data)


@extend_schema_view(
    list=extend_schema(description=gettext_lazy(
        "The reviews the caller may read: HR, administrators and finance all; anyone else "
        "their own and those of the people in the departments they lead. The person reviewed "
        "reads their scores, grade and explanation only once published (null until then).")),
    retrieve=extend_schema(description=gettext_lazy(
        "One review with its frozen shares, scores, grades and the explanation of every "
        "number (null for the person reviewed until published).")),
)
class ReviewViewSet(ReviewViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                    viewsets.GenericViewSet):
    serializer_class = ReviewSerializer
    filter_backends = [FilterBackend]
    filterset_class = ReviewFilter
    object_permissions = {
        "retrieve": "reviews.view_review", "self_assessment": "reviews.assess_self",
        "assessment": "reviews.assess_manager", "grade": "reviews.calibrate_review",
        "return_review": "reviews.calibrate_review",
        "acknowledge": "reviews.acknowledge_review",
    }

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return selectors.reviews_with_relations().none()
        if self.action == "list":
            rows = selectors.visible_reviews(self.request.actor)
        else:
            rows = selectors.reviews_with_relations()
        return rows.order_by("-cycle__created_at", "-cycle_id", "employee__employee_number",
                             "pk")

    def _answer(self, review):
        fresh = self.get_queryset().get(pk=review.pk)
        return Response(ReviewSerializer(fresh, context=self.get_serializer_context()).data)

    @extend_schema(request=ReviewSelfAssessmentSerializer, responses=ReviewSerializer,
                   description=gettext_lazy(
                       "Submit the caller's own self assessment; the review goes to the "
                       "manager. 400 when the self assessment is not open."))
    @action(detail=True, methods=["post"], url_path="self-assessment", filter_backends=[])
    def self_assessment(self, request, pk=None, format=None):  # noqa: A002 (DRF's name)
        review = self.get_object()
        data = body(ReviewSelfAssessmentSerializer, request.data)
        with refusals({"self_summary": "summary"}):
            services.submit_self(actor=request.actor, review=review, summary=data["summary"],
                                 version=data["version"])
        return self._answer(review)

    @extend_schema(request=ReviewAssessmentSerializer, responses=ReviewSerializer,
                   description=gettext_lazy(
                       "The manager's assessment: a difficulty coefficient per objective "
                       "(with a reason unless 1), a bounded adjustment with its reason, and "
                       "the written assessment; saved as a draft, or submitted with "
                       "submit=true. HR, administrators and the leaders above the person."))
    @action(detail=True, methods=["post"], filter_backends=[])
    def assessment(self, request, pk=None, format=None):  # noqa: A002 (DRF's name)
        review = self.get_object()
        data = assessment_body(request.data)
        ratings = data.pop("ratings")
        with refusals(ratings_renamer([row["objective"] for row in ratings])):
            services.assess(actor=request.actor, review=review,
                            ratings={row["objective"]: (row["difficulty"], row["reason"])
                                     for row in ratings}, **data)
        return self._answer(review)

    @extend_schema(request=ReviewGradeSerializer, responses=ReviewSerializer,
                   description=gettext_lazy(
                       "Move the grade during calibration, with a reason unless it is the "
                       "grade the score gives. Every move is history."))
    @action(detail=True, methods=["post"], filter_backends=[])
    def grade(self, request, pk=None, format=None):  # noqa: A002 (DRF's name)
        review = self.get_object()
        data = body(ReviewGradeSerializer, request.data)
        with refusals():
            services.change_grade(actor=request.actor, review=review, **data)
        return self._answer(review)

    @extend_schema(request=ReviewReturnSerializer, responses=ReviewSerializer,
                   description=gettext_lazy(
                       "Send an assessed review back to the manager before publication, "
                       "saying why."))
    @action(detail=True, methods=["post"], url_path="return", filter_backends=[])
    def return_review(self, request, pk=None, format=None):  # noqa: A002 (DRF's name)
        review = self.get_object()
        data = body(ReviewReturnSerializer, request.data)
        with refusals():
            services.return_to_manager(actor=request.actor, review=review, **data)
        return self._answer(review)

    @extend_schema(request=ReviewAcknowledgeSerializer, responses=ReviewSerializer,
                   description=gettext_lazy(
                       "The person acknowledges their published result, with an optional "
                       "comment."))
    @action(detail=True, methods=["post"], filter_backends=[])
    def acknowledge(self, request, pk=None, format=None):  # noqa: A002 (DRF's name)
        review = self.get_object()
        data = body(ReviewAcknowledgeSerializer, request.data)
        with refusals():
            services.acknowledge(actor=request.actor, review=review, **data)
        return self._answer(review)
