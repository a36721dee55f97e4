"""Speed and memory of the matching engine, each against a brute-force numpy baseline.

    .venv/bin/python benchmarks/matching_speed.py --docs 100000                      # all stages
    .venv/bin/python benchmarks/matching_speed.py --docs 100000 --stages build --keep-shards
    .venv/bin/python benchmarks/matching_speed.py --docs 1000000 --stages replicate,query --replicate-from 100000 \
        --queries 40 [--no-ann]
    .venv/bin/python benchmarks/matching_speed.py --docs 100000 --stages lexical --lexical-source 10000
    .venv/bin/python benchmarks/matching_speed.py --docs 1000000 --stages update

1. ``embed``: embedding throughput (documents/s per core, one process, one BLAS thread) on real
   bench-dev texts: English CORDIS profiles and Japanese KAKEN profiles at their natural lengths.
2. ``analyse``: CPU time of the BM25 text analysis per 2,900–3,000-character document.
3. ``build``: --docs generated documents (sentences of both bench-dev corpora at their real
   length distribution, half English, half Japanese; random ``kind`` and ``prefecture`` fields)
   streamed through ``MatchIndex.build`` in --shards processes, then ``MatchIndex.merge``
   (BM25 matrix; HNSW graph past the engine's threshold, else built anyway to time it). Wall,
   CPU and peak RSS per step. Embedding --docs documents is out of reach here, so the vectors
   are *synthetic but embedding-like*: a passage's vector mixes two real USE vectors of
   generated passages (3,000 embedded by the model) plus noise. The analysis, the BM25 index,
   the filters and the fusion are real.
4. ``query``: reload the saved index; hybrid top-20 latency (p50/p95 wall, mean/p95 CPU) of
   real bench-dev queries embedded by the model, serial in one process, per filter: none; a
   field mask; a narrow field mask; the site's own path, ``search.allow_mask`` for a visitor
   (when the documents carry the site's visibility fields, as the replicate stage adds them);
   below 200k documents also a set of 50% of the ids (the site's path before 29 Nov). Against
   brute force in the same process: the same query vector and BM25 scores, exact ``V @ q``
   over every vector (one BLAS thread, as the engine), the engine's fusion. "Overlap" is the
   share of the brute-force top 20 the engine returned.
   When the index has the JMdict glosses in lists of their own, the same is measured again
   with those lists scored over every document (``gloss_scoring="all"``, query time), and up
   to 200k documents again without the glosses (the documents re-analysed in the same
   process): what the cross-language keys cost the BM25 side.
5. ``replicate``: when analysing 1M documents is out of reach (a shared machine), an index of
   --docs documents merged by the streaming ``MatchIndex.merge_saved`` from copies of the saved
   shards of a --replicate-from build (ids renamed, the site's visibility fields added,
   vectors re-noised) and saved as ``scale-<docs>``; its peak RSS is the merge's. Run
   ``query`` after it (``--stages replicate,query``).
6. ``lexical``: BM25 scoring alone over --docs documents (--lexical-source analysed, their term
   lists repeated): bm25s's scorer against the engine's, exact and with grouped query terms,
   and the share of postings an exact MaxScore would still have to read (an oracle bound).
7. ``update``: what one changed document costs on the saved ``scale-<docs>`` index, both ways,
   each in its own process (its own peak RSS):
   - ``full`` (the path before the change journal, kept as the baseline): load it whole, add the
     document, the first search after (which rebuilds the BM25 matrix), save it whole (to a
     scratch copy, removed afterwards); against the same search on the index as loaded.
   - ``journal`` (``indexing.update_documents`` now): a serving process has the index loaded
     and warm; the writer reads the manifest, analyses and embeds the document and appends it
     to the journal (fsync); the reader applies the record (``get_index``: read the journal,
     ``fork``, ``apply_changes``), then the first search after (the side matrix is built) and
     the same search again; then a second change the same way (the steady state: the first
     apply of a generation also freezes the matrix's statistics). Then ``--journal-entries``
     more records are appended and applied, to show what a journal grown over a day costs a
     reader. The journal is removed afterwards.
   The database read of the changed row is left out of both (it is the same few queries).

Each stage runs in a fresh child process so its peak RSS is its own; the load average is
recorded, since the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import resource
import shutil
import statistics
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renkei.settings")  # search.allow_mask imports models

BENCH = Path(os.environ.get("RENKEI_BENCH_DEV", "/work/shared/bench-dev"))
OUT = Path(os.environ.get("RENKEI_DATA_DIR", "/tmp")) / "bench-speed"


def read(task: str, name: str) -> list[dict]:
    with (BENCH / task / name).open(encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def in_child(fn, *args):  # type: ignore[no-untyped-def]
    """Run fn(*args) in a fresh forked process (which may start its own); return its result
    dict plus its peak RSS and CPU time."""
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_wrap, args=(send, fn, *args))
    child.start()
    result = receive.recv()
    child.join()
    return result


def _wrap(send, fn, *args):  # type: ignore[no-untyped-def]
    result = fn(*args)
    result["peak_rss_mb"] = round(peak_mb())
    usage = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    result["cpu_s_process"] = round(usage.ru_utime + usage.ru_stime, 1)
    result["cpu_s_child_processes"] = round(children.ru_utime + children.ru_stime, 1)
    send.send(result)


# ---- 1. embedding throughput ----
def stage_embedding(sample: int) -> dict:
    from renkei.matching.engine import Document, MatchIndex
    from renkei.matching.engine.dense import get_model

    rng = random.Random(1)
    model = get_model()
    model.encode(["warm up"])
    index = MatchIndex()  # only for its dense_texts(): the passages the engine embeds
    out = {}
    for label, task in (("en CORDIS profiles", "dev_a_partner_cordis"), ("ja KAKEN profiles", "dev_b_ja_kaken")):
        rows = rng.sample(read(task, "corpus.jsonl"), sample)
        docs = [Document(r["id"], r["lang"], r["title"], r["text"]) for r in rows]
        texts = [t for d in docs for t in index.dense_texts(d)]
        started = time.process_time()
        model.encode(texts)
        cpu = time.process_time() - started
        chars = sum(len(d.text) for d in docs)
        out[label] = {
            "docs": len(docs),
            "mean_chars": round(chars / len(docs)),
            "passages": len(texts),
            "docs_per_s_per_core": round(len(docs) / cpu, 1),
            "chars_per_s_per_core": round(chars / cpu),
        }
    return out


def stage_analysis(sample: int) -> dict:
    """CPU time of the text analysis (what BM25 indexes) per document of 2,900–3,000 characters."""
    from renkei.matching.engine import Document, MatchIndex

    rng = random.Random(2)
    index = MatchIndex()
    index.lexical_keys(Document("warm", "ja", "", "日本語の文。"))
    out = {}
    for lang, row in (("en", 0), ("ja", 1)):
        docs = [Document(d["id"], d["lang"], d["title"], d["text"]) for d in generate(2 * sample)[row::2]]
        # Generated lengths follow the real corpora; repeat each text up to 2,900–3,000 characters.
        docs = [Document(d.id, d.lang, d.title, (d.text * 40)[: rng.randint(2900, 3000)]) for d in docs]
        started = time.process_time()
        for doc in docs:
            index.lexical_keys(doc)
        cpu = time.process_time() - started
        out[lang] = {
            "docs": len(docs),
            "ms_cpu_per_doc": round(cpu / len(docs) * 1000, 2),
            "chars_per_s_per_core": round(sum(len(d.text) for d in docs) / cpu),
        }
    return out


# ---- 2. generated corpus and lexical build ----
def generate(n: int, seed: int = 5) -> list[dict]:
    import re

    rng = random.Random(seed)
    pools = {}
    lengths = {}
    for lang, task in (("en", "dev_a_partner_cordis"), ("ja", "dev_b_ja_kaken")):
        rows = read(task, "corpus.jsonl")
        splitter = r"(?<=[.!?])\s+|\s\|\|\s" if lang == "en" else r"(?<=。)|\s／\s"
        pools[lang] = [s for r in rows[:4000] for s in re.split(splitter, r["text"]) if len(s) > 20]
        lengths[lang] = [len(r["text"]) for r in rows]
    docs = []
    for i in range(n):
        lang = "en" if i % 2 == 0 else "ja"
        target = rng.choice(lengths[lang])
        parts, size = [], 0
        while size < target:
            s = rng.choice(pools[lang])
            parts.append(s)
            size += len(s) + 1
        text = (" " if lang == "en" else "").join(parts)[:3000]
        docs.append({"id": f"G{i}", "lang": lang, "title": rng.choice(pools[lang])[:80], "text": text})
    return docs


# ---- 3. index build at scale (the engine's streaming build, split into shard processes) ----
PREFECTURES = [f"{code:02d}" for code in range(1, 48)]
KINDS = ("seed", "need", "org")


def iter_documents(n: int, shard: int = 0, shards: int = 1):  # type: ignore[no-untyped-def]
    """The generated documents of shard ``shard`` of ``shards`` (blocks of 1,000 dealt in turn,
    so every shard gets both languages), with filter fields."""
    from renkei.matching.engine import Document

    rows = generate_stream(n)
    for i, row in enumerate(rows):
        if (i // 1000) % shards != shard:
            continue
        rng = random.Random(i)
        fields = {"kind": KINDS[rng.randrange(3)], "prefecture": rng.choice(PREFECTURES)}
        yield Document(row["id"], row["lang"], row["title"], row["text"], fields=fields)


def generate_stream(n: int, seed: int = 5):  # type: ignore[no-untyped-def]
    """``generate`` as a stream: the same kind of documents, never all in memory."""
    import re

    rng = random.Random(seed)
    pools, lengths = {}, {}
    for lang, task in (("en", "dev_a_partner_cordis"), ("ja", "dev_b_ja_kaken")):
        rows = read(task, "corpus.jsonl")
        splitter = r"(?<=[.!?])\s+|\s\|\|\s" if lang == "en" else r"(?<=。)|\s／\s"
        pools[lang] = [s for r in rows[:4000] for s in re.split(splitter, r["text"]) if len(s) > 20]
        lengths[lang] = [len(r["text"]) for r in rows]
        del rows
    for i in range(n):
        lang = "en" if i % 2 == 0 else "ja"
        target = rng.choice(lengths[lang])
        parts, size = [], 0
        while size < target:
            s = rng.choice(pools[lang])
            parts.append(s)
            size += len(s) + 1
        text = (" " if lang == "en" else "").join(parts)[:3000]
        yield {"id": f"G{i}", "lang": lang, "title": rng.choice(pools[lang])[:80], "text": text}


def real_vector_pool(size: int = 3000) -> np.ndarray:
    """Real model vectors of passages of generated documents (the synthetic vectors' raw material)."""
    from renkei.matching.engine import MatchIndex
    from renkei.matching.engine.dense import get_model

    probe = MatchIndex()
    texts = []
    for doc in iter_documents(size, 0, 1):
        texts.extend(probe.dense_texts(doc)[:1])
    return get_model().encode(texts).astype(np.float32)


class SyntheticEmbedder:
    """Stands in for the model while building at scale: a passage's vector is a real passage
    vector (chosen by a hash of the text) mixed with a second one, plus noise, normalised."""

    name = "synthetic (real USE vectors mixed + noise)"
    dim = 512

    def __init__(self, pool: np.ndarray) -> None:
        self.pool = pool

    def encode(self, texts, progress=None):  # type: ignore[no-untyped-def]
        import zlib

        keys = np.array([zlib.crc32(t.encode("utf-8")) for t in texts], dtype=np.int64)
        rng = np.random.default_rng(int(keys.sum()) if len(keys) else 0)
        a = self.pool[keys % len(self.pool)]
        b = self.pool[(keys // len(self.pool)) % len(self.pool)]
        mix = rng.uniform(0.5, 1.0, (len(texts), 1)).astype(np.float32)
        v = mix * a + (1 - mix) * b + rng.normal(0, 0.02, a.shape).astype(np.float32)
        v /= np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)
        if progress:
            progress(len(texts))
        return v.astype(np.float32)

    def close(self) -> None:
        pass


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def build_shard(n: int, shard: int, shards: int, pool: np.ndarray, directory: str) -> dict:
    """One shard process: stream its documents through ``MatchIndex.build`` and save them."""
    from renkei.matching.engine import MatchIndex

    wall, cpu = time.perf_counter(), time.process_time()
    index = MatchIndex.build(iter_documents(n, shard, shards), embedder=SyntheticEmbedder(pool), ann=False)
    built = time.perf_counter() - wall, time.process_time() - cpu
    index.save(directory)
    return {
        "docs": len(index),
        "build_wall_s": round(built[0], 1),
        "build_cpu_s": round(built[1], 1),
        "save_wall_s": round(time.perf_counter() - wall - built[0], 1),
        "peak_rss_mb": round(peak_mb()),
    }


def stage_scale(n: int, n_queries: int, shards: int, keep_shards: bool = False) -> dict:
    """Build an index of ``n`` generated documents in ``shards`` processes, merge, then query it."""
    from renkei.matching.engine import MatchIndex

    load = [os.getloadavg()]
    pool = real_vector_pool()
    ctx = multiprocessing.get_context("fork")
    directories = [str(OUT / f"scale-{n}-shard-{i}") for i in range(shards)]
    wall = time.perf_counter()
    with ctx.Pool(shards) as workers:
        parts = workers.starmap(build_shard, [(n, i, shards, pool, directories[i]) for i in range(shards)])
    shard_wall = time.perf_counter() - wall
    load.append(os.getloadavg())
    result: dict = {"docs": n, "shards": parts, "shards_wall_s": round(shard_wall, 1)}

    base_rss = rss_mb()
    wall, cpu = time.perf_counter(), time.process_time()
    loaded = (MatchIndex.load(d, embedder=SyntheticEmbedder(pool)) for d in directories)
    index = MatchIndex.merge(loaded)  # terms, vectors, BM25 matrix and (past 200k vectors) the HNSW graph
    result["merge_wall_s"] = round(time.perf_counter() - wall, 1)
    result["merge_cpu_s"] = round(time.process_time() - cpu, 1)
    result["vocab"] = len(index.lexical.vocab)
    result["postings"] = int(len(index.lexical._bm25.scores["data"]))
    result["slots"] = int(index.vectors.n_slots)
    if index.vectors.uses_ann:  # past the engine's threshold: the merge built the graph
        result["hnsw_built_in_merge"] = True
    else:  # below it: build one anyway, to time it (queries then use exact search)
        wall, cpu = time.perf_counter(), time.process_time()
        index.vectors.build_ann(threads=2)
        result["hnsw_wall_s"] = round(time.perf_counter() - wall, 1)
        result["hnsw_cpu_s"] = round(time.process_time() - cpu, 1)
        index.vectors._hnsw = None
    load.append(os.getloadavg())
    result["rss_after_build_mb"] = round(rss_mb())
    result["rss_growth_mb"] = round(rss_mb() - base_rss)
    # Brute-force "build" baseline: stacking the vectors into one matrix (what numpy search needs).
    wall = time.perf_counter()
    np.ascontiguousarray(index.vectors.vectors.copy())
    result["baseline_build_wall_s"] = round(time.perf_counter() - wall, 2)
    wall = time.perf_counter()
    index.save(OUT / f"scale-{n}")
    result["save_wall_s"] = round(time.perf_counter() - wall, 1)
    if not keep_shards:
        for directory in directories:
            shutil.rmtree(directory, ignore_errors=True)
    load.append(os.getloadavg())
    result["load_average_1_5_15"] = [[round(x, 2) for x in la] for la in load]
    return result


def site_fields(doc_id: str, kind: str) -> dict:
    """The visibility fields the site's documents carry (indexing.py), drawn per id: listings
    60% public, 30% cluster members, 10% coordinators only, in one of 20 clusters;
    organisations half public, half members."""
    rng = random.Random(doc_id)
    if kind == "org":
        return {"org_visibility": rng.choice(("public", "members"))}
    visibility = rng.choices(("public", "cluster", "coordinators"), (6, 3, 1))[0]
    return {"visibility": visibility, "clusters": [rng.randrange(20)], "anonymised": rng.random() < 0.05}


def stage_replicate(n: int, copies: int, source: int, ann: bool) -> dict:
    """An index of ``n = copies × source`` documents from the shards of a ``source`` build.

    For when analysing ``n`` generated documents is out of reach (the machine is shared): the
    saved shards of ``--docs source`` are loaded ``copies`` times, each copy's ids renamed (and
    the site's visibility fields added) and its vectors moved by fresh noise (so the HNSW graph
    sees no duplicates), and merged by the engine's streaming ``MatchIndex.merge_saved`` into
    ``scale-<n>``: BM25 matrix, vectors and HNSW graph at full size, the posting lists of the
    frequent terms as long as in a collection of ``n``. The vocabulary is the ``source`` one
    (a real collection of ``n`` has more rare terms). ``ann=False`` leaves out the HNSW graph
    (dense search stays exact). The ``query`` stage then loads and queries it.
    """
    import dataclasses

    from renkei.matching.engine import MatchIndex

    load = [os.getloadavg()]
    directories = sorted(OUT.glob(f"scale-{source}-shard-*"))
    if not directories:
        raise SystemExit(f"no shards of a {source} build in {OUT}: run --docs {source} --stages build --keep-shards")
    pool = np.zeros((1, 512), dtype=np.float32)
    rng = np.random.default_rng(17)

    def renamed(doc, copy):  # type: ignore[no-untyped-def]
        doc_id = f"{doc.id}-{copy}"
        fields = doc.fields | site_fields(doc_id, doc.fields.get("kind", "seed"))
        return dataclasses.replace(doc, id=doc_id, fields=fields)

    def parts():  # type: ignore[no-untyped-def]
        for copy in range(copies):
            for directory in directories:
                part = MatchIndex.load(directory, embedder=SyntheticEmbedder(pool))
                if not ann:
                    part.config = dataclasses.replace(part.config, ann_threshold=10**12)
                part.documents = [None if d is None else renamed(d, copy) for d in part.documents]
                part.positions = {f"{k}-{copy}": v for k, v in part.positions.items()}
                if copy:
                    v = part.vectors._vectors[: part.vectors.n_slots]
                    v += rng.normal(0, 0.02, v.shape).astype(np.float32)
                    v /= np.linalg.norm(v, axis=1, keepdims=True)
                yield part

    wall, cpu = time.perf_counter(), time.process_time()
    stages: dict[str, float] = {}

    def progress(stage: str, advance: int, total: int | None) -> None:
        stages["merge parts" if stage == "merge" else stage] = round(time.perf_counter() - wall, 1)

    target = OUT / f"scale-{n}"
    MatchIndex.merge_saved(parts(), target, progress=progress)
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    result: dict = {
        "docs": manifest["documents"],
        "source_docs": source,
        "copies": copies,
        "merge_wall_s": round(time.perf_counter() - wall, 1),
        "merge_cpu_s": round(time.process_time() - cpu, 1),
        "stage_ends_s": stages,
        "hnsw_graph": (target / "dense_hnsw.bin").exists(),
        "index_on_disk_mb": round(sum(f.stat().st_size for f in target.iterdir()) / 2**20),
    }
    load.append(os.getloadavg())
    result["load_average_1_5_15"] = [[round(x, 2) for x in la] for la in load]
    return result


UPDATE_QUERY = "solid oxide fuel cell stack with a ceramic electrolyte"


def _timer(steps: dict):  # type: ignore[no-untyped-def]
    def timed(name: str, step):  # type: ignore[no-untyped-def]
        wall, cpu = time.perf_counter(), time.process_time()
        value = step()
        steps[name] = {"wall_s": round(time.perf_counter() - wall, 3), "cpu_s": round(time.process_time() - cpu, 3)}
        return value

    return timed


def stage_update(n: int, journal_entries: int) -> dict:
    """One changed document on the saved ``scale-<n>`` index: the full path and the journal."""
    manifest_path = OUT / f"scale-{n}" / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if not manifest.get("generation"):  # saved before journals existed: give it a generation
        import uuid

        manifest["generation"] = uuid.uuid4().hex
        manifest_path.write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return {
        "full": in_child(stage_update_full, n),
        "journal": in_child(stage_update_journal, n, journal_entries),
    }


def stage_update_full(n: int) -> dict:
    """Time the steps of one update the way it was done before the journal: whole index."""
    from renkei.matching.engine import Document, MatchIndex
    from renkei.matching.engine.dense import Embedder

    load = [os.getloadavg()]
    steps: dict = {}
    timed = _timer(steps)
    index = timed("load", lambda: MatchIndex.load(OUT / f"scale-{n}", embedder=Embedder(workers=1)))
    timed("search before the change (matrix as saved)", lambda: index.search(UPDATE_QUERY, top=20))
    timed("search again (baseline)", lambda: index.search(UPDATE_QUERY, top=20))
    new = Document(id="seed-999999999", lang="en", title="Fuel cell stack", text=UPDATE_QUERY + ".", fields={})
    timed("add one document", lambda: index.add([new]))
    top = timed("first search after the change (BM25 matrix rebuilt)", lambda: index.search(UPDATE_QUERY, top=20))
    scratch = OUT / f"update-scratch-{n}"
    timed("save the whole index", lambda: index.save(scratch))
    shutil.rmtree(scratch, ignore_errors=True)
    load.append(os.getloadavg())
    return {
        "docs": len(index),
        "new_document_first": top[0].id == new.id,
        "steps": steps,
        "per_change_s": round(sum(steps[k]["wall_s"] for k in steps if not k.startswith("search ")), 2),
        "load_average_1_5_15": [[round(x, 2) for x in la] for la in load],
    }


def stage_update_journal(n: int, more: int) -> dict:
    """Time one update through the change journal: the writer's append, a reader's apply, the
    first search after; then a journal of ``more`` further records."""
    from renkei.matching.engine import Document, EngineConfig, MatchIndex, journal
    from renkei.matching.engine.dense import Embedder

    load = [os.getloadavg()]
    directory = OUT / f"scale-{n}"
    path = journal.journal_path(directory)
    path.unlink(missing_ok=True)
    embedder = Embedder(workers=1)
    embedder.encode(["warm up"])  # the model is loaded in the writer (a web or worker process) already
    steps: dict = {}
    timed = _timer(steps)
    reader = timed(
        "reader: load the index (once per generation, not per change)",
        lambda: MatchIndex.load(directory, embedder=embedder),
    )
    timed("reader: search before the change", lambda: reader.search(UPDATE_QUERY, top=20))
    timed("reader: search again (baseline)", lambda: reader.search(UPDATE_QUERY, top=20))
    rss_loaded = rss_mb()
    new = Document(id="seed-999999999", lang="en", title="Fuel cell stack", text=UPDATE_QUERY + ".", fields={})

    def write(docs: list) -> int:  # what indexing.update_documents does after reading the rows
        manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
        analyser = MatchIndex(EngineConfig.saved(manifest["config"]), embedder=embedder)
        return journal.append(path, manifest["generation"], [analyser.prepare_changes(docs)])

    timed("writer: analyse, embed, append to the journal (fsync)", lambda: write([new]))
    state = journal.JournalState()

    def apply():  # what indexing.get_index does when the journal grew
        nonlocal reader, state
        changes, state = journal.read(path, reader.generation, state)
        reader = reader.fork()
        reader.apply_changes(changes)

    timed("reader: read the record, fork, apply (first of the generation: freezes the matrix)", apply)
    top = timed("reader: first search after (side matrix built)", lambda: reader.search(UPDATE_QUERY, top=20))
    timed("reader: search again", lambda: reader.search(UPDATE_QUERY, top=20))
    second = Document(id="seed-999999998", lang="en", title="Ceramic electrolyte", text="A ceramic electrolyte.")
    timed("second change: writer", lambda: write([second]))
    timed("second change: reader reads, forks, applies", apply)
    timed("second change: reader's first search after", lambda: reader.search(UPDATE_QUERY, top=20))
    result: dict = {
        "docs": len(reader),
        "new_document_first": top[0].id == new.id,
        "steps": steps,
        "journal_bytes_per_record": path.stat().st_size - journal.HEADER_SIZE,
        "rss_reader_loaded_mb": round(rss_loaded),
    }
    if more:
        docs = [
            Document(id=f"seed-9{i:08d}", lang=d.lang, title=d.title, text=d.text, fields=d.fields)
            for i, d in enumerate(iter_documents(more, 0, 1))
        ]
        grown: dict = {}
        timed = _timer(grown)
        timed(f"writer: {more} more records, one per change", lambda: [write([d]) for d in docs])
        timed(f"reader: read and apply the {more} records at once", apply)
        timed("reader: first search after (side matrix built)", lambda: reader.search(UPDATE_QUERY, top=20))
        timed("reader: search again", lambda: reader.search(UPDATE_QUERY, top=20))
        grown["writer_per_record_ms"] = round(
            grown[f"writer: {more} more records, one per change"]["wall_s"] / more * 1000, 1
        )
        result[f"journal_of_{more + 1}_records"] = grown
        result["journal_mb"] = round(path.stat().st_size / 2**20, 1)
    path.unlink(missing_ok=True)
    load.append(os.getloadavg())
    result["load_average_1_5_15"] = [[round(x, 2) for x in la] for la in load]
    return result


def stage_query(n: int, n_queries: int) -> dict:
    """Load the index ``stage_scale`` saved and measure query latency against brute force."""
    from renkei.matching.engine import EngineConfig, MatchIndex
    from renkei.matching.engine.dense import Embedder

    load = [os.getloadavg()]
    wall, cpu = time.perf_counter(), time.process_time()
    index = MatchIndex.load(OUT / f"scale-{n}", embedder=Embedder(workers=1))
    index.lexical.refresh()
    load_wall, load_cpu = time.perf_counter() - wall, time.process_time() - cpu
    index.warm()  # as a serving process does after loading (indexing.get_index)
    # Query-time settings as the engine's defaults now, whatever the saved manifest says.
    index.reconfigure(candidates=EngineConfig().candidates)
    result: dict = {
        "docs": len(index),
        "load_wall_s": round(load_wall, 1),
        "load_cpu_s": round(load_cpu, 1),
        "warm_wall_s": round(time.perf_counter() - wall - load_wall, 1),
        "uses_hnsw": index.vectors.uses_ann,
        "rss_loaded_mb": round(rss_mb()),
    }
    V = np.ascontiguousarray(index.vectors.vectors)
    result["queries"] = query_latency(index, V, n_queries)
    load.append(os.getloadavg())
    if index.config.ja_glosses and index.config.gloss_columns:
        # The same queries with the gloss lists read in full (a query-time setting): what
        # scoring them at the candidates only saves.
        print("again with the gloss lists scored over every document:", flush=True)
        index.reconfigure(gloss_scoring="all")
        result["queries_gloss_scoring_all"] = query_latency(index, V, n_queries)
        index.reconfigure(gloss_scoring="candidates")
        load.append(os.getloadavg())
    if index.config.ja_glosses and len(index) <= 200_000:
        # The same queries on the same index with the documents' JMdict glosses taken out (the
        # documents re-analysed, so not at a million): what the cross-language keys cost.
        print("again without the JMdict glosses:", flush=True)
        index.reconfigure(ja_glosses=False)
        result["queries_without_glosses"] = query_latency(index, V, n_queries)
        load.append(os.getloadavg())
    result["load_average_1_5_15"] = [[round(x, 2) for x in la] for la in load]
    return result


def need_queries(index, n_queries: int) -> list[str]:  # type: ignore[no-untyped-def]
    """The timed queries: the first n/2 need-length bench-dev queries of task A (English) and of
    task B (Japanese), after 5 other ones run untimed (the memory-mapped files read once)."""
    for text in read("dev_b_ja_kaken", "queries.jsonl")[-5:]:
        index.search(text["text"], top=20, explain=False)
    queries = [q["text"] for q in read("dev_a_partner_cordis", "queries.jsonl")[: n_queries // 2]]
    return queries + [q["text"] for q in read("dev_b_ja_kaken", "queries.jsonl")[: n_queries // 2]]


def query_filters(index) -> dict:  # type: ignore[no-untyped-def]
    """The filters a query is timed under, each a function making what ``search`` is given:
    field masks, a set of ids (up to 200k documents) and the site's visitor masks."""
    ids = index.ids()
    filters = {
        "none": lambda: None,
        "kind=seed (field mask, ~33%)": lambda: index.field_mask(kind="seed"),
        "kind=seed & one prefecture (~0.7%)": lambda: index.field_mask(kind="seed", prefecture="13"),
    }
    if len(ids) <= 200_000:  # at 1M measured before: ~0.5 s per query for the set alone
        random_ids = set(random.Random(3).sample(ids, len(ids) // 2))
        filters["allow = set of 50% of the ids (the site before 29 Nov)"] = lambda: random_ids
    if index.field_values("visibility"):
        # The site's own path (search.allow_mask) for a visitor: public listings of the kind.
        import django

        django.setup()
        from renkei.matching.search import SearchFilters, allow_mask

        filters["site: allow_mask(visitor, seeds)"] = lambda: allow_mask(index, None, SearchFilters(kinds=("seed",)))
        filters["site: allow_mask(visitor, seeds, Tokyo)"] = lambda: allow_mask(
            index, None, SearchFilters(kinds=("seed",), prefecture="13")
        )
    return filters


def query_latency(index, V: np.ndarray, n_queries: int) -> dict:  # type: ignore[no-untyped-def]
    """p50/p95 wall and mean CPU per hybrid top-20 query, serial in this process, per filter."""
    from renkei.matching.engine.dense import one_blas_thread
    from renkei.matching.engine.index import _top_positive
    from renkei.matching.engine.text import has_japanese, normalize

    index.embedder.encode(["warm up"])  # queries are embedded by the real model
    queries = need_queries(index, n_queries)
    filters = query_filters(index)
    out: dict = {}
    for label, make in filters.items():
        make()  # the field masks' inverted lists are built once per loaded index
        engine_wall, engine_cpu, brute_wall, brute_cpu, overlap = [], [], [], [], []
        for q in queries:
            w, c = time.perf_counter(), time.process_time()
            matches = index.search(q, top=20, allow=make(), explain=False)
            engine_wall.append(time.perf_counter() - w)
            engine_cpu.append(time.process_time() - c)
            # Brute force in the same process: the same query embedding and BM25 scores, exact
            # dense scores over every vector (V @ q; one vector per document), the engine's fusion.
            w, c = time.perf_counter(), time.process_time()
            allow = make()
            mask = index.allow_mask(allow)
            mask = index.lexical.alive if mask is None else mask & index.lexical.alive
            text = normalize(q)
            qv = index.embed_queries([text])
            lex = index.lexical_scores(text, mask)  # exact: the gloss lists read in full
            with one_blas_thread():  # as the engine: one BLAS thread is faster for one query
                dense = V @ qv[0]
            dense[~mask[index.vectors.slot_pos]] = -np.inf
            dense_pos = _top_k(dense, index.config.candidates)
            dense_pos = dense_pos[np.argsort(-dense[dense_pos], kind="stable")]
            fused = index._fuse(
                "hybrid",
                lex,
                _top_positive(lex, index.config.candidates),
                dense_pos,
                dense[dense_pos],
                qv,
                0,
                20,
                has_japanese(text),
            )
            brute = [(index.positions[m.id], m.score) for m in fused]
            brute_wall.append(time.perf_counter() - w)
            brute_cpu.append(time.process_time() - c)
            exact_ids = [index.documents[p].id for p, _ in brute]
            overlap.append(len({m.id for m in matches} & set(exact_ids)) / max(1, len(exact_ids)))
        out[label] = {
            "engine": _pcts(engine_wall) | _cpu(engine_cpu),
            "bruteforce": _pcts(brute_wall) | _cpu(brute_cpu),
            "p95_ratio_engine_to_bruteforce": None,
            "top20_overlap_with_exact_mean": round(statistics.mean(overlap), 3),
        }
        out[label]["p95_ratio_engine_to_bruteforce"] = round(
            out[label]["engine"]["p95_ms"] / max(out[label]["bruteforce"]["p95_ms"], 1e-9), 3
        )
        print(label, json.dumps(out[label]), flush=True)
    return out


# ---- 6. BM25 scoring alone: bm25s's loop, the engine's loop, grouped query terms ----
def stage_lexical(n: int, source: int, n_queries: int) -> dict:
    """BM25 scoring of the real bench-dev queries over ``n`` documents, three ways, per query.

    ``source`` generated documents are analysed as the engine does (title and body, Japanese
    parts, pairs and bigrams) and their term lists repeated up to ``n`` documents, so posting
    lists are as long as in a real collection of ``n`` (the vocabulary is ``source``'s). Then,
    for each query, in this order: bm25s's ``get_scores_from_ids`` (the engine's scorer before
    29 Nov), ``LexicalIndex.scores`` (the same additions, bit-identical: checked), and
    ``scores(grouped=True)`` (each distinct term once, weighted by its count): CPU per query,
    postings read, and how far the grouped scores and top 20 / top 1000 are from the exact ones.
    """
    from renkei.matching.engine import EngineConfig, kernels
    from renkei.matching.engine.index import _top_positive
    from renkei.matching.engine.lexical import LexicalIndex
    from renkei.matching.engine.text import index_terms, normalize

    c = EngineConfig()

    def keys(text: str) -> list[str]:
        return index_terms(normalize(text), parts=c.ja_parts, pairs=c.ja_pairs, bigrams=c.ja_bigrams)

    load = [os.getloadavg()]
    cpu = time.process_time()
    lexical = LexicalIndex(k1=c.k1, b=c.b)
    for row in generate_stream(source):
        lexical.add(keys(row["text"]) * c.body_weight + keys(row["title"]) * c.title_weight)
    analyse_cpu = time.process_time() - cpu
    terms = lexical.terms
    lexical._set_terms([terms[i % len(terms)] for i in range(n)])
    lexical.refresh()
    result: dict = {
        "docs": n,
        "analysed_docs": source,
        "analysis_cpu_s": round(analyse_cpu, 1),
        "postings_in_index": int(lexical._bm25.scores["indptr"][-1]),
        "distinct_terms": len(lexical.vocab),
    }
    queries = [q["text"] for q in read("dev_a_partner_cordis", "queries.jsonl")[: n_queries // 2]]
    queries += [q["text"] for q in read("dev_b_ja_kaken", "queries.jsonl")[: n_queries // 2]]
    timings: dict[str, list[float]] = {"bm25s": [], "engine": [], "grouped": []}
    walls: dict[str, list[float]] = {"bm25s": [], "engine": [], "grouped": []}
    postings, postings_grouped, top20_same, top1000_overlap, max_rel = [], [], 0, [], 0.0
    top_cpu, essential_share = [], []
    matrix = lexical._bm25.scores
    lengths = np.diff(matrix["indptr"])
    term_max = np.zeros(len(lengths), np.float64)  # each term's best score: MaxScore's bound
    nonempty = lengths > 0
    term_max[nonempty] = np.maximum.reduceat(matrix["data"], matrix["indptr"][:-1][nonempty])
    identical = 0
    kernels.warm()  # the engine's compiled loop, compiled (or read from numba's cache) untimed
    for text in queries:
        q_ids = lexical.query_ids(keys(text))
        runs = {
            "bm25s": lambda q_ids=q_ids: lexical._bm25.get_scores_from_ids(q_ids),
            "engine": lambda q_ids=q_ids: lexical.scores(q_ids),
            "grouped": lambda q_ids=q_ids: lexical.scores(q_ids, grouped=True),
        }
        out = {}
        for name, run in runs.items():
            w, t = time.perf_counter(), time.process_time()
            out[name] = run() if len(q_ids) else np.zeros(n, np.float32)
            timings[name].append(time.process_time() - t)
            walls[name].append(time.perf_counter() - w)
        identical += bool(np.array_equal(out["bm25s"], out["engine"]))
        postings.append(lexical.postings(q_ids))
        postings_grouped.append(lexical.postings(np.unique(q_ids)))
        exact, grouped = out["engine"], out["grouped"]
        top_exact = np.argsort(-exact, kind="stable")[:1000]
        top_grouped = np.argsort(-grouped, kind="stable")[:1000]
        top20_same += bool(np.array_equal(top_exact[:20], top_grouped[:20]))
        top1000_overlap.append(len(set(top_exact.tolist()) & set(top_grouped.tolist())) / 1000)
        t = time.process_time()
        _top_positive(exact, 1000)  # what the engine does next with the scores
        top_cpu.append(time.process_time() - t)
        # MaxScore with the true 1,000th score as threshold (an oracle: the best case): terms
        # whose bounds sum below it need not be read exhaustively; the share of postings left.
        distinct, counts = np.unique(q_ids, return_counts=True)
        bounds = term_max[distinct] * counts
        order = np.argsort(bounds)
        skippable = np.cumsum(bounds[order]) < exact[top_exact[-1]]
        if postings_grouped[-1]:
            essential_share.append(1 - lengths[distinct[order][skippable]].sum() / postings_grouped[-1])
        positive = exact > 0
        if positive.any():
            max_rel = max(max_rel, float(np.max(np.abs(grouped[positive] - exact[positive]) / exact[positive])))
    result["queries"] = len(queries)
    result["query_terms_mean"] = round(statistics.mean(len(keys(q)) for q in queries), 1)
    result["postings_per_query_mean"] = round(statistics.mean(postings))
    result["postings_per_query_grouped_mean"] = round(statistics.mean(postings_grouped))
    result["bit_identical_engine_vs_bm25s"] = f"{identical}/{len(queries)}"
    result["grouped_top20_identical"] = f"{top20_same}/{len(queries)}"
    result["grouped_top1000_overlap_mean"] = round(statistics.mean(top1000_overlap), 4)
    result["grouped_max_relative_score_difference"] = max_rel
    for name in timings:
        result[name] = _pcts(walls[name]) | _cpu(timings[name])
    result["top1000_selection"] = _cpu(top_cpu)
    result["maxscore_oracle_essential_postings_share_mean"] = round(statistics.mean(essential_share), 3)
    load.append(os.getloadavg())
    result["load_average_1_5_15"] = [[round(x, 2) for x in la] for la in load]
    return result


def _top_k(scores: np.ndarray, k: int) -> np.ndarray:
    valid = np.flatnonzero(np.isfinite(scores) & (scores > -np.inf))
    if len(valid) > k:
        valid = valid[np.argpartition(-scores[valid], k - 1)[:k]]
    return valid


def _cpu(times: list[float]) -> dict:
    ms = sorted(t * 1000 for t in times)
    return {"cpu_ms_mean": round(statistics.mean(ms), 1), "cpu_ms_p95": round(ms[int(0.95 * (len(ms) - 1))], 1)}


def _pcts(times: list[float]) -> dict:
    ms = sorted(t * 1000 for t in times)
    return {"p50_ms": round(statistics.median(ms), 1), "p95_ms": round(ms[int(0.95 * (len(ms) - 1))], 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--embed-sample", type=int, default=300)
    ap.add_argument("--shards", type=int, default=2, help="processes building the index at scale")
    ap.add_argument("--stages", default="embed,analyse,build,query", help="also: replicate, lexical, update")
    ap.add_argument("--no-ann", action="store_true", help="replicate: no HNSW graph (exact dense search)")
    ap.add_argument("--keep-shards", action="store_true", help="keep the build's shards (for replicate)")
    ap.add_argument("--replicate-from", type=int, default=100_000, help="replicate: the --docs of the source build")
    ap.add_argument("--lexical-source", type=int, default=10_000, help="lexical: documents analysed, then repeated")
    ap.add_argument("--journal-entries", type=int, default=0, help="update: records more in the journal, then applied")
    a = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    stages = a.stages.split(",")
    report: dict = {"load_before": os.getloadavg()}
    if "embed" in stages:
        report["embedding"] = in_child(stage_embedding, a.embed_sample)
        print(json.dumps(report["embedding"], indent=1), flush=True)
    if "analyse" in stages:
        report["analysis"] = in_child(stage_analysis, a.embed_sample)
        print(json.dumps(report["analysis"], indent=1), flush=True)
    if "build" in stages:
        report["build"] = in_child(stage_scale, a.docs, a.queries, a.shards, a.keep_shards)
        print(json.dumps(report["build"], indent=1), flush=True)
    if "replicate" in stages:
        report["replicate"] = in_child(
            stage_replicate, a.docs, a.docs // a.replicate_from, a.replicate_from, not a.no_ann
        )
        print(json.dumps(report["replicate"], indent=1), flush=True)
    if "query" in stages:
        report["query"] = in_child(stage_query, a.docs, a.queries)
        print(json.dumps(report["query"], indent=1), flush=True)
    if "lexical" in stages:
        report["lexical"] = in_child(stage_lexical, a.docs, a.lexical_source, a.queries)
        print(json.dumps(report["lexical"], indent=1), flush=True)
    if "update" in stages:
        report["update"] = stage_update(a.docs, a.journal_entries)
        print(json.dumps(report["update"], indent=1), flush=True)
    report["load_after"] = os.getloadavg()
    path = OUT / f"speed-{a.docs}-{'-'.join(stages)}.json"
    path.write_text(json.dumps(report, indent=1), encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
