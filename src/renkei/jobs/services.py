"""Starting and cancelling jobs. The one way to start a job is `enqueue`:

    from renkei.jobs.services import enqueue
    job = enqueue("imports.corporate_numbers", request.user, cluster=None, path=str(saved_path))
    return redirect(job)          # the job's page follows its progress

Without a broker (RENKEI_BROKER_URL unset) the job runs inline in this process as soon as the
current transaction commits — at once when there is none, so `enqueue` then returns a finished
job. With a broker it is sent to the Celery queue after the commit and a `renkei worker` runs it.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from renkei.jobs import access
from renkei.jobs.choices import FINISHED, JobStatus
from renkei.jobs.models import Job
from renkei.jobs.registry import get_kind
from renkei.jobs.runner import MSG_NOT_QUEUED, run_job

logger = logging.getLogger(__name__)

RUN_TASK_NAME = "renkei.jobs.run"


def jobs_inline() -> bool:
    """True when jobs run in the process that starts them (no broker configured)."""
    return not settings.JOBS_BROKER_URL


def enqueue(kind: str, user=None, *, cluster=None, **params: Any) -> Job:
    """Record a job of `kind` for `user` (None: a system job, visible to administrators only),
    optionally on behalf of `cluster` (its HQ staff may then follow it), and run it after the
    current transaction commits: inline, or in a Celery worker. `params` are passed to the
    task function as keyword arguments; they must be JSON values (paths as strings, ids as ints).

    Raises ValidationError naming `kind` or `params` when the job cannot be described; nothing
    is saved then."""
    if get_kind(kind) is None:
        raise ValidationError({"kind": _("Unknown job kind: %(kind)s.") % {"kind": kind}})
    try:
        params = json.loads(json.dumps(params))
    except (TypeError, ValueError) as exc:
        raise ValidationError(
            {"params": _("Job parameters must be JSON values (text, numbers, lists): %(error)s") % {"error": exc}}
        ) from exc
    job = Job.objects.create(
        kind=kind,
        started_by=user if getattr(user, "is_authenticated", False) else None,
        cluster=cluster,
        params=params,
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    transaction.on_commit(lambda: dispatch(job.pk))
    return job


def dispatch(job_id: int) -> None:
    """Run the job now (inline) or hand it to the broker. A broker that cannot be reached fails
    the job with a message, so it never waits in "queued" for a message that was never sent."""
    if jobs_inline():
        run_job(job_id)
        return
    from renkei.celery import app

    try:
        with app.connection_for_write(url=settings.JOBS_BROKER_URL) as broker:
            app.send_task(
                RUN_TASK_NAME,
                args=[job_id],
                queue=settings.JOBS_QUEUE,
                connection=broker,
                retry=True,
                retry_policy={"max_retries": 2, "interval_start": 0, "interval_step": 1, "interval_max": 1},
            )
    except Exception:
        logger.exception("job %s could not be sent to the broker", job_id)
        Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
            status=JobStatus.FAILED, error=MSG_NOT_QUEUED, finished_at=timezone.now()
        )


def do_cancel_job(user, job: Job) -> Job:
    """Cancel `job` for `user` (its starter, or whoever may follow it).

    A queued job is cancelled at once (a worker that receives it later skips it); a running job
    is asked to stop and stops at its next progress report. A finished job is left as it is."""
    if not access.can_cancel(user, job):
        raise PermissionDenied(_("You may not cancel this job."))
    if job.status in FINISHED:
        return job
    with transaction.atomic():
        Job.objects.filter(pk=job.pk).update(cancel_requested=True)
        Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
            status=JobStatus.CANCELLED, finished_at=timezone.now()
        )
    job.refresh_from_db()
    return job
