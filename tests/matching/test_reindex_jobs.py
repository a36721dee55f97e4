"""`renkei reindex --shards N`: the rebuild as a job split into shards, here inline (no broker):
the shards run one after the other and merge into the index a plain rebuild gives. The same
job across two real Celery workers is in tests/jobs/test_reindex_celery.py."""

from __future__ import annotations

import os
import resource
import signal
import time
from contextlib import contextmanager

import pytest
from django.core.management import CommandError, call_command

from renkei.directory.models import Organisation
from renkei.jobs.choices import JobStatus
from renkei.jobs.models import Job
from renkei.jobs.services import enqueue
from renkei.matching import indexing, services
from renkei.matching.models import Seed
from renkei.matching.tasks import REINDEX_KIND, SHARD_KIND
from tests.matching.listings import *  # noqa: F403

QUERIES = ["糖鎖工学", "燃料電池の電極触媒", "fuel cell catalyst", "精密金型加工"]


@pytest.fixture
def inline(settings):
    settings.JOBS_BROKER_URL = ""
    return settings


def rankings(index) -> list[list[str]]:
    return [[m.id for m in r] for r in index.search_many(QUERIES, top=10)]


def test_a_split_rebuild_gives_the_index_a_plain_rebuild_gives(
    transactional_db, inline, cast, listings, index_env, capsys
):
    Organisation.objects.filter(pk=cast.company_a.pk).update(capability="精密金型加工と微細加工")
    call_command("reindex", "--no-progress")
    plain = indexing.get_index()

    call_command("reindex", "--shards", "3", "--no-progress")

    out = capsys.readouterr().out
    assert "Indexed 9 documents" in out and "(3 shards, 1 worker(s)" in out
    split = indexing.get_index()
    assert split is not plain and split.ids() == plain.ids()
    assert rankings(split) == rankings(plain)
    job = Job.objects.get(kind=REINDEX_KIND)
    assert job.status == JobStatus.SUCCEEDED and job.result["documents"] == 9 and job.result["shards"] == 3
    shards = Job.objects.filter(kind=SHARD_KIND).order_by("pk")
    assert [s.status for s in shards] == [JobStatus.SUCCEEDED] * 3
    assert sum(s.result["documents"] for s in shards) == 9
    assert not list(index_env.glob("indexes/.reindex-*"))  # the shards are gone after the merge


def test_more_shards_than_documents_gives_one_shard_per_document(transactional_db, inline, cast, listings, index_env):
    job = enqueue(REINDEX_KIND, cast.admin, shards=50)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.result["shards"] == job.result["documents"] == 8


def test_changes_saved_while_shards_are_built_reach_the_merged_index(
    transactional_db, inline, cast, listings, index_env
):
    call_command("reindex", "--no-progress")
    run = "testrun"
    indexing.start_run(run)
    plan = indexing.plan_shards(2)
    for number, spec in enumerate(plan):
        indexing.build_shard(run, number, spec)
    # After the shards have read the database: an edit, a new seed and a deletion.
    seed = listings.public_seed
    seed.title_en = "Ultrasonic welding of resin parts"
    services.do_save_seed(cast.admin, seed)
    new = services.do_save_seed(
        cast.participant, Seed(organisation=cast.company_a, title_ja="超音波溶接", summary_ja="樹脂部品の超音波溶接。")
    )
    services.do_delete_listing(cast.admin, listings.cluster_seed)

    indexing.merge_shards(run, len(plan))
    indexing.end_run(run)

    index = indexing.get_index()
    assert "Ultrasonic welding" in index.get(f"seed-{seed.pk}").title
    assert f"seed-{new.pk}" in index
    assert f"seed-{listings.cluster_seed.pk}" not in index


def test_a_shard_job_with_a_bad_description_fails_with_a_message(transactional_db, inline, cast, index_env):
    job = enqueue(SHARD_KIND, None, run="abc", shard=0, spec={"seed": [5, 1]})
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == "構築するシャードの指定が正しくありません。"  # The shard to build is not described correctly.
    job = enqueue(SHARD_KIND, None, run="../x", shard=0, spec={"seed": [1, 5]})
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.error == "構築するシャードの指定が正しくありません。"


@contextmanager
def files_cannot_grow_past(size: int):
    """A genuine write failure at the filesystem edge, as on a full disk or quota: files this
    process writes cannot grow past `size` bytes (RLIMIT_FSIZE; writes fail with EFBIG instead
    of the process being killed by SIGXFSZ). The database is not a file of this process (an
    in-memory SQLite database, or the PostgreSQL server)."""
    previous_signal = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous_signal)


def test_a_failed_shard_fails_the_rebuild_and_leaves_the_index_as_it_was(
    transactional_db, inline, cast, listings, index_env
):
    call_command("reindex", "--no-progress")
    before = indexing.get_index().ids()

    # A shard's vectors alone (4 documents x 512 float32) are 8 KB: saving the shard fails.
    with files_cannot_grow_past(4096), pytest.raises(CommandError, match="が完了しませんでした"):  # "did not finish"
        call_command("reindex", "--shards", "2", "--no-progress")

    shard = Job.objects.filter(kind=SHARD_KIND).order_by("pk").first()
    assert shard.status == JobStatus.FAILED and "OSError" in shard.traceback  # a short write of the vectors
    assert indexing.get_index().ids() == before
    assert not list(index_env.glob("indexes/.reindex-*"))
    assert Job.objects.get(kind=REINDEX_KIND).status == JobStatus.FAILED


@pytest.mark.parametrize("shards", ["0", "1001"])
def test_the_command_refuses_a_bad_number_of_shards(shards, index_env):
    with pytest.raises(CommandError, match="--shards must be between 1 and 1000"):
        call_command("reindex", "--shards", shards, "--no-progress")


def test_the_leftovers_of_an_abandoned_rebuild_are_removed_by_the_next_one(index_env):
    abandoned = indexing.start_run("abandoned")
    recent = indexing.start_run("recent")
    old = time.time() - indexing.ABANDONED_RUN_SECONDS - 60
    os.utime(abandoned, (old, old))

    indexing.start_run("next")

    assert not abandoned.exists()
    assert recent.exists() and indexing.run_dir("next").exists()
