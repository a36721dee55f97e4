"""Combining the lexical and the dense ranking of one query.

The engine's default is ``linear``: a weighted sum of per-candidate features (z-scores of BM25
and cosine over the query's candidates, the document's evidence), with the weights shipped in
``fusion_weights.json`` and chosen by ``benchmarks/matching_learn.py`` (docs/matching.md,
"Fusion"). ``rrf``, ``weighted`` and ``max_normalised`` are the fixed rules measured before it.

Every function returns ``[(position, fused_score), …]`` best first. ``cross`` marks documents
written in the other language than the query (Japanese vs not): words cannot match across
languages, so for them the lexical part is left out and the dense part stands for both,
weighted ``lexical_weight + dense_weight`` on the same scale as the others. Without this, any
weak same-language word overlap would outrank the right document in the other language.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

WEIGHTS_FILE = Path(__file__).with_name("fusion_weights.json")


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


# ---- linear fusion over features, with fitted weights ----

FEATURES = ("bm25_max", "bm25_z", "cosine", "cosine_z", "log_evidence")


@dataclass(frozen=True)
class LinearWeights:
    """A linear fusion: ``score = Σ weight · feature`` over the named ``features``."""

    features: tuple[str, ...]
    weights: tuple[float, ...]

    def __post_init__(self) -> None:
        if len(self.features) != len(self.weights):
            raise ValueError("one weight per feature")
        unknown = set(self.features) - set(FEATURES)
        if unknown:
            raise ValueError(f"unknown fusion feature(s) {', '.join(sorted(unknown))}; known: {', '.join(FEATURES)}")


@cache
def load_weights(path: str = "") -> LinearWeights:
    """The weights in ``path`` (a JSON file written by benchmarks/matching_learn.py), or the
    shipped ``fusion_weights.json`` when ``path`` is empty."""
    data = json.loads(Path(path or WEIGHTS_FILE).read_text(encoding="utf-8"))
    return LinearWeights(tuple(data["features"]), tuple(float(w) for w in data["weights"]))


def linear(
    positions: np.ndarray,
    lexical: np.ndarray,
    dense: np.ndarray,
    weights: LinearWeights,
    *,
    evidence: np.ndarray | None = None,
    cross: np.ndarray | None = None,
) -> list[tuple[int, float]]:
    """Weighted sum of the candidates' ``features`` (ties: lower position first)."""
    if len(positions) == 0:
        return []
    fused = features(lexical, dense, evidence, weights.features, cross) @ np.asarray(weights.weights)
    order = np.lexsort((positions, -fused))
    return [(int(positions[i]), float(fused[i])) for i in order]


def features(
    lexical: np.ndarray,
    dense: np.ndarray,
    evidence: np.ndarray | None,
    names: Sequence[str],
    cross: np.ndarray | None = None,
) -> np.ndarray:
    """The candidates' feature matrix (one row per candidate, one column per name).

    - ``bm25_max``: BM25 / the best BM25 among the candidates; ``bm25_z``: BM25 as a z-score
      over the candidates (0 when all are equal);
    - ``cosine``: the raw cosine; ``cosine_z``: its z-score over the candidates;
    - ``log_evidence``: log of how much evidence stands behind the document (a partner's number
      of seeds or projects; 1 for a single listing, so 0).

    For a candidate in ``cross`` (other language than the query) each lexical feature takes the
    value of its dense counterpart when that is higher: the meaning stands for the words that
    cannot match across languages (as in ``max_normalised``), while the Latin terms a Japanese
    text shares with an English query (RNA, PHA, IoT) still count.
    """
    lexical = lexical.astype(np.float64)
    dense = dense.astype(np.float64)
    cross = np.zeros(len(lexical), dtype=bool) if cross is None else cross
    columns = {}
    for name in names:
        if name == "bm25_max":
            top = lexical.max() if len(lexical) else 0.0
            column = lexical / top if top > 0 else np.zeros_like(lexical)
            column = np.where(cross, np.maximum(column, dense), column)
        elif name == "bm25_z":
            column = _z(lexical)
            column = np.where(cross, np.maximum(column, _z(dense)), column)
        elif name == "cosine":
            column = dense
        elif name == "cosine_z":
            column = _z(dense)
        elif name == "log_evidence":
            column = np.zeros(len(lexical)) if evidence is None else np.log(np.maximum(evidence, 1.0))
        else:
            raise ValueError(f"unknown fusion feature {name!r}; known: {', '.join(FEATURES)}")
        columns[name] = column
    return np.stack([columns[n] for n in names], axis=1) if names else np.zeros((len(lexical), 0))


def _z(scores: np.ndarray) -> np.ndarray:
    if len(scores) == 0:
        return scores
    spread = scores.std()
    if spread <= 0:
        return np.zeros_like(scores)
    return (scores - scores.mean()) / spread
