"""Folding the change journal into a saved index, streaming: never holding the index whole.

A fold used to load the whole index, apply the journal and save it (~15 GB at a million
documents). Here the saved index is read back in slices of positions, each a small
``MatchIndex`` (documents, term lists, vectors; never the BM25 matrix or the HNSW graph), and the
slices and the journal's additions go through the streaming merge (merge.py) into a new
generation of the same directory:

1. The journal is read and resolved as ``MatchIndex.apply_changes`` would apply it: the ids it
   removes or adds again, and the additions still standing at its end (the latest version of
   an id, in the order ``apply_changes`` appends them).
2. The saved index is read in order, ``size`` positions at a time: the documents line by line,
   the term ids streamed from the terms archive, the vectors of the slice's slots read from
   the vectors file. Holes, and the documents the journal removes or replaces, are dropped, so
   the folded index has none. The first slice carries the whole saved vocabulary: the merged
   vocabulary then keeps every saved term id, and the matrix is the one the in-memory fold
   computes (the same additions in the same order). Later slices carry only their own terms.
3. The standing additions follow as the last parts; the merge renumbers every part's terms into
   one vocabulary, writes the BM25 matrix with the whole collection's statistics and, past the
   threshold, the HNSW graph, and swaps the directory in atomically (a new generation).
4. The journal is removed. The caller holds the index's writer lock throughout.

Memory: one slice, the saved vocabulary, a few bytes per position (term-list lengths, slot
positions) and the journal, plus what the merge keeps (merge.py); not the index.
"""

from __future__ import annotations

import itertools
import json
import math
import zipfile
from collections.abc import Collection, Iterable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

import numpy as np

from . import dense, journal, lexical
from .dense import Embedder
from .index import DOCS_FILE, Document, EngineConfig, MatchIndex, MatchIndexError, Progress, read_manifest
from .index import _is_japanese as is_japanese
from .journal import Addition, Change

FOLD_SLICE = 10_000  # positions per part: at 100k documents a fold then peaks at ~0.6 GB, as fast (benchmarks.md)


def fold_saved(
    directory: str | Path,
    *,
    slice_size: int = FOLD_SLICE,
    embedder: Embedder | None = None,
    progress: Progress | None = None,
) -> tuple[int, int]:
    """Fold the journal of the index saved in ``directory`` into a new generation of it, streaming
    (steps 1–4 above). Returns (entries folded, documents in the index); (0, documents) and no
    change when the journal of this generation holds nothing. On any error the saved index and
    the journal stay as they were. ``progress`` counts parts under the stage "merge"."""
    path = Path(directory)
    manifest = read_manifest(path)
    changes, _state = journal.read(journal.journal_path(path), str(manifest.get("generation", "")))
    entries = sum(change.entries for change in changes)
    if not entries:
        return 0, int(manifest.get("documents", 0))
    config = EngineConfig.saved(manifest["config"])
    replaced, additions = standing_additions(changes)
    if progress:
        positions = _term_lengths(path).size
        parts_total = max(1, math.ceil(positions / slice_size)) + math.ceil(len(additions) / slice_size)
        progress("merge", 0, parts_total)
    parts = itertools.chain(
        saved_slices(path, slice_size, drop=replaced, embedder=embedder),
        addition_parts(additions, config, slice_size, embedder=embedder),
    )
    MatchIndex.merge_saved(parts, path, progress=progress)
    journal.discard(journal.journal_path(path))
    return entries, int(read_manifest(path)["documents"])


def standing_additions(changes: Iterable[Change]) -> tuple[set[str], list[Addition]]:
    """The ids the journal removes or adds (their saved versions go), and the additions still
    standing after the last record, in the order ``MatchIndex.apply_changes`` appends them: a
    record's removals before its additions, the last version of an id within a record, a later
    record's removal or new version replacing an earlier one."""
    replaced: set[str] = set()
    standing: dict[str, Addition] = {}  # insertion order = the order of the appended positions
    for change in changes:
        for doc_id in change.removed:
            replaced.add(doc_id)
            standing.pop(doc_id, None)
        for addition in change.added:
            doc_id = addition.document["id"]
            replaced.add(doc_id)
            standing.pop(doc_id, None)
            standing[doc_id] = addition
    return replaced, list(standing.values())


def saved_slices(
    directory: str | Path, size: int, *, drop: Collection[str] = (), embedder: Embedder | None = None
) -> Iterator[MatchIndex]:
    """The index saved in ``directory`` as parts of at most ``size`` positions, in order, without
    holes and without the documents whose id is in ``drop`` (step 2 above). Parts have no BM25
    matrix and no graph; the first one always comes (empty if nothing is left) and holds the
    whole saved vocabulary. Raises MatchIndexError if the files do not agree."""
    if size < 1:
        raise ValueError("a slice holds at least one position")
    path = Path(directory)
    config = EngineConfig.saved(read_manifest(path)["config"])
    keys = json.loads((path / lexical.VOCAB_FILE).read_text(encoding="utf-8"))["terms"]
    lengths = _term_lengths(path)
    with np.load(path / dense.SLOTS_FILE, allow_pickle=False) as arrays:
        slot_pos, slot_alive = arrays["slot_pos"], arrays["slot_alive"]
    if len(slot_pos) > 1 and np.any(slot_pos[1:] < slot_pos[:-1]):
        raise MatchIndexError(f"{path} is damaged: the vector slots are not in position order")
    with (
        (path / DOCS_FILE).open(encoding="utf-8") as lines,
        zipfile.ZipFile(path / lexical.TERMS_FILE) as archive,
        archive.open("flat.npy") as flat,
        (path / dense.VECTORS_FILE).open("rb") as vectors,
    ):
        _open_npy(flat, np.int32)
        vector_rows = _VectorRows(vectors)
        for lo in range(0, max(len(lengths), 1), size):
            hi = min(lo + size, len(lengths))
            docs = [_document(line) for line in itertools.islice(lines, hi - lo)]
            if len(docs) != hi - lo:
                raise MatchIndexError(f"{path} is damaged: {lo + len(docs)} documents but {len(lengths)} term lists")
            slice_lengths = lengths[lo:hi]
            count = int(slice_lengths[slice_lengths > 0].sum())
            ids = np.frombuffer(flat.read(count * 4), dtype=np.int32)
            if len(ids) != count:
                raise MatchIndexError(f"{path} is damaged: its term file ends early")
            keep = np.array([d is not None and d.id not in drop for d in docs], dtype=bool)
            if np.any(keep & (slice_lengths < 0)):
                raise MatchIndexError(f"{path} is damaged: a document at a removed position")
            # Only live documents have vectors: those of dropped ones are read and left (one slice).
            s0, s1 = np.searchsorted(slot_pos, [lo, hi]).tolist()
            rows = vector_rows.read(s0, s1)
            local = slot_pos[s0:s1] - lo
            wanted = slot_alive[s0:s1] & keep[local]
            counts = np.bincount(local[wanted], minlength=hi - lo)[keep]
            yield _slice_part(
                config,
                embedder,
                [d for d, k in zip(docs, keep.tolist(), strict=True) if k],
                keys,
                _split(ids, slice_lengths, keep),
                rows[wanted],
                counts.tolist(),
                whole_vocabulary=lo == 0,
            )
        if lines.readline():
            raise MatchIndexError(f"{path} is damaged: more documents than term lists")


def addition_parts(
    additions: Sequence[Addition], config: EngineConfig, size: int, *, embedder: Embedder | None = None
) -> Iterator[MatchIndex]:
    """Journal additions (each id once) as parts of at most ``size`` documents: their stored term
    keys and vectors, nothing analysed or embedded again."""
    for start in range(0, len(additions), size):
        part = _empty_part(config, embedder)
        chunk = additions[start : start + size]
        positions = [part._append(Document.from_json(a.document), a.keys()) for a in chunk]
        part.vectors.add(positions, np.concatenate([a.vectors for a in chunk]), [len(a.vectors) for a in chunk])
        yield part


def _empty_part(config: EngineConfig, embedder: Embedder | None) -> MatchIndex:
    part = MatchIndex(config, embedder=embedder)
    part.vectors.defer_ann = True  # the merge builds one graph over every vector
    return part


def _slice_part(
    config: EngineConfig,
    embedder: Embedder | None,
    docs: list[Document],
    keys: list[str],
    terms: list[np.ndarray],
    vectors: np.ndarray,
    counts: list[int],
    *,
    whole_vocabulary: bool,
) -> MatchIndex:
    """A part of saved documents with their term ids (ids into ``keys``) and vectors. Unless it
    is to carry the whole vocabulary, its own vocabulary is cut to the terms it holds."""
    part = _empty_part(config, embedder)
    if not whole_vocabulary and terms:
        used = np.zeros(len(keys), dtype=bool)
        for ids in terms:
            used[ids] = True
        own = np.flatnonzero(used)
        renumber = np.zeros(len(keys), dtype=np.int32)
        renumber[own] = np.arange(len(own), dtype=np.int32)
        keys = [keys[t] for t in own.tolist()]
        terms = [renumber[ids] for ids in terms]
    elif not whole_vocabulary:
        keys = []
    part.lexical.vocab = {key: term_id for term_id, key in enumerate(keys)}
    part.lexical._set_terms(list(terms))
    part.documents = list(docs)
    part.positions = {doc.id: position for position, doc in enumerate(docs)}
    part.japanese = [is_japanese(doc) for doc in docs]
    if docs:
        part.vectors.add(range(len(docs)), vectors, counts)
    return part


def _term_lengths(directory: Path) -> np.ndarray:
    """Each saved position's number of term ids (-1 for a hole): 8 bytes a position."""
    with zipfile.ZipFile(directory / lexical.TERMS_FILE) as archive, archive.open("lengths.npy") as f:
        return np.lib.format.read_array(f, allow_pickle=False)


def _open_npy(f: BinaryIO, dtype: type) -> tuple[int, ...]:
    """Read an .npy header from ``f`` (left at the data); its shape. Refuses another dtype."""
    major, _minor = np.lib.format.read_magic(f)
    read_header = np.lib.format.read_array_header_1_0 if major == 1 else np.lib.format.read_array_header_2_0
    shape, fortran_order, stored = read_header(f)
    if stored != np.dtype(dtype) or fortran_order:
        raise MatchIndexError(f"unexpected array layout in the index ({stored}, expected {np.dtype(dtype)})")
    return shape


class _VectorRows:
    """Rows of the saved vectors file, read by slot range (no memory map: the pages read stay
    out of the process's resident memory)."""

    def __init__(self, f: BinaryIO) -> None:
        self.f = f
        self.n, self.dim = _open_npy(f, np.float32)
        self.start = f.tell()

    def read(self, first: int, end: int) -> np.ndarray:
        if end > self.n:
            raise MatchIndexError("the index is damaged: more vector slots than vectors")
        self.f.seek(self.start + first * self.dim * 4)
        rows = np.fromfile(self.f, dtype=np.float32, count=(end - first) * self.dim)
        return rows.reshape(end - first, self.dim)


def _document(line: str) -> Document | None:
    data = json.loads(line)
    return None if data is None else Document.from_json(data)


def _split(ids: np.ndarray, lengths: np.ndarray, keep: np.ndarray) -> list[np.ndarray]:
    """The term ids of the kept positions, cut from a slice's flat ids by their lengths."""
    ends = np.cumsum(np.maximum(lengths, 0))
    starts = ends - np.maximum(lengths, 0)
    return [ids[s:e] for s, e in zip(starts[keep].tolist(), ends[keep].tolist(), strict=True)]
