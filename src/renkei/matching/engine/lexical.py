"""BM25 over analysed terms (bm25s), with cheap incremental updates.

The index keeps every document's term ids (after field weighting). bm25s precomputes a
term × document score matrix, whose idf and length normalisation depend on the whole
collection, so a change cannot be patched into it exactly. Instead:

1. ``add``/``remove`` update the cached term ids and document frequencies at once and mark
   the matrix stale; removed documents are masked out immediately.
2. The next ``scores`` call (or ``refresh``) rebuilds the matrix from the cached term ids:
   no re-analysis, a few seconds per 100k documents (docs/benchmarks.md).

A reader following a change journal (journal.py) cannot pay that rebuild per change at a million
documents, so it ``freeze``s the index first: the matrix and its collection statistics (number
of documents, document frequencies, average length) stay as they are, documents appended after
that are scored with those frozen statistics in a small side matrix over the appended positions
only (rebuilt from their cached term ids when they change), and removals only mask. Terms the
main vocabulary does not know get the idf their count among the appended documents would give
over the frozen number of documents. The next full rebuild (a fold of the journal) ends it.

A Japanese document's gloss keys have posting lists of their own ("≈fuel" beside the English
documents' "fuel", glosses.GLOSS_PREFIX), so that a query can read them apart. Their idf is
still the one the English word has over both lists (``paired_df``): a translation weighs what
the word weighs, as when both were one list.
"""

from __future__ import annotations

import json
import mmap
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from . import kernels
from .glosses import GLOSS_PREFIX

VOCAB_FILE = "lexical_vocab.json"
TERMS_FILE = "lexical_terms.npz"
MATRIX_PREFIX = "lexical_bm25_"  # + data/indices/indptr .npy: the matrix, read without a rebuild


class LexicalIndex:
    """BM25 scores over positions 0..n-1 (the owning index maps positions to document ids)."""

    def __init__(self, *, k1: float = 1.2, b: float = 0.75) -> None:
        self.k1 = k1
        self.b = b
        self.vocab: dict[str, int] = {}
        self.df: list[int] = []
        self.terms: list[np.ndarray | None] = []  # term ids per position; None = removed
        self._alive = bytearray()  # 1 per live position, kept with `terms` (read per query)
        self.n_alive = 0
        self._bm25 = None
        self._stale = True
        # Frozen (journal) mode: positions from ``_delta_start`` on are scored by ``_side``, with
        # the statistics of the main matrix; new terms go to ``_extra`` (``vocab`` stays as the
        # main matrix knows it, and may be shared with other copies, see ``fork``).
        self._delta_start: int | None = None
        self._extra: dict[str, int] | None = None
        self._frozen: tuple[int, float, np.ndarray] | None = None  # (documents, average length, df)
        self._delta_df: dict[int, int] = {}  # frozen: documents per term among the appended ones
        self._side: dict | None = None
        self._partners: tuple[int, int, np.ndarray] | None = None  # (id and size of vocab, gloss_partners)
        self._extra_keys: dict[int, str] | None = None  # frozen: ``_extra`` reversed (``_new_term_df``)
        self._stats: tuple[int, float, np.ndarray] = (0, 1.0, np.zeros(0, np.int64))  # set by ``_install``

    # ---- updates ----
    def __len__(self) -> int:
        return len(self.terms)

    @property
    def n_vocab(self) -> int:
        return len(self.vocab) + (len(self._extra) if self._extra is not None else 0)

    def _ids(self, keys: Iterable[str], *, grow: bool) -> list[int]:
        ids = []
        vocab = self.vocab
        extra = self._extra
        for key in keys:
            term_id = vocab.get(key)
            if term_id is None and extra is not None:
                term_id = extra.get(key)
            if term_id is None:
                if not grow:
                    continue
                if extra is not None:
                    term_id = extra[key] = len(vocab) + len(extra)  # (df is not kept while frozen)
                else:
                    term_id = vocab[key] = len(vocab)
                    self.df.append(0)
            ids.append(term_id)
        return ids

    def add(self, weighted_keys: Sequence[str]) -> int:
        """Append one document's (already field-weighted) term keys; return its position."""
        ids = np.asarray(self._ids(weighted_keys, grow=True), dtype=np.int32)
        if self._delta_start is None:
            for term_id in np.unique(ids).tolist():
                self.df[term_id] += 1
            self._stale = True
        else:
            delta_df = self._delta_df
            for term_id in np.unique(ids).tolist():
                delta_df[term_id] = delta_df.get(term_id, 0) + 1
            self._side = None
        self.terms.append(ids)
        self._alive.append(1)
        self.n_alive += 1
        return len(self.terms) - 1

    def remove(self, position: int) -> None:
        ids = self.terms[position]
        if ids is None:
            return
        if self._delta_start is None:
            for term_id in np.unique(ids).tolist():
                self.df[term_id] -= 1
            self._stale = True
        elif position >= self._delta_start:
            for term_id in np.unique(ids).tolist():
                self._delta_df[term_id] -= 1
            self._side = None  # a new term's count among the appended documents changed
        self.terms[position] = None
        self._alive[position] = 0
        self.n_alive -= 1

    def freeze(self) -> None:
        """Keep the BM25 matrix and its statistics from now on: later additions are scored in
        a side matrix with these statistics, removals only mask (see the module's docstring).
        A matrix not current yet is rebuilt first (once)."""
        if self._delta_start is not None:
            return
        self.refresh()
        self._frozen = self._stats  # those the matrix was built with
        self._delta_start = len(self.terms)
        self._extra = {}
        self._delta_df = {}
        self._side = None

    def unfreeze(self) -> None:
        """Leave frozen mode now: one vocabulary, exact statistics, the matrix rebuilt."""
        if self._delta_start is not None:
            self._stale = True
            self.refresh()

    @property
    def frozen(self) -> bool:
        return self._delta_start is not None

    def fork(self) -> LexicalIndex:
        """A copy that can take further changes while this one keeps serving: the lists that
        change are copied (pointers and counts), the matrices and the main vocabulary shared."""
        other = object.__new__(LexicalIndex)
        other.__dict__.update(self.__dict__)
        if self._delta_start is None:
            other.df = list(self.df)
        other.terms = list(self.terms)
        other._alive = bytearray(self._alive)
        other._delta_df = dict(self._delta_df)
        if self._extra is not None:
            other._extra = dict(self._extra)
            other._extra_keys = None
        return other

    @property
    def alive(self) -> np.ndarray:
        """Live positions as a boolean array (a copy: cheap, one byte per position)."""
        return np.frombuffer(self._alive, dtype=bool).copy()

    def _set_terms(self, terms: list[np.ndarray | None], flat: np.ndarray | None = None) -> None:
        """Take over a complete list of term ids (loading, merging); document frequencies follow.
        ``flat``: the live positions' term ids end to end, if the caller has them (loading)."""
        self.terms = terms
        self._alive = bytearray(t is not None for t in terms)
        self.n_alive = sum(self._alive)
        lengths = np.fromiter((0 if t is None else len(t) for t in terms), dtype=np.int64, count=len(terms))
        df = np.zeros(len(self.vocab), dtype=np.int64)
        last = np.full(len(self.vocab), -1, dtype=np.int64)
        if flat is not None:
            kernels.count_documents(df, last, flat, lengths, 0)
        else:  # in blocks of documents, not one copy of every list
            for first in range(0, len(terms), _BLOCK_DOCS):
                block = [t for t in terms[first : first + _BLOCK_DOCS] if t is not None and len(t)]
                if block:
                    block_lengths = lengths[first : first + _BLOCK_DOCS]
                    kernels.count_documents(df, last, np.concatenate(block), block_lengths, first)
        self.df = df.tolist()
        self._stale = True

    def refresh(self) -> None:
        """Rebuild the BM25 matrix from the cached term ids if anything changed.

        The term × document matrix is built here with numpy (one sort of (term, doc) pairs)
        in bm25s's CSC layout; ``scores`` adds its rows as bm25s would. Building through bm25s's
        own ``index`` would turn every term id into a Python int: several GB at a million
        documents. Scores equal bm25s's Lucene variant, with idf and average length taken
        over the live documents only.
        """
        if not self._stale:
            if self._delta_start is not None and self._side is None:
                self._side = self._side_matrix()
            return
        if self._delta_start is not None:  # leaving frozen mode: one vocabulary, exact frequencies
            if self._extra:
                self.vocab = {**self.vocab, **self._extra}
            self._delta_start = self._extra = self._frozen = self._side = None
            self._delta_df = {}
            self._set_terms(self.terms)
        n_vocab = max(len(self.vocab), 1)
        self._install(bm25_matrix(self.terms, n_vocab, k1=self.k1, b=self.b, partners=self.partners()))

    def partners(self) -> np.ndarray:
        """``gloss_partners`` of the main vocabulary (cached while it does not grow)."""
        key = (id(self.vocab), len(self.vocab))
        if self._partners is None or self._partners[:2] != key:
            self._partners = (*key, gloss_partners(self.vocab))
        return self._partners[2]

    def _side_matrix(self) -> dict:
        """The BM25 weights of the appended positions with the frozen statistics: CSC over the
        terms they hold only (``terms``: sorted term ids, one row each), columns = positions."""
        _n_docs, avgdl, _df = self._frozen
        start = self._delta_start
        terms = self.terms[start:]
        term, doc, tf = postings_by_term(terms, offset=start)
        rows, row, per_row = np.unique(term, return_inverse=True, return_counts=True)
        idf = self._idf_of(rows)
        lengths = np.fromiter((0 if t is None else len(t) for t in terms), dtype=np.int64, count=len(terms))
        norm = self.k1 * (1 - self.b + self.b * lengths[doc - start] / avgdl)
        data = (idf[row] * (tf / (tf + norm))).astype(np.float32)
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(per_row, out=indptr[1:])
        return {"data": data, "indices": doc, "indptr": indptr, "terms": rows}

    def _new_term_df(self, term_id: int, count: int) -> int:
        """Frozen: the df of a term the main matrix lacks, ``count`` documents of the journal.
        A gloss list new to the index ("≈drone") still pairs with its English word's frozen df."""
        if self._extra_keys is None or len(self._extra_keys) != len(self._extra or ()):
            self._extra_keys = {t: k for k, t in (self._extra or {}).items()}
        key = self._extra_keys.get(term_id)
        if key is None:  # in the main vocabulary, with no documents left at the freeze
            return count
        other = self.vocab.get(key[len(GLOSS_PREFIX) :] if key.startswith(GLOSS_PREFIX) else GLOSS_PREFIX + key)
        n_docs, _avgdl, frozen_df = self._frozen
        paired = int(frozen_df[other]) if other is not None and other < len(frozen_df) else 0
        return min(count + paired, n_docs) if paired else count

    def _install(self, matrix: dict) -> None:
        import bm25s

        retriever = bm25s.BM25(k1=self.k1, b=self.b, method="lucene")
        retriever.scores = matrix
        retriever.vocab_dict = {}
        retriever.nonoccurrence_array = None
        self._bm25 = retriever
        self._stale = False
        # The statistics the matrix was built with, for ``scores_at``.
        lengths = np.fromiter((len(t) for t in self.terms if t is not None), dtype=np.int64, count=self.n_alive)
        avgdl = float(lengths.mean()) if len(lengths) and lengths.sum() else 1.0
        self._stats = (
            self.n_alive,
            avgdl,
            paired_df(np.asarray(self.df, dtype=np.int64), self.partners(), self.n_alive),
        )

    def keys(self) -> list[str]:
        """The vocabulary, indexed by term id."""
        keys = [""] * self.n_vocab
        for key, term_id in self.vocab.items():
            keys[term_id] = key
        for key, term_id in (self._extra or {}).items():
            keys[term_id] = key
        return keys

    # ---- scoring ----
    def query_ids(self, keys: Iterable[str], *, unique: bool = False) -> np.ndarray:
        ids = self._ids(keys, grow=False)
        if unique:
            ids = list(dict.fromkeys(ids))
        return np.asarray(ids, dtype=np.int32)

    def without_common(self, query_ids: np.ndarray, share: float) -> np.ndarray:
        """``query_ids`` without the terms in more than ``share`` of the live documents; all of
        them when every term is that common (a query of common words still finds something)."""
        limit = share * max(self.n_alive, 1)
        df, delta_df = self.df, self._delta_df  # frozen: terms new since the freeze are not in df
        kept = [t for t in query_ids.tolist() if (df[t] if t < len(df) else 0) + delta_df.get(t, 0) <= limit]
        return np.asarray(kept, dtype=np.int32) if kept else query_ids

    def scores(self, query_ids: np.ndarray, mask: np.ndarray | None = None, *, grouped: bool = False) -> np.ndarray:
        """BM25 score of every position for the query term ids (0 where masked out).

        By default each query term occurrence adds its posting list in query order, in float32:
        exactly bm25s's ``get_scores_from_ids`` (same additions in the same order, so the same
        bits). With ``grouped`` each distinct term adds its posting list once, weighted by its
        count in the query: a long query repeats its frequent terms, so this reads far fewer
        postings, and the scores differ from the default only by float32 rounding
        (docs/benchmarks.md, "BM25 scoring alone", measures how much).
        """
        self.refresh()
        n = len(self.terms)
        scores = np.zeros(n, dtype=np.float32)
        if self._bm25 is None or len(query_ids) == 0 or n == 0:
            return scores
        if grouped:
            term_ids, counts = np.unique(np.asarray(query_ids), return_counts=True)
        else:
            term_ids, counts = np.asarray(query_ids), None
        _add_postings(scores, self._bm25.scores, term_ids, counts)
        if self._side is not None:
            _add_postings(scores, self._side, term_ids, counts)
        if mask is not None:
            scores = scores * mask
        return scores

    def scores_at(self, query_ids: np.ndarray, positions: np.ndarray) -> np.ndarray:
        """BM25 of the given ``positions`` only: what ``scores`` gives there (up to float32
        rounding), computed from those documents' own term ids rather than from the posting
        lists, so the cost follows the few thousand candidates' lengths, not the lists' (a
        gloss list at a million documents holds up to half a million postings).

        The weights use the statistics the matrix was built with (``_stats``; frozen: those of
        the freeze, as the side matrix does), so they are the matrix's, recomputed; each
        distinct term counts once, weighted by its count in the query (``grouped``).
        """
        self.refresh()
        positions = np.asarray(positions, dtype=np.int64)
        out = np.zeros(len(positions), dtype=np.float32)
        if self._bm25 is None or len(query_ids) == 0 or len(positions) == 0:
            return out
        term_ids, counts = np.unique(np.asarray(query_ids, dtype=np.int64), return_counts=True)
        weight = np.zeros(self.n_vocab, dtype=np.float64)  # idf × occurrences in the query, per term
        weight[term_ids] = self._idf_of(term_ids) * counts
        terms = self.terms
        arrays = [terms[p] if terms[p] is not None else _EMPTY for p in positions.tolist()]
        lengths = np.fromiter((len(a) for a in arrays), dtype=np.int64, count=len(arrays))
        flat = np.concatenate(arrays) if arrays else _EMPTY
        _n_docs, avgdl, _df = self._frozen if self._frozen is not None else self._stats
        norm = self.k1 * (1 - self.b + self.b * lengths / avgdl)
        kernels.score_documents(out, flat, lengths, weight, norm, np.zeros(self.n_vocab, dtype=np.int32))
        return out

    def _idf_of(self, term_ids: np.ndarray) -> np.ndarray:
        """The idf the matrices give these term ids: the statistics of the last build
        (``paired_df``); frozen, a term the main matrix lacks counts its journal documents."""
        n_docs, _avgdl, df = self._frozen if self._frozen is not None else self._stats
        known = term_ids < len(df)
        counts = np.zeros(len(term_ids), dtype=np.int64)
        counts[known] = df[term_ids[known]]
        if self._frozen is not None:
            for i in np.flatnonzero(counts == 0).tolist():
                t = int(term_ids[i])
                counts[i] = self._new_term_df(t, self._delta_df.get(t, 0))
        return np.log1p((np.maximum(n_docs - counts, 0) + 0.5) / (counts + 0.5))

    def postings(self, query_ids: np.ndarray) -> int:
        """How many postings scoring these term ids reads (pass unique ids for ``grouped``)."""
        self.refresh()
        if self._bm25 is None or len(query_ids) == 0:
            return 0
        total = 0
        for matrix in (self._bm25.scores, self._side):
            if matrix is not None:
                rows, _ = _rows(matrix, np.asarray(query_ids))
                indptr = matrix["indptr"]
                total += int((indptr[rows + 1] - indptr[rows]).sum())
        return total

    def idf(self, key: str) -> float:
        """Lucene-style idf of a term key (0 for an unknown term)."""
        term_id = self.vocab.get(key)
        if term_id is None and self._extra is not None:
            term_id = self._extra.get(key)
        if term_id is None or self.n_alive == 0:
            return 0.0
        self.refresh()  # as the scores have it
        return float(self._idf_of(np.array([term_id], dtype=np.int64))[0])

    # ---- persistence ----
    def save(self, directory: Path) -> None:
        keys = self.keys()
        (directory / VOCAB_FILE).write_text(
            json.dumps({"k1": self.k1, "b": self.b, "terms": keys}, ensure_ascii=False), encoding="utf-8"
        )
        lengths = np.array([-1 if t is None else len(t) for t in self.terms], dtype=np.int64)
        flat = np.concatenate([t for t in self.terms if t is not None] or [np.zeros(0, np.int32)])
        np.savez(directory / TERMS_FILE, lengths=lengths, flat=flat.astype(np.int32))
        if not self._stale and self._bm25 is not None and self._delta_start is None:
            for name in ("data", "indices", "indptr"):
                np.save(directory / f"{MATRIX_PREFIX}{name}.npy", self._bm25.scores[name])

    @classmethod
    def load(cls, directory: Path) -> LexicalIndex:
        meta = json.loads((directory / VOCAB_FILE).read_text(encoding="utf-8"))
        index = cls(k1=meta["k1"], b=meta["b"])
        index.vocab = {key: i for i, key in enumerate(meta["terms"])}
        with np.load(directory / TERMS_FILE, allow_pickle=False) as arrays:
            lengths, flat = arrays["lengths"], arrays["flat"]
        terms: list[np.ndarray | None] = []
        position = 0
        for length in lengths.tolist():
            if length < 0:
                terms.append(None)
                continue
            terms.append(flat[position : position + length])
            position += length
        index._set_terms(terms, flat)
        index._load_matrix(directory)
        return index

    def warm(self) -> None:
        """Touch every page of a memory-mapped BM25 matrix once (one value per page), so that
        the first queries after loading do not pay its page faults one posting list at a time
        (a million documents: ~2 GB; on 29 Nov the first 40 queries after a load took p95 149 ms
        against 85 ms once warm, docs/benchmarks.md); and compile the scoring loop."""
        kernels.warm()
        if self._bm25 is None:
            return
        for name in ("data", "indices"):
            values = self._bm25.scores[name]
            if not isinstance(values, np.memmap):
                continue
            step = max(1, mmap.PAGESIZE // values.itemsize)
            for start in range(0, len(values), _WARM_CHUNK):
                values[start : start + _WARM_CHUNK : step].max(initial=0)

    def _load_matrix(self, directory: Path) -> None:
        """Take the saved BM25 matrix (memory-mapped) if it fits the terms; else it is rebuilt."""
        paths = {name: directory / f"{MATRIX_PREFIX}{name}.npy" for name in ("data", "indices", "indptr")}
        if not all(path.exists() for path in paths.values()):
            return
        matrix: dict = {name: np.load(path, mmap_mode="r", allow_pickle=False) for name, path in paths.items()}
        matrix["indptr"] = np.asarray(matrix["indptr"])
        if len(matrix["indptr"]) != max(len(self.vocab), 1) + 1 or matrix["indptr"][-1] != len(matrix["data"]):
            return
        matrix["num_docs"] = len(self.terms)
        self._install(matrix)


def _add_postings(scores: np.ndarray, matrix: dict, term_ids: np.ndarray, counts: np.ndarray | None) -> None:
    """Add the posting lists of ``term_ids`` in ``matrix`` (weighted by ``counts``) to ``scores``,
    term by term in the given order. Term ids past the matrix's rows have no postings there."""
    rows, known = _rows(matrix, term_ids)
    if counts is not None and known is not None:
        counts = counts[known]
    starts = matrix["indptr"][rows].astype(np.int64)
    ends = matrix["indptr"][rows + 1].astype(np.int64)
    weights = np.ones(len(rows), dtype=np.float32) if counts is None else counts.astype(np.float32)
    kernels.add_lists(scores, matrix["data"], matrix["indices"], starts, ends, weights)


def _rows(matrix: dict, term_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """The matrix rows of ``term_ids`` (in order), leaving out terms the matrix has no row for;
    and which of ``term_ids`` were kept (None: all). A side matrix lists its rows' term ids."""
    terms = matrix.get("terms")
    if terms is None:
        known = term_ids < len(matrix["indptr"]) - 1
        return (term_ids, None) if known.all() else (term_ids[known], known)
    at = np.minimum(np.searchsorted(terms, term_ids), max(len(terms) - 1, 0))
    known = terms[at] == term_ids if len(terms) else np.zeros(len(term_ids), dtype=bool)
    return at[known], known


def postings_by_term(terms: Sequence[np.ndarray | None], offset: int = 0) -> tuple[np.ndarray, ...]:
    """The (term, document, tf) postings of ``terms`` as int32 arrays sorted by term, documents
    (positions + ``offset``) increasing within a term (steps 1–2 of ``bm25_matrix``)."""
    term_parts, doc_parts, tf_parts = [], [], []
    lengths = np.fromiter((0 if t is None else len(t) for t in terms), dtype=np.int64, count=len(terms))
    for first in range(0, len(terms), _BLOCK_DOCS):
        block = [t if t is not None else _EMPTY for t in terms[first : first + _BLOCK_DOCS]]
        block_lengths = lengths[first : first + len(block)]
        if not block_lengths.sum():
            continue
        size = len(block)
        pair = np.concatenate(block).astype(np.int64) * size
        pair += np.repeat(np.arange(size, dtype=np.int64), block_lengths)
        pair, tf = np.unique(pair, return_counts=True)
        term, doc = np.divmod(pair, size)
        term_parts.append(term.astype(np.int32))
        doc_parts.append((doc + first + offset).astype(np.int32))
        tf_parts.append(tf.astype(np.int32))
        del pair, term, doc, tf
    if not term_parts:
        return np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0, np.int32)
    term = np.concatenate(term_parts)
    del term_parts
    order = np.argsort(term, kind="stable")
    term = term[order]
    doc = np.concatenate(doc_parts)[order]
    del doc_parts
    tf = np.concatenate(tf_parts)[order]
    return term, doc, tf


def gloss_partners(vocab: dict[str, int]) -> np.ndarray:
    """For each term id, the id of its other half ("fuel" ↔ "≈fuel"), or -1."""
    partners = np.full(max(len(vocab), 1), -1, dtype=np.int64)
    for key, term_id in vocab.items():
        if key.startswith(GLOSS_PREFIX):
            other = vocab.get(key[len(GLOSS_PREFIX) :])
            if other is not None:
                partners[term_id], partners[other] = other, term_id
    return partners


def paired_df(df: np.ndarray, partners: np.ndarray | None, n_docs: int) -> np.ndarray:
    """Document frequencies for idf: an English word and its gloss list each count the
    documents of both (at most ``n_docs``; a document in both lists counts twice, which only
    a Japanese text that also writes the English word can be)."""
    if partners is None or not len(df):
        return df
    partners = partners[: len(df)]
    paired = np.flatnonzero((partners >= 0) & (partners < len(df)))
    if not len(paired):
        return df
    out = df.copy()
    out[paired] += df[partners[paired]]
    return np.minimum(out, n_docs)


def bm25_matrix(
    terms: Sequence[np.ndarray | None], n_vocab: int, *, k1: float, b: float, partners: np.ndarray | None = None
) -> dict:
    """Lucene BM25 weights as a CSC matrix (rows = terms, columns = document positions).

    1. For each block of documents, pair every term occurrence with its document and sort the
       pairs as term * block size + document: the unique pairs come out with their counts (tf).
       Blocks keep the sort's temporaries small (a million documents hold ~10^8 pairs).
    2. One stable sort of all pairs by term gives the CSC order (documents stay increasing
       within a term, as the blocks come in document order).
    3. idf(t) = ln(1 + (N - df + 0.5) / (df + 0.5)), df paired with the term's gloss partner
       (``paired_df``); tf part = tf / (tf + k1 (1 - b + b dl / avgdl)), computed in slices.
    """
    n_docs = len(terms)
    lengths = np.fromiter((0 if t is None else len(t) for t in terms), dtype=np.int64, count=n_docs)
    alive = np.fromiter((t is not None for t in terms), dtype=bool, count=n_docs)
    n_alive = int(alive.sum())
    avgdl = float(lengths[alive].mean()) if n_alive and lengths[alive].sum() else 1.0
    term, doc, tf = postings_by_term(terms)
    if not len(term):
        return {
            "data": np.zeros(0, np.float32),
            "indices": np.zeros(0, np.int32),
            "indptr": np.zeros(n_vocab + 1, np.int64),
            "num_docs": n_docs,
        }
    per_term = np.bincount(term, minlength=n_vocab)
    df = paired_df(per_term, partners, n_alive)
    idf = np.log1p((n_alive - df + 0.5) / (df + 0.5))
    data = np.empty(len(term), dtype=np.float32)
    for lo in range(0, len(term), _SLICE):
        hi = lo + _SLICE
        norm = k1 * (1 - b + b * lengths[doc[lo:hi]] / avgdl)
        tf_slice = tf[lo:hi]
        data[lo:hi] = idf[term[lo:hi]] * (tf_slice / (tf_slice + norm))
    indptr = np.zeros(n_vocab + 1, dtype=np.int64)
    np.cumsum(per_term, out=indptr[1:])
    return {"data": data, "indices": doc, "indptr": indptr, "num_docs": n_docs}


_WARM_CHUNK = 1 << 24
_BLOCK_DOCS = 50_000
_SLICE = 5_000_000
_EMPTY = np.zeros(0, dtype=np.int32)
