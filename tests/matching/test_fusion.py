from __future__ import annotations

import json

import numpy as np
import pytest

from renkei.matching.engine import Document, EngineConfig, MatchIndex, fusion


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


# ---- linear fusion over features (fusion.features / fusion.linear) ----

SQRT_1_5 = 1.5**0.5  # z-score of the ends of three evenly spaced values


def test_features_have_exact_values_on_a_small_input():
    lexical = np.array([4.0, 2.0, 0.0])
    dense = np.array([0.5, 0.3, 0.1])
    evidence = np.array([1.0, np.e, 0.0])  # 0 counts as 1 (a single record)
    got = fusion.features(lexical, dense, evidence, fusion.FEATURES)
    expected = np.array(
        [
            [1.0, SQRT_1_5, 0.5, SQRT_1_5, 0.0],
            [0.5, 0.0, 0.3, 0.0, 1.0],
            [0.0, -SQRT_1_5, 0.1, -SQRT_1_5, 0.0],
        ]
    )
    np.testing.assert_allclose(got, expected, atol=1e-12)


def test_equal_scores_give_zero_z_scores_and_no_evidence_means_zero():
    got = fusion.features(np.array([3.0, 3.0]), np.array([0.2, 0.2]), None, ("bm25_z", "cosine_z", "log_evidence"))
    assert got.tolist() == [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]
    assert fusion.features(np.zeros(0), np.zeros(0), None, ("bm25_z",)).shape == (0, 1)


def test_a_cross_language_candidate_takes_its_dense_value_when_its_words_say_less():
    lexical = np.array([6.0, 3.0, 0.0, 4.0])
    dense = np.array([0.6, 0.2, 0.5, 0.1])
    cross = np.array([False, False, True, True])  # 2: no shared word; 3: shares Latin terms (RNA, PHA, …)
    got = fusion.features(lexical, dense, None, ("bm25_max", "bm25_z", "cosine_z"), cross)
    np.testing.assert_allclose(got[:, 0], [1.0, 0.5, 0.5, 4 / 6])
    z_lex = (lexical - 3.25) / lexical.std()
    z_dense = (dense - 0.35) / dense.std()
    np.testing.assert_allclose(got[:, 1], [z_lex[0], z_lex[1], z_dense[2], z_lex[3]])
    assert z_dense[2] > z_lex[2] and z_lex[3] > z_dense[3]
    np.testing.assert_allclose(got[:, 2], z_dense)


def test_linear_fusion_ranks_by_the_weighted_sum_with_ties_by_position():
    weights = fusion.LinearWeights(("bm25_max", "cosine", "log_evidence"), (1.0, 0.5, 0.1))
    positions = np.array([7, 3, 5])
    fused = fusion.linear(
        positions, np.array([2.0, 4.0, 2.0]), np.array([0.4, 0.0, 0.4]), weights, evidence=np.array([1.0, 1.0, 1.0])
    )
    assert [p for p, _ in fused] == [3, 5, 7]  # 1.0; then 0.7 and 0.7: the lower position first
    assert [round(s, 12) for _, s in fused] == [1.0, 0.7, 0.7]
    more = fusion.linear(positions, np.array([2.0, 4.0, 2.0]), np.array([0.4, 0.0, 0.4]), weights,
                         evidence=np.array([np.e**4, 1.0, 1.0]))  # fmt: skip
    assert [p for p, _ in more] == [7, 3, 5]  # 0.7 + 0.4 evidence bonus = 1.1
    assert fusion.linear(np.zeros(0, np.int64), np.zeros(0), np.zeros(0), weights) == []


def test_the_shipped_weights_load_and_unknown_features_are_refused():
    shipped = fusion.load_weights()
    assert set(shipped.features) <= set(fusion.FEATURES)
    assert len(shipped.weights) == len(shipped.features)
    with pytest.raises(ValueError, match="unknown fusion feature"):
        fusion.LinearWeights(("bm25", "cosine"), (1.0, 1.0))
    with pytest.raises(ValueError, match="unknown fusion feature"):
        fusion.LinearWeights(("prf_z",), (1.0,))  # measured in the benchmarks, not computed by the engine
    with pytest.raises(ValueError, match="one weight per feature"):
        fusion.LinearWeights(("cosine",), (1.0, 2.0))


def test_weights_from_another_file(tmp_path):
    path = tmp_path / "w.json"
    path.write_text(json.dumps({"features": ["cosine"], "weights": [2]}), encoding="utf-8")
    assert fusion.load_weights(str(path)) == fusion.LinearWeights(("cosine",), (2.0,))


def test_the_engine_ranks_the_document_with_more_evidence_first_when_the_text_is_the_same(embedder, tmp_path):
    path = tmp_path / "w.json"
    path.write_text(json.dumps({"features": ["bm25_z", "cosine_z", "log_evidence"], "weights": [1, 0.1, 0.5]}))
    text = "Solid oxide fuel cell stacks with ceramic interconnects for stationary power."
    docs = [
        Document("few", "en", "Lab A", text, fields={"evidence": 1}),
        Document("many", "en", "Lab B", text, fields={"evidence": 20}),
        Document("other", "en", "Lab C", "Sake yeast strains for aroma compounds in brewing."),
    ]
    config = EngineConfig(fusion="linear", fusion_weights=str(path))
    index = MatchIndex.build(docs, config, embedder=embedder)
    ranked = [m.id for m in index.search("fuel cell stacks for stationary power", top=3, explain=False)]
    assert ranked[:2] == ["many", "few"]
    index.reconfigure(fusion_weights="")  # the shipped weights: evidence counts, a little
    assert [m.id for m in index.search("fuel cell stacks", top=2, explain=False)] == ["many", "few"]
