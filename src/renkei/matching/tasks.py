"""The matching index rebuilt as jobs, split into shards that several workers build at once.

`matching.reindex` (the job a user or `renkei reindex --shards N` starts) plans the shards,
enqueues one `matching.reindex_shard` job per shard, and then works through them itself: it
runs every shard job still queued (claiming it, so a shard runs once whoever takes it) and
waits for those other workers took. Each shard job analyses and embeds its rows and saves
them under the data directory; the coordinator then merges the shards into the platform index
(docs/matching.md, "Rebuilding"). With N workers the shards are built N at a time; inline (no
broker) the shards simply run one after the other in the same process.
"""

from __future__ import annotations

import re
import time
import uuid

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from renkei.jobs.choices import FINISHED, JobStatus
from renkei.jobs.models import Job
from renkei.jobs.registry import job_kind
from renkei.jobs.runner import JobContext, JobError, check_stale_jobs, run_job
from renkei.jobs.services import enqueue
from renkei.matching import indexing

REINDEX_KIND = "matching.reindex"
SHARD_KIND = "matching.reindex_shard"
FOLD_KIND = "matching.fold"
UPDATE_KIND = "matching.update"
_DOC_ID = re.compile(r"(seed|need|org)-[0-9]{1,18}")
DEFAULT_SHARDS = 8
MAX_SHARDS = 1000
POLL_SECONDS = 0.5

STAGE_PLANNING = _("Planning the shards")
STAGE_INDEXING = _("Analysing and embedding documents")
STAGE_MERGING = _("Merging the shards")
# The fold's stages (engine/fold.py through the streaming merge): the saved index's slices and the
# journal's additions, then the BM25 matrix, then (past the threshold) the vector graph.
FOLD_STAGES = {
    "merge": _("Folding the change journal in"),
    "bm25 matrix": _("Folding: writing the BM25 matrix"),
    "vector graph": _("Folding: building the vector graph"),
}


@job_kind(
    REINDEX_KIND,
    label=_("Matching index rebuild"),
    result_labels={"documents": _("Documents indexed"), "shards": _("Shards"), "workers": _("Workers")},
)
def reindex(context: JobContext, *, shards: int = DEFAULT_SHARDS) -> dict:
    """Rebuild the platform index from the database in `shards` shards, then merge them.

    1. Plan: cut the rows into contiguous shards (index order) and open the run's change log.
    2. Enqueue one shard job per shard; run the ones still queued here, wait for the others.
    3. Merge the shards, apply the changes logged meanwhile, save; drop the shards.
    """
    try:
        shards = int(shards)
    except (TypeError, ValueError):
        raise JobError(gettext("The number of shards must be a whole number.")) from None
    if not 1 <= shards <= MAX_SHARDS:
        raise JobError(gettext("The number of shards must be between 1 and %(max)d.") % {"max": MAX_SHARDS})
    run = uuid.uuid4().hex
    indexing.start_run(run)
    children: list[int] = []
    try:
        context.progress(STAGE_PLANNING, 0, None)
        plan = indexing.plan_shards(shards)
        total = indexing.count_documents()
        for number, spec in enumerate(plan):
            children.append(enqueue(SHARD_KIND, context.user, run=run, shard=number, spec=spec).pk)
        _work_through(context, children, total)
        context.progress(STAGE_MERGING, 0, len(plan))
        merged = 0

        def merge_progress(stage: str, advance: int, total: int | None) -> None:
            nonlocal merged
            if stage == "merge":
                merged += advance
                context.progress(STAGE_MERGING, merged, len(plan))

        count = indexing.merge_shards(run, len(plan), progress=merge_progress)
    except BaseException:  # failed or cancelled: stop the shards still to run
        _cancel(children)
        raise
    finally:
        indexing.end_run(run)
    workers = set(Job.objects.filter(pk__in=children).values_list("worker", flat=True))
    return {"documents": count, "shards": len(plan), "workers": len(workers)}


def _work_through(context: JobContext, children: list[int], total: int) -> None:
    """Run the shard jobs still queued here, one at a time, and wait for those running
    elsewhere; report the documents done over all shards. A failed shard fails the rebuild."""
    while True:
        queued = Job.objects.filter(pk__in=children, status=JobStatus.QUEUED).order_by("pk").first()
        if queued is not None:
            run_job(queued.pk)  # does nothing if another worker claimed it meanwhile
        rows = list(Job.objects.filter(pk__in=children).values_list("pk", "status", "done"))
        for position, (pk, status, _done) in enumerate(rows):
            if status in (JobStatus.FAILED, JobStatus.CANCELLED):
                raise JobError(
                    gettext("Shard %(shard)d of %(shards)d did not finish (job %(job)d); the index was not changed.")
                    % {"shard": position + 1, "shards": len(rows), "job": pk}
                )
        context.progress(STAGE_INDEXING, sum(done or 0 for _pk, _status, done in rows), total)
        if all(status == JobStatus.SUCCEEDED for _pk, status, _done in rows):
            return
        if queued is None:
            check_stale_jobs()  # a shard whose worker died is marked failed, and fails us above
            time.sleep(POLL_SECONDS)


def _cancel(children: list[int]) -> None:
    """Stop the shards of a rebuild that ends early: queued ones at once, running ones at their
    next progress report."""
    if not children:
        return
    Job.objects.filter(pk__in=children).exclude(status__in=FINISHED).update(cancel_requested=True)
    Job.objects.filter(pk__in=children, status=JobStatus.QUEUED).update(
        status=JobStatus.CANCELLED, finished_at=timezone.now()
    )


@job_kind(SHARD_KIND, label=_("Matching index rebuild, one shard"), result_labels={"documents": _("Documents indexed")})
def reindex_shard(context: JobContext, *, run: str, shard: int, spec: dict) -> dict:
    """Analyse and embed the rows of one shard (`spec`: kind → [first pk, last pk]) and save
    them for the merge. Progress counts the documents embedded."""
    if not _valid_spec(spec) or not isinstance(shard, int) or shard < 0:
        raise JobError(gettext("The shard to build is not described correctly."))
    try:
        indexing.run_dir(run)
    except ValueError:
        raise JobError(gettext("The shard to build is not described correctly.")) from None
    total = indexing.shard_count(spec)
    embedded = 0
    context.progress(STAGE_INDEXING, 0, total)

    def progress(stage: str, advance: int, _total: int | None) -> None:
        nonlocal embedded
        if stage == "embed":
            embedded += advance
        context.progress(STAGE_INDEXING, embedded, total)

    count = indexing.build_shard(run, shard, spec, progress=progress)
    context.progress(STAGE_INDEXING, count, count)
    return {"documents": count}


def _valid_spec(spec: object) -> bool:
    if not isinstance(spec, dict):
        return False
    for kind, bounds in spec.items():
        if kind not in ("seed", "need", "org") or not isinstance(bounds, list) or len(bounds) != 2:
            return False
        if not all(isinstance(b, int) and not isinstance(b, bool) for b in bounds) or bounds[0] > bounds[1]:
            return False
    return True


@job_kind(
    FOLD_KIND,
    label=_("Matching index: fold the change journal in"),
    result_labels={"entries": _("Journal entries folded"), "documents": _("Documents in the index")},
)
def fold(context: JobContext) -> dict:
    """Fold the index's change journal into a newly saved index (started when the journal passes
    its threshold, and by `renkei reindex --fold`)."""
    parts = [0, None]  # parts merged, parts in all

    def progress(stage: str, advance: int, total: int | None) -> None:
        if stage != "merge":
            context.progress(FOLD_STAGES.get(stage, FOLD_STAGES["merge"]), 0, None)
            return
        if total is not None:
            parts[:] = [0, total]
        parts[0] += advance
        context.progress(FOLD_STAGES["merge"], parts[0], parts[1])

    context.progress(FOLD_STAGES["merge"], 0, None)
    entries, documents = indexing.fold_journal(progress=progress)
    context.progress(FOLD_STAGES["merge"], parts[1] or 1, parts[1] or 1)
    return {"entries": entries, "documents": documents}


@job_kind(UPDATE_KIND, label=_("Matching index update"), result_labels={"documents": _("Documents indexed")})
def update(context: JobContext, *, ids: list, after: list | None = None) -> dict:
    """Bring these documents up to date in the index (`indexing.update_documents`), then call the
    hooks named in `after` with the ids re-indexed (alerts). Queued by `indexing.flush` when a
    broker is configured; the embedded default runs the same steps inline."""
    after = after or []
    if not isinstance(ids, list) or not all(isinstance(i, str) and _DOC_ID.fullmatch(i) for i in ids):
        raise JobError(gettext("The documents to index are not described correctly."))
    hooks = [indexing.registered_hook(name) if isinstance(name, str) else None for name in after]
    if None in hooks:
        raise JobError(gettext("The documents to index are not described correctly."))
    context.progress(gettext("Updating the matching index"), 0, len(ids))
    added = indexing.update_documents(ids)
    for hook in hooks:
        hook(added)
    context.progress(gettext("Updating the matching index"), len(ids), len(ids))
    return {"documents": len(added)}
