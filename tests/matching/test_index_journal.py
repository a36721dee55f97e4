"""The change journal: an update appends a record beside the saved index instead of saving it,
readers apply the records they have not seen, and a fold (threshold, `renkei reindex --fold`,
any rebuild) saves a new generation and empties it."""

from __future__ import annotations

import json

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from renkei.jobs.choices import JobStatus
from renkei.jobs.models import Job
from renkei.matching import indexing, services
from renkei.matching.engine import Document, EngineConfig, MatchIndex, journal
from renkei.matching.models import Seed
from renkei.matching.tasks import FOLD_KIND
from tests.matching.conftest import as_document
from tests.matching.listings import *  # noqa: F403


def manifest() -> dict:
    return json.loads((indexing.index_path() / "manifest.json").read_text(encoding="utf-8"))


def save_seed(cast, django_capture_on_commit_callbacks, seed=None, **fields) -> Seed:
    with django_capture_on_commit_callbacks(execute=True):
        return services.do_save_seed(cast.participant, seed or Seed(organisation=cast.company_a, **fields))


@pytest.fixture
def indexed(cast, listings, index_env):
    call_command("reindex", "--no-progress")
    return listings


def ids(index, query: str, mode: str = "hybrid", top: int = 20) -> list[str]:
    return [m.id for m in index.search(query, top=top, mode=mode, explain=False)]


# ---- the platform's path: schedule -> flush -> journal -> get_index ----
def test_add_change_and_remove_go_through_the_journal_without_saving_the_index(
    cast, indexed, django_capture_on_commit_callbacks
):
    saved = manifest()
    stamp = (indexing.index_path() / "manifest.json").stat().st_mtime_ns
    before = indexing.get_index()

    seed = save_seed(
        cast, django_capture_on_commit_callbacks, title_ja="超音波溶接", summary_ja="樹脂部品の超音波溶接技術。"
    )
    sid = f"seed-{seed.pk}"
    assert manifest() == saved  # the index was not saved again
    assert (indexing.index_path() / "manifest.json").stat().st_mtime_ns == stamp
    assert journal.entries(indexing.journal_file(), saved["generation"]) == 1
    index = indexing.get_index()
    assert index is not before and sid in index and sid not in before  # a copy; the old one unchanged
    assert ids(index, "超音波溶接")[0] == sid

    seed.title_ja = "レーザー溶接"
    seed.summary_ja = "金属薄板のレーザー溶接とその品質検査。"
    save_seed(cast, django_capture_on_commit_callbacks, seed)
    index = indexing.get_index()
    assert index.get(sid).title.startswith("レーザー溶接") and len(index) == len(before) + 1
    assert ids(index, "レーザー溶接")[0] == sid
    assert sid not in ids(index, "超音波", mode="bm25")  # the superseded text is not found any more

    with django_capture_on_commit_callbacks(execute=True):
        services.do_delete_listing(cast.participant, seed)
    index = indexing.get_index()
    assert sid not in index
    for mode in ("hybrid", "bm25", "dense"):
        assert sid not in ids(index, "金属薄板のレーザー溶接", mode=mode)
    assert manifest() == saved
    assert journal.entries(indexing.journal_file(), saved["generation"]) == 3  # added, replaced, removed


def test_schedule_callbacks_still_get_the_reindexed_ids(cast, indexed, django_capture_on_commit_callbacks):
    got: list[list[str]] = []

    @indexing.after_update
    def remember(ids: list[str]) -> None:
        got.append(ids)

    seed = indexed.public_seed
    with django_capture_on_commit_callbacks(execute=True):
        seed.title_en = "Glycan diagnostics"
        seed.save()
        indexing.schedule(seed, after=remember)
    assert got == [[f"seed-{seed.pk}"]]
    assert "Glycan diagnostics" in indexing.get_index().get(f"seed-{seed.pk}").title


def test_a_hook_must_be_registered_so_a_worker_can_find_it(indexed):
    with pytest.raises(ValueError, match="not registered"):
        indexing.schedule(indexed.public_seed, after=print)


def test_a_second_reader_applies_new_records_without_reloading_the_index(
    cast, indexed, django_capture_on_commit_callbacks
):
    path = indexing.index_path()
    reader = MatchIndex.load(path, embedder=indexing.get_embedder())
    changes, state = journal.read(indexing.journal_file(), reader.generation)
    assert changes == [] and state.offset == 0

    first = save_seed(cast, django_capture_on_commit_callbacks, title_ja="超音波溶接", summary_ja="超音波溶接。")
    changes, state = journal.read(indexing.journal_file(), reader.generation, state)
    assert [a.document["id"] for c in changes for a in c.added] == [f"seed-{first.pk}"]
    matrix, vectors = reader.lexical._bm25, reader.vectors._vectors
    reader.apply_changes(changes)

    second = save_seed(cast, django_capture_on_commit_callbacks, title_en="Laser welding", summary_en="Laser welding.")
    changes, state = journal.read(indexing.journal_file(), reader.generation, state)
    assert [a.document["id"] for c in changes for a in c.added] == [f"seed-{second.pk}"]  # only the new one
    reader.apply_changes(changes)
    assert journal.read(indexing.journal_file(), reader.generation, state)[0] == []  # nothing more

    # The loaded matrix and vectors are the same objects: applied, not reloaded or rebuilt.
    assert reader.lexical._bm25 is matrix and reader.vectors._vectors is vectors
    assert ids(reader, "超音波溶接")[0] == f"seed-{first.pk}"
    assert ids(reader, "laser welding")[0] == f"seed-{second.pk}"
    assert reader.ids() == indexing.get_index().ids()


def test_get_index_keeps_its_loaded_index_until_a_new_generation(cast, indexed, django_capture_on_commit_callbacks):
    loaded = indexing.get_index()
    assert indexing.get_index() is loaded  # nothing changed: the same object
    save_seed(cast, django_capture_on_commit_callbacks, title_ja="超音波溶接", summary_ja="超音波溶接。")
    applied = indexing.get_index()
    assert applied.lexical._bm25 is loaded.lexical._bm25  # the main matrix is shared, not reloaded
    assert indexing.get_index() is applied

    call_command("reindex", "--no-progress")  # a new generation: loaded whole
    rebuilt = indexing.get_index()
    assert rebuilt.generation != applied.generation and rebuilt.lexical._bm25 is not applied.lexical._bm25
    assert sorted(rebuilt.ids()) == sorted(applied.ids())
    assert not indexing.journal_file().exists()


# ---- crash safety and generations ----
def test_a_torn_last_record_is_ignored_and_cut_off_by_the_next_writer(
    cast, indexed, django_capture_on_commit_callbacks
):
    generation = manifest()["generation"]
    first = save_seed(cast, django_capture_on_commit_callbacks, title_ja="超音波溶接", summary_ja="超音波溶接。")
    # A crash in the middle of the next append: half a record at the end of the file.
    torn = journal.encode(
        MatchIndex(embedder=indexing.get_embedder()).prepare_changes([Document("seed-999999", "en", "Torn", "torn")])
    )
    with indexing.journal_file().open("ab") as f:
        f.write(torn[: len(torn) // 2])

    changes, _state = journal.read(indexing.journal_file(), generation)
    assert [a.document["id"] for c in changes for a in c.added] == [f"seed-{first.pk}"]
    assert "seed-999999" not in indexing.get_index() and f"seed-{first.pk}" in indexing.get_index()

    second = save_seed(cast, django_capture_on_commit_callbacks, title_en="Laser welding", summary_en="Laser.")
    changes, _state = journal.read(indexing.journal_file(), generation)
    assert [a.document["id"] for c in changes for a in c.added] == [f"seed-{first.pk}", f"seed-{second.pk}"]
    index = indexing.get_index()
    assert f"seed-{second.pk}" in index and "seed-999999" not in index


def test_a_record_with_a_bad_checksum_ends_the_journal(tmp_path, embedder):
    path = tmp_path / "i.journal"
    generation = "a" * 32
    analyser = MatchIndex(embedder=embedder)
    journal.append(path, generation, [analyser.prepare_changes([Document("d1", "en", "One", "first")])])
    journal.append(path, generation, [analyser.prepare_changes([Document("d2", "en", "Two", "second")])])
    data = bytearray(path.read_bytes())
    data[-3] ^= 0xFF  # a flipped byte inside the last record's vectors
    path.write_bytes(bytes(data))
    changes, _state = journal.read(path, generation)
    assert [a.document["id"] for c in changes for a in c.added] == ["d1"]
    assert journal.entries(path, generation) == 1
    assert journal.read(path, "b" * 32) == ([], journal.JournalState())  # another generation: empty
    # The next writer cuts the damaged record off and appends after the good one.
    assert journal.append(path, generation, [analyser.prepare_changes([Document("d3", "en", "Three", "third")])]) == 2
    changes, _state = journal.read(path, generation)
    assert [a.document["id"] for c in changes for a in c.added] == ["d1", "d3"]


def test_a_journal_of_another_generation_is_ignored_and_replaced(cast, indexed, django_capture_on_commit_callbacks):
    stray = MatchIndex(embedder=indexing.get_embedder()).prepare_changes(
        [Document("seed-424242", "en", "Stray", "a document from an older generation")]
    )
    journal.append(indexing.journal_file(), "0" * 32, [stray])
    assert "seed-424242" not in indexing.get_index()

    seed = save_seed(cast, django_capture_on_commit_callbacks, title_ja="超音波溶接", summary_ja="超音波溶接。")
    header = indexing.journal_file().read_bytes()[: journal.HEADER_SIZE]
    assert header == journal.MAGIC + manifest()["generation"].encode()
    assert journal.entries(indexing.journal_file(), manifest()["generation"]) == 1
    index = indexing.get_index()
    assert f"seed-{seed.pk}" in index and "seed-424242" not in index


def test_an_index_saved_without_a_generation_is_updated_whole_once(cast, indexed, django_capture_on_commit_callbacks):
    path = indexing.index_path() / "manifest.json"
    old = manifest()
    del old["generation"]
    path.write_text(json.dumps(old), encoding="utf-8")

    seed = save_seed(cast, django_capture_on_commit_callbacks, title_ja="超音波溶接", summary_ja="超音波溶接。")
    assert manifest().get("generation") and not indexing.journal_file().exists()
    assert f"seed-{seed.pk}" in indexing.get_index()
    save_seed(cast, django_capture_on_commit_callbacks, title_en="Laser welding", summary_en="Laser.")
    assert journal.entries(indexing.journal_file(), manifest()["generation"]) == 1


def test_before_the_first_build_an_update_builds_the_index(
    cast, listings, index_env, django_capture_on_commit_callbacks
):
    assert indexing.get_index() is None
    seed = save_seed(cast, django_capture_on_commit_callbacks, title_ja="超音波溶接", summary_ja="超音波溶接。")
    index = indexing.get_index()
    assert f"seed-{seed.pk}" in index and f"seed-{listings.public_seed.pk}" in index
    assert manifest()["generation"] and not indexing.journal_file().exists()


# ---- folding ----
def test_the_fold_threshold(settings):
    settings.MATCHING_JOURNAL_MAX_ENTRIES = 20_000
    settings.MATCHING_JOURNAL_MAX_PERCENT = 5
    assert indexing.fold_threshold(1_000_000) == 20_000
    assert indexing.fold_threshold(100_000) == 5_000
    assert indexing.fold_threshold(50) == indexing.JOURNAL_MIN_ENTRIES
    settings.MATCHING_JOURNAL_MAX_ENTRIES = 3
    assert indexing.fold_threshold(1_000_000) == 3


def test_passing_the_threshold_folds_the_journal_into_a_new_generation(
    cast, indexed, settings, django_capture_on_commit_callbacks
):
    settings.MATCHING_JOURNAL_MAX_ENTRIES = 3
    generation = manifest()["generation"]
    first = save_seed(cast, django_capture_on_commit_callbacks, title_ja="超音波溶接", summary_ja="超音波溶接。")
    with django_capture_on_commit_callbacks(execute=True):
        services.do_delete_listing(cast.admin, indexed.cluster_seed)
    assert manifest()["generation"] == generation and journal.entries(indexing.journal_file(), generation) == 2
    reader = indexing.get_index()

    second = save_seed(cast, django_capture_on_commit_callbacks, title_en="Laser welding", summary_en="Laser.")
    assert manifest()["generation"] != generation  # the third entry folded the journal in
    assert not indexing.journal_file().exists()
    index = indexing.get_index()
    assert index is not reader and not index.lexical.frozen
    assert f"seed-{first.pk}" in index and f"seed-{second.pk}" in index
    assert f"seed-{indexed.cluster_seed.pk}" not in index
    assert None not in index.documents  # the fold leaves no hole where the removed seed was
    assert ids(index, "laser welding")[0] == f"seed-{second.pk}"
    [job] = Job.objects.filter(kind=FOLD_KIND)  # the fold ran as a job (inline here)
    assert job.status == JobStatus.SUCCEEDED and job.result == {"entries": 3, "documents": len(index)}
    assert (job.stage, job.done, job.total) == ("Folding the change journal in", 2, 2)  # its parts merged


def test_a_fold_already_waiting_is_not_requested_twice(cast, indexed, settings, django_capture_on_commit_callbacks):
    settings.MATCHING_JOURNAL_MAX_ENTRIES = 1
    waiting = Job.objects.create(kind=FOLD_KIND, params={})  # queued, e.g. for a busy worker
    generation = manifest()["generation"]

    save_seed(cast, django_capture_on_commit_callbacks, title_ja="超音波溶接", summary_ja="超音波溶接。")
    save_seed(cast, django_capture_on_commit_callbacks, title_en="Laser welding", summary_en="Laser.")

    assert list(Job.objects.filter(kind=FOLD_KIND)) == [waiting]
    assert manifest()["generation"] == generation  # the waiting job will fold, not the edits
    assert journal.entries(indexing.journal_file(), generation) == 2


def test_reindex_fold_folds_the_journal_and_readers_reload(cast, indexed, django_capture_on_commit_callbacks, capsys):
    seed = save_seed(cast, django_capture_on_commit_callbacks, title_ja="超音波溶接", summary_ja="超音波溶接。")
    reader = indexing.get_index()
    assert reader.lexical.frozen

    call_command("reindex", "--fold")
    printed = capsys.readouterr()
    assert "Folded 1 journal entries; 9 documents" in printed.out
    # Progress on stderr (plain lines when it is not a terminal): the saved slice and the
    # journal's part merged, then the BM25 matrix written.
    assert "merge: 2/2" in printed.err and "bm25 matrix: 0/?" in printed.err
    assert not indexing.journal_file().exists()
    folded = indexing.get_index()
    assert folded is not reader and folded.generation == manifest()["generation"]
    assert folded.ids() == reader.ids() and not folded.lexical.frozen
    saved = MatchIndex.load(indexing.index_path(), embedder=indexing.get_embedder())
    assert not saved.lexical._stale  # the fold saved the BM25 matrix: readers do not rebuild it
    assert ids(folded, "超音波溶接")[0] == f"seed-{seed.pk}"

    call_command("reindex", "--fold")  # nothing to fold: nothing changes
    assert "Folded 0 journal entries; 9 documents" in capsys.readouterr().out
    assert indexing.get_index() is folded


def test_reindex_fold_without_an_index_says_so(index_env):
    with pytest.raises(CommandError, match="no matching index yet"):
        call_command("reindex", "--fold")
    with pytest.raises(CommandError, match="cannot be combined"):
        call_command("reindex", "--fold", "--shards", "2")


@pytest.mark.django_db(transaction=True)
def test_changes_during_a_split_rebuild_are_not_lost(cast, indexed, settings, django_capture_on_commit_callbacks):
    settings.JOBS_BROKER_URL = ""
    before_run = save_seed(cast, django_capture_on_commit_callbacks, title_ja="超音波溶接", summary_ja="超音波溶接。")
    run = "journalrun"
    indexing.start_run(run)
    plan = indexing.plan_shards(2)
    for number, spec in enumerate(plan):
        indexing.build_shard(run, number, spec)
    # After the shards read the database: an edit, a new seed and a deletion, all journalled.
    edited = indexed.public_seed
    edited.title_en = "Ultrasonic welding of resin parts"
    services.do_save_seed(cast.admin, edited)
    during = services.do_save_seed(
        cast.participant, Seed(organisation=cast.company_a, title_en="Laser welding", summary_en="Laser welding.")
    )
    services.do_delete_listing(cast.admin, indexed.cluster_seed)
    old_generation = manifest()["generation"]
    assert journal.entries(indexing.journal_file(), old_generation) == 4

    indexing.merge_shards(run, len(plan))
    indexing.end_run(run)

    assert manifest()["generation"] != old_generation and not indexing.journal_file().exists()
    index = indexing.get_index()
    assert f"seed-{before_run.pk}" in index and f"seed-{during.pk}" in index
    assert "Ultrasonic welding" in index.get(f"seed-{edited.pk}").title
    assert f"seed-{indexed.cluster_seed.pk}" not in index
    after = services.do_save_seed(
        cast.participant, Seed(organisation=cast.company_a, title_ja="摩擦攪拌接合", summary_ja="摩擦攪拌接合。")
    )
    assert journal.entries(indexing.journal_file(), manifest()["generation"]) == 1
    assert f"seed-{after.pk}" in indexing.get_index()


# ---- the engine: frozen statistics against a full rebuild ----
QUERIES = [
    "香りの高い日本酒酵母",
    "ice sheet satellites",
    "semiconductor wafer inspection",
    "earthquake damper for buildings",
    "燃料電池の電極触媒",
    "リチウムイオン電池のリサイクル",
    "drone crop monitoring",
    "抗体の糖鎖",
]
NEW = [
    Document("new-sake", "ja", "新しい日本酒酵母", "低アルコールでも香りの高い日本酒酵母を開発した。"),
    Document("seed-seismic-en", "en", "Glacier monitoring", "Ice sheet melting measured by satellites and radar."),
    Document("new-weld", "en", "Ultrasonic welding", "Ultrasonic welding of resin parts for car interiors."),
]
GONE = ["seed-wafer-en", "need-drone-farm-ja"]


@pytest.mark.parametrize("ann", [False, True], ids=["exact", "hnsw"])
def test_a_journalled_index_ranks_as_a_full_rebuild_does(embedder, crosslingual, tmp_path, ann):
    config = EngineConfig(ann_threshold=20 if ann else 200_000)
    docs = [as_document(r) for r in crosslingual]
    MatchIndex.build(docs, config, embedder=embedder).save(tmp_path / "i")
    main = MatchIndex.load(tmp_path / "i", embedder=embedder)
    assert main.vectors.uses_ann == ann
    analyser = MatchIndex(config, embedder=embedder)
    journal.append(tmp_path / "i.journal", main.generation, [analyser.prepare_changes(NEW[:2], removed=GONE[:1])])
    journal.append(tmp_path / "i.journal", main.generation, [analyser.prepare_changes(NEW[2:], removed=GONE[1:])])

    reader = MatchIndex.load(tmp_path / "i", embedder=embedder, with_journal=True)
    assert reader.lexical.frozen and reader.vectors.n_slots == main.vectors.n_slots + 3
    final = [d for d in docs if d.id not in GONE and d.id not in {n.id for n in NEW}] + NEW
    rebuilt = MatchIndex.build(final, config, embedder=embedder)
    assert sorted(reader.ids()) == sorted(rebuilt.ids())
    # The same top 5 for every query; the same order for all but at most one. The order may move
    # with the frozen statistics: in 48 documents one added document changes a rare term's df
    # by half (here "monitor": 1 in the main index, 2 after a rebuild, so "drone crop monitoring"
    # ranks the new "Glacier monitoring" 2nd instead of 3rd).
    same_order = 0
    for query in QUERIES:
        got, want = ids(reader, query, top=5), ids(rebuilt, query, top=5)
        assert set(got) == set(want), query
        same_order += got == want
    assert same_order >= len(QUERIES) - 1
    for mode in ("bm25", "dense"):
        for query in QUERIES:
            got = ids(reader, query, mode=mode, top=30)
            assert not set(got) & set(GONE)
    assert ids(reader, "ultrasonic welding resin", mode="dense", top=1) == ["new-weld"]
    assert ids(reader, "ultrasonic welding resin", mode="bm25", top=1) == ["new-weld"]
    # The replaced document's old text ("seismic") is gone with its old version.
    assert "seed-seismic-en" not in ids(reader, "seismic isolation damper", mode="bm25", top=30)
    # Filters follow the added documents (field postings extended, not rebuilt).
    assert reader.field_mask().sum() == len(reader)


def test_new_terms_get_an_idf_from_their_count_in_the_journal(embedder, crosslingual, tmp_path):
    docs = [as_document(r) for r in crosslingual]
    MatchIndex.build(docs, embedder=embedder).save(tmp_path / "i")
    main = MatchIndex.load(tmp_path / "i", embedder=embedder)
    n = main.lexical.n_alive
    change = MatchIndex(embedder=embedder).prepare_changes(
        [Document("z1", "en", "", "zyxwvut gadget"), Document("z2", "en", "", "zyxwvut widget")]
    )
    main.apply_changes([change])
    scores = main.lexical.scores(main.lexical.query_ids(main.query_keys("zyxwvut")))
    z1, z2 = main.positions["z1"], main.positions["z2"]
    assert scores[z1] > 0 and scores[z2] > 0 and np.count_nonzero(scores) == 2
    # idf as if df = 2 (its count among the appended documents) over the main N.
    idf = np.log1p((n - 2 + 0.5) / (2 + 0.5))
    side = main.lexical._side
    term = main.lexical._extra[main.query_keys("zyxwvut")[0]]
    row = int(np.searchsorted(side["terms"], term))  # the side matrix has rows for its own terms only
    assert side["terms"][row] == term and len(side["terms"]) < 100 < main.lexical.n_vocab
    weights = side["data"][side["indptr"][row] : side["indptr"][row + 1]]
    dl, avgdl = len(main.lexical.terms[z1]), main.lexical._frozen[1]
    expected = idf * 1 / (1 + 1.2 * (1 - 0.75 + 0.75 * dl / avgdl))
    assert weights[0] == pytest.approx(expected, rel=1e-6)
    assert main.lexical.idf(main.query_keys("zyxwvut")[0]) == pytest.approx(idf)  # explanations agree


def test_a_fold_gives_the_index_a_full_rebuild_gives(embedder, crosslingual, tmp_path):
    config = EngineConfig(ann_threshold=20)
    docs = [as_document(r) for r in crosslingual]
    MatchIndex.build(docs, config, embedder=embedder).save(tmp_path / "i")
    main = MatchIndex.load(tmp_path / "i", embedder=embedder)
    journal.append(
        tmp_path / "i.journal",
        main.generation,
        [MatchIndex(config, embedder=embedder).prepare_changes(NEW, removed=GONE)],
    )
    changes, _ = journal.read(tmp_path / "i.journal", main.generation)
    main.apply_changes(changes, frozen=False)
    main.save(tmp_path / "i")
    folded = MatchIndex.load(tmp_path / "i", embedder=embedder)
    assert folded.vectors._hnsw.get_current_count() == folded.vectors.n_slots  # the graph holds every slot
    final = [d for d in docs if d.id not in GONE and d.id not in {n.id for n in NEW}] + NEW
    rebuilt = MatchIndex.build(final, config, embedder=embedder)
    for query in QUERIES:
        got = folded.search(query, top=5, explain=False)
        want = rebuilt.search(query, top=5, explain=False)
        assert [m.id for m in got] == [m.id for m in want], query
        assert [round(m.lexical_score, 4) for m in got] == [round(m.lexical_score, 4) for m in want]


def test_an_overlay_behaves_as_a_dict_and_leaves_its_base_alone():
    from renkei.matching.engine.overlay import Overlay, shared_copy

    base = {"a": 0, "b": 1, "c": 2}
    over = shared_copy(base)
    del over["b"]
    over["d"] = 3
    over["a"] = 4  # replaced: moves to the end, as remove + add does in a dict
    assert base == {"a": 0, "b": 1, "c": 2}
    assert dict(over) == {"c": 2, "d": 3, "a": 4} and list(over) == ["c", "d", "a"] and len(over) == 3
    assert "b" not in over and over.get("b") is None and over.pop("b", "gone") == "gone"
    with pytest.raises(KeyError):
        over["b"]
    again = shared_copy(over)
    assert isinstance(again, Overlay) and again.base is base
    again["b"] = 5
    del again["c"]
    assert dict(again) == {"d": 3, "a": 4, "b": 5} and len(again) == 3
    assert dict(over) == {"c": 2, "d": 3, "a": 4}  # the copy's changes stay its own
