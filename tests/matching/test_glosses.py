"""JMdict glosses: the lexical bridge between Japanese and English text."""

from __future__ import annotations

import json

import numpy as np
import pytest

from renkei.matching.engine import Document, EngineConfig, MatchIndex
from renkei.matching.engine.glosses import GLOSS_PREFIX, gloss_keys, glosses, with_glosses
from renkei.matching.engine.text import index_terms

from .conftest import as_document


def test_a_technical_compound_gets_its_english_translation():
    assert glosses("燃料電池") == ("fuel cell",)
    assert glosses("触媒") == ("catalyst",)
    assert gloss_keys("燃料電池") == ("fuel", "cell")
    assert "glycan" in gloss_keys("糖鎖")


def test_a_katakana_word_is_found_by_its_reading():
    assert "drone" in gloss_keys("ドローン")


def test_words_without_an_entry_and_non_japanese_keys_get_nothing():
    assert glosses("産学官連携") == ()  # not in JMdict: its parts 産学官 and 連携 carry it
    assert with_glosses(["fuel", "cell"]) == ["fuel", "cell"]
    assert with_glosses(["2:燃料", "2:電池"]) == ["2:燃料", "2:電池"]  # character bigrams are not words


def test_glosses_follow_the_japanese_keys_once_per_distinct_word():
    keys = index_terms("燃料電池と燃料電池の触媒")
    extended = with_glosses(keys)
    assert extended[: len(keys)] == keys
    added = extended[len(keys) :]
    assert added.count("catalyst") == 1
    assert {"fuel", "cell", "catalyst"} <= set(added)


def _bm25_hits(index: MatchIndex, needs: list[dict], seed_lang: str) -> int:
    hits = 0
    for need in needs:
        top = index.search(need["text"], top=1, mode="bm25", explain=False)
        hits += bool(top) and top[0].id == f"seed-{need['topic']}-{seed_lang}"
    return hits


def test_bm25_alone_now_finds_a_japanese_seed_for_an_english_need(embedder, crosslingual):
    japanese_seeds = [as_document(r) for r in crosslingual if r["kind"] == "seed" and r["lang"] == "ja"]
    english_needs = [r for r in crosslingual if r["kind"] == "need" and r["lang"] == "en"]
    index = MatchIndex.build(japanese_seeds, embedder=embedder)

    found = _bm25_hits(index, english_needs, "ja")

    assert found >= 8, found  # of 12: the seeds' glosses meet the needs' English words
    index.reconfigure(ja_glosses=False)
    assert _bm25_hits(index, english_needs, "ja") == 0  # without them BM25 shares no term


def test_query_glosses_are_a_query_time_option(embedder, crosslingual):
    english_seeds = [as_document(r) for r in crosslingual if r["kind"] == "seed" and r["lang"] == "en"]
    japanese_needs = [r for r in crosslingual if r["kind"] == "need" and r["lang"] == "ja"]
    index = MatchIndex.build(english_seeds, embedder=embedder)
    assert "fuel" not in index.query_keys("燃料電池")  # the default: documents only
    assert _bm25_hits(index, japanese_needs, "en") == 0

    index.reconfigure(query_glosses=True)  # no re-analysis: the documents are unchanged

    assert {"fuel", "cell"} <= set(index.query_keys("燃料電池"))
    assert _bm25_hits(index, japanese_needs, "en") >= 6


def _save_as_before(index: MatchIndex, path, setting: str) -> None:
    """Save ``index`` as a version that did not know ``setting`` would have: without it."""
    index.save(path)
    manifest = path / "manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    del data["config"][setting]
    manifest.write_text(json.dumps(data), encoding="utf-8")


def test_an_index_saved_before_the_glosses_loads_without_them(embedder, crosslingual, tmp_path):
    docs = [as_document(r) for r in crosslingual if r["kind"] == "seed"]
    index = MatchIndex.build(docs, embedder=embedder, config=EngineConfig(ja_glosses=False))
    _save_as_before(index, tmp_path / "old", "ja_glosses")  # as the previous version saved it

    loaded = MatchIndex.load(tmp_path / "old", embedder=embedder)

    assert loaded.config.ja_glosses is False
    assert "燃料電池" in docs[0].title and "fuel" not in loaded.lexical_keys(docs[0])
    assert EngineConfig().ja_glosses is True


@pytest.mark.parametrize("mode", ["bm25", "hybrid"])
def test_switching_the_glosses_on_reanalyses_the_saved_terms(embedder, crosslingual, mode):
    docs = [as_document(r) for r in crosslingual if r["kind"] == "seed" and r["lang"] == "ja"]
    index = MatchIndex.build(docs, embedder=embedder, config=EngineConfig(ja_glosses=False))
    assert not index.search("fuel cell catalyst", top=1, mode="bm25", explain=False)

    index.reconfigure(ja_glosses=True)

    top = index.search("fuel cell catalyst", top=1, mode=mode, explain=False)
    assert top[0].id == "seed-fuel-cell-ja"


def test_gloss_keys_have_posting_lists_of_their_own(embedder):
    japanese = Document("ja", "ja", "燃料電池の触媒", "白金を減らした燃料電池の触媒を開発した。")
    english = [Document(f"en{i}", "en", "", f"A fuel additive for engines, batch {i}.") for i in range(3)]
    index = MatchIndex.build([japanese, *english], embedder=embedder)
    keys = index.lexical_keys(japanese)
    assert {GLOSS_PREFIX + "fuel", GLOSS_PREFIX + "catalyst"} <= set(keys) and "fuel" not in keys
    # Both lists weigh as one: "fuel" is in 3 English documents and 1 Japanese one's glosses.
    assert index.lexical.df[index.lexical.vocab["fuel"]] == 3
    assert index.lexical.idf("fuel") == index.lexical.idf(GLOSS_PREFIX + "fuel")
    assert index.lexical.idf("fuel") == pytest.approx(np.log1p((4 - 4 + 0.5) / (4 + 0.5)))
    assert index.lexical.idf(GLOSS_PREFIX + "catalyst") == pytest.approx(np.log1p((4 - 1 + 0.5) / (1 + 0.5)))
    ids, gloss_ids = index.lexical_query("fuel cell catalyst")
    assert [index.lexical.keys()[t] for t in gloss_ids.tolist()] == [
        GLOSS_PREFIX + k for k in ("fuel", "cell", "catalyst")
    ]
    assert not len(index.lexical_query("燃料電池")[1])  # a Japanese query has no gloss lists to read
    top = index.search("fuel cell catalyst", top=1, mode="bm25", explain=False)
    assert top[0].id == "ja"


def test_gloss_lists_are_scored_at_the_fusion_candidates(embedder, crosslingual):
    docs = [as_document(r) for r in crosslingual]
    index = MatchIndex.build(docs, embedder=embedder, config=EngineConfig(candidates=4))
    english_needs = [r["text"] for r in crosslingual if r["kind"] == "need" and r["lang"] == "en"]
    scored_japanese = 0
    for text in english_needs:
        exact = index.lexical_scores(text, index.lexical.alive)
        for m in index.search(text, top=8, explain=False):
            if m.lexical_rank is not None or m.dense_rank is not None:  # a candidate: exact BM25
                assert m.lexical_score == pytest.approx(float(exact[index.positions[m.id]]), rel=1e-5)
                scored_japanese += index.japanese[index.positions[m.id]] and m.lexical_score > 0
    assert scored_japanese >= 5
    # Outside the candidates the gloss lists are not read: the BM25 ranking differs from reading
    # them in full, and "all" gives the exact one.
    text = english_needs[0]
    partial = index.search(text, top=8, explain=False)
    index.reconfigure(gloss_scoring="all")
    full = index.search(text, top=8, explain=False)
    exact = index.lexical_scores(text, index.lexical.alive)
    assert [m.lexical_score for m in full] == pytest.approx([float(exact[index.positions[m.id]]) for m in full])
    assert {m.id for m in partial} != {m.id for m in full} or [m.lexical_rank for m in partial] != [
        m.lexical_rank for m in full
    ]


def test_when_the_candidates_cover_the_collection_both_gloss_scorings_are_one(embedder, crosslingual):
    docs = [as_document(r) for r in crosslingual]
    index = MatchIndex.build(docs, embedder=embedder)  # 1,000 dense candidates: all 48 documents
    needs = [r["text"] for r in crosslingual if r["kind"] == "need"]
    partial = index.search_many(needs, top=10)
    index.reconfigure(gloss_scoring="all")
    full = index.search_many(needs, top=10)
    assert [[m.id for m in ms] for ms in full] == [[m.id for m in ms] for ms in partial]
    for got, want in zip(full, partial, strict=True):  # the same sums, added in another order
        assert [m.lexical_score for m in got] == pytest.approx([m.lexical_score for m in want], rel=1e-5)


def test_an_index_saved_with_glosses_in_the_english_lists_keeps_them_there(embedder, crosslingual, tmp_path):
    docs = [as_document(r) for r in crosslingual if r["kind"] == "seed" and r["lang"] == "ja"]
    index = MatchIndex.build(docs, embedder=embedder, config=EngineConfig(gloss_columns=False))
    assert "fuel" in index.lexical_keys(docs[0]) or "catalyst" in index.lexical_keys(docs[0])
    _save_as_before(index, tmp_path / "before", "gloss_columns")  # before the lists had their own

    loaded = MatchIndex.load(tmp_path / "before", embedder=embedder)

    assert loaded.config.gloss_columns is False and not len(loaded.lexical_query("fuel cell")[1])
    assert loaded.search("fuel cell catalyst", top=1, mode="bm25", explain=False)[0].id == "seed-fuel-cell-ja"
    loaded.reconfigure(gloss_columns=True)  # re-analysed: the glosses move to their own lists
    assert GLOSS_PREFIX + "fuel" in loaded.lexical.vocab
    assert loaded.search("fuel cell catalyst", top=1, explain=False)[0].id == "seed-fuel-cell-ja"


def test_gloss_lists_of_their_own_score_as_one_shared_list(embedder, crosslingual):
    docs = [as_document(r) for r in crosslingual]
    shared = MatchIndex.build(docs, embedder=embedder, config=EngineConfig(gloss_columns=False))
    own = MatchIndex.build(docs, embedder=embedder)
    english = [r["text"] for r in crosslingual if r["lang"] == "en"]
    vocab, compared = own.lexical.vocab, 0
    for text in english:
        want = shared.lexical_scores(text)
        got = own.lexical_scores(text)
        # A Japanese text that also writes an English word it has a gloss for holds the word
        # in both lists: one posting (tf summed) before, two now. Those positions may differ.
        words = {k for k in shared.query_keys(text) if GLOSS_PREFIX + k in vocab and k in vocab}
        both = [
            p
            for p, t in enumerate(own.lexical.terms)
            if {vocab[w] for w in words} & set(t.tolist())
            and {vocab[GLOSS_PREFIX + w] for w in words} & set(t.tolist())
        ]
        rest = np.setdiff1d(np.arange(len(own)), both)
        np.testing.assert_allclose(got[rest], want[rest], rtol=1e-5, atol=1e-6)
        compared += int(np.count_nonzero(got[rest][[own.japanese[p] for p in rest]]))
    assert compared >= 20  # Japanese documents scored for English text, through their gloss lists


def test_common_query_bigrams_are_left_unscored_in_a_large_index(embedder):
    docs = [Document(f"d{i}", "ja", "", f"燃料電池の研究{'触媒' if i < 2 else '膜'}を開発する。") for i in range(10)]
    large = MatchIndex.build(docs, embedder=embedder, config=EngineConfig(bigram_cut_from=10))
    small = MatchIndex.build(docs, embedder=embedder)  # below the default size (200,000): no cut
    keys = large.lexical.keys()

    def scored(index: MatchIndex) -> set[str]:
        return {keys[t] for t in index.lexical_query("燃料電池の触媒")[0].tolist()}

    everything = scored(small)
    assert {"2:燃料", "2:触媒", "燃料電池", "触媒"} <= everything
    cut = scored(large)
    assert "2:燃料" not in cut  # in all ten documents: more than 20% of them
    assert "2:触媒" in cut  # in two of ten: kept
    assert {t for t in everything if not t.startswith("2:")} <= cut  # words are never cut
    assert large.search("燃料電池の触媒", top=1, mode="bm25", explain=False)[0].id in {"d0", "d1"}
