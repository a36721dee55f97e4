"""Jobs in Celery workers: a real worker process over a real Redis broker, sharing the database."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth import get_user_model

from renkei.jobs.choices import JobStatus
from renkei.jobs.models import Job
from renkei.jobs.runner import MSG_WORKER_LOST, check_stale_jobs
from renkei.jobs.services import enqueue

pytestmark = pytest.mark.slow


def wait_for(job: Job, condition, timeout: float = 60, what: str = "") -> Job:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if condition(job):
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job.pk} did not reach {what or 'the expected state'} in {timeout} s: {job.status}")


def test_a_worker_runs_the_job_and_reports_progress_and_failure(shared_db, celery_jobs, start_worker):
    worker = start_worker(queue=celery_jobs.JOBS_QUEUE)
    user = get_user_model().objects.create_user("starter")

    job = enqueue("jobs.check", user, steps=6, delay=0.4)
    assert job.status == JobStatus.QUEUED  # handed to the broker, not run here

    seen_progress = set()
    finished = wait_for(job, lambda j: seen_progress.add((j.status, j.done)) or j.is_finished, what="the end")
    assert finished.status == JobStatus.SUCCEEDED, finished.error
    assert finished.result["steps"] == 6
    assert str(worker.process.pid) in finished.result["worker"]  # it ran in the worker, not here
    assert (finished.done, finished.total) == (6, 6)
    assert finished.stage == "Counting"
    assert finished.started_at <= finished.finished_at
    assert any(status == JobStatus.RUNNING and 0 < done < 6 for status, done in seen_progress), seen_progress

    failing = enqueue("jobs.check", user, steps=1, delay=0, fail="The file has no header row.")
    failing = wait_for(failing, lambda j: j.is_finished, what="the end")
    assert failing.status == JobStatus.FAILED
    assert failing.error == "The file has no header row."
    assert failing.traceback == ""  # a JobError's message says it all
    assert worker.process.poll() is None  # a failed job does not take the worker down


def test_a_job_whose_worker_dies_is_marked_failed_once_stale(shared_db, celery_jobs, start_worker):
    celery_jobs.JOBS_HEARTBEAT_SECONDS = 1
    celery_jobs.JOBS_STALE_SECONDS = 3
    worker = start_worker(
        queue=celery_jobs.JOBS_QUEUE,
        use_renkei_command=True,
        RENKEI_JOBS_HEARTBEAT="1",
        RENKEI_JOBS_STALE_AFTER="3",
    )
    # Three silent steps of 5 s: only the heartbeat thread shows the job is alive.
    job = enqueue("jobs.check", None, steps=3, delay=5)
    wait_for(job, lambda j: j.status == JobStatus.RUNNING, what="running")
    time.sleep(4.5)  # longer than the staleness limit: the heartbeat must have kept it fresh
    assert check_stale_jobs() == []
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING

    worker.kill()
    time.sleep(4.5)
    lost = check_stale_jobs()

    assert [j.pk for j in lost] == [job.pk]
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == MSG_WORKER_LOST
    assert job.finished_at is not None
