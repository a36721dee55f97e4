"""The change journal of a saved index: changes appended to a file instead of saving the index.

Saving a whole index for one changed document costs minutes at a million documents, and every
serving process then reloads it (docs/benchmarks.md, "One changed document"). Instead the
writer appends one record per update to ``<index>.journal`` next to the index directory: the
ids removed and, for each document added, the document, its BM25 term keys and its pooled
vector(s), analysed and embedded by the writer (it never loads the index). Readers keep their
loaded index and apply the records they have not applied yet (``MatchIndex.apply_changes``);
a fold (fold.py: the saved index read back in slices and merged with the journal's additions
into a new generation, streaming, in bounded memory) empties it.

A journal belongs to one *generation* of the saved index: every full save writes a new random
generation into the manifest, and a journal whose header names another one is ignored by
readers and replaced by the next writer.

File layout: a header (``MAGIC`` and the 32-character generation), then records, each
``<length:u32><entries:u32><crc32:u32>`` followed by ``length`` bytes of payload:
``<json length:u32><json><float32 vectors>``. ``entries`` counts the documents the record
adds or removes (the fold threshold counts them); the checksum covers ``entries`` and the
payload. A record is written with one ``write``, flushed and fsynced before the writer
returns; a reader stops at the first record that is incomplete or fails its checksum (a torn
append, or one being written now), and the next writer cuts such a tail off before appending.
"""

from __future__ import annotations

import json
import os
import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

MAGIC = b"RENKEI-JOURNAL-1"
GENERATION_CHARS = 32
HEADER_SIZE = len(MAGIC) + GENERATION_CHARS
_FRAME = struct.Struct("<III")  # payload length, entries, crc32
_JSON_LENGTH = struct.Struct("<I")


def journal_path(index_directory: str | os.PathLike[str]) -> Path:
    """Where the journal of the index saved in ``index_directory`` lives (beside it)."""
    directory = Path(index_directory)
    return directory.with_name(f"{directory.name}.journal")


@dataclass
class Addition:
    """One document to (re)add: its BM25 term keys with their counts, its pooled vector(s)."""

    document: dict  # Document.to_json()
    terms: dict[str, int]
    vectors: np.ndarray  # (slots, dim) float32

    def keys(self) -> list[str]:
        return [key for key, count in self.terms.items() for _ in range(count)]


@dataclass
class Change:
    """One update: ids removed, then documents added (each replaces any with its id)."""

    removed: list[str] = field(default_factory=list)
    added: list[Addition] = field(default_factory=list)

    @property
    def entries(self) -> int:
        return len(self.removed) + len(self.added)


def encode(change: Change) -> bytes:
    meta = {
        "removed": change.removed,
        "added": [{"document": a.document, "terms": a.terms, "slots": len(a.vectors)} for a in change.added],
    }
    text = json.dumps(meta, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    dim = change.added[0].vectors.shape[1] if change.added else 0
    vectors = np.concatenate([a.vectors for a in change.added]).astype("<f4").tobytes() if change.added else b""
    payload = _JSON_LENGTH.pack(len(text)) + text + struct.pack("<I", dim) + vectors
    entries = change.entries
    crc = zlib.crc32(payload, zlib.crc32(struct.pack("<I", entries)))
    return _FRAME.pack(len(payload), entries, crc) + payload


def decode(payload: bytes) -> Change:
    (size,) = _JSON_LENGTH.unpack_from(payload, 0)
    meta = json.loads(payload[4 : 4 + size].decode("utf-8"))
    (dim,) = struct.unpack_from("<I", payload, 4 + size)
    vectors = np.frombuffer(payload, dtype="<f4", offset=8 + size).astype(np.float32)
    vectors = vectors.reshape(-1, dim) if dim else vectors.reshape(0, 0)
    added, row = [], 0
    for item in meta["added"]:
        slots = int(item["slots"])
        added.append(Addition(item["document"], dict(item["terms"]), vectors[row : row + slots]))
        row += slots
    return Change(removed=list(meta["removed"]), added=added)


def _valid(generation: str | None) -> bool:
    return bool(generation) and len(generation) == GENERATION_CHARS and generation.isalnum()


def _header(generation: str) -> bytes:
    if not _valid(generation):
        raise ValueError(f"bad index generation {generation!r}")
    return MAGIC + generation.encode("ascii")


def _scan(data: bytes | memoryview, start: int) -> tuple[list[tuple[int, int, int]], int]:
    """The complete records from ``start``: (payload offset, length, entries), and where the
    valid part ends (the first incomplete or damaged record is where reading stops)."""
    records = []
    offset = start
    while offset + _FRAME.size <= len(data):
        length, entries, crc = _FRAME.unpack_from(data, offset)
        begin = offset + _FRAME.size
        end = begin + length
        if end > len(data) or zlib.crc32(data[begin:end], zlib.crc32(struct.pack("<I", entries))) != crc:
            break
        records.append((begin, length, entries))
        offset = end
    return records, offset


@dataclass
class JournalState:
    """How far a reader got in a journal file."""

    inode: int = 0
    offset: int = 0  # end of the last record applied (0: nothing read yet)
    entries: int = 0


def read(path: Path, generation: str, state: JournalState | None = None) -> tuple[list[Change], JournalState]:
    """The changes of the journal at ``path`` past ``state`` (all of them without one), if the
    journal belongs to ``generation``; a journal of another generation reads as empty."""
    state = state or JournalState()
    if not _valid(generation):
        return [], JournalState()
    try:
        with path.open("rb") as f:
            info = os.fstat(f.fileno())
            if info.st_ino == state.inode and info.st_size <= state.offset:
                return [], state
            if f.read(HEADER_SIZE) != _header(generation):
                return [], JournalState()
            start = state.offset if info.st_ino == state.inode and state.offset >= HEADER_SIZE else HEADER_SIZE
            f.seek(start)
            data = f.read()
    except FileNotFoundError:
        return [], JournalState()
    records, end = _scan(data, 0)
    changes = [decode(data[begin : begin + length]) for begin, length, _ in records]
    entries = (state.entries if start == state.offset else 0) + sum(e for _, _, e in records)
    return changes, JournalState(inode=info.st_ino, offset=start + end, entries=entries)


def entries(path: Path, generation: str) -> int:
    """How many entries (documents added or removed) the journal of ``generation`` holds."""
    if not _valid(generation):
        return 0
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return 0
    if data[:HEADER_SIZE] != _header(generation):
        return 0
    records, _ = _scan(memoryview(data), HEADER_SIZE)
    return sum(e for _, _, e in records)


def append(path: Path, generation: str, changes: Sequence[Change]) -> int:
    """Append ``changes`` (one record each) to the journal of ``generation``, durably; start a
    new journal if there is none or it belongs to another generation. The caller holds the
    index's writer lock. Returns the number of entries the journal now holds."""
    header = _header(generation)
    try:
        f = path.open("r+b")
    except FileNotFoundError:
        f = None
    if f is not None and f.read(HEADER_SIZE) != header:
        f.close()
        f = None
    if f is None:
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with temporary.open("wb") as out:
            out.write(header)
            out.flush()
            os.fsync(out.fileno())
        temporary.replace(path)
        _fsync_directory(path.parent)
        f = path.open("r+b")
    with f:
        end, held = _valid_end(f)
        f.truncate(end)  # a torn last record (a crash mid-append) is cut off
        f.seek(end)
        f.write(b"".join(encode(change) for change in changes))
        f.flush()
        os.fsync(f.fileno())
    return held + sum(change.entries for change in changes)


def _valid_end(f) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """Where the complete records of an open journal end, and the entries they hold. Walks the
    frame headers only (not the payloads: the writer runs once per change) and checks the last
    record's checksum: appends are sequential and each was complete before the next began, so
    only the last can be torn."""
    size = os.fstat(f.fileno()).st_size
    offset, held, last = HEADER_SIZE, 0, None
    while offset + _FRAME.size <= size:
        f.seek(offset)
        length, entries, crc = _FRAME.unpack(f.read(_FRAME.size))
        end = offset + _FRAME.size + length
        if end > size:
            break
        last = (offset, length, entries, crc)
        held += entries
        offset = end
    if last is not None:
        start, length, entries, crc = last
        f.seek(start + _FRAME.size)
        if zlib.crc32(f.read(length), zlib.crc32(struct.pack("<I", entries))) != crc:
            offset, held = start, held - entries
    return offset, held


def discard(path: Path) -> None:
    """Remove the journal (its changes are in a newly saved generation)."""
    path.unlink(missing_ok=True)
    _fsync_directory(path.parent)


def _fsync_directory(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
