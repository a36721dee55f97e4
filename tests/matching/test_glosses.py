"""JMdict glosses: the lexical bridge between Japanese and English text."""

from __future__ import annotations

import json

import pytest

from renkei.matching.engine import EngineConfig, MatchIndex
from renkei.matching.engine.glosses import gloss_keys, glosses, with_glosses
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


def test_an_index_saved_before_the_glosses_loads_without_them(embedder, crosslingual, tmp_path):
    docs = [as_document(r) for r in crosslingual if r["kind"] == "seed"]
    index = MatchIndex.build(docs, embedder=embedder, config=EngineConfig(ja_glosses=False))
    index.save(tmp_path / "old")
    manifest = tmp_path / "old" / "manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    del data["config"]["ja_glosses"]  # what an index saved by the previous version looks like
    manifest.write_text(json.dumps(data), encoding="utf-8")

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
