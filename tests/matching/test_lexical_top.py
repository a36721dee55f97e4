"""MaxScore (LexicalIndex.top) returns the exhaustive top k, reading fewer postings in full."""

from __future__ import annotations

import numpy as np
import pytest

from renkei.matching.engine.index import _top_positive
from renkei.matching.engine.lexical import LexicalIndex
from tests.matching.test_lexical_scoring import CONFIG, keys, queries, rows  # noqa: F401


@pytest.fixture(scope="module")
def lexical(rows: list[dict]) -> LexicalIndex:  # noqa: F811
    """The fixed JA/EN set, each text also cut in halves (near-duplicates make close scores)."""
    index = LexicalIndex(k1=CONFIG.k1, b=CONFIG.b)
    for row in rows:
        text = row["text"]
        for piece in (text, text[: len(text) // 2], text[len(text) // 2 :]):
            index.add(keys(piece) + keys(row["title"]))
    index.remove(5)
    return index


def _same_top(exhaustive: np.ndarray, positions: np.ndarray, scores: np.ndarray) -> bool:
    """The same positions in the same order, except where scores tie (to float32 rounding)."""
    expected = exhaustive[positions]
    if not np.allclose(scores, expected, rtol=1e-5):
        return False
    mine = [(round(float(s), 4), int(p)) for s, p in zip(scores, positions, strict=True)]
    return mine == sorted(mine, key=lambda item: (-item[0], item[1]))


@pytest.mark.parametrize("k", [1, 3, 10, 50])
def test_maxscore_returns_the_exhaustive_top_k(lexical, rows, k):  # noqa: F811
    rng = np.random.default_rng(k)
    n = len(lexical)
    pruned = 0
    for mask in (None, rng.random(n) < 0.5):
        for text in queries(rows):
            ids = lexical.query_ids(keys(text))
            exhaustive = lexical.scores(ids, mask, grouped=True)
            expected = _top_positive(exhaustive, k)
            extra = rng.choice(n, 5, replace=False)
            hits = lexical.top(ids, k, mask, extra=extra)
            assert sorted(hits.positions.tolist()) == sorted(expected.tolist()) or np.allclose(
                np.sort(exhaustive[hits.positions]), np.sort(exhaustive[expected]), rtol=1e-5
            )
            assert _same_top(exhaustive, hits.positions, hits.scores)
            assert np.allclose(hits.extra_scores, lexical.scores(ids, grouped=True)[extra], rtol=1e-5, atol=1e-6)
            pruned += hits.read < lexical.postings(np.unique(ids))
    if k <= 10:
        assert pruned  # the bound did skip postings: the test exercises MaxScore, not only exhaustive reading


def test_maxscore_with_no_known_term_or_nothing_allowed(lexical):
    assert len(lexical.top(lexical.query_ids(keys("zzzz qqqq")), 10).positions) == 0
    ids = lexical.query_ids(keys("燃料電池の白金触媒"))
    nothing = np.zeros(len(lexical), dtype=bool)
    assert len(lexical.top(ids, 10, nothing).positions) == 0
