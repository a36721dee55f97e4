"""Visibility: a document outside the caller's allow-set is never returned, in any mode."""

from __future__ import annotations

import random

import pytest

from renkei.matching.engine import Document, EngineConfig, MatchIndex

from .conftest import as_document


@pytest.fixture(scope="module")
def indexes(embedder, crosslingual):
    docs = [as_document(r) for r in crosslingual]
    exact = MatchIndex.build(docs, embedder=embedder)
    ann = MatchIndex.build(docs, EngineConfig(ann_threshold=10), embedder=embedder)
    assert ann.vectors.uses_ann and not exact.vectors.uses_ann
    return {"exact": exact, "ann": ann}


@pytest.mark.parametrize("kind", ["exact", "ann"])
@pytest.mark.parametrize("mode", ["hybrid", "bm25", "dense"])
def test_allow_set_is_never_exceeded(indexes, crosslingual, kind, mode):
    index = indexes[kind]
    rng = random.Random(3)
    ids = index.ids()
    for row in crosslingual[:16]:
        allow = set(rng.sample(ids, rng.choice([0, 1, 3, 10, 40])))
        for match in index.search(row["text"], top=20, allow=allow, mode=mode):
            assert match.id in allow


def test_the_exact_twin_of_a_hidden_document_is_not_returned(indexes):
    index = indexes["exact"]
    hidden = index.get("seed-fuel-cell-ja")
    visible = set(index.ids()) - {hidden.id}
    results = index.search(hidden.text, top=len(index), allow=visible)
    assert hidden.id not in {m.id for m in results}
    assert len(results) == len(visible)


def test_unknown_ids_in_the_allow_set_are_ignored(indexes):
    results = indexes["exact"].search("燃料電池", allow={"no-such-id", "seed-fuel-cell-en"})
    assert [m.id for m in results] == ["seed-fuel-cell-en"]


def test_a_removed_document_stays_hidden_even_if_allowed(embedder):
    index = MatchIndex.build(
        [Document("a", "en", "Fuel cell", "platinum catalyst"), Document("b", "en", "Drone", "crop spraying")],
        embedder=embedder,
    )
    index.remove(["a"])
    for mode in ("hybrid", "bm25", "dense"):
        assert "a" not in {m.id for m in index.search("fuel cell platinum", allow={"a", "b"}, mode=mode)}
