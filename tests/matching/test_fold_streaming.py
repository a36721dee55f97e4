"""Folding the change journal in bounded memory (engine/fold.py): the saved index read back in
slices and merged with the journal's additions gives the index the in-memory fold gives (load,
``apply_changes(frozen=False)``, BM25 rebuild, save), without its holes; and a fold that fails
leaves the saved index and its journal as they were."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import numpy as np
import pytest

from renkei.matching import indexing
from renkei.matching.engine import Document, EngineConfig, MatchIndex, MatchIndexError, journal
from renkei.matching.engine.fold import fold_saved, saved_slices
from renkei.matching.engine.journal import Change
from tests.matching.conftest import as_document
from tests.matching.listings import *  # noqa: F403
from tests.matching.test_index_journal import GONE, NEW, QUERIES, indexed, manifest  # noqa: F401

HOLE = "seed-co2-capture-en"  # removed before the save: a hole in the saved index
BACK = "seed-glycan-ja"  # removed by one record, added again by a later one
TWICE = "new-drone"  # two versions in one record: the last one stands


@pytest.fixture(scope="module")
def docs(crosslingual) -> list[Document]:
    return [as_document(r) for r in crosslingual]


@pytest.fixture(scope="module")
def records(embedder) -> list[Change]:
    """A day's journal: new documents in both languages, a replaced one, removals, a document
    removed then added again, one added then removed, one added in two records, and one added
    twice in the same record."""
    analyser = MatchIndex(embedder=embedder)
    weld_again = Document("new-weld", "en", "Laser welding", "Laser welding of thin steel sheets for car bodies.")
    glycan_back = Document(BACK, "ja", "糖鎖の質量分析", "抗体医薬の糖鎖を質量分析で迅速に評価する技術。")
    drones = [
        analyser.prepare_changes([Document(TWICE, "ja", "農業用ドローン", text)]).added[0]
        for text in ("ドローンで水田の生育を調べる。", "ドローンと赤外線カメラで果樹園の病害を早く見つける。")
    ]
    return [
        analyser.prepare_changes(NEW[:2], removed=GONE[:1]),
        analyser.prepare_changes(NEW[2:], removed=[GONE[1], BACK]),
        analyser.prepare_changes([glycan_back, weld_again], removed=["new-sake"]),
        Change(removed=["seed-unknown"], added=drones),
    ]


@pytest.fixture(scope="module")
def saved_index(docs, embedder, tmp_path_factory):
    """Saves the test set once per configuration (with one hole) and gives each test a copy."""
    built: dict[EngineConfig, Path] = {}

    def copy(to: Path, config: EngineConfig | None = None) -> Path:
        config = config or EngineConfig()
        if config not in built:
            index = MatchIndex.build(docs, config, embedder=embedder)
            index.remove([HOLE])
            built[config] = index.save(tmp_path_factory.mktemp("saved") / "i")
        shutil.copytree(built[config], to)
        return to

    return copy


def write_journal(directory: Path, changes: list[Change]) -> None:
    generation = MatchIndex.load(directory).generation
    journal.append(journal.journal_path(directory), generation, changes)


def in_memory_fold(directory: Path, embedder) -> MatchIndex:
    """The fold as it was before the streaming one (the reference): the whole index loaded, the
    journal applied with exact statistics, the BM25 matrix rebuilt, saved."""
    index = MatchIndex.load(directory, embedder=embedder)
    changes, _state = journal.read(journal.journal_path(directory), index.generation)
    index.apply_changes(changes, frozen=False)
    index.lexical.refresh()
    index.save(directory)
    return MatchIndex.load(directory, embedder=embedder)


def snapshot(directory: Path) -> dict[str, str]:
    """Every file of an index directory and of its journal, by content."""
    files = [*sorted(directory.iterdir()), journal.journal_path(directory)]
    return {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in files if f.exists()}


def vectors_of(index: MatchIndex, position: int) -> np.ndarray:
    return index.vectors._slice(*index.vectors.doc_slots[position])


def assert_same_index(got: MatchIndex, want: MatchIndex, rel: float = 1e-6) -> None:
    """The same documents in the same order, each with the same terms and vectors, and the same
    results (ids, order, scores to ``rel``) in every mode; ``got`` without holes."""
    assert None not in got.documents
    assert got.ids() == want.ids()
    got_keys, want_keys = got.lexical.keys(), want.lexical.keys()
    for doc_id in want.ids():
        g, w = got.positions[doc_id], want.positions[doc_id]
        assert got.documents[g] == want.documents[w]
        assert [got_keys[t] for t in got.lexical.terms[g]] == [want_keys[t] for t in want.lexical.terms[w]]
        assert np.array_equal(vectors_of(got, g), vectors_of(want, w))
    for mode in ("hybrid", "bm25", "dense"):
        for got_matches, want_matches in zip(
            got.search_many(QUERIES, top=10, mode=mode), want.search_many(QUERIES, top=10, mode=mode), strict=True
        ):
            assert [m.id for m in got_matches] == [m.id for m in want_matches], mode
            assert [m.score for m in got_matches] == pytest.approx([m.score for m in want_matches], rel=rel, abs=1e-7)
            assert [m.lexical_score for m in got_matches] == pytest.approx(
                [m.lexical_score for m in want_matches], rel=rel, abs=1e-7
            )


@pytest.mark.parametrize("slice_size", [1, 3, 1000], ids=["slices-of-1", "slices-of-3", "one-slice"])
def test_a_streamed_fold_gives_the_index_an_in_memory_fold_gives(saved_index, records, embedder, tmp_path, slice_size):
    streamed, reference = saved_index(tmp_path / "a"), saved_index(tmp_path / "b")
    for directory in (streamed, reference):
        write_journal(directory, records)
    saved = MatchIndex.load(streamed)

    entries, documents = fold_saved(streamed, slice_size=slice_size, embedder=embedder)

    want = in_memory_fold(reference, embedder)
    got = MatchIndex.load(streamed, embedder=embedder)
    assert (entries, documents) == (sum(c.entries for c in records), len(want))
    assert got.generation != saved.generation and not journal.journal_path(streamed).exists()
    assert got.config.ja_glosses and got.config.gloss_columns  # the glosses' paired idf is in play
    assert not got.lexical._stale  # the merge saved the BM25 matrix: a reader does not rebuild it
    assert want.documents.count(None) > 0  # the in-memory fold keeps the holes; the streamed one has none
    assert_same_index(got, want)
    assert got.get(BACK).title == "糖鎖の質量分析" and got.get("new-weld").title == "Laser welding"
    assert "new-sake" not in got and HOLE not in got and not set(GONE) & set(got.ids())
    assert "果樹園" in got.get(TWICE).text
    assert got.lexical.keys()[: len(saved.lexical.vocab)] == saved.lexical.keys()  # the saved term ids kept


def test_past_the_graph_threshold_the_folded_index_has_one_graph_of_every_vector(
    saved_index, records, embedder, tmp_path
):
    config = EngineConfig(ann_threshold=20)
    streamed, reference = saved_index(tmp_path / "a", config), saved_index(tmp_path / "b", config)
    for directory in (streamed, reference):
        write_journal(directory, records)

    fold_saved(streamed, slice_size=7, embedder=embedder)

    got = MatchIndex.load(streamed, embedder=embedder)
    assert got.vectors.uses_ann and got.vectors._hnsw.get_current_count() == got.vectors.n_slots == len(got)
    # Cosines agree to float32 rounding only (the graphs differ: the in-memory fold's also holds
    # the dead slots, so a candidate's cosine may come from hnswlib in one and numpy in the other),
    # and the fusion carries that into its scores (measured: up to 1.2e-6 relative).
    assert_same_index(got, in_memory_fold(reference, embedder), rel=1e-5)


def test_the_saved_bm25_parameters_survive_a_fold(saved_index, records, embedder, tmp_path):
    config = EngineConfig(k1=0.9, b=0.6)
    streamed, reference = saved_index(tmp_path / "a", config), saved_index(tmp_path / "b", config)
    for directory in (streamed, reference):
        write_journal(directory, records)

    fold_saved(streamed, slice_size=10, embedder=embedder)

    got = MatchIndex.load(streamed, embedder=embedder)
    assert (got.lexical.k1, got.lexical.b) == (0.9, 0.6) == (got.config.k1, got.config.b)
    assert_same_index(got, in_memory_fold(reference, embedder))


def test_removing_every_document_folds_into_an_empty_index(saved_index, docs, embedder, tmp_path):
    streamed, reference = saved_index(tmp_path / "a"), saved_index(tmp_path / "b")
    everything = [Change(removed=[d.id for d in docs])]
    for directory in (streamed, reference):
        write_journal(directory, everything)

    assert fold_saved(streamed, slice_size=5, embedder=embedder) == (len(docs), 0)

    got = MatchIndex.load(streamed, embedder=embedder)
    assert len(got) == 0 and got.documents == [] and got.vectors.n_slots == 0
    assert_same_index(got, in_memory_fold(reference, embedder))
    assert got.search("燃料電池の電極触媒") == []


def test_an_empty_journal_or_one_of_another_generation_changes_nothing(saved_index, records, embedder, tmp_path):
    directory = saved_index(tmp_path / "i")
    before = snapshot(directory)
    assert fold_saved(directory, embedder=embedder) == (0, len(MatchIndex.load(directory)))  # no journal
    journal.append(journal.journal_path(directory), MatchIndex.load(directory).generation, [])  # header only
    assert fold_saved(directory, embedder=embedder)[0] == 0
    journal.discard(journal.journal_path(directory))
    journal.append(journal.journal_path(directory), "0" * 32, records)  # an older generation's
    stale = snapshot(directory)

    assert fold_saved(directory, embedder=embedder)[0] == 0

    assert snapshot(directory) == stale and {k: v for k, v in stale.items() if k != "i.journal"} == before


@pytest.mark.usefixtures("indexed")
def test_the_platform_drops_a_journal_of_another_generation_without_folding(embedder):
    generation = manifest()["generation"]
    stray = MatchIndex(embedder=embedder).prepare_changes([Document("seed-424242", "en", "Stray", "An old change.")])
    journal.append(indexing.journal_file(), "0" * 32, [stray])

    assert indexing.fold_journal() == (0, manifest()["documents"])

    assert manifest()["generation"] == generation and not indexing.journal_file().exists()


def test_a_failure_while_merging_leaves_the_saved_index_and_its_journal_as_they_were(
    saved_index, records, embedder, tmp_path
):
    directory = saved_index(tmp_path / "i")
    write_journal(directory, records)
    before = snapshot(directory)

    def failing_parts():
        for number, part in enumerate(saved_slices(directory, 4, embedder=embedder)):
            if number == 3:
                raise RuntimeError("disk full")
            yield part

    with pytest.raises(RuntimeError, match="disk full"):
        MatchIndex.merge_saved(failing_parts(), directory)

    assert snapshot(directory) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["i", "i.journal"]  # no staging directory left
    assert fold_saved(directory, embedder=embedder)[0] == sum(c.entries for c in records)  # it folds later


def test_a_damaged_index_is_refused_and_left_as_it_was(saved_index, records, embedder, tmp_path):
    directory = saved_index(tmp_path / "i")
    write_journal(directory, records)
    lines = (directory / "documents.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    (directory / "documents.jsonl").write_text("".join(lines[:-1]), encoding="utf-8")  # a line lost
    before = snapshot(directory)

    with pytest.raises(MatchIndexError, match="is damaged: 47 documents but 48 term lists"):
        fold_saved(directory, slice_size=10, embedder=embedder)

    assert snapshot(directory) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["i", "i.journal"]


def test_slices_hold_each_live_document_once_with_its_terms_and_vectors(saved_index, embedder, tmp_path):
    directory = saved_index(tmp_path / "i")
    whole = MatchIndex.load(directory, embedder=embedder)
    drop = {"seed-fuel-cell-ja", "need-seismic-en", "not-in-the-index"}

    parts = list(saved_slices(directory, 5, drop=drop, embedder=embedder))

    assert len(parts) == 10 and all(len(p.documents) <= 5 for p in parts)  # 48 positions, one a hole
    assert len(parts[0].lexical.vocab) == len(whole.lexical.vocab)  # the first carries the vocabulary
    assert all(len(p.lexical.vocab) < len(whole.lexical.vocab) / 2 for p in parts[1:])  # the others their own
    got = [(p, position) for p in parts for position in range(len(p.documents))]
    assert [p.documents[i].id for p, i in got] == [i for i in whole.ids() if i not in drop]
    whole_keys = whole.lexical.keys()
    for part, i in got:
        doc_id, keys = part.documents[i].id, part.lexical.keys()
        w = whole.positions[doc_id]
        assert [keys[t] for t in part.lexical.terms[i]] == [whole_keys[t] for t in whole.lexical.terms[w]]
        assert np.array_equal(vectors_of(part, i), vectors_of(whole, w))
        assert part.japanese[i] == whole.japanese[w]
    with pytest.raises(ValueError, match="at least one position"):
        next(saved_slices(directory, 0))
