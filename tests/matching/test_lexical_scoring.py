"""BM25 scoring: the engine's own loop equals bm25s's scores bit for bit; grouped terms agree."""

from __future__ import annotations

from pathlib import Path

import numba
import numpy as np
import pytest

from renkei.matching.engine import EngineConfig, kernels
from renkei.matching.engine import lexical as lexical_module
from renkei.matching.engine.glosses import GLOSS_PREFIX
from renkei.matching.engine.lexical import LexicalIndex
from renkei.matching.engine.text import index_terms, normalize
from tests.matching.conftest import load_crosslingual

CONFIG = EngineConfig()


def keys(text: str) -> list[str]:
    return index_terms(normalize(text), parts=CONFIG.ja_parts, pairs=CONFIG.ja_pairs, bigrams=CONFIG.ja_bigrams)


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    return load_crosslingual()


@pytest.fixture(scope="module")
def lexical(rows: list[dict]) -> LexicalIndex:
    """Every seed and need of the fixed JA/EN set, title weighted as the engine does; one removed."""
    index = LexicalIndex(k1=CONFIG.k1, b=CONFIG.b)
    for row in rows:
        index.add(keys(row["text"]) * CONFIG.body_weight + keys(row["title"]) * CONFIG.title_weight)
    index.remove(3)  # removed documents change idf and average length: the matrix is rebuilt
    return index


def queries(rows: list[dict]) -> list[str]:
    needs = [row["text"] for row in rows if row["kind"] == "need"]
    return [
        *needs,  # need-length queries, Japanese and English
        needs[0] + "\n" + needs[1] + "\n" + needs[0],  # mixed Japanese and English, every term repeated
        "燃料電池 fuel cell 燃料電池 platinum platinum platinum 触媒",
        "水素 " * 40 + "hydrogen storage",
        "zzzz-unknown-term 存在しない語",  # no known term
    ]


def reference(index: LexicalIndex, query_ids: np.ndarray, mask: np.ndarray | None) -> np.ndarray:
    """The implementation the engine used before: bm25s's own scoring of the same matrix."""
    scores = index._bm25.get_scores_from_ids(query_ids) if len(query_ids) else np.zeros(len(index), np.float32)
    return scores * mask if mask is not None else scores


def top(scores: np.ndarray, k: int) -> list[int]:
    return [int(p) for p in np.argsort(-scores, kind="stable")[:k] if scores[p] > 0]


@pytest.mark.parametrize("masked", [False, True])
def test_scores_equal_bm25s_bit_for_bit(lexical: LexicalIndex, rows: list[dict], masked: bool):
    mask = lexical.alive
    if masked:
        mask[::3] = False
    checked = 0
    for text in queries(rows):
        query_ids = lexical.query_ids(keys(text))
        ours = lexical.scores(query_ids, mask if masked else None)
        theirs = reference(lexical, query_ids, mask if masked else None)
        assert ours.dtype == theirs.dtype == np.float32
        assert np.array_equal(ours, theirs)
        assert top(ours, 20) == top(theirs, 20)
        checked += bool(top(ours, 1))
        if masked:
            assert not ours[~mask].any()
    assert checked >= len(queries(rows)) - 1  # every query but the unknown-term one found something


def test_grouped_terms_score_within_float_rounding(lexical: LexicalIndex, rows: list[dict]):
    repeated = 0
    for text in queries(rows):
        query_ids = lexical.query_ids(keys(text))
        repeated += len(query_ids) > len(np.unique(query_ids))
        exact = lexical.scores(query_ids)
        grouped = lexical.scores(query_ids, grouped=True)
        np.testing.assert_allclose(grouped, exact, rtol=1e-5, atol=1e-6)
        assert top(grouped, 20) == top(exact, 20)
        # One posting per live document holding the term, read once per occurrence in the query.
        assert lexical.postings(query_ids) == sum(lexical.df[i] for i in query_ids)
        assert lexical.postings(np.unique(query_ids)) == sum(lexical.df[i] for i in np.unique(query_ids))
    assert repeated >= 3  # the long queries do repeat terms


def test_empty_query_and_removed_documents_score_zero(lexical: LexicalIndex):
    assert not lexical.scores(np.zeros(0, np.int32)).any()
    assert lexical.postings(np.zeros(0, np.int32)) == 0
    query_ids = lexical.query_ids(keys("燃料電池 fuel cell catalyst"))
    assert lexical.scores(query_ids)[3] == 0
    assert lexical.scores(query_ids, grouped=True)[3] == 0


def test_common_query_terms_can_be_left_unscored():
    index = LexicalIndex()
    for text in ["fuel cell catalyst", "fuel cell membrane", "fuel tank", "glycan analysis"]:
        index.add(keys(text))
    q = index.query_ids(keys("fuel cell catalyst"))
    df = {index.keys()[t]: index.df[t] for t in q.tolist()}
    assert df == {"fuel": 3, "cell": 2, "catalyst": 1}

    kept = index.without_common(q, 0.5)  # at most 2 of the 4 documents
    assert sorted(index.keys()[t] for t in kept.tolist()) == ["catalyst", "cell"]
    assert index.scores(kept)[2] == 0  # "fuel tank" no longer scores
    assert np.array_equal(index.without_common(q, 1.0), q)
    only_common = index.query_ids(keys("fuel"))
    assert np.array_equal(index.without_common(only_common, 0.5), only_common)  # nothing left: keep all


def test_common_terms_are_counted_on_a_frozen_index_too():
    """A serving process's index is frozen while it applies journal records; a term that first
    appears in them has no entry in the frozen frequencies (it used to raise IndexError)."""
    index = LexicalIndex()
    for text in ["fuel cell catalyst", "fuel cell membrane", "fuel tank", "glycan analysis"]:
        index.add(keys(text))
    index.freeze()
    index.add(keys("zeppelin airship"))
    index.add(keys("zeppelin hangar"))
    q = index.query_ids(keys("zeppelin fuel"))

    kept = index.without_common(q, 0.4)  # at most 2.4 of the 6 live documents

    assert [index.keys()[t] for t in kept.tolist()] == ["zeppelin"]  # fuel (3) is dropped
    assert index.scores(kept)[4] > 0 and index.scores(kept)[0] == 0


@pytest.mark.parametrize("frozen", [False, True], ids=["main matrix", "with a side matrix"])
def test_scores_at_some_positions_equal_the_full_scores_there(rows: list[dict], frozen: bool):
    index = LexicalIndex(k1=CONFIG.k1, b=CONFIG.b)
    for row in rows:
        index.add(keys(row["text"]) + keys(row["title"]))
    index.remove(5)
    if frozen:  # a serving process applying journal records: appended positions in a side matrix
        index.freeze()
        for row in rows[:6]:
            index.add(keys(row["title"] + " " + row["text"]))
        index.remove(len(index) - 2)
    n = len(index)
    position_sets = {
        "one": np.array([n - 1]),
        "a few": np.array([0, 5, 7, n - 3, n - 1]),  # fewer positions than most lists: search the lists
        "most": np.setdiff1d(np.arange(n), [2, 9]),  # more positions than any list: search the positions
        "none": np.zeros(0, dtype=np.int64),
    }
    compared = 0
    for text in queries(rows):
        query_ids = index.query_ids(keys(text))
        for grouped in (False, True):
            full = index.scores(query_ids, grouped=grouped)
            for positions in position_sets.values():
                at = index.scores_at(query_ids, positions)  # each distinct term once, weighted
                assert at.dtype == np.float32 and at.shape == positions.shape
                np.testing.assert_allclose(at, full[positions], rtol=1e-5, atol=1e-6)
                compared += int(np.count_nonzero(at))
    assert compared > 100  # the positions do hold postings of the queries' terms
    assert not index.scores_at(index.query_ids(keys("燃料電池")), np.array([5]))[0]  # removed


def test_a_gloss_list_new_since_the_freeze_pairs_with_its_english_word():
    index = LexicalIndex()
    for document in (["drone", "flight"], ["drone", "survey"], ["fuel"]):
        index.add(document)
    index.freeze()  # a serving process: the journal's documents go to the side matrix
    position = index.add(["ドローン", GLOSS_PREFIX + "drone"])  # a gloss list the index lacked

    paired = np.log1p((3 - 3 + 0.5) / (3 + 0.5))  # the frozen N; "drone" 2 + its new gloss list 1
    assert index.idf(GLOSS_PREFIX + "drone") == pytest.approx(paired)
    assert index.idf("drone") == pytest.approx(np.log1p((3 - 2 + 0.5) / (2 + 0.5)))  # frozen as it was
    scores = index.scores(index.query_ids([GLOSS_PREFIX + "drone"]))
    dl, avgdl = 2, 5 / 3
    assert scores[position] == pytest.approx(paired / (1 + 1.2 * (1 - 0.75 + 0.75 * dl / avgdl)), rel=1e-6)
    index.unfreeze()  # the fold: one vocabulary, the pair counted over all four documents
    assert index.idf(GLOSS_PREFIX + "drone") == index.idf("drone") == pytest.approx(np.log1p(1.5 / 3.5))


def _resident_kb(path) -> int:
    """Resident memory of this process's mappings of ``path`` (Linux /proc/self/smaps), in kB."""
    total, inside = 0, False
    for line in Path("/proc/self/smaps").read_text(encoding="utf-8").splitlines():
        head = line.split()
        if "-" in head[0] and len(head) >= 5:  # a mapping's first line: address range … path
            inside = len(head) >= 6 and head[-1] == str(path)
        elif inside and head[0] == "Rss:":
            total += int(head[1])
    return total


@pytest.mark.skipif(not Path("/proc/self/smaps").exists(), reason="needs Linux's /proc/self/smaps")
def test_warming_a_loaded_index_maps_its_matrix_into_memory(tmp_path):
    rng = np.random.default_rng(3)
    index = LexicalIndex()
    for _ in range(4000):
        index.add([f"t{t}" for t in rng.integers(0, 3000, size=60)])
    index.refresh()
    index.save(tmp_path)
    loaded = LexicalIndex.load(tmp_path)
    data = (tmp_path / "lexical_bm25_data.npy").resolve()
    size_kb = data.stat().st_size // 1024
    assert size_kb > 500 and isinstance(loaded._bm25.scores["data"], np.memmap)
    before = _resident_kb(data)

    loaded.warm()

    assert before < size_kb // 4 and _resident_kb(data) >= size_kb * 0.9
    q = loaded.query_ids(["t1", "t2", "t2999"])
    assert np.array_equal(loaded.scores(q), index.scores(q))  # reading changes nothing


def test_a_loop_numba_cannot_cache_is_compiled_all_the_same():
    """Where numba finds no writable cache directory it refuses ``cache=True``; the engine's
    loops are then compiled in each process instead (kernels.compiled)."""

    def twice(x):  # type: ignore[no-untyped-def]
        return 2 * x

    twice.__code__ = twice.__code__.replace(co_filename="<no file to cache beside>")
    with pytest.raises(RuntimeError, match="no locator"):
        numba.njit(cache=True)(twice)
    assert kernels.compiled(twice)(21) == 42


def test_document_frequencies_recounted_on_load_and_after_a_freeze(tmp_path, monkeypatch):
    """The counts ``add``/``remove`` keep one by one equal the ones recounted from the term lists
    (compiled: kernels.count_documents), from a loaded file's flat array and from the lists in
    blocks of documents (a block boundary inside the collection)."""
    monkeypatch.setattr(lexical_module, "_BLOCK_DOCS", 7)
    rng = np.random.default_rng(11)
    index = LexicalIndex()
    for _ in range(40):  # terms repeated within documents; some documents empty
        index.add([f"t{t}" for t in rng.integers(0, 30, size=rng.integers(0, 12))])
    for position in (0, 13, 39):
        index.remove(position)
    kept = list(index.df)
    assert kept == [sum(t is not None and term in t for t in index.terms) for term in range(len(index.vocab))]

    index.refresh()
    index.save(tmp_path)
    assert LexicalIndex.load(tmp_path).df == kept  # from the file's flat array

    index.freeze()  # a reader's journal: new documents counted apart, then one recount
    index.add(["t1", "t1", "new"])
    index.unfreeze()
    expected = [*kept, 0]
    expected[index.vocab["t1"]] += 1
    expected[index.vocab["new"]] += 1
    assert index.df == expected  # from the lists, in blocks of 7 documents
