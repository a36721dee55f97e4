"""The import of record files (researchmap, KAKEN, patents): one pipeline, one adapter per source.

The corporate number import writes a reference table with the database's bulk paths
(`services.do_import_corporations`). The other sources write directory-linked records, a few
thousand rows at most, through the ORM, and link them to organisations and people. They share the
rest of the machinery: the ImportRun record (`services.start_import_run`), the file limits and
zip handling (`files`), rejected rows with line, field and reason, batches committed whole with
the run's counters, and the interrupted-run bookkeeping.

An adapter (`RecordSource`) says how to read its file (`parse`, which yields `ParsedRecord`s,
`SkippedRow`s and `RowRejection`s and never raises for a bad row) and how to write one record
(`write`, which returns "created", "updated" or "unchanged" — or "queued" for a record left
waiting in the review queue — or raises `RowError` to reject it).
Each record is written inside a savepoint of its batch's transaction: a record refused while
being written (a failed validation, a record the user may not change) is rolled back alone and
rejected; anything else stops the run with the batches before it committed whole.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from renkei.imports.choices import ImportStatus
from renkei.imports.files import ImportFileError, LimitSettings, open_import_file
from renkei.imports.linking import OrganisationIndex, PersonIndex, run_office
from renkei.imports.models import ImportRun
from renkei.imports.nta import ParseState, RowError, RowRejection
from renkei.imports.services import (
    ProgressCallback,
    finish_run,
    max_stored_rejections,
    save_run_counters,
    start_import_run,
    store_rejections,
)

DEFAULT_RECORD_BATCH_SIZE = 200
CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
# A record left waiting in the review queue (a researchmap profile that may be a known person):
# nothing is written until a reviewer decides; the run counts it with the skipped rows.
QUEUED = "queued"


@dataclass(slots=True)
class ParsedRecord:
    """One record read from the file: where it was, its key (unique in the source), its values."""

    line_number: int
    key: str
    data: Any
    raw: str


@dataclass(slots=True)
class SkippedRow:
    """A row that is read but deliberately not imported (e.g. a trademark in a patent list)."""

    line_number: int


Outcome = ParsedRecord | SkippedRow | RowRejection


@dataclass
class WriteContext:
    """What a record's writer needs besides the record: the run, the acting user (None for an
    operator on the command line), and the look-up indexes, built once per run."""

    run: ImportRun
    user: Any
    _organisations: OrganisationIndex | None = field(default=None, repr=False)
    _people: PersonIndex | None = field(default=None, repr=False)
    # The office whose review queue gets the uncertain links (ReviewItem.owner): the run's by
    # default; a reviewer's decision that imports a queued profile keeps its item's office.
    review_office: str = ""

    @property
    def office(self) -> str:
        if not self.review_office:
            self.review_office = run_office(self.run)
        return self.review_office

    @property
    def organisations(self) -> OrganisationIndex:
        if self._organisations is None:
            self._organisations = OrganisationIndex(self.user)
        return self._organisations

    @property
    def people(self) -> PersonIndex:
        if self._people is None:
            self._people = PersonIndex(self.user)
        return self._people


class RecordSource(Protocol):
    source: str
    # True: a record whose key repeats within a batch replaces the earlier one. False: each is
    # written in turn (e.g. a patent's publication and grant rows, which complete each other).
    replaces_repeated_keys: bool

    def parse(self, stream: BinaryIO, state: ParseState) -> Iterator[Outcome]: ...

    def write(self, record: ParsedRecord, context: WriteContext) -> str: ...


@dataclass
class _Batch:
    records: list[ParsedRecord] = field(default_factory=list)
    rejections: list[RowRejection] = field(default_factory=list)
    read: int = 0
    skipped: int = 0


def do_import_records(
    adapter: RecordSource,
    path: str | Path,
    *,
    user=None,
    batch_size: int = DEFAULT_RECORD_BATCH_SIZE,
    progress: ProgressCallback | None = None,
    file_name: str = "",
) -> ImportRun:
    """Import the file at PATH with ADAPTER; return its ImportRun (succeeded), or raise
    ImportFileError after recording the run as failed when the file as a whole is unusable.

    1. Record the run (`services.start_import_run`).
    2. Read the outcomes of `adapter.parse`; a record whose key repeats within a batch replaces
       the earlier one (counted as skipped), as for corporate numbers.
    3. Every BATCH_SIZE rows read, in one transaction: write each record in a savepoint, store
       the rejections, add to the run's counters.
    4. Call the adapter's `finish(context)`, if it has one, once the last batch is committed.
    5. Mark the run succeeded (or failed / interrupted, the batches committed so far standing).
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    path = Path(path)
    limits = LimitSettings.from_settings()
    run = start_import_run(path, adapter.source, user, batch_size, file_name, limits)
    context = WriteContext(run=run, user=user if getattr(user, "is_authenticated", False) else None)
    max_stored = max_stored_rejections()
    state = ParseState()
    try:
        with open_import_file(path, limits) as opened:
            batch = _Batch()
            for outcome in adapter.parse(opened.stream, state):
                batch.read += 1
                if isinstance(outcome, ParsedRecord):
                    if getattr(adapter, "replaces_repeated_keys", True):
                        _add(batch, outcome)
                    else:
                        batch.records.append(outcome)
                elif isinstance(outcome, SkippedRow):
                    batch.skipped += 1
                else:
                    batch.rejections.append(outcome)
                if batch.read >= batch_size:
                    run.encoding = run.encoding or state.encoding
                    _commit(adapter, context, batch, max_stored)
                    batch = _Batch()
                    if progress:
                        progress(opened.position(), opened.size_on_disk, run)
            run.encoding = run.encoding or state.encoding
            _commit(adapter, context, batch, max_stored)
            # An adapter may finish the run once every batch is committed (e-Stat deletes the
            # figures its file replaces and counts them).
            finish = getattr(adapter, "finish", None)
            if finish is not None:
                finish(context)
            if progress:
                progress(opened.size_on_disk, opened.size_on_disk, run)
    except ImportFileError as exc:
        finish_run(run, ImportStatus.FAILED, str(exc), state)
        raise
    except BaseException as exc:
        status = ImportStatus.INTERRUPTED if isinstance(exc, KeyboardInterrupt) else ImportStatus.FAILED
        finish_run(run, status, f"{type(exc).__name__}: {exc}", state)
        raise
    finish_run(run, ImportStatus.SUCCEEDED, "", state)
    return run


def _add(batch: _Batch, record: ParsedRecord) -> None:
    for index, earlier in enumerate(batch.records):
        if earlier.key == record.key:
            del batch.records[index]
            batch.skipped += 1
            break
    batch.records.append(record)


def _reason_of(error: ValidationError) -> tuple[str, str]:
    if hasattr(error, "error_dict"):
        name, errors = next(iter(error.error_dict.items()))
        return name, " ".join(str(m) for e in errors for m in e.messages)
    return "record", " ".join(str(m) for m in error.messages)


def _commit(adapter: RecordSource, context: WriteContext, batch: _Batch, max_stored: int) -> None:
    if not batch.read:
        return
    run = context.run
    counts = {CREATED: 0, UPDATED: 0, UNCHANGED: 0, QUEUED: 0}
    with transaction.atomic():
        for record in batch.records:
            try:
                with transaction.atomic():
                    counts[adapter.write(record, context)] += 1
            except RowError as exc:
                batch.rejections.append(RowRejection(record.line_number, exc.field, exc.reason, record.raw))
            except ValidationError as exc:
                name, reason = _reason_of(exc)
                batch.rejections.append(RowRejection(record.line_number, name, reason, record.raw))
            except PermissionDenied as exc:
                batch.rejections.append(RowRejection(record.line_number, "record", str(exc), record.raw))
        batch.rejections.sort(key=lambda r: r.line_number)
        store_rejections(run, batch.rejections, max_stored)
        run.rows_read += batch.read
        run.created += counts[CREATED]
        run.updated += counts[UPDATED]
        run.unchanged += counts[UNCHANGED]
        run.skipped += batch.skipped + counts[QUEUED]
        run.rejected += len(batch.rejections)
        run.batches_committed += 1
        save_run_counters(run)


def assign_changed(instance, values: dict[str, Any]) -> list[str]:
    """Set VALUES on INSTANCE; return the names of the fields whose value changed."""
    changed = []
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    return changed
