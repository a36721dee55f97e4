"""API endpoints of import runs: the runs the user may see, and each run's rejected rows."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from renkei.core.api.views import RecordViewSet
from renkei.imports import access
from renkei.imports.api.serializers import ImportRejectionSerializer, ImportRunSerializer
from renkei.imports.models import ImportRun


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
