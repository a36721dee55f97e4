"""EngineConfig refuses settings the engine cannot use, naming the setting."""

from __future__ import annotations

import math

import pytest

from renkei.matching.engine import EngineConfig


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("candidates", 0, "candidates must be a whole number, 1 or more, not 0"),
        ("candidates", "300", "candidates must be a whole number, 1 or more, not '300'"),
        ("rrf_k", 2.5, "rrf_k must be a whole number, 1 or more, not 2.5"),
        ("title_weight", -1, "title_weight must be a whole number, 0 or more, not -1"),
        ("body_weight", True, "body_weight must be a whole number, 0 or more, not True"),
        ("ann_threshold", 0, "ann_threshold must be a whole number, 1 or more, not 0"),
        ("query_bigram_max_df", 0, "query_bigram_max_df must be above 0 and at most 1, not 0"),
        ("query_max_df", 1.5, "query_max_df must be above 0 and at most 1, not 1.5"),
        ("k1", -0.1, "k1 must be a number, 0 or more, not -0.1"),
        ("k1", math.nan, "k1 must be a number, 0 or more, not nan"),
        ("b", 1.2, "b must be between 0 and 1, not 1.2"),
        ("dense_weight", "0.4", "dense_weight must be a number, 0 or more, not '0.4'"),
        ("gloss_scoring", "some", "gloss_scoring must be one of candidates, all, not 'some'"),
    ],
)
def test_a_setting_out_of_range_is_refused_by_name(setting: str, value: object, message: str):
    with pytest.raises(ValueError) as raised:
        EngineConfig(**{setting: value})
    assert str(raised.value) == message
    with pytest.raises(ValueError, match=setting):  # also when changed on an existing configuration
        EngineConfig().with_overrides(**{setting: value})


def test_the_edges_of_the_ranges_are_allowed():
    config = EngineConfig(b=0, k1=0, title_weight=0, bigram_cut_from=0, query_max_df=1.0, candidates=1, dense_weight=0)
    assert (config.b, config.k1, config.candidates) == (0, 0, 1)
    assert EngineConfig(b=1, query_bigram_max_df=1e-9).b == 1
