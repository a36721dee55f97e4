"""With a broker, an edit's index update is a `matching.update` job that a real Celery worker runs:
the request only queues it, the worker appends the change to the index and delivers alerts."""

from __future__ import annotations

import pytest

from renkei.jobs.choices import JobStatus
from renkei.jobs.models import Job
from renkei.jobs.services import enqueue
from renkei.matching import indexing, services
from renkei.matching.engine import Embedder
from renkei.matching.models import InboxItem
from renkei.matching.tasks import UPDATE_KIND
from tests.jobs.test_celery import wait_for
from tests.matching.listings import publish_seed

pytestmark = pytest.mark.slow


def test_a_worker_updates_the_index_and_delivers_the_alerts(shared_db, cast, settings, tmp_path, start_worker):
    settings.DATA_DIR = tmp_path  # the worker shares this data directory (a shared volume in production)
    settings.JOBS_BROKER_URL = ""
    indexing._pending.ids.clear()  # ids another test left pending in this thread would ride along
    indexing._pending.after.clear()
    indexing.set_embedder(Embedder(workers=1))
    indexing.rebuild()  # the index exists before the edits (inline)
    alert = services.do_save_alert(cast.participant, name="溶接", query="超音波溶接")
    before = indexing.get_index()

    from tests.jobs.conftest import BROKER_URL

    settings.JOBS_BROKER_URL = BROKER_URL
    settings.JOBS_QUEUE = f"renkei-test-update-{tmp_path.name[-12:]}"
    start_worker(queue=settings.JOBS_QUEUE, RENKEI_DATA_DIR=str(tmp_path))

    seed = publish_seed(cast, title_ja="樹脂の超音波溶接", summary_ja="自動車の樹脂部品を超音波溶接で接合する。")
    job = Job.objects.get(kind=UPDATE_KIND)
    assert job.params == {"ids": [f"seed-{seed.pk}"], "after": ["renkei.matching.services.deliver_alerts"]}
    job = wait_for(job, lambda j: j.is_finished, timeout=120, what="the index update")

    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.result == {"documents": 1}
    index = indexing.get_index()
    assert index is not before and f"seed-{seed.pk}" in index  # read from the journal the worker wrote
    assert [m.id for m in index.search("超音波溶接", top=1, explain=False)] == [f"seed-{seed.pk}"]
    assert [(i.alert_id, i.seed_id) for i in InboxItem.objects.filter(user=cast.participant)] == [(alert.pk, seed.pk)]


def test_a_job_naming_unknown_documents_or_hooks_fails_with_a_message(
    inline_jobs, db, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.DATA_DIR = tmp_path
    for params in (
        {"ids": ["seed-1; rm -rf /"]},
        {"ids": "seed-1"},
        {"ids": ["seed-1"], "after": ["os.system"]},
        {"ids": ["seed-1"], "after": ["renkei.matching.services.do_delete_listing"]},  # not a registered hook
    ):
        with django_capture_on_commit_callbacks(execute=True):
            job = enqueue(UPDATE_KIND, **params)
        job.refresh_from_db()
        assert job.status == JobStatus.FAILED, params
        assert job.error == "索引に入れる文書の指定が正しくありません。", params  # not described correctly
