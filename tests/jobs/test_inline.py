"""Jobs in the embedded default: no broker, the job runs in the starting process after commit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from renkei.jobs.choices import JobStatus
from renkei.jobs.models import Job
from renkei.jobs.registry import job_kind
from renkei.jobs.runner import MSG_UNEXPECTED, MSG_WORKER_LOST, JobContext, check_stale_jobs
from renkei.jobs.services import do_cancel_job, enqueue

seen: list[tuple[str, int, int | None]] = []


@job_kind("tests.observed", label=_("Observed test job"), result_labels={"rows": _("Rows")})
def observed(context: JobContext, *, rows: int) -> dict:
    for done in range(rows + 1):
        context.progress(_("Reading the file"), done, rows)
        job = Job.objects.get(pk=context.job.pk)
        seen.append((job.status, job.done, job.total))
    return {"rows": rows}


@job_kind("tests.broken", label="Broken test job")
def broken(context: JobContext) -> None:
    raise RuntimeError("secret internal detail /srv/renkei/x.py")


@job_kind("tests.cancels_itself", label="Self-cancelling test job")
def cancels_itself(context: JobContext) -> dict:
    context.progress("Working", 0, 10)
    Job.objects.filter(pk=context.job.pk).update(cancel_requested=True)
    context.progress("Finishing", 5, 10)  # a new stage is written at once, and sees the request
    return {"never": True}


@pytest.fixture(autouse=True)
def _inline(inline_jobs):
    seen.clear()


def test_a_job_runs_after_commit_with_progress_and_result(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = enqueue("tests.observed", cast.hq_a, cluster=cast.cluster_a, rows=3)
        assert Job.objects.get(pk=job.pk).status == JobStatus.QUEUED  # not before the commit

    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert job.result == {"rows": 3}
    assert (job.done, job.total, job.stage) == (3, 3, "Reading the file")
    assert job.started_by == cast.hq_a and job.cluster == cast.cluster_a
    assert job.started_at and job.finished_at and job.started_at <= job.finished_at
    assert seen[0] == (JobStatus.RUNNING, 0, 3)  # the task saw itself running, its first report stored
    with translation.override("en"):
        assert job.result_items() == [("Rows", 3)]
    assert job.result_items() == [("行数", 3)]  # labels follow the reader's language


def test_progress_is_written_at_most_twice_a_second(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = enqueue("tests.observed", cast.hq_a, rows=200)
    # 201 reports within well under half a second: the first is written, the rest wait.
    assert {entry[1] for entry in seen} == {0}
    job.refresh_from_db()
    assert job.done == 200  # the finished job shows all done


def test_a_failed_job_records_a_message_without_the_traceback_for_users(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = enqueue("tests.broken", cast.hq_a)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == MSG_UNEXPECTED
    assert "RuntimeError" in job.traceback  # for operators, in the admin
    assert job.finished_at is not None


def test_a_job_error_message_is_kept_as_written(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = enqueue("jobs.check", cast.hq_a, steps=2, delay=0, fail="Row 12: corporate number 123 is too short.")
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == "Row 12: corporate number 123 is too short."


def test_a_rolled_back_transaction_leaves_no_job(cast):
    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        enqueue("jobs.check", cast.hq_a, steps=1, delay=0)
        raise Abort
    assert not Job.objects.exists()


def test_an_unknown_kind_is_refused_naming_the_field(cast):
    with pytest.raises(ValidationError) as raised:
        enqueue("imports.nothing", cast.hq_a)
    assert "kind" in raised.value.message_dict
    assert not Job.objects.exists()


def test_parameters_must_be_json(cast):
    with pytest.raises(ValidationError) as raised:
        enqueue("jobs.check", cast.hq_a, steps=object())
    assert "params" in raised.value.message_dict
    assert not Job.objects.exists()


def test_a_running_job_stops_when_cancelled(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = enqueue("tests.cancels_itself", cast.hq_a)
    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED
    assert job.result == {}


def test_a_queued_job_is_cancelled_at_once_and_never_runs(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = enqueue("jobs.check", cast.hq_a, steps=1, delay=0)
    do_cancel_job(cast.hq_a, job)
    for callback in callbacks:
        callback()  # the commit comes; the runner finds the job cancelled
    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED
    assert job.started_at is None


def test_someone_who_may_not_see_the_job_cannot_cancel_it(cast):
    job = Job.objects.create(kind="jobs.check", started_by=cast.hq_a, cluster=cast.cluster_a)
    with pytest.raises(PermissionDenied):
        do_cancel_job(cast.hq_b, job)
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and not job.cancel_requested


def test_a_running_job_without_a_heartbeat_is_marked_failed(cast, settings):
    settings.JOBS_STALE_SECONDS = 60
    now = timezone.now()
    lost = Job.objects.create(kind="jobs.check", status=JobStatus.RUNNING, heartbeat_at=now - timedelta(seconds=61))
    alive = Job.objects.create(kind="jobs.check", status=JobStatus.RUNNING, heartbeat_at=now - timedelta(seconds=5))

    assert [j.pk for j in check_stale_jobs()] == [lost.pk]

    lost.refresh_from_db()
    alive.refresh_from_db()
    assert lost.status == JobStatus.FAILED and lost.error == MSG_WORKER_LOST and lost.finished_at
    assert alive.status == JobStatus.RUNNING
