"""Running one job, wherever it runs: inline after the starting transaction commits, or in a
Celery worker (renkei.celery's `renkei.jobs.run` task calls `run_job`).

How a job never stays "running" forever:
- while the task runs, a heartbeat thread stamps `heartbeat_at` every JOBS_HEARTBEAT_SECONDS,
  and every progress report stamps it too;
- a task that raises is marked failed (its message for users, the traceback for operators);
- a worker that dies without a word (killed, out of memory, machine lost) stops stamping:
  `check_stale_jobs()` marks failed every running job whose last stamp is older than
  JOBS_STALE_SECONDS. The job pages and the API call it before they read, and `renkei worker`
  at start-up, so a lost job is reported the next time anyone looks.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
import traceback
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_noop

from renkei.jobs.choices import JobStatus
from renkei.jobs.models import Job
from renkei.jobs.registry import get_kind

logger = logging.getLogger(__name__)

PROGRESS_INTERVAL_SECONDS = 0.5

# Runner-made messages are stored untranslated and translated for each reader (Job.error_display).
MSG_UNEXPECTED = gettext_noop("The job stopped because of an unexpected error. The operators can see the details.")
MSG_WORKER_LOST = gettext_noop("The worker running this job stopped responding; the job did not finish.")
MSG_INTERRUPTED = gettext_noop("The job was interrupted (its worker was shut down).")
MSG_UNKNOWN_KIND = gettext_noop("This kind of job is not known to the worker that received it.")
MSG_NOT_QUEUED = gettext_noop("The job could not be handed to the job queue. Try again later.")
MSG_BAD_RESULT = gettext_noop("The job finished but its result could not be stored.")


class JobError(Exception):
    """Raise from a task to fail the job with a message meant for its users (no traceback is
    kept: the message says it all). Other exceptions fail the job with a general message."""


class JobCancelled(Exception):
    """Raised inside the task by `progress()` once someone has asked to cancel the job."""


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:255]


def _untranslated(text: str | Promise) -> str:
    """The text as written in the code (English msgid), so each reader gets it translated."""
    with translation.override(None):
        return str(text)


class JobContext:
    """What a task function receives: the job, its starter, and `progress()`."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.user = job.started_by
        self._written_at = 0.0
        self._stage = job.stage

    def progress(self, stage: str | Promise, done: int = 0, total: int | None = None) -> None:
        """Report that the task is at `stage` with `done` of `total` units (total None: unknown).

        Written to the Job at most every PROGRESS_INTERVAL_SECONDS, and at once when the stage
        changes, so a task may call it for every row. Raises JobCancelled when the job was
        cancelled meanwhile; let it propagate (clean up in `finally` blocks)."""
        stage_text = _untranslated(stage)[:200]
        now = time.monotonic()
        if stage_text == self._stage and now - self._written_at < PROGRESS_INTERVAL_SECONDS:
            return
        self._stage = stage_text
        self._written_at = now
        done = max(0, int(done))
        if total is not None:
            total = max(0, int(total))
            done = min(done, total)
        Job.objects.filter(pk=self.job.pk).update(stage=stage_text, done=done, total=total, heartbeat_at=timezone.now())
        self.job.stage, self.job.done, self.job.total = stage_text, done, total
        if Job.objects.filter(pk=self.job.pk, cancel_requested=True).exists():
            raise JobCancelled

    def check_cancelled(self) -> None:
        """Raise JobCancelled if someone asked to cancel; for long steps without progress."""
        if Job.objects.filter(pk=self.job.pk, cancel_requested=True).exists():
            raise JobCancelled


class _Heartbeat(threading.Thread):
    """Stamps the job's heartbeat while the task runs, even through a long silent step."""

    def __init__(self, job_id: int) -> None:
        super().__init__(name=f"job-{job_id}-heartbeat", daemon=True)
        self.job_id = job_id
        self.stopped = threading.Event()

    def run(self) -> None:
        interval = max(0.2, float(settings.JOBS_HEARTBEAT_SECONDS))
        try:
            while not self.stopped.wait(interval):
                try:
                    Job.objects.filter(pk=self.job_id, status=JobStatus.RUNNING).update(heartbeat_at=timezone.now())
                except Exception:  # a busy database: try again next beat
                    logger.warning("job %s: heartbeat not written", self.job_id, exc_info=True)
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=5)


def run_job(job_id: int) -> Job | None:
    """Run the queued job `job_id` here and now, and record how it ended. Returns the job, or
    None when it was not queued (already taken by another worker, cancelled, or unknown).

    1. Claim it: queued → running in one UPDATE, so a message delivered twice runs once.
    2. Start the heartbeat, call the kind's function in the starter's language.
    3. Record succeeded (with the result summary), cancelled, or failed (message for users;
       traceback for operators only when the error was unexpected).
    """
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=now, heartbeat_at=now, worker=worker_name()
    )
    if not claimed:
        logger.info("job %s is not queued any more; nothing to run", job_id)
        return None
    job = Job.objects.select_related("started_by").get(pk=job_id)
    kind = get_kind(job.kind)
    if kind is None:
        return _finish(job, JobStatus.FAILED, error=MSG_UNKNOWN_KIND)
    heartbeat = _Heartbeat(job.pk)
    heartbeat.start()
    try:
        with translation.override(job.language or settings.LANGUAGE_CODE):
            result = kind.function(JobContext(job), **job.params)
    except JobCancelled:
        return _finish(job, JobStatus.CANCELLED)
    except JobError as exc:
        return _finish(job, JobStatus.FAILED, error=str(exc) or MSG_UNEXPECTED)
    except ValidationError as exc:
        return _finish(job, JobStatus.FAILED, error="; ".join(exc.messages))
    except Exception:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        return _finish(job, JobStatus.FAILED, error=MSG_UNEXPECTED, detail=traceback.format_exc())
    except BaseException:
        # The worker is shutting down (SystemExit, KeyboardInterrupt): say so, then let it go.
        _finish(job, JobStatus.FAILED, error=MSG_INTERRUPTED, detail=traceback.format_exc())
        raise
    finally:
        heartbeat.stop()
    return _finish(job, JobStatus.SUCCEEDED, result=result)


def _finish(job: Job, status: str, *, error: str = "", detail: str = "", result: dict[str, Any] | None = None) -> Job:
    summary: Any = {} if result is None else result
    try:
        json.dumps(summary)
    except (TypeError, ValueError):
        logger.error("job %s returned a result that is not JSON: %r", job.pk, summary)
        status, error, summary = JobStatus.FAILED, MSG_BAD_RESULT, {}
    fields: dict[str, Any] = {
        "status": status,
        "finished_at": timezone.now(),
        "error": error,
        "traceback": detail,
        "result": summary,
    }
    if status == JobStatus.SUCCEEDED and job.total is not None:
        fields["done"] = job.total
    Job.objects.filter(pk=job.pk).update(**fields)
    job.refresh_from_db()
    return job


def check_stale_jobs() -> list[Job]:
    """Mark failed the running jobs whose worker has given no sign of life for
    JOBS_STALE_SECONDS (see the module docstring). Returns them."""
    cutoff = timezone.now() - timedelta(seconds=settings.JOBS_STALE_SECONDS)
    stale = list(Job.objects.filter(status=JobStatus.RUNNING, heartbeat_at__lt=cutoff))
    if not stale:
        return []
    marked = []
    for job in stale:
        # Only if it is still stale now (a heartbeat may have landed since the read).
        updated = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, heartbeat_at__lt=cutoff).update(
            status=JobStatus.FAILED, error=MSG_WORKER_LOST, finished_at=timezone.now()
        )
        if updated:
            logger.warning("job %s (%s) on %s lost its worker; marked failed", job.pk, job.kind, job.worker)
            job.refresh_from_db()
            marked.append(job)
    return marked
