"""Adding, replacing and removing documents without a rebuild; saving and loading."""

from __future__ import annotations

import pytest

from renkei.matching.engine import Document, MatchIndex, MatchIndexError

from .conftest import as_document


@pytest.fixture
def index(embedder, crosslingual):
    return MatchIndex.build([as_document(r) for r in crosslingual if r["kind"] == "seed"], embedder=embedder)


def test_an_added_document_is_found_at_once(index):
    index.add([Document("new-sake", "ja", "新しい日本酒酵母", "低アルコールでも香りの高い日本酒酵母。")])
    assert index.search("香りの高い日本酒酵母", top=1)[0].id == "new-sake"
    assert len(index) == 25


def test_replacing_a_document_uses_its_new_text(index):
    index.add([Document("seed-seismic-en", "en", "Glacier", "Ice sheet melting measured by satellites.")])
    assert len(index) == 24
    assert index.search("ice sheet satellites", top=1, mode="bm25")[0].id == "seed-seismic-en"
    assert "seed-seismic-en" not in {m.id for m in index.search("earthquake damper", top=3, mode="bm25")}
    assert index.get("seed-seismic-en").title == "Glacier"


def test_a_removed_document_is_gone_from_every_mode(index):
    assert index.remove(["seed-wafer-en", "seed-wafer-ja", "unknown"]) == 2
    for mode in ("hybrid", "bm25", "dense"):
        ids = {m.id for m in index.search("semiconductor wafer inspection", top=30, mode=mode)}
        assert not ids & {"seed-wafer-en", "seed-wafer-ja"}


def test_save_and_load_give_the_same_ranking(index, tmp_path, embedder):
    index.remove(["seed-glycan-ja"])
    index.add([Document("late", "en", "Late seed", "A seed added after the build about sake brewing yeast.")])
    index.save(tmp_path / "seeds")
    loaded = MatchIndex.load(tmp_path / "seeds", embedder=embedder)
    assert loaded.config == index.config and len(loaded) == len(index)
    for query in ("抗体の糖鎖", "sake yeast aroma", "ドローン"):
        before = [(m.id, round(m.score, 6)) for m in index.search(query, top=10, explain=False)]
        after = [(m.id, round(m.score, 6)) for m in loaded.search(query, top=10, explain=False)]
        assert before == after
    loaded.add([Document("after-load", "ja", "追加", "ロボットハンドの把持制御")])
    assert loaded.search("ロボットハンド", top=1)[0].id == "after-load"


def test_saving_over_an_existing_index_replaces_it(index, tmp_path, embedder):
    index.save(tmp_path / "i")
    index.remove(["seed-fuel-cell-en"])
    index.save(tmp_path / "i")
    assert "seed-fuel-cell-en" not in MatchIndex.load(tmp_path / "i", embedder=embedder)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["i"]


def test_compact_drops_holes_and_keeps_results(index):
    index.remove(["seed-drone-farm-ja", "seed-drone-farm-en"])
    compacted = index.compact()
    assert len(compacted.documents) == len(compacted) == 22
    query = "リチウムイオン電池のリサイクル"
    assert [m.id for m in compacted.search(query, top=5)] == [m.id for m in index.search(query, top=5)]


def test_loading_a_missing_index_says_so(tmp_path):
    with pytest.raises(MatchIndexError, match="no matching index"):
        MatchIndex.load(tmp_path / "nothing")


def test_ann_index_survives_updates_and_reload(embedder, crosslingual, tmp_path):
    from renkei.matching.engine import EngineConfig

    index = MatchIndex.build([as_document(r) for r in crosslingual], EngineConfig(ann_threshold=20), embedder=embedder)
    assert index.vectors.uses_ann
    index.remove(["seed-seismic-ja"])
    index.add([Document("quake", "en", "Base isolation", "Rubber bearings isolate buildings from earthquake motion.")])
    index.save(tmp_path / "ann")
    loaded = MatchIndex.load(tmp_path / "ann", embedder=embedder)
    assert loaded.vectors.uses_ann
    ids = [m.id for m in loaded.search("地震の揺れを抑える", top=5, mode="dense")]
    assert "quake" in ids and "seed-seismic-ja" not in ids
