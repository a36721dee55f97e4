from __future__ import annotations

from renkei.matching.engine.text import (
    COMPOUND,
    SUDACHI_MAX_BYTES,
    analyze,
    index_terms,
    normalize,
    split_passages,
    sudachi_chunks,
)


def keys(text: str) -> set[str]:
    return {t.key for t in analyze(text, compounds_whole=True)}


def test_japanese_compounds_are_kept_whole():
    terms = keys("産学官連携により燃料電池と糖鎖工学の共同研究を進める")
    assert {"産学官連携", "燃料電池", "糖鎖工学"} <= terms
    # …and their parts stay searchable on their own.
    assert {"燃料", "電池", "糖鎖", "工学", "連携"} <= terms


def test_mode_c_words_also_index_their_mode_a_parts():
    terms = index_terms("機械学習とリチウムイオン電池")
    assert {"機械学習", "機械", "学習", "リチウムイオン電池", "電池"} <= set(terms)


def test_a_long_noun_run_becomes_one_compound_for_explanations():
    compounds = {t.surface for t in analyze("固体高分子形燃料電池の開発", compounds_whole=True) if t.kind == COMPOUND}
    assert "固体高分子形燃料電池" in compounds


def test_particles_and_light_verbs_are_not_terms():
    assert not {"の", "を", "する", "こと", "ため"} & set(index_terms("燃料電池を開発することのため"))


def test_english_is_stemmed_and_stop_words_dropped():
    assert index_terms("The fuel cells and the fuelling of engines") == ["fuel", "cell", "fuell", "engin"]


def test_mixed_text_treats_latin_words_like_english():
    terms = index_terms("Fuel Cellsの白金触媒とＡＩ、CO2回収")
    assert {"fuel", "cell", "白金", "触媒", "ai", "co2", "回収"} <= set(terms)
    assert index_terms("fuel cell") == ["fuel", "cell"]


def test_width_is_normalised():
    assert normalize("ＡＩとｶﾀｶﾅ１２３") == "AIとカタカナ123"


def test_spans_point_into_the_normalised_text():
    text = normalize("燃料電池 and fuel cells")
    for term in analyze(text, normalized=True):
        assert text[term.start : term.end] == term.surface


def test_text_over_sudachis_byte_limit_is_split_not_rejected():
    text = "固体高分子形燃料電池の触媒を開発する。" * 5000  # about 285,000 bytes
    assert all(len(chunk.encode()) <= SUDACHI_MAX_BYTES for _, chunk in sudachi_chunks(text))
    assert "燃料電池" in set(index_terms(text))
    unbroken = "燃料電池" * 20_000  # no sentence end at all
    assert index_terms(unbroken)


def test_passages_cut_at_sentences():
    text = "First sentence here. Second one! || Project two. 日本語の文です。次の文。"
    passages = [text[s:e] for s, e in split_passages(text, size=20)]
    assert passages[0].startswith("First") and "Project two." in passages[2]
    assert passages[-1] == "日本語の文です。次の文。"
