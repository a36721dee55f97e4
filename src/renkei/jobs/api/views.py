"""API endpoints of background jobs: read the jobs the user may follow, and cancel one."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from renkei.core.api.views import RecordViewSet
from renkei.jobs import access, services
from renkei.jobs.api.serializers import JobSerializer
from renkei.jobs.models import Job
from renkei.jobs.runner import check_stale_jobs


class JobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RecordViewSet):
    """Background jobs (imports, index updates): status, progress and result.

    A user sees the jobs they started, HQ staff also the jobs of their clusters, administrators
    all; any other job is a 404. Poll a job until `finished` is true."""

    visible = access.visible_jobs
    serializer_class = JobSerializer
    permission_classes = [IsAuthenticated]
    filterset_fields = {"status": ["exact"], "kind": ["exact"]}
    ordering_fields = ["id", "created_at", "finished_at", "status"]

    def get_queryset(self) -> QuerySet[Job]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator: no database reads
            return Job.objects.none()
        check_stale_jobs()
        return super().get_queryset()

    def optimise(self, queryset: QuerySet[Job]) -> QuerySet[Job]:
        return queryset.select_related("started_by", "cluster")

    @extend_schema(summary="Cancel the job", request=None, responses={200: JobSerializer})
    @action(detail=True, methods=["post"], pagination_class=None, filter_backends=[])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        job = self.get_object()
        job = services.do_cancel_job(request.user, job)  # Django's PermissionDenied becomes a 403
        return Response(JobSerializer(job, context=self.get_serializer_context()).data)
