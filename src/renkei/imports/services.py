"""Imports as domain actions: every import of a public file goes through one function here.

`do_import_corporations` loads an NTA corporate number file (全件 or 差分) into the Corporation
table. It is what the `renkei import corporate-numbers` command calls, and what a background job
or a web upload calls too. It records an ImportRun before reading, commits in batches (rows,
rejections and the run's counters together, so the run always describes what is in the
database), and can be stopped at any point and run again on the same file without duplicates.
"""

from __future__ import annotations

import contextlib
import csv
import os
import queue
import socket
import threading
import time
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import jaconv
from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.db.models.functions import Collate, Upper
from django.utils import timezone

from renkei.core.export import neutralise_cell
from renkei.core.text import normalise_for_search
from renkei.core.validators import local_government_check_digit
from renkei.imports.choices import CorporationProcess, ImportSource, ImportStatus
from renkei.imports.files import (
    ImportFileError,
    LimitSettings,
    OpenedFile,
    check_file_size,
    file_sha256,
    open_import_file,
)
from renkei.imports.loader import AlreadyStored, CorporationLoader, copy_text
from renkei.imports.models import Corporation, ImportRejection, ImportRun
from renkei.imports.nta import CorporationRow, ParseState, RowRejection, name_key, parse_corporation_rows
from renkei.imports.nta_parallel import LoaderOutcome, can_use_workers, may_start_processes, parse_in_workers

DEFAULT_BATCH_SIZE = 5_000
# Rejections stored per run (all are counted); a wrong file must not fill the database.
DEFAULT_MAX_STORED_REJECTIONS = 10_000

# The parser thread lets go of the GIL every so many rows (≈0.5 ms of work). Otherwise the
# writing thread, each time it comes back from the database (a COPY sends a batch in many
# chunks), waits up to the interpreter's 5 ms switch interval: that doubled the import's time.
GIL_YIELD_ROWS = 64
# A file this large (on disk) is parsed by PARSE_WORKERS processes (`nta_parallel`) where there
# are CPUs enough: starting them costs about a second, parsing a million rows about ten.
PARALLEL_PARSE_BYTES = 64 * 1024 * 1024
PARSE_WORKERS = 2
# Longest pause, in batches, between attempts at plain inserts once a batch needed an upsert.
INSERT_RETRY_MAX = 32

ProgressCallback = Callable[[int, int, "ImportRun"], None]


@dataclass
class _Batch:
    rows: dict[str, tuple | str]  # values, or their COPY text line
    rejections: list[RowRejection]
    read: int = 0
    skipped: int = 0
    position: int = 0  # bytes of the file on disk read so far, for progress

    @classmethod
    def empty(cls) -> _Batch:
        return cls(rows={}, rejections=[])


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def check_interrupted_runs() -> list[ImportRun]:
    """Mark as interrupted the runs that say they are running but whose process, on this host,
    is gone (killed, crashed, machine restarted). Returns them."""
    host = socket.gethostname()
    stale = []
    for run in ImportRun.objects.filter(status=ImportStatus.RUNNING, host=host):
        if run.pid is None or not _process_alive(run.pid):
            run.status = ImportStatus.INTERRUPTED
            run.error = "The process stopped before the end; a later run of the same file completes it."
            run.save(update_fields=["status", "error"])
            stale.append(run)
    return stale


def do_import_corporations(
    path: str | Path,
    *,
    user=None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: ProgressCallback | None = None,
    file_name: str = "",
    parse_workers: int | None = None,
) -> ImportRun:
    """Import an NTA corporate number file; return its ImportRun (status succeeded or failed).

    1. Check the file's size, hash it, mark earlier runs whose process died as interrupted, and
       record an ImportRun (running).
    2. Into an empty table, drop the secondary indexes, to build them once at the end
       (`CorporationLoader.defer_indexes`).
    3. Stream the rows (see `nta.parse_corporation_rows`); rows marked as past history
       (最新履歴 = 0) are skipped, the last row wins when a number repeats within a batch.
    4. Every BATCH_SIZE rows read, in one transaction: write the rows (as plain inserts while
       none of their numbers is in the table, else by an upsert: `_InsertFirst`), store the
       rejections, add to the run's counters.
    5. Build the secondary indexes if missing (also when the run fails). Mark the run succeeded,
       or failed with the reason when the file as a whole is unusable (ImportFileError, which is
       raised again for the caller to report).

    FILE_NAME is the name recorded for the run (an upload's original name); the path's by default.
    PARSE_WORKERS: processes that parse the rows (0: a thread of this process); by default as
    the IMPORT_PARSE_WORKERS setting says, or chosen by the file's size and the CPUs (`_batches`).
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    path = Path(path)
    limits = LimitSettings.from_settings()
    run = start_import_run(path, ImportSource.CORPORATE_NUMBERS, user, batch_size, file_name, limits)
    max_stored = max_stored_rejections()
    loader = CorporationLoader(connection)
    loader.defer_indexes()
    state = ParseState()
    try:
        with (
            open_import_file(path, limits) as opened,
            closing(_batches(opened, state, batch_size, loader.takes_copy_text, parse_workers)) as batches,
        ):
            insert_first = _InsertFirst()
            for batch in batches:
                run.encoding = run.encoding or state.encoding
                _commit_batch(run, loader, batch, max_stored, insert_first)
                if progress:
                    progress(batch.position, opened.size_on_disk, run)
    except ImportFileError as exc:
        _restore_indexes(loader)
        finish_run(run, ImportStatus.FAILED, str(exc), state)
        raise
    except BaseException as exc:
        # KeyboardInterrupt, a lost database connection, a bug: the committed batches stand,
        # the run says where it stopped, and the caller sees the exception.
        _restore_indexes(loader)
        status = ImportStatus.INTERRUPTED if isinstance(exc, KeyboardInterrupt) else ImportStatus.FAILED
        finish_run(run, status, f"{type(exc).__name__}: {exc}", state)
        raise
    loader.ensure_indexes()
    finish_run(run, ImportStatus.SUCCEEDED, "", state)
    return run


def _batches(
    opened: OpenedFile, state: ParseState, batch_size: int, as_copy_text: bool, workers: int | None
) -> Iterator[_Batch]:
    """The file's batches, parsed by WORKERS processes or, with 0, by one thread of this one.
    None: as the IMPORT_PARSE_WORKERS setting says, or if it is negative (the default), by
    PARSE_WORKERS processes for a file of PARALLEL_PARSE_BYTES or more on a machine with CPUs
    enough (`nta_parallel.can_use_workers`). A process that may not start others always uses
    the thread."""
    if workers is None or workers < 0:
        workers = getattr(settings, "IMPORT_PARSE_WORKERS", -1)
    if workers < 0:
        large = opened.size_on_disk >= PARALLEL_PARSE_BYTES
        workers = PARSE_WORKERS if large and can_use_workers(PARSE_WORKERS) else 0
    if workers and not may_start_processes():
        workers = 0
    if workers:
        return _parallel_batches(opened, state, batch_size, as_copy_text, workers)
    return _batches_read_ahead(opened, state, batch_size, as_copy_text)


def _restore_indexes(loader: CorporationLoader) -> None:
    # The database may be what failed: keep the first error; the next run builds them then.
    with contextlib.suppress(Exception):
        loader.ensure_indexes()


def start_import_run(
    path: Path, source: str, user, batch_size: int, file_name: str = "", limits: LimitSettings | None = None
) -> ImportRun:
    """Check the file's size, hash it, mark earlier runs whose process died as interrupted, and
    record a new ImportRun (running) for it. Every importer starts this way."""
    size = check_file_size(path, limits or LimitSettings.from_settings())
    sha256 = file_sha256(path)
    check_interrupted_runs()
    return ImportRun.objects.create(
        source=source,
        file_name=(file_name or path.name)[:255],
        file_size=size,
        sha256=sha256,
        started_by=user if getattr(user, "is_authenticated", False) else None,
        started_at=timezone.now(),
        batch_size=batch_size,
        host=socket.gethostname()[:255],
        pid=os.getpid(),
    )


def max_stored_rejections() -> int:
    return getattr(settings, "IMPORT_MAX_STORED_REJECTIONS", DEFAULT_MAX_STORED_REJECTIONS)


def store_rejections(run: ImportRun, rejections: list[RowRejection], max_stored: int) -> None:
    """Store the batch's rejected rows, up to MAX_STORED per run (the caller counts them all)."""
    room = max(max_stored - run.rejected, 0)
    if rejections and room:
        ImportRejection.objects.bulk_create(
            ImportRejection(
                run=run,
                line_number=r.line_number,
                field=r.field[:64],
                reason=r.reason,
                # NUL cannot be stored in PostgreSQL text; show it as the escape it is.
                raw=r.raw.replace("\x00", "\\x00"),
            )
            for r in rejections[:room]
        )


def save_run_counters(run: ImportRun) -> None:
    run.save(
        update_fields=[
            "encoding",
            "rows_read",
            "created",
            "updated",
            "unchanged",
            "skipped",
            "rejected",
            "batches_committed",
        ]
    )


_END = object()


def _read_batches(
    opened: OpenedFile, state: ParseState, batch_size: int, as_copy_text: bool = False
) -> Iterator[_Batch]:
    """Group the parsed rows into batches of BATCH_SIZE rows read (accepted or not); with
    AS_COPY_TEXT, each row's values already formatted for PostgreSQL's COPY (`loader.copy_text`)."""
    batch = _Batch.empty()
    for outcome in parse_corporation_rows(opened.stream, state):
        batch.read += 1
        if isinstance(outcome, CorporationRow):
            if not outcome.latest:
                batch.skipped += 1
            else:
                if outcome.corporate_number in batch.rows:
                    batch.skipped += 1  # superseded by a later row of the same batch
                    del batch.rows[outcome.corporate_number]  # the later one takes its place in file order
                batch.rows[outcome.corporate_number] = copy_text(outcome.values) if as_copy_text else outcome.values
        else:
            batch.rejections.append(outcome)
        if not batch.read % GIL_YIELD_ROWS:
            time.sleep(0)  # see GIL_YIELD_ROWS
        if batch.read >= batch_size:
            batch.position = opened.position()
            yield batch
            batch = _Batch.empty()
    batch.position = opened.size_on_disk
    yield batch


def _batch_of(outcomes: list[LoaderOutcome], position: int) -> _Batch:
    """One batch of `_parallel_batches`: what `_read_batches` makes of the same rows."""
    latest = [outcome for outcome in outcomes if type(outcome) is tuple]
    rows = dict(latest)  # the last row of a number wins
    rejections = [outcome for outcome in outcomes if type(outcome) is RowRejection]
    history = len(outcomes) - len(latest) - len(rejections)
    skipped = history + len(latest) - len(rows)
    return _Batch(rows=rows, rejections=rejections, read=len(outcomes), skipped=skipped, position=position)


def _parallel_batches(
    opened: OpenedFile, state: ParseState, batch_size: int, as_copy_text: bool, workers: int
) -> Iterator[_Batch]:
    """The batches of `_read_batches`, the rows parsed by WORKERS processes (`nta_parallel`)."""
    pending: list[LoaderOutcome] = []
    with closing(parse_in_workers(opened.stream, state, workers, as_copy_text)) as blocks:
        for outcomes in blocks:
            pending += outcomes
            while len(pending) >= batch_size:
                batch = _batch_of(pending[:batch_size], opened.position())
                del pending[:batch_size]
                yield batch
    yield _batch_of(pending, opened.size_on_disk)


def _batches_read_ahead(
    opened: OpenedFile, state: ParseState, batch_size: int, as_copy_text: bool = False
) -> Iterator[_Batch]:
    """The batches of `_read_batches`, parsed in a helper thread while this one writes.

    The database drivers release the GIL while the server works, so parsing the next batch
    overlaps writing the last one. Database work stays in the calling thread (its connection,
    its transactions). At most two batches wait in memory; an error in the parser is raised
    here; if the caller stops early, the helper stops at its next batch.
    """
    handoff: queue.Queue = queue.Queue(maxsize=2)
    stop = threading.Event()

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                handoff.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for batch in _read_batches(opened, state, batch_size, as_copy_text):
                if not put(batch):
                    return
            put(_END)
        except BaseException as exc:  # noqa: BLE001 - handed over to the calling thread
            put(exc)

    helper = threading.Thread(target=produce, name="import-parser", daemon=True)
    helper.start()
    try:
        while True:
            item = handoff.get()
            if item is _END:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        helper.join()


class _InsertFirst:
    """Whether to try the next batch as plain inserts (`CorporationLoader.insert_new`) before an
    upsert: always, until a batch holds a corporate number that is in the table already (a
    re-import, a difference file, or the part of a file that a killed run had loaded); after
    such a batch, only again after 1, 2, 4 … (at most INSERT_RETRY_MAX) batches. A re-import
    then wastes a few dozen cheap attempts (the first row fails); a run resumed after a kill
    goes back to plain inserts soon after the rows the killed run had loaded."""

    def __init__(self) -> None:
        self.wait = 0
        self.next_wait = 1

    def now(self) -> bool:
        if self.wait:
            self.wait -= 1
            return False
        return True

    def record(self, inserted: bool) -> None:
        if inserted:
            self.next_wait = 1
        else:
            self.wait = self.next_wait
            self.next_wait = min(self.next_wait * 2, INSERT_RETRY_MAX)


def _commit_batch(
    run: ImportRun, loader: CorporationLoader, batch: _Batch, max_stored: int, insert_first: _InsertFirst
) -> None:
    """Write one batch, its rejections and the run's counters in one transaction: as plain inserts
    when `insert_first` says so, and if a number is stored already, by an upsert in a new one."""
    if not batch.read:
        return
    rows = list(batch.rows.values())
    now = timezone.now()
    if insert_first.now():
        try:
            with transaction.atomic():
                loader.commit_without_flush_wait()
                created = loader.insert_new(rows, now)
                _save_batch(run, batch, max_stored, (created, 0, 0))
        except AlreadyStored:
            insert_first.record(inserted=False)
        else:
            insert_first.record(inserted=True)
            return
    with transaction.atomic():
        loader.commit_without_flush_wait()
        _save_batch(run, batch, max_stored, loader.upsert(rows, now))


def _save_batch(run: ImportRun, batch: _Batch, max_stored: int, written: tuple[int, int, int]) -> None:
    created, updated, unchanged = written
    store_rejections(run, batch.rejections, max_stored)
    run.rows_read += batch.read
    run.created += created
    run.updated += updated
    run.unchanged += unchanged
    run.skipped += batch.skipped
    run.rejected += len(batch.rejections)
    run.batches_committed += 1
    save_run_counters(run)


def finish_run(run: ImportRun, status: str, error: str, state: ParseState) -> None:
    run.status = status
    run.error = error
    run.encoding = run.encoding or state.encoding
    run.finished_at = timezone.now()
    # The database itself may be what failed: keep the first error, not this one.
    with contextlib.suppress(Exception):
        run.save(update_fields=["status", "error", "encoding", "finished_at"])


def write_rejections_csv(run: ImportRun, out: Path) -> int:
    """Write the run's stored rejections as a UTF-8 CSV (with BOM, for Excel); return the count.

    Cells that a spreadsheet would read as a formula (a row may be a CSV injection attempt) are
    neutralised, as in every export of the platform.
    """
    count = 0
    with out.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["line", "field", "reason", "row"])
        for rejection in run.rejections.order_by("line_number", "pk").iterator(chunk_size=2000):
            writer.writerow(
                [neutralise_cell(v) for v in (rejection.line_number, rejection.field, rejection.reason, rejection.raw)]
            )
            count += 1
    return count


# --- organisation look-up ---------------------------------------------------------------------

LOOKUP_LIMIT = 10


def get_corporation_matches(query: str, limit: int = LOOKUP_LIMIT) -> list[Corporation]:
    """The corporations an organisation form offers for what the user typed: the one with that
    corporate number, or those whose name (without its legal form) starts with the text, or whose
    furigana (for a text in kana: hiragana or katakana, any width) or English name (for a text in
    Latin letters, any case) starts with it.

    Deleted records (処理区分 99) and those the NTA excludes from search (検索対象除外) are left
    out; open corporations come before closed ones, then shorter names (closer matches) first.
    """
    text = query.strip()
    digits = text.replace("-", "").replace(" ", "")
    base = Corporation.objects.exclude(process=CorporationProcess.DELETED).filter(hidden_from_search=False)
    if len(digits) == 13 and digits.isascii() and digits.isdigit():
        return list(base.filter(pk=digits))
    key = name_key(text)
    if not key:
        return []
    postgres = connection.vendor == "postgresql"
    # Each look-up is one range of a binary-ordered index (migrations 0002 and 0005): the names
    # starting with the text are those from it up to it followed by the last code point.
    lookups = [(Collate("name_key", "C") if postgres else F("name_key"), key)]
    kana = _furigana_prefix(text)
    if kana:
        lookups.append((Collate("furigana", "C") if postgres else F("furigana"), kana))
    latin = " ".join(unicodedata.normalize("NFKC", text).split()).upper()
    if latin.isascii():
        lookups.append((Collate(Upper("name_en"), "C") if postgres else Upper("name_en"), latin))
    candidates: dict[str, Corporation] = {}
    for expression, prefix in lookups:
        matches = base.alias(key=expression).filter(key__gte=prefix, key__lt=prefix + "\U0010ffff").order_by("key")
        # Take a bounded slice through the index first, then order it for people.
        for corporation in matches[: limit * 20]:
            candidates.setdefault(corporation.pk, corporation)
    ordered = sorted(candidates.values(), key=lambda c: (c.close_date is not None, len(c.name_key), c.name_key))
    return ordered[:limit]


def _furigana_prefix(text: str) -> str:
    """TEXT as the NTA writes furigana (full-width katakana, no spaces) if it is all kana, else ''."""
    folded = normalise_for_search(text).replace(" ", "")
    if not folded or not all(_is_kana(char) for char in folded):
        return ""
    return jaconv.hira2kata(folded)


def _is_kana(char: str) -> bool:
    return "\u3041" <= char <= "\u309f" or "\u30a0" <= char <= "\u30ff"


def corporation_prefill(corporation: Corporation) -> dict[str, object]:
    """What an organisation form fills in from a corporation (the JSON of the look-up)."""
    municipality = corporation.municipality_code
    if municipality:
        municipality += str(local_government_check_digit(municipality))
    return {
        "corporate_number": corporation.corporate_number,
        "name_ja": corporation.name,
        "name_en": corporation.name_en,
        "name_kana": corporation.furigana,
        "kind": corporation.kind,
        "kind_label": str(corporation.get_kind_display()) if corporation.kind else "",
        "postal_code": f"{corporation.post_code[:3]}-{corporation.post_code[3:]}" if corporation.post_code else "",
        "prefecture": corporation.prefecture_code,
        "municipality": municipality,
        "address": f"{corporation.prefecture_name}{corporation.city_name}{corporation.street_number}",
        "address_outside_japan": corporation.address_outside,
        "closed_on": corporation.close_date.isoformat() if corporation.close_date else None,
        "successor_corporate_number": corporation.successor_corporate_number,
        "updated_by_nta_on": corporation.update_date.isoformat() if corporation.update_date else None,
    }
