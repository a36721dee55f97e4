from __future__ import annotations

import numpy as np

from renkei.matching.engine import fusion


def test_rrf_adds_reciprocal_ranks():
    fused = dict(fusion.rrf([np.array([1, 2]), np.array([2, 3])], [1.0, 1.0], k=10))
    assert fused[2] == 1 / 12 + 1 / 11
    assert max(fused, key=fused.get) == 2


def test_a_cross_language_document_is_scored_by_meaning_alone_on_the_same_scale():
    positions = np.array([0, 1, 2])
    lexical = np.array([10.0, 4.0, 0.0])  # 0: the same-language twin, 1: weak overlap, 2: other language
    dense = np.array([0.6, 0.2, 0.55])
    cross = np.array([False, False, True])
    ranked = [p for p, _ in fusion.max_normalised(positions, lexical, dense, 0.6, 0.4, cross)]
    assert ranked == [0, 2, 1]
    plain = [p for p, _ in fusion.max_normalised(positions, lexical, dense, 0.6, 0.4)]
    assert plain == [0, 1, 2]


def test_min_max_fusion_of_equal_scores_does_not_divide_by_zero():
    fused = fusion.weighted(np.array([4, 5]), np.array([1.0, 1.0]), np.array([0.3, 0.3]), 0.5, 0.5)
    assert [p for p, _ in fused] == [4, 5]
