"""Combining the lexical and the dense ranking of one query.

Every function returns ``[(position, fused_score), …]`` best first. ``cross`` marks documents
written in the other language than the query (Japanese vs not): words cannot match across
languages, so for them the lexical part is left out and the dense part stands for both,
weighted ``lexical_weight + dense_weight`` on the same scale as the others. Without this, any
weak same-language word overlap would outrank the right document in the other language.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def rrf(
    rankings: Sequence[np.ndarray],
    weights: Sequence[float],
    *,
    k: int = 60,
    cross: set[int] | None = None,
) -> list[tuple[int, float]]:
    """Reciprocal rank fusion: score(d) = Σ weight_i / (k + rank_i(d)), ranks from 1.

    ``rankings`` are (lexical, dense); documents in ``cross`` take only the dense term, with
    the sum of the weights.
    """
    scores: dict[int, float] = {}
    lexical, dense = rankings
    w_lex, w_dense = weights
    cross = cross or set()
    for rank, position in enumerate(lexical.tolist(), 1):
        if position not in cross and w_lex:
            scores[position] = scores.get(position, 0.0) + w_lex / (k + rank)
    for rank, position in enumerate(dense.tolist(), 1):
        weight = w_lex + w_dense if position in cross else w_dense
        if weight:
            scores[position] = scores.get(position, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))


def weighted(
    positions: np.ndarray,
    lexical: np.ndarray,
    dense: np.ndarray,
    lexical_weight: float,
    dense_weight: float,
    cross: np.ndarray | None = None,
) -> list[tuple[int, float]]:
    """Weighted sum of scores, each min–max normalised over the candidates of this query."""
    if len(positions) == 0:
        return []
    return _combine(positions, _minmax(lexical), _minmax(dense), lexical_weight, dense_weight, cross)


def max_normalised(
    positions: np.ndarray,
    lexical: np.ndarray,
    dense: np.ndarray,
    lexical_weight: float,
    dense_weight: float,
    cross: np.ndarray | None = None,
) -> list[tuple[int, float]]:
    """Weighted sum of BM25 divided by the query's best BM25 score and the raw cosine."""
    if len(positions) == 0:
        return []
    same = lexical if cross is None else np.where(cross, 0, lexical)
    top = float(same.max())
    lexical = same / top if top > 0 else np.zeros_like(same, dtype=np.float64)
    return _combine(positions, lexical, dense.astype(np.float64), lexical_weight, dense_weight, cross)


def _combine(
    positions: np.ndarray,
    lexical: np.ndarray,
    dense: np.ndarray,
    lexical_weight: float,
    dense_weight: float,
    cross: np.ndarray | None,
) -> list[tuple[int, float]]:
    fused = lexical_weight * lexical + dense_weight * dense
    if cross is not None and cross.any():
        fused = np.where(cross, (lexical_weight + dense_weight) * dense, fused)
    order = np.lexsort((positions, -fused))
    return [(int(positions[i]), float(fused[i])) for i in order]


def _minmax(scores: np.ndarray) -> np.ndarray:
    scores = scores.astype(np.float64)
    low, high = scores.min(), scores.max()
    if high <= low:
        return np.zeros_like(scores)
    return (scores - low) / (high - low)
