"""Explanations across languages: terms shared through a JMdict gloss (fuel cell ≈ 燃料電池)."""

from __future__ import annotations

import pytest

from renkei.matching.engine import EngineConfig, MatchIndex
from renkei.matching.engine.explain import QueryTerms, explain

from .conftest import as_document


def _row(crosslingual: list[dict], kind: str, topic: str, lang: str) -> dict:
    [row] = [r for r in crosslingual if (r["kind"], r["topic"], r["lang"]) == (kind, topic, lang)]
    return row


def _need_text(row: dict) -> str:
    return row["title"] + "。" + row["text"]


def _pairs(explanation) -> list[tuple[str, str]]:
    return [(t.term, t.via) for t in explanation.shared_terms]


def _no_idf(key: str) -> float:
    return 0.0


def test_a_japanese_need_shows_the_english_seeds_words_with_their_japanese(seed_index, crosslingual):
    need = _row(crosslingual, "need", "fuel-cell", "ja")
    [match] = seed_index.search(_need_text(need), top=1, allow={"seed-fuel-cell-en"})
    explanation = match.explanation

    translated = {t.term.lower(): t.via for t in explanation.shared_terms if t.via}
    assert translated["fuel cell"] == "燃料電池"  # the seed's wording ≈ the need's
    assert translated["catalyst"] == "触媒"
    assert translated["platinum"] == "白金"
    # 燃料 ≈ fuel and 電池 ≈ cell are folded into the longer 燃料電池 ≈ fuel cell.
    assert "燃料" not in translated.values() and "電池" not in translated.values()
    [fuel_cell] = [t for t in explanation.shared_terms if t.via == "燃料電池"]
    assert fuel_cell.key == "fuel cell" and fuel_cell.weight == max(t.weight for t in explanation.shared_terms)
    # The passage is now chosen by the translated terms, and the seed's words are marked.
    assert explanation.passage_by == "terms"
    marked = explanation.passage.marked()
    assert "【fuel】 【cells】" in marked
    assert "【catalyst】" in marked and "【platinum】" in marked


def test_an_english_need_shows_the_japanese_seeds_words_with_their_english(seed_index, crosslingual):
    need = _row(crosslingual, "need", "fuel-cell", "en")
    [match] = seed_index.search(_need_text(need), top=1, allow={"seed-fuel-cell-ja"})
    explanation = match.explanation

    pairs = _pairs(explanation)
    assert ("燃料電池", "fuel cell") in pairs  # the need writes "fuel cell stacks"
    assert ("触媒", "catalyst") in pairs
    assert ("白金", "platinum") in pairs
    assert ("電極", "electrodes") in pairs  # the query's own wording, not the gloss
    assert explanation.terms[0] == "燃料電池"
    assert explanation.passage_by == "terms"
    assert "【燃料電池】" in explanation.passage.marked()


def test_a_gloss_counts_only_when_all_its_words_are_there():
    query = QueryTerms.of("燃料電池の寿命を延ばしたい", glosses=True)

    partial = explain(query, "Fuel tanks", (), "The fuel tank of the car has a long life.", idf=_no_idf)

    # "fuel cell" needs "cell", "life span" needs "span": neither is shown. 燃料's own
    # single-word gloss "fuel" is there, so that one is.
    assert _pairs(partial) == [("Fuel", "燃料")]
    assert "【life】" not in partial.passage.marked()

    whole = explain(query, "Fuel tanks", (), "The fuel cell of the car has a long life span.", idf=_no_idf)

    assert ("fuel cell", "燃料電池") in _pairs(whole) and ("life span", "寿命") in _pairs(whole)
    assert "【life】 【span】" in whole.passage.marked()


def test_the_reverse_direction_needs_every_word_of_the_gloss_too():
    query = QueryTerms.of("a long life for the fuel tank", glosses=True)

    explanation = explain(query, "燃料電池", (), "燃料電池の寿命を延ばす。", idf=_no_idf)

    assert _pairs(explanation) == [("燃料", "fuel")]  # neither 燃料電池 (cell) nor 寿命 (span)
    assert explanation.passage.marked() == "【燃料】電池の寿命を延ばす。"


def test_an_english_query_of_stop_words_shares_nothing_through_a_translation():
    query = QueryTerms.of("it is what it is", glosses=True)

    assert explain(query, "燃料電池", (), "燃料電池の寿命を延ばす。それは何か。", idf=_no_idf).shared_terms == ()


def test_without_the_glosses_nothing_translated_appears(embedder, crosslingual):
    docs = [as_document(_row(crosslingual, "seed", "fuel-cell", lang)) for lang in ("en", "ja")]
    index = MatchIndex.build(docs, embedder=embedder, config=EngineConfig(ja_glosses=False))
    need = _row(crosslingual, "need", "fuel-cell", "ja")

    [match] = index.search(_need_text(need), top=1, allow={"seed-fuel-cell-en"})

    assert match.explanation.shared_terms == ()
    assert match.explanation.passage_by == "meaning"
    assert QueryTerms.of(_need_text(need)).phrases == []


@pytest.mark.parametrize("topic", ["fuel-cell", "glycan", "wafer", "co2-capture", "patent-nlp"])
def test_terms_shared_directly_are_unchanged(crosslingual, topic):
    """Same language: the explanation is the same with the glosses on. Across languages the
    direct terms (CO2) keep their order and weights; the translated ones come on top."""
    for need_lang in ("ja", "en"):
        need = _need_text(_row(crosslingual, "need", topic, need_lang))
        for seed_lang in ("ja", "en"):
            seed = _row(crosslingual, "seed", topic, seed_lang)
            args = (seed["title"], (), seed["text"])
            on = explain(QueryTerms.of(need, glosses=True), *args, idf=_no_idf)
            off = explain(QueryTerms.of(need), *args, idf=_no_idf)
            direct = [t for t in on.shared_terms if not t.via]
            if need_lang == seed_lang:
                assert on == off
            else:
                assert direct == list(off.shared_terms)
                assert len(on.shared_terms) > len(direct)
