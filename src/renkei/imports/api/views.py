"""API endpoints of imports: the runs the user may see with their rejected rows, and the review
queue of uncertain links with its decide action."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, serializers
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from renkei.core.api.schema import ErrorSerializer, RenkeiAutoSchema
from renkei.core.api.views import RecordViewSet
from renkei.imports import access
from renkei.imports.api.serializers import (
    ImportRejectionSerializer,
    ImportRunSerializer,
    RegionalIndustryStatisticSerializer,
    ReviewDecisionSerializer,
    ReviewItemSerializer,
)
from renkei.imports.filters import RegionalIndustryStatisticFilterSet
from renkei.imports.models import ImportRun, RegionalIndustryStatistic, ReviewItem
from renkei.imports.review import do_decide_review_item, visible_candidates, visible_review_items


class ImportRunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RecordViewSet):
    """Imports of public files: who ran them, when, the file's SHA-256 and the counts.

    Administrators and national officers see every run, cluster HQ staff the runs they started;
    for anyone else a run does not exist (404)."""

    visible = access.visible_import_runs
    serializer_class = ImportRunSerializer
    permission_classes = [IsAuthenticated]
    filterset_fields = {"status": ["exact"], "source": ["exact"], "sha256": ["exact"]}
    ordering_fields = ["id", "started_at", "finished_at", "rows_read", "rejected"]

    def get_queryset(self) -> QuerySet[ImportRun]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator: no database reads
            return ImportRun.objects.none()
        return super().get_queryset()

    def optimise(self, queryset: QuerySet[ImportRun]) -> QuerySet[ImportRun]:
        return queryset.select_related("started_by")

    @extend_schema(summary="The run's rejected rows", responses={200: ImportRejectionSerializer(many=True)})
    @action(detail=True, methods=["get"], filter_backends=[], serializer_class=ImportRejectionSerializer)
    def rejections(self, request: Request, pk: str | None = None) -> Response:
        """Every stored rejected row of the run, in file order, paginated."""
        run = self.get_object()
        rows = run.rejections.order_by("line_number", "pk")
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(ImportRejectionSerializer(page, many=True).data)


class ReviewItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RecordViewSet):
    """The review queue: links imports could not make with certainty, with the candidates the
    user may see. Administrators and national officers see every item, cluster HQ staff those of
    their office and of the imports they started; for anyone else an item does not exist (404)."""

    visible = visible_review_items
    serializer_class = ReviewItemSerializer
    permission_classes = [IsAuthenticated]
    filterset_fields = {"status": ["exact"], "kind": ["exact"], "run": ["exact"], "run__source": ["exact"]}
    ordering_fields = ["id", "created_at", "decided_at"]

    def get_queryset(self) -> QuerySet[ReviewItem]:
        if getattr(self, "swagger_fake_view", False):
            return ReviewItem.objects.none()
        return super().get_queryset()

    def optimise(self, queryset: QuerySet[ReviewItem]) -> QuerySet[ReviewItem]:
        return queryset.select_related("decided_by")

    @extend_schema(
        summary="Confirm a candidate (making the link) or reject the link",
        request=ReviewDecisionSerializer,
        responses={200: ReviewItemSerializer},
    )
    @action(detail=True, methods=["post"], filter_backends=[], serializer_class=ReviewDecisionSerializer)
    def decide(self, request: Request, pk: str | None = None) -> Response:
        item = self.get_object()
        decision = ReviewDecisionSerializer(data=request.data)
        decision.is_valid(raise_exception=True)
        candidate = None
        if decision.validated_data["action"] == "confirm":
            candidate = get_object_or_404(
                visible_candidates(request.user, item), pk=decision.validated_data["candidate"]
            )
        try:
            item = do_decide_review_item(request.user, item, confirm=candidate)
        except ValidationError as exc:
            raise exceptions.ValidationError({"status": exc.messages}) from None
        return Response(ReviewItemSerializer(item, context={"request": request}).data)


class ReadsStatistics(BasePermission):
    """Signed in (else 401) with a staff role or as an administrator (else 403): the rule of
    `access.can_read_statistics`."""

    message = _("Only national officers, cluster staff and coordinators read the regional statistics.")

    def has_permission(self, request, view) -> bool:
        if not request.user.is_authenticated:
            raise exceptions.NotAuthenticated()
        return access.can_read_statistics(request.user)


class StaffOnlyAutoSchema(RenkeiAutoSchema):
    """Every call, reads included, may answer 403 (a signed-in user without a staff role)."""

    def error_responses(self) -> dict[str, type[serializers.Serializer]]:
        return dict(sorted({**super().error_responses(), "403": ErrorSerializer}.items()))


class RegionalIndustryStatisticViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RecordViewSet):
    """Regional industry statistics imported from e-Stat: establishments and employees by
    municipality and JSIC division or major group (staff roles only: 403 for other signed-in
    users). Filter by `prefecture` (JIS code), `municipality` (6-digit code), `industry` (a JSIC
    code; a division letter takes its major groups too), `survey`, `year` and `measure`."""

    visible = access.visible_statistics
    serializer_class = RegionalIndustryStatisticSerializer
    schema = StaffOnlyAutoSchema()
    permission_classes = [ReadsStatistics]
    filterset_class = RegionalIndustryStatisticFilterSet
    ordering_fields = ["id", "year", "municipality", "value"]

    def get_queryset(self) -> QuerySet[RegionalIndustryStatistic]:
        if getattr(self, "swagger_fake_view", False):
            return RegionalIndustryStatistic.objects.none()
        return super().get_queryset()

    def optimise(self, queryset: QuerySet[RegionalIndustryStatistic]) -> QuerySet[RegionalIndustryStatistic]:
        return queryset.select_related("municipality", "industry")
