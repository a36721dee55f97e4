"""Building at scale: the streaming build gives the index a single pass gives, shards built
apart merge into the same ranking, field filters pre-filter by position, and the BM25 matrix
built in blocks equals a direct computation."""

from __future__ import annotations

import numpy as np
import pytest

from renkei.matching.engine import Document, EngineConfig, MatchIndex, MatchIndexError
from renkei.matching.engine import index as index_module
from renkei.matching.engine import lexical as lexical_module
from tests.matching.conftest import as_document


@pytest.fixture(scope="module")
def docs(crosslingual) -> list[Document]:
    return [as_document(r) for r in crosslingual]


@pytest.fixture(scope="module")
def whole(docs, embedder) -> MatchIndex:
    return MatchIndex.build(docs, embedder=embedder, chunk=10_000)


def ranking(index: MatchIndex, queries: list[str], **kwargs) -> list[list[tuple[str, float]]]:
    return [[(m.id, round(m.score, 5)) for m in r] for r in index.search_many(queries, top=10, **kwargs)]


def queries_of(docs: list[Document]) -> list[str]:
    return [d.text for d in docs if d.id.startswith("need-")]


def test_a_build_in_small_chunks_equals_a_build_in_one(docs, embedder, whole):
    chunked = MatchIndex.build(iter(docs), embedder=embedder, chunk=5, total=len(docs))

    assert chunked.ids() == whole.ids()
    assert np.array_equal(chunked.vectors.vectors, whole.vectors.vectors)  # same batches, same vectors
    assert all(np.array_equal(a, b) for a, b in zip(chunked.lexical.terms, whole.lexical.terms, strict=True))
    assert ranking(chunked, queries_of(docs)) == ranking(whole, queries_of(docs))


def test_a_build_reports_documents_analysed_and_embedded(docs, embedder):
    seen: dict[str, list] = {}

    def progress(stage, advance, total):
        entry = seen.setdefault(stage, [0, None])
        if total is not None:
            entry[1] = total
        entry[0] += advance

    MatchIndex.build(iter(docs), embedder=embedder, chunk=7, total=len(docs), progress=progress)

    assert seen == {"analyse": [len(docs), len(docs)], "embed": [len(docs), len(docs)]}


def test_a_later_version_of_an_id_in_a_later_chunk_wins(docs, embedder):
    first = docs[0]
    newer = Document(id=first.id, lang="en", title="Ultrasonic welding", text="Ultrasonic welding of resin parts.")
    index = MatchIndex.build([*docs[:6], newer], embedder=embedder, chunk=3)

    assert len(index) == 6
    assert index.get(first.id).title == "Ultrasonic welding"
    assert index.search("ultrasonic welding", top=1)[0].id == first.id
    assert index.vectors.n_slots == 7 and len(index.vectors.doc_slots) == 6  # the old vector is dead


def test_shards_built_apart_merge_into_the_same_ranking(docs, embedder, whole):
    cuts = [0, 10, 11, 30, len(docs)]
    parts = [MatchIndex.build(docs[a:b], embedder=embedder, ann=False) for a, b in zip(cuts, cuts[1:], strict=False)]

    merged = MatchIndex.merge(iter(parts))

    assert merged.ids() == whole.ids()
    assert merged.lexical.keys() != [] and len(merged.lexical.vocab) == len(whole.lexical.vocab)
    for doc in docs:  # the same terms under the merged vocabulary
        a = merged.lexical.terms[merged.positions[doc.id]]
        b = whole.lexical.terms[whole.positions[doc.id]]
        assert [merged.lexical.keys()[i] for i in a] == [whole.lexical.keys()[i] for i in b]
    # Vectors of a shard are embedded in other batches: equal to float rounding.
    assert np.allclose(merged.vectors.vectors, whole.vectors.vectors, atol=1e-5)
    assert [[i for i, _ in r] for r in ranking(merged, queries_of(docs))] == [
        [i for i, _ in r] for r in ranking(whole, queries_of(docs))
    ]
    assert merged.search("燃料電池", mode="bm25", top=5) == whole.search("燃料電池", mode="bm25", top=5)


def test_merging_keeps_holes_out_and_builds_the_graph_past_the_threshold(docs, embedder):
    config = EngineConfig(ann_threshold=20)
    first = MatchIndex.build(docs[:24], config, embedder=embedder, ann=False)
    first.remove([docs[0].id])
    second = MatchIndex.build(docs[24:], config, embedder=embedder, ann=False)
    assert not first.vectors.uses_ann

    merged = MatchIndex.merge([first, second])

    assert merged.vectors.uses_ann
    assert docs[0].id not in merged and len(merged) == len(docs) - 1
    hidden = [m.id for r in merged.search_many(queries_of(docs), top=50) for m in r]
    assert docs[0].id not in hidden


def test_a_streamed_merge_saves_the_bm25_matrix_a_build_in_memory_gives(docs, embedder, tmp_path):
    cuts = [0, 7, 20, len(docs)]
    parts = [MatchIndex.build(docs[a:b], embedder=embedder, ann=False) for a, b in zip(cuts, cuts[1:], strict=False)]
    parts[1].remove([docs[8].id])  # a hole: positions stay, idf and average length change

    MatchIndex.merge_saved(iter(parts), tmp_path / "merged")
    loaded = MatchIndex.load(tmp_path / "merged", embedder=embedder)

    assert not loaded.lexical._stale  # the saved matrix is read, not rebuilt
    saved = loaded.lexical._bm25.scores
    partners = loaded.lexical.partners()
    assert (partners >= 0).sum() >= 20  # English words and their gloss lists, weighed as pairs
    rebuilt = lexical_module.bm25_matrix(
        loaded.lexical.terms, len(loaded.lexical.vocab), k1=loaded.lexical.k1, b=loaded.lexical.b, partners=partners
    )
    for name in ("data", "indices", "indptr"):
        assert np.array_equal(np.asarray(saved[name]), rebuilt[name]), name
    assert docs[8].id not in loaded and len(loaded) == len(docs) - 1
    assert not list(tmp_path.glob("**/merge-*"))  # the scratch files are gone


def test_merge_refuses_a_document_in_two_parts_and_mixed_settings(docs, embedder):
    a = MatchIndex.build(docs[:5], embedder=embedder)
    b = MatchIndex.build(docs[4:8], embedder=embedder)
    with pytest.raises(MatchIndexError, match="more than one part"):
        MatchIndex.merge([a, b])
    c = MatchIndex.build(docs[8:10], EngineConfig(k1=0.9), embedder=embedder)
    with pytest.raises(MatchIndexError, match="different engine settings"):
        MatchIndex.merge([a, c])
    with pytest.raises(MatchIndexError, match="nothing to merge"):
        MatchIndex.merge([])


def test_field_filters_select_positions_without_a_set_of_ids(docs, embedder):
    tagged = [
        Document(d.id, d.lang, d.title, d.text, fields={"kind": d.id.split("-")[0], "tags": [d.lang, "all"]})
        for d in docs
    ]
    index = MatchIndex.build(tagged, embedder=embedder)
    index.remove([tagged[0].id])

    seeds = index.field_mask(kind="seed")
    japanese_needs = index.field_mask(kind=["need"], tags="ja")

    assert {index.documents[p].id for p in np.flatnonzero(seeds)} == {
        d.id for d in tagged[1:] if d.id.startswith("seed-")
    }
    assert {index.documents[p].id for p in np.flatnonzero(japanese_needs)} == {
        d.id for d in tagged if d.id.startswith("need-") and d.lang == "ja"
    }
    assert not index.field_mask(kind="nothing").any()
    for matches in index.search_many(queries_of(docs), top=20, allow=japanese_needs):
        assert matches and all(m.id.startswith("need-") and m.id.endswith("-ja") for m in matches)
    # A mask and the same set of ids give the same results.
    ids = {index.documents[p].id for p in np.flatnonzero(seeds)}
    assert ranking(index, queries_of(docs), allow=seeds) == ranking(index, queries_of(docs), allow=ids)
    # The cache follows changes.
    index.add([Document("seed-new", "en", "Sake yeast", "Sake yeast strains.", fields={"kind": "seed"})])
    assert index.field_mask(kind="seed")[index.positions["seed-new"]]


def test_a_mask_of_the_wrong_shape_is_refused(whole):
    with pytest.raises(ValueError, match="one entry per index position"):
        whole.search("燃料電池", allow=np.ones(3, dtype=bool))
    with pytest.raises(ValueError, match="boolean"):
        whole.search("燃料電池", allow=np.ones(len(whole.documents), dtype=np.int64))


def test_the_bm25_matrix_built_in_blocks_equals_a_direct_computation(monkeypatch):
    rng = np.random.default_rng(4)
    terms = [rng.integers(0, 40, rng.integers(0, 30)).astype(np.int32) for _ in range(60)]
    terms[7] = None  # a removed document
    monkeypatch.setattr(lexical_module, "_BLOCK_DOCS", 8)
    monkeypatch.setattr(lexical_module, "_SLICE", 50)

    matrix = lexical_module.bm25_matrix(terms, 40, k1=1.2, b=0.75)

    live = [i for i, t in enumerate(terms) if t is not None]
    tf = np.zeros((40, len(terms)))
    for i in live:
        np.add.at(tf[:, i], terms[i], 1)
    lengths = np.array([0 if t is None else len(t) for t in terms])
    avgdl = lengths[live].mean()
    df = (tf > 0).sum(axis=1)
    idf = np.log1p((len(live) - df + 0.5) / (df + 0.5))
    expected = idf[:, None] * tf / (tf + 1.2 * (1 - 0.75 + 0.75 * lengths[None, :] / avgdl))
    got = np.zeros((40, len(terms)))
    for term in range(40):
        lo, hi = matrix["indptr"][term], matrix["indptr"][term + 1]
        columns = matrix["indices"][lo:hi]
        assert np.all(np.diff(columns) > 0)  # documents increase within a term
        got[term, columns] = matrix["data"][lo:hi]
    assert np.allclose(got, expected, atol=1e-6)


@pytest.mark.parametrize("seed", range(5))
def test_equal_scores_rank_by_position_and_the_cut_keeps_the_first(seed):
    # Few distinct scores, so that the k-th place falls inside a run of ties: the engine's top k
    # must be exactly the stable order (ties by position), never a partition's arbitrary pick.
    scores = np.random.default_rng(seed).choice([0.0, 1.0, 2.0, 3.0], size=60).astype(np.float32)
    expected = [p for p in np.argsort(-scores, kind="stable") if scores[p] > 0][:15]
    assert index_module._top_positive(scores, 15).tolist() == expected
