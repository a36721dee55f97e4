"""What seeds, needs and organisation capabilities contribute to the platform's matching index,
and how the index follows the database.

- Each row maps to one engine `Document`: ids `seed-<pk>`, `need-<pk>`, `org-<pk>` (the
  organisation's capability text; organisations without one are not indexed).
- Writes call `schedule(...)`; after the transaction commits, `update_documents` reads the
  current version of each row (or notes that it is gone), analyses and embeds it, and appends
  the change to the index's journal (engine/journal.py) without loading the index. This runs
  inline in the embedded default (no broker) and as a `matching.update` job in a Celery worker
  when a broker is configured; one writer at a time holds a file lock. Past a threshold
  (`fold_threshold`), at `renkei reindex --fold` (nightly) and at every rebuild the journal is
  folded into a newly saved index.
- `rebuild()` builds the whole index from the database (`renkei reindex`), streaming it in
  chunks. A rebuild can also be split into shards, each analysed and embedded by its own job
  (Celery workers in parallel), then merged: `plan_shards`, `build_shard`, `merge_shards`,
  driven by the `matching.reindex` job (tasks.py). Changes saved while a split rebuild runs
  are logged and applied to the merged index, so none is lost.
- Web processes read through `get_index()`, which reloads when the saved index changes and
  otherwise applies only the journal records it has not applied yet.
Visibility is never stored in the index: callers pass `allow` (see search.py).
"""

from __future__ import annotations

import fcntl
import importlib
import json
import logging
import math
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from renkei.directory.models import Organisation
from renkei.matching.engine import Document, Embedder, EngineConfig, MatchIndex, MatchIndexError, index_dir, journal
from renkei.matching.engine.fold import fold_saved
from renkei.matching.engine.index import FORMAT_VERSION
from renkei.matching.models import Need, Seed

INDEX_NAME = "platform"
logger = logging.getLogger(__name__)
_LOCK = threading.Lock()
_READ_LOCK = threading.Lock()
_embedder: Embedder | None = None
JOURNAL_MIN_ENTRIES = 100  # below this a journal is never folded early (small sites fold nightly)


@dataclass(frozen=True)
class _Loaded:
    """A serving process's platform index: the manifest's stamp when it was loaded, and how far
    into the journal of its generation it has applied."""

    stamp: int
    index: MatchIndex
    journal: journal.JournalState


_cache: dict[str, _Loaded] = {}


def doc_id(obj: Seed | Need | Organisation) -> str:
    prefix = {Seed: "seed", Need: "need", Organisation: "org"}[type(obj)]
    return f"{prefix}-{obj.pk}"


def parse_doc_id(value: str) -> tuple[str, int]:
    kind, _, pk = value.partition("-")
    return kind, int(pk)


def _join(*parts: str) -> str:
    return "\n".join(p.strip() for p in parts if p and p.strip())


FIELDS_VERSION = 2
"""Bumped when the access and filter fields below change: an index with other fields is
rebuilt (`renkei reindex`) before the search uses it (`has_current_fields`)."""


def _listing_fields(kind: str, listing: Seed | Need) -> dict:
    """What the search needs to decide, without the database, who may see a listing and which
    filters it passes (search.allow_mask). Owner facts (prefecture, region, kind) are the
    organisation's; the search checks its final rows against the database again."""
    clusters = list(listing.clusters.all())
    return {
        "v": FIELDS_VERSION,
        "kind": kind,
        "visibility": listing.visibility,
        "clusters": [c.pk for c in clusters],
        "organisation": listing.organisation_id,
        "created_by": listing.created_by_id,
        "anonymised": listing.anonymised,
        **_filter_fields(clusters, listing.fields.all(), listing.organisation, listing.created_at),
    }


def _filter_fields(clusters, tech_fields, organisation: Organisation, created) -> dict:  # type: ignore[no-untyped-def]
    """The fields the search filters read, for a listing (its owner's place and kind) or an
    organisation."""
    prefecture = organisation.prefecture
    return {
        "cluster_codes": sorted({c.code for c in clusters}),
        "programmes": sorted({c.programme.code for c in clusters}),
        "tech_fields": [f.code for f in tech_fields],
        "prefecture": organisation.prefecture_id or "",
        "region": prefecture.region.code if prefecture else "",
        "organisation_kind": organisation.kind,
        "created": timezone.localdate(created).isoformat(),
    }


def seed_document(seed: Seed) -> Document:
    return Document(
        id=doc_id(seed),
        lang=seed.lang,
        title=_join(seed.title_ja, seed.title_en),
        text=_join(seed.summary_ja, seed.summary_en, seed.related_patents),
        keywords=tuple(seed.keyword_list),
        fields=_listing_fields("seed", seed) | {"stage": seed.stage},
    )


def need_document(need: Need) -> Document:
    return Document(
        id=doc_id(need),
        lang=need.lang,
        title=_join(need.title_ja, need.title_en),
        text=_join(need.description_ja, need.description_en),
        fields=_listing_fields("need", need),
    )


def organisation_document(organisation: Organisation) -> Document | None:
    if not organisation.capability.strip():
        return None
    clusters = [m.cluster for m in organisation.memberships.all()]
    return Document(
        id=doc_id(organisation),
        lang="ja" if organisation.name_ja else "en",
        title=_join(organisation.name_ja, organisation.name_en),
        text=organisation.capability,
        fields={
            "v": FIELDS_VERSION,
            "kind": "org",
            "org_visibility": organisation.visibility,
            "organisation": organisation.pk,
            **_filter_fields(clusters, organisation.fields.all(), organisation, organisation.updated_at),
        },
    )


def has_current_fields(index: MatchIndex) -> bool:
    """Whether the index's documents carry the fields this version's search filters on."""
    for doc in index.documents:
        if doc is not None:
            return doc.fields.get("v") == FIELDS_VERSION
    return True


def _with_relations(kind: str, rows):  # type: ignore[no-untyped-def]
    """`rows` with what the documents' fields read, fetched in a few queries per chunk."""
    if kind == "org":
        return rows.select_related("prefecture__region").prefetch_related("fields", "memberships__cluster__programme")
    return rows.select_related("organisation__prefecture__region").prefetch_related("fields", "clusters__programme")


def _indexed_rows():  # type: ignore[no-untyped-def]
    """The querysets of the indexed rows, in index order (kind, then primary key)."""
    return {
        "seed": Seed.objects.order_by("pk"),
        "need": Need.objects.order_by("pk"),
        "org": Organisation.objects.exclude(capability="").order_by("pk"),
    }


_TO_DOCUMENT: dict[str, Callable[..., Document | None]] = {
    "seed": seed_document,
    "need": need_document,
    "org": organisation_document,
}


def all_documents() -> Iterator[Document]:
    return _documents(_indexed_rows())


def _documents(querysets: dict) -> Iterator[Document]:  # type: ignore[type-arg]
    for kind, rows in querysets.items():
        for row in _with_relations(kind, rows).iterator(chunk_size=500):
            document = _TO_DOCUMENT[kind](row)
            if document is not None:
                yield document


def count_documents() -> int:
    """How many documents a rebuild will index (capability texts of blanks only are skipped)."""
    return sum(rows.count() for rows in _indexed_rows().values())


ShardSpec = dict[str, list[int]]
"""A shard of a split rebuild: for each kind, the inclusive range [first pk, last pk]."""


def plan_shards(shards: int) -> list[ShardSpec]:
    """Cut the indexed rows into at most `shards` contiguous pieces of nearly equal size.

    Shards follow the index order (seeds, needs, organisations, each by primary key), so the
    merged index is the one `rebuild()` would build. Rows created after planning fall into a
    shard's range or are caught by the change log of the run."""
    keys = [(kind, pk) for kind, rows in _indexed_rows().items() for pk in rows.values_list("pk", flat=True)]
    shards = max(1, min(int(shards), len(keys) or 1))
    bounds = [round(i * len(keys) / shards) for i in range(shards + 1)]
    plan: list[ShardSpec] = []
    for lo, hi in zip(bounds, bounds[1:], strict=False):
        spec: ShardSpec = {}
        for kind, pk in keys[lo:hi]:
            first, _last = spec.get(kind, [pk, pk])
            spec[kind] = [first, pk]
        plan.append(spec)
    return plan


def _shard_rows(spec: ShardSpec):  # type: ignore[no-untyped-def]
    """The querysets of the rows of shard `spec`, in index order."""
    return {
        kind: rows.filter(pk__gte=spec[kind][0], pk__lte=spec[kind][1])
        for kind, rows in _indexed_rows().items()
        if kind in spec
    }


def shard_documents(spec: ShardSpec) -> Iterator[Document]:
    return _documents(_shard_rows(spec))


def shard_count(spec: ShardSpec) -> int:
    return sum(rows.count() for rows in _shard_rows(spec).values())


def current_documents(ids: Iterable[str]) -> tuple[list[Document], list[str]]:
    """The documents for `ids` as the database holds them now, and the ids to remove."""
    wanted: dict[str, list[int]] = {"seed": [], "need": [], "org": []}
    for value in ids:
        kind, pk = parse_doc_id(value)
        wanted[kind].append(pk)
    seeds = _with_relations("seed", Seed.objects.filter(pk__in=wanted["seed"]))
    needs = _with_relations("need", Need.objects.filter(pk__in=wanted["need"]))
    docs: list[Document] = [seed_document(s) for s in seeds] + [need_document(n) for n in needs]
    for organisation in _with_relations("org", Organisation.objects.filter(pk__in=wanted["org"])):
        document = organisation_document(organisation)
        if document is not None:
            docs.append(document)
    present = {d.id for d in docs}
    return docs, [i for i in ids if i not in present]


def get_embedder() -> Embedder:
    """One in-process embedder: index updates are small, and the model loads once."""
    global _embedder
    if _embedder is None:
        _embedder = Embedder(workers=1)
    return _embedder


def set_embedder(embedder: Embedder) -> None:
    global _embedder
    _embedder = embedder


def index_path() -> Path:
    return index_dir(INDEX_NAME)


def journal_file() -> Path:
    return journal.journal_path(index_path())


def get_index() -> MatchIndex | None:
    """The platform index as saved plus its journal; None before the first build.

    Loaded whole when a new generation was saved (the manifest changed); otherwise the journal
    records written since the last call are applied to a copy (`MatchIndex.fork`: requests
    running in other threads keep the object they hold) without rebuilding the BM25 matrix or
    the HNSW graph (`MatchIndex.apply_changes`)."""
    path = index_path()
    manifest = path / "manifest.json"
    try:
        stamp = manifest.stat().st_mtime_ns
    except FileNotFoundError:
        return None
    with _READ_LOCK:
        cached = _cache.get(str(path))
        fresh = cached is None or cached.stamp != stamp
        if fresh:
            try:
                index = MatchIndex.load(path, embedder=get_embedder())
            except (MatchIndexError, FileNotFoundError):
                return None
            index.warm()
            cached = _Loaded(stamp, index, journal.JournalState())
        changes, state = journal.read(journal_file(), cached.index.generation, cached.journal)
        index = cached.index
        if changes:
            index = index if fresh else index.fork()
            index.apply_changes(changes)
        if fresh or state != cached.journal:
            _cache[str(path)] = _Loaded(stamp, index, state)
    return index


def _saved_manifest() -> dict | None:
    try:
        return json.loads((index_path() / "manifest.json").read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None


def fold_threshold(documents: int) -> int:
    """How many journal entries (documents added or removed) trigger a fold at the next update:
    MATCHING_JOURNAL_MAX_ENTRIES or MATCHING_JOURNAL_MAX_PERCENT of the collection, whichever
    comes first, but never fewer than JOURNAL_MIN_ENTRIES."""
    most = int(getattr(settings, "MATCHING_JOURNAL_MAX_ENTRIES", 20_000))
    percent = float(getattr(settings, "MATCHING_JOURNAL_MAX_PERCENT", 5))
    return min(most, max(JOURNAL_MIN_ENTRIES, math.ceil(documents * percent / 100)))


def fold_journal(progress: Callable[[str, int, int | None], None] | None = None) -> tuple[int, int]:
    """Fold the journal into the saved index as a new generation, in bounded memory: the saved
    index is read back in slices and merged with the journal's additions, streaming
    (engine/fold.py); then the journal is dropped. Returns (entries folded, documents in the
    index); (0, documents) when there was nothing to fold. ``progress`` as the merge reports it
    (fold.fold_saved)."""
    with _writer():
        return _fold(progress)


def _fold(progress: Callable[[str, int, int | None], None] | None = None) -> tuple[int, int]:
    """`fold_journal` with the writer lock held."""
    manifest = _saved_manifest()
    if manifest is None:
        return 0, 0
    generation = str(manifest.get("generation", ""))
    if not journal.entries(journal_file(), generation):
        journal.discard(journal_file())  # empty, or void (another generation)
        return 0, int(manifest.get("documents", 0))
    folded, count = fold_saved(index_path(), embedder=get_embedder(), progress=progress)
    _cache.pop(str(index_path()), None)
    return folded, count


def _save_generation(index: MatchIndex) -> None:
    """Save `index` as the platform index (a new generation) and drop the journal of the old
    one (writer lock held)."""
    index.save(index_path())
    journal.discard(journal_file())
    _cache.pop(str(index_path()), None)


@contextmanager
def _writer() -> Iterator[None]:
    """One writer at a time, across threads and processes."""
    path = index_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with _LOCK, open(path.parent / f".{INDEX_NAME}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def rebuild(progress: Callable[[str, int, int | None], None] | None = None, embedder: Embedder | None = None) -> int:
    """Build the platform index from the database and save it. Returns the document count.

    While it runs, its progress is also kept in a small status file next to the index, so the
    search pages of every web process can say how far a build has got (`build_status()`)."""
    with _writer(), _BuildStatus() as status:
        index = MatchIndex.build(
            all_documents(),
            embedder=embedder or get_embedder(),
            progress=status.hook(progress),
            total=count_documents(),
        )
        _save_generation(index)
    return len(index)


# ---- split rebuild (shards built by separate jobs, then merged) ----
RUN_PREFIX = ".reindex-"
CHANGES_FILE = "changed.txt"
ABANDONED_RUN_SECONDS = 2 * 24 * 3600  # far longer than a rebuild of a million documents takes


def run_dir(run: str) -> Path:
    """Where the shards of split rebuild `run` are written (every worker must reach it)."""
    if not run or not run.isalnum():
        raise ValueError(f"bad rebuild run name {run!r}")
    return index_path().parent / f"{RUN_PREFIX}{run}"


def shard_dir(run: str, shard: int) -> Path:
    return run_dir(run) / f"shard-{int(shard):05d}"


def start_run(run: str) -> Path:
    """Open split rebuild `run`: from now on saved changes are also logged for its merge.

    Leftovers of runs whose coordinator died (untouched for ABANDONED_RUN_SECONDS) are removed,
    so their change logs stop growing."""
    with _writer():
        cutoff = time.time() - ABANDONED_RUN_SECONDS
        for old in index_path().parent.glob(f"{RUN_PREFIX}*"):
            if old.is_dir() and old.stat().st_mtime < cutoff:
                shutil.rmtree(old, ignore_errors=True)
        path = run_dir(run)
        path.mkdir(parents=True, exist_ok=True)
        (path / CHANGES_FILE).touch()
    return path


def end_run(run: str) -> None:
    """Drop the shards and the change log of `run` (after the merge, or when it failed)."""
    shutil.rmtree(run_dir(run), ignore_errors=True)


def _log_changes(ids: list[str]) -> None:
    """Append `ids` to the change log of every split rebuild running now (writer lock held)."""
    for path in index_path().parent.glob(f"{RUN_PREFIX}*/{CHANGES_FILE}"):
        with path.open("a", encoding="utf-8") as log:
            log.write("".join(f"{i}\n" for i in ids))


def build_shard(
    run: str,
    shard: int,
    spec: ShardSpec,
    progress: Callable[[str, int, int | None], None] | None = None,
    embedder: Embedder | None = None,
) -> int:
    """Analyse and embed the rows of `spec` and save them as shard `shard` of `run`.
    Returns the number of documents. No HNSW graph: the merge builds it once."""
    index = MatchIndex.build(
        shard_documents(spec),
        embedder=embedder or get_embedder(),
        progress=progress,
        total=shard_count(spec),
        ann=False,
    )
    index.save(shard_dir(run, shard))
    return len(index)


def merge_shards(
    run: str,
    shards: int,
    progress: Callable[[str, int, int | None], None] | None = None,
    embedder: Embedder | None = None,
) -> int:
    """Merge the `shards` shards of `run` into the platform index, apply the changes saved
    meanwhile, and save it in place of the old one. Returns the document count.

    Holds the writer lock from reading the change log to the save, so a change is either in
    the log or made to the new index afterwards. The merge streams into the index directory
    (bounded memory, engine/merge.py); only changes saved meanwhile load the merged index."""
    embedder = embedder or get_embedder()
    missing = [i for i in range(shards) if not (shard_dir(run, i) / "manifest.json").exists()]
    if missing:
        raise MatchIndexError(f"shard(s) {', '.join(map(str, missing))} of rebuild {run} are missing")
    parts = (MatchIndex.load(shard_dir(run, i), embedder=embedder) for i in range(shards))
    with _writer():
        merged = run_dir(run) / "merged"
        MatchIndex.merge_saved(parts, merged, progress=progress)
        changed = (run_dir(run) / CHANGES_FILE).read_text(encoding="utf-8").split()
        if changed:
            index = MatchIndex.load(merged, embedder=embedder)
            docs, gone = current_documents(list(dict.fromkeys(changed)))
            index.remove(gone)
            index.add(docs)
            _save_generation(index)
            count = len(index)
        else:
            count = json.loads((merged / "manifest.json").read_text(encoding="utf-8"))["documents"]
            _replace_index(merged)
            journal.discard(journal_file())  # the merged index is a new generation
    _cache.pop(str(index_path()), None)
    return count


def _replace_index(directory: Path) -> None:
    """Put a finished index directory in the place of the platform index (writer lock held)."""
    target = index_path()
    old = target.with_name(f".{target.name}-old-{os.getpid()}")
    if target.exists():
        target.rename(old)
    directory.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def build_status_path() -> Path:
    return index_path().parent / f".{INDEX_NAME}.building.json"


def build_status() -> dict | None:
    """The progress of a rebuild running now ({"stage", "done", "total", "started"}), or None.

    A status left behind by a build that was killed is ignored (its process is gone)."""
    try:
        status = json.loads(build_status_path().read_text(encoding="utf-8"))
        os.kill(int(status["pid"]), 0)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return status


class _BuildStatus:
    """Writes the status file of a rebuild at most twice a second, and removes it at the end."""

    def __init__(self) -> None:
        self.path = build_status_path()
        self.state = {"pid": os.getpid(), "started": time.time(), "stage": "", "done": 0, "total": None}
        self.written = 0.0

    def __enter__(self) -> _BuildStatus:
        self.write(force=True)
        return self

    def __exit__(self, *exc_info) -> None:
        self.path.unlink(missing_ok=True)

    def write(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.written < 0.5:
            return
        self.written = now
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(self.state), encoding="utf-8")
        temporary.replace(self.path)

    def hook(self, outer: Callable[[str, int, int | None], None] | None) -> Callable[[str, int, int | None], None]:
        stages: dict[str, list] = {}  # stage -> [done, total]; stages may interleave (chunks)

        def progress(stage: str, advance: int, total: int | None) -> None:
            entry = stages.get(stage)
            if entry is None or total is not None:
                entry = stages[stage] = [0, total]
            entry[0] += advance
            started = self.state["stage"] != stage
            self.state.update(stage=stage, done=entry[0], total=entry[1])
            self.write(force=started or total is not None)
            if outer is not None:
                outer(stage, advance, total)

        return progress


def update_documents(ids: Iterable[str]) -> list[str]:
    """Bring the given documents up to date in the saved index. Returns the ids (re)added.

    The rows are read from the database, analysed and embedded, and appended to the journal of
    the saved index as one record (the ids gone from the database as removals); the index itself
    is not loaded. Past `fold_threshold` entries a `matching.fold` job folds the journal in.

    Before the first `renkei reindex` there is no index: a change to a seed or need then builds
    one from the database; a change to an organisation alone waits for the reindex. An index
    saved before journals existed (no generation) is updated whole, as before, once.
    """
    ids = list(dict.fromkeys(ids))
    if not ids:
        return []
    with _writer():
        _log_changes(ids)
        manifest = _saved_manifest()
        if manifest is None or manifest.get("format") != FORMAT_VERSION or not manifest.get("generation"):
            return _update_whole(ids)
        docs, gone = current_documents(ids)
        if not docs and not gone:
            return []
        analyser = MatchIndex(EngineConfig.saved(manifest["config"]), embedder=get_embedder())
        change = analyser.prepare_changes(docs, removed=gone)
        entries = journal.append(journal_file(), str(manifest["generation"]), [change])
        fold = entries >= fold_threshold(int(manifest.get("documents", 0)))
    if fold:
        _request_fold()
    return [d.id for d in docs]


def _request_fold() -> None:
    """Fold the journal as a background job (a Celery worker in production, inline in the
    embedded default), once: not while a fold job is already waiting or running. Outside the
    writer lock, because an inline job takes it."""
    from renkei.jobs.choices import JobStatus
    from renkei.jobs.models import Job
    from renkei.jobs.services import enqueue
    from renkei.matching.tasks import FOLD_KIND

    if not Job.objects.filter(kind=FOLD_KIND, status__in=(JobStatus.QUEUED, JobStatus.RUNNING)).exists():
        enqueue(FOLD_KIND)


def _update_whole(ids: list[str]) -> list[str]:
    """The update without a journal: load the whole index, change it, save it (writer lock held)."""
    try:
        index = MatchIndex.load(index_path(), embedder=get_embedder())
    except MatchIndexError:
        index = None
    if index is None:
        if all(i.startswith("org-") for i in ids):
            return []
        index = MatchIndex.build(all_documents(), embedder=get_embedder())
        added = [i for i in ids if i in index]
    else:
        docs, gone = current_documents(ids)
        gone = [i for i in gone if i in index]
        if not docs and not gone:
            return []
        index.remove(gone)
        index.add(docs)
        added = [d.id for d in docs]
    _save_generation(index)
    return added


_AFTER_HOOKS: dict[str, Callable[[list[str]], None]] = {}


def after_update(hook: Callable[[list[str]], None]) -> Callable[[list[str]], None]:
    """Register `hook` as one `schedule(..., after=hook)` may name: the update job of a Celery
    worker finds it again by its dotted name (job parameters hold names, not functions)."""
    _AFTER_HOOKS[hook_name(hook)] = hook
    return hook


def hook_name(hook: Callable[[list[str]], None]) -> str:
    return f"{hook.__module__}.{hook.__qualname__}"


def registered_hook(name: str) -> Callable[[list[str]], None] | None:
    """The hook registered under `name` (importing its module, as a worker must), or None."""
    module = name.rpartition(".")[0]
    if name not in _AFTER_HOOKS and module.startswith("renkei."):
        try:
            importlib.import_module(module)
        except ImportError:
            return None
    return _AFTER_HOOKS.get(name)


class _Pending(threading.local):
    def __init__(self) -> None:
        self.ids: list[str] = []
        self.after: list[Callable[[list[str]], None]] = []


_pending = _Pending()


def schedule(*objects: Seed | Need | Organisation, after: Callable[[list[str]], None] | None = None) -> None:
    """Update the index for these rows once the current transaction commits, then call `after`
    with the ids that were (re)indexed (alerts use it).

    Changes are batched: every row scheduled before the commit goes into one index update (an
    import of a thousand organisations saves the index once, not a thousand times). Ids left
    by a rolled-back transaction ride along with the next commit; the update reads the
    database, so they do no harm.
    """
    if not getattr(settings, "MATCHING_AUTO_INDEX", True):
        return
    if after is not None and hook_name(after) not in _AFTER_HOOKS:
        raise ValueError(f"{hook_name(after)} is not registered with @indexing.after_update")
    _pending.ids.extend(doc_id(obj) for obj in objects)
    if after is not None and after not in _pending.after:
        _pending.after.append(after)
    transaction.on_commit(flush)


def flush() -> list[str]:
    """Run the pending index update (called after commit): now, in this process, in the
    embedded default (no broker; returns the ids re-indexed), or as a `matching.update` job for
    a Celery worker when a broker is configured (returns [] at once; the job calls the hooks)."""
    ids, callbacks = _pending.ids, _pending.after
    _pending.ids, _pending.after = [], []
    if not ids:
        return []
    from renkei.jobs.services import enqueue, jobs_inline

    if not jobs_inline():
        from renkei.matching.tasks import UPDATE_KIND

        try:
            enqueue(UPDATE_KIND, ids=list(dict.fromkeys(ids)), after=[hook_name(c) for c in callbacks])
        except Exception:
            logger.exception("matching index update could not be queued for %s", ", ".join(ids[:20]))
        return []
    try:
        added = update_documents(ids)
        for callback in callbacks:
            callback(added)
    except Exception:
        # The records are saved; only the index lags. Never fail the user's request for it:
        # log, and let the next change or `renkei reindex` catch up.
        logger.exception("matching index update failed for %s", ", ".join(ids[:20]))
        return []
    return added
