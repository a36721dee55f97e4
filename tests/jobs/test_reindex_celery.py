"""The matching index rebuild split across two real Celery workers over Redis: the shards are
built by both workers, and the merged index ranks like a rebuild in one process."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from renkei.jobs.choices import JobStatus
from renkei.jobs.models import Job
from renkei.jobs.services import enqueue
from renkei.matching import indexing
from renkei.matching.engine import Embedder, MatchIndex
from renkei.matching.tasks import REINDEX_KIND, SHARD_KIND
from tests.jobs.test_celery import wait_for
from tests.matching.listings import make_need, make_seed

pytestmark = pytest.mark.slow

TOPICS = [
    ("燃料電池の電極触媒", "固体高分子形燃料電池の白金使用量を減らす電極触媒の研究。"),
    ("糖鎖工学による診断薬", "糖鎖の構造解析から早期がんの診断薬を開発する。"),
    ("半導体ウェハ外観検査", "深層学習で半導体ウエハーの欠陥を高速に検出する装置。"),
    ("Reverse osmosis membranes", "Fouling-resistant reverse osmosis membranes for seawater desalination."),
    ("Seismic dampers", "Viscous dampers that reduce the seismic response of wooden houses."),
    ("ドローンによる農薬散布", "圃場の画像から必要な場所だけに農薬を散布するドローン。"),
]


def test_two_workers_build_the_shards_and_the_merge_ranks_like_one_process(
    shared_db, celery_jobs, start_worker, cast, settings, tmp_path
):
    settings.DATA_DIR = tmp_path  # the workers share this data directory (a shared volume in production)
    for n in range(4):
        for title, text in TOPICS:
            make_seed(cast.university_a, title_ja=f"{title} {n}", summary_ja=f"{text}（第{n}報）")
    make_need(cast.company_a, title_ja="燃料電池のコスト削減", description_ja="電極の白金を減らしたい。")
    workers = [start_worker(queue=celery_jobs.JOBS_QUEUE, RENKEI_DATA_DIR=str(tmp_path)) for _ in range(2)]
    user = get_user_model().objects.create_user("rebuilder")

    job = enqueue(REINDEX_KIND, user, shards=6)
    assert job.status == JobStatus.QUEUED
    job = wait_for(job, lambda j: j.is_finished, timeout=240, what="the end of the rebuild")

    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.result == {"documents": 25, "shards": 6, "workers": 2}
    shards = Job.objects.filter(kind=SHARD_KIND)
    assert shards.count() == 6 and set(shards.values_list("status", flat=True)) == {JobStatus.SUCCEEDED}
    ran_on = {w.split(":")[-1] for w in shards.values_list("worker", flat=True)}
    assert ran_on == {str(w.process.pid) for w in workers}  # both workers built shards
    assert not list(tmp_path.glob("indexes/.reindex-*"))

    split = MatchIndex.load(indexing.index_path())
    embedder = Embedder(workers=1)
    local = MatchIndex.build(indexing.all_documents(), embedder=embedder)
    split.embedder = embedder
    assert split.ids() == local.ids()
    queries = ["燃料電池の白金", "reverse osmosis", "ウエハーの欠陥検出", "seismic response of houses"]
    assert [[m.id for m in r] for r in split.search_many(queries, top=10)] == [
        [m.id for m in r] for r in local.search_many(queries, top=10)
    ]
    for worker in workers:
        assert worker.process.poll() is None
