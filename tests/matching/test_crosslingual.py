"""A need in one language must find the seed written in the other."""

from __future__ import annotations

import pytest

from renkei.matching.engine import MatchIndex

from .conftest import as_document


def needs(rows: list[dict], lang: str) -> list[dict]:
    return [r for r in rows if r["kind"] == "need" and r["lang"] == lang]


@pytest.mark.parametrize(("need_lang", "seed_lang"), [("ja", "en"), ("en", "ja")])
def test_a_need_finds_the_seed_in_the_other_language(embedder, crosslingual, need_lang, seed_lang):
    seeds = [as_document(r) for r in crosslingual if r["kind"] == "seed" and r["lang"] == seed_lang]
    index = MatchIndex.build(seeds, embedder=embedder)
    for need in needs(crosslingual, need_lang):
        top = index.search(need["text"], top=1, explain=False)
        assert top[0].id == f"seed-{need['topic']}-{seed_lang}", need["title"]


def test_in_a_mixed_index_both_language_versions_rank_first(seed_index, crosslingual):
    hits = 0
    for need in needs(crosslingual, "ja"):
        top2 = {m.id for m in seed_index.search(need["text"], top=2, explain=False)}
        hits += top2 == {f"seed-{need['topic']}-ja", f"seed-{need['topic']}-en"}
    assert hits >= 10  # of 12 topics


def test_explanations_show_shared_compounds_and_marked_passage(seed_index):
    [best] = seed_index.search("燃料電池の白金触媒を減らしたい", top=1)
    assert best.id == "seed-fuel-cell-ja"
    assert "燃料電池" in best.explanation.terms
    assert "【燃料電池】" in best.explanation.passage.marked()


def test_a_cross_lingual_match_explains_with_the_closest_passage(seed_index):
    # No word of this query is shared with the English seed, not even through a JMdict gloss
    # (糖鎖 ≈ glycans or 抗体 ≈ antibody would be: test_explain_glosses.py).
    results = seed_index.search("フコースを取り除いて医薬品の作用を強めたい", top=3, allow={"seed-glycan-en"})
    [match] = results
    assert match.explanation.passage_by == "meaning"
    assert "antibod" in match.explanation.passage.text
