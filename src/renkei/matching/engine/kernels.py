"""Compiled inner loops of the query path (numba).

Adding a query's posting lists into the score array is the largest part of a query's BM25 at a
million documents (~6 million postings). ``np.add.at`` did it holding the GIL at ~2.4 ns per
posting; ``add_lists`` does the same additions in the same order, so the same float32 bits, in
about half the time, and without the GIL, so the other request threads of a threaded server
(waitress, ``renkei serve``) run meanwhile (docs/benchmarks.md, "Compiled scoring loops").
``score_documents`` scores a few candidates from their own term ids (``LexicalIndex.scores_at``)
without a sort.

Compiled on first use and cached on disk (numba's ``cache``: next to this file, or in the user's
cache directory where the package is not writable, or ``NUMBA_CACHE_DIR``); where numba finds no
writable place, compiled in each process instead (~0.6 s for both loops). ``warm`` compiles them
before a serving process's first query.
"""

from __future__ import annotations

from collections.abc import Callable

import numba
import numpy as np


def compiled(function: Callable) -> Callable:
    """``function`` compiled by numba, releasing the GIL, cached on disk if numba can."""
    try:
        return numba.njit(nogil=True, cache=True)(function)
    except RuntimeError:  # numba: "no locator available" (no writable cache directory)
        return numba.njit(nogil=True)(function)


@compiled
def add_lists(
    scores: np.ndarray, data: np.ndarray, indices: np.ndarray, starts: np.ndarray, ends: np.ndarray, weights: np.ndarray
) -> None:  # pragma: no cover - compiled; covered through LexicalIndex.scores
    """For each list t: ``scores[indices[i]] += data[i] * weights[t]`` for i in starts[t]..ends[t]-1."""
    for t in range(starts.shape[0]):
        weight = weights[t]
        for i in range(starts[t], ends[t]):
            scores[indices[i]] += data[i] * weight


@compiled
def score_documents(
    out: np.ndarray, flat: np.ndarray, lengths: np.ndarray, weight: np.ndarray, norm: np.ndarray, counts: np.ndarray
) -> None:  # pragma: no cover - compiled; covered through LexicalIndex.scores_at
    """BM25 of a few documents from their own term ids: document d owns the next ``lengths[d]``
    ids of ``flat``; each distinct term t with ``weight[t] != 0`` adds
    ``weight[t] * tf / (tf + norm[d])`` to ``out[d]``. ``counts`` (one per term) is scratch
    space, all zero on entry and again on return."""
    start = 0
    for d in range(lengths.shape[0]):
        end = start + lengths[d]
        for i in range(start, end):
            if weight[flat[i]] != 0.0:
                counts[flat[i]] += 1
        for i in range(start, end):
            tf = counts[flat[i]]
            if tf:
                out[d] += np.float32(weight[flat[i]] * (tf / (tf + norm[d])))
                counts[flat[i]] = 0
        start = end


@compiled
def count_documents(
    df: np.ndarray, last: np.ndarray, flat: np.ndarray, lengths: np.ndarray, first: int
) -> None:  # pragma: no cover - compiled; covered through LexicalIndex's document frequencies
    """Add to ``df`` the documents holding each term: document ``first + d`` owns the next
    ``lengths[d]`` ids of ``flat``; ``last`` (one per term, -1 at first) remembers the last
    document counted for a term, so a term repeated in a document counts once. Called over
    consecutive blocks of documents with the same ``df`` and ``last``."""
    start = 0
    for d in range(lengths.shape[0]):
        document = first + d
        for i in range(start, start + lengths[d]):
            if last[flat[i]] != document:
                last[flat[i]] = document
                df[flat[i]] += 1
        start += lengths[d]


def warm() -> None:
    """Compile (or load from the cache) the loops for the engine's array types."""
    scores = np.zeros(1, dtype=np.float32)
    bounds = np.zeros(1, dtype=np.int64)
    add_lists(scores, np.zeros(1, np.float32), np.zeros(1, np.int32), bounds, bounds, np.ones(1, np.float32))
    ids = np.zeros(1, dtype=np.int32)
    score_documents(scores, ids, bounds, np.zeros(1), np.ones(1), np.zeros(1, dtype=np.int32))
    count_documents(np.zeros(1, dtype=np.int64), np.full(1, -1, dtype=np.int64), ids, bounds, 0)
