"""Merging indexes built apart (the shards of a split rebuild) into one saved index, streaming.

The merged index is written to its directory part by part and never held whole, so memory
stays bounded by one part, the merged vocabulary, a few bytes per document, one block of
postings and (past the threshold) the HNSW graph:

1. Each part, loaded one at a time, appends its documents, its term ids renumbered into the
   merged vocabulary, and its live vectors to files of the target; its (term, document, tf)
   postings, sorted by term, go to scratch files.
2. The BM25 matrix (the CSC layout of ``lexical.bm25_matrix``, bit for bit) is assembled block
   of terms by block of terms from the parts' scratch files, with the idf and the average
   length of the whole collection, and written next to the terms, so loading it costs no
   rebuild.
3. Past the engine's threshold the HNSW graph is built from the vectors read back in chunks.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import uuid
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import numpy as np

from . import dense, lexical

if TYPE_CHECKING:
    from .index import MatchIndex

Progress = Callable[[str, int, int | None], None]
BLOCK_POSTINGS = 4_000_000  # postings assembled per step of the BM25 matrix (~60 MB)
VECTOR_CHUNK = 50_000  # vectors read back per step of the HNSW graph


class _Scratch:
    """A growing int32 or float32 file in the scratch directory, read back in slices."""

    def __init__(self, path: Path, dtype: type) -> None:
        self.path, self.dtype, self.size = path, np.dtype(dtype), 0
        self.file: BinaryIO = path.open("wb")

    def append(self, values: np.ndarray) -> None:
        self.file.write(np.ascontiguousarray(values, dtype=self.dtype).tobytes())
        self.size += values.size

    def done(self) -> None:
        self.file.close()

    def read(self, start: int, count: int) -> np.ndarray:
        return np.fromfile(self.path, dtype=self.dtype, count=count, offset=start * self.dtype.itemsize)

    def copy_to(self, out: BinaryIO, chunk: int = 16_000_000) -> None:
        for start in range(0, self.size, chunk):
            out.write(self.read(start, min(chunk, self.size - start)).tobytes())


def _npy_header(out: BinaryIO, dtype: type, shape: tuple[int, ...]) -> None:
    header = {"descr": np.lib.format.dtype_to_descr(np.dtype(dtype)), "fortran_order": False, "shape": shape}
    np.lib.format.write_array_header_2_0(out, header)


def merge_into(
    parts: Iterable[MatchIndex], staging: Path, *, progress: Progress | None = None
) -> tuple[MatchIndex, int]:
    """Write the merge of ``parts`` (in order) as a saved index into the empty directory ``staging``.

    Returns the first part (for its settings and embedder) and the number of documents. Every
    part must have the same configuration; an id in two parts is an error.
    """
    from .index import DOCS_FILE, FORMAT_VERSION, MANIFEST, MatchIndexError

    scratch = Path(tempfile.mkdtemp(prefix="merge-", dir=staging))
    try:
        first, state = None, _MergeState(scratch)
        with (staging / DOCS_FILE).open("w", encoding="utf-8") as docs_out:
            for part in parts:
                if first is None:
                    first = part
                elif part.config != first.config:
                    raise MatchIndexError("the parts were built with different engine settings")
                state.add(part, docs_out)
                if progress:
                    progress("merge", 1, None)
        if first is None:
            raise MatchIndexError("nothing to merge")
        state.finish(staging, first.config.k1, first.config.b, progress)
        if state.n_slots >= first.config.ann_threshold:
            if progress:
                progress("vector graph", 0, None)
            dense.build_hnsw_file(staging / dense.VECTORS_FILE, staging / dense.HNSW_FILE, VECTOR_CHUNK)
        manifest = {
            "format": FORMAT_VERSION,
            "model": dense.MODEL_NAME,
            "config": asdict(first.config),
            "documents": len(state.ids),
            "generation": uuid.uuid4().hex,  # a new generation: any journal of the old index is void
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        return first, len(state.ids)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


class _MergeState:
    """What the merge keeps between parts: small per-document arrays and the scratch files."""

    def __init__(self, scratch: Path) -> None:
        self.ids: set[str] = set()
        self.vocab = lexical.LexicalIndex()  # only its vocabulary grows here
        self.lengths: list[np.ndarray] = []  # term count per position, -1 = hole
        self.flat = _Scratch(scratch / "flat", np.int32)  # every position's term ids, in order
        self.vectors = _Scratch(scratch / "vectors", np.float32)
        self.slot_pos: list[np.ndarray] = []
        self.n_slots = 0
        self.n_positions = 0
        # Per part: its postings sorted by term, and the terms it holds with where each one's
        # postings start (a last entry: the total). Only the part's own terms: a vocabulary-long
        # array per part would grow with parts × vocabulary (a fold in small slices).
        self.postings: list[tuple[_Scratch, _Scratch, _Scratch]] = []
        self.per_term: list[tuple[np.ndarray, np.ndarray]] = []

    def add(self, part: MatchIndex, docs_out) -> None:  # type: ignore[no-untyped-def]
        from .index import MatchIndexError

        offset = self.n_positions
        for doc in part.documents:
            if doc is not None:
                if doc.id in self.ids:
                    raise MatchIndexError(f"document {doc.id!r} is in more than one part")
                self.ids.add(doc.id)
            docs_out.write(("null" if doc is None else json.dumps(doc.to_json(), ensure_ascii=False)) + "\n")
        mapping = np.asarray(self.vocab._ids(part.lexical.keys(), grow=True), dtype=np.int32)
        terms = [None if ids is None else mapping[ids] for ids in part.lexical.terms]
        self.lengths.append(np.fromiter((-1 if t is None else len(t) for t in terms), np.int64, len(terms)))
        self.flat.append(np.concatenate([t for t in terms if t is not None] or [np.zeros(0, np.int32)]))
        self._add_postings(terms, offset)
        self._add_vectors(part, offset)
        self.n_positions += len(terms)

    def _add_vectors(self, part: MatchIndex, offset: int) -> None:
        store = part.vectors
        live = sorted(store.doc_slots)  # holes left by removals have no vectors
        if not live:
            return
        spans = np.array([store.doc_slots[p] for p in live], dtype=np.int64)
        sizes = spans[:, 1] - spans[:, 0]
        firsts = np.r_[0, np.cumsum(sizes)[:-1]]
        rows = np.repeat(spans[:, 0] - firsts, sizes) + np.arange(sizes.sum())
        self.vectors.append(store.vectors[rows])
        self.slot_pos.append(np.repeat(np.asarray(live, dtype=np.int64) + offset, sizes))
        self.n_slots += int(sizes.sum())

    def _add_postings(self, terms: list[np.ndarray | None], offset: int) -> None:
        index = len(self.postings)
        files = tuple(_Scratch(self.flat.path.with_name(f"part{index}-{name}"), np.int32) for name in "tdf")
        term, doc, tf = lexical.postings_by_term(terms, offset)
        for scratch, values in zip(files, (term, doc, tf), strict=True):
            scratch.append(values)
            scratch.done()
        self.postings.append(files)
        firsts = np.flatnonzero(np.r_[True, term[1:] != term[:-1]]) if len(term) else np.zeros(0, np.int64)
        self.per_term.append((term[firsts], np.r_[firsts, len(term)].astype(np.int64)))

    def finish(self, target: Path, k1: float, b: float, progress: Progress | None) -> None:
        self.flat.done()
        self.vectors.done()
        lengths = np.concatenate(self.lengths) if self.lengths else np.zeros(0, np.int64)
        self._write_terms(target, lengths, k1, b)
        self._write_vectors(target)
        if progress:
            progress("bm25 matrix", 0, None)
        self._write_matrix(target, np.maximum(lengths, 0), lengths >= 0, k1, b)

    def _write_terms(self, target: Path, lengths: np.ndarray, k1: float, b: float) -> None:
        meta = {"k1": k1, "b": b, "terms": self.vocab.keys()}  # the parts' settings, as the matrix's
        (target / lexical.VOCAB_FILE).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        # np.savez's layout, streamed: lengths, then the flat term ids from the scratch file.
        with zipfile.ZipFile(target / lexical.TERMS_FILE, "w", allowZip64=True) as archive:
            with archive.open("lengths.npy", "w", force_zip64=True) as out:
                np.lib.format.write_array(out, lengths)
            with archive.open("flat.npy", "w", force_zip64=True) as out:
                _npy_header(out, np.int32, (self.flat.size,))
                self.flat.copy_to(out)

    def _write_vectors(self, target: Path) -> None:
        with (target / dense.VECTORS_FILE).open("wb") as out:
            _npy_header(out, np.float32, (self.n_slots, dense.DIM))
            self.vectors.copy_to(out)
        slot_pos = np.concatenate(self.slot_pos) if self.slot_pos else np.zeros(0, np.int64)
        np.savez(target / dense.SLOTS_FILE, slot_pos=slot_pos, slot_alive=np.ones(len(slot_pos), dtype=bool))

    def _write_matrix(self, target: Path, lengths: np.ndarray, alive: np.ndarray, k1: float, b: float) -> None:
        """Step 2: the BM25 matrix in blocks of terms (the layout and arithmetic of bm25_matrix)."""
        n_vocab = max(len(self.vocab.vocab), 1)
        df = np.zeros(n_vocab, np.int64)
        for terms, starts in self.per_term:
            df[terms] += np.diff(starts)
        indptr = np.zeros(n_vocab + 1, dtype=np.int64)
        np.cumsum(df, out=indptr[1:])
        n_alive = int(alive.sum())
        avgdl = float(lengths[alive].mean()) if n_alive and lengths[alive].sum() else 1.0
        paired = lexical.paired_df(df, lexical.gloss_partners(self.vocab.vocab), n_alive)
        idf = np.log1p((n_alive - paired + 0.5) / (paired + 0.5))
        total = int(indptr[-1])
        starts = np.searchsorted(indptr, np.arange(0, total, BLOCK_POSTINGS), side="right") - 1
        cuts = np.unique(np.r_[0, starts, n_vocab])
        files = {name: (target / f"{lexical.MATRIX_PREFIX}{name}.npy").open("wb") for name in ("data", "indices")}
        try:
            _npy_header(files["data"], np.float32, (total,))
            _npy_header(files["indices"], np.int32, (total,))
            for lo, hi in zip(cuts[:-1].tolist(), cuts[1:].tolist(), strict=True):
                term, doc, tf = self._block(lo, hi)
                data = idf[term] * (tf / (tf + k1 * (1 - b + b * lengths[doc] / avgdl)))
                files["data"].write(data.astype(np.float32).tobytes())
                files["indices"].write(doc.tobytes())
        finally:
            for out in files.values():
                out.close()
        np.save(target / f"{lexical.MATRIX_PREFIX}indptr.npy", indptr)

    def _block(self, lo: int, hi: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The postings of terms lo..hi-1 of every part, by term, documents increasing."""
        pieces: list[list[np.ndarray]] = [[], [], []]
        for (terms, starts), files in zip(self.per_term, self.postings, strict=True):
            start, end = starts[np.searchsorted(terms, [lo, hi])].tolist()
            for piece, scratch in zip(pieces, files, strict=True):
                piece.append(scratch.read(start, end - start))
        term, doc, tf = (np.concatenate(p) if p else np.zeros(0, np.int32) for p in pieces)
        order = np.argsort(term, kind="stable")  # parts come in document order
        return term[order], doc[order], tf[order]
