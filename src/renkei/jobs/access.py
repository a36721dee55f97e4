"""Who may follow a job: the user who started it, the HQ staff of the cluster it works for, and
administrators. Everyone else gets a 404, as for any record they may not see."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from renkei.accounts.scope import scope_for
from renkei.jobs.models import Job


def visible_jobs(user) -> QuerySet[Job]:
    scope = scope_for(user)
    if not scope.authenticated:
        return Job.objects.none()
    if scope.superuser:
        return Job.objects.all()
    return Job.objects.filter(Q(started_by=user) | Q(cluster_id__in=scope.hq_cluster_ids))


def own_jobs(user) -> QuerySet[Job]:
    """The jobs the user started (the /jobs/ list)."""
    if not getattr(user, "is_authenticated", False):
        return Job.objects.none()
    return Job.objects.filter(started_by=user)


def access_job(user, pk: int) -> Job:
    return get_object_or_404(visible_jobs(user).select_related("started_by", "cluster"), pk=pk)


def can_cancel(user, job: Job) -> bool:
    return visible_jobs(user).filter(pk=job.pk).exists()
