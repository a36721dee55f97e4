"""Speed and memory of the matching engine, each against a brute-force numpy baseline.

    .venv/bin/python benchmarks/matching_speed.py --docs 100000

1. Embedding throughput (documents/s per core, one process, one BLAS thread) on real bench-dev
   texts: English CORDIS profiles and Japanese KAKEN profiles at their natural lengths.
2. A generated corpus of --docs documents: sentences drawn at random from both bench-dev
   corpora, lengths drawn from their real length distribution (half English, half Japanese).
   Lexical build = analysis (Sudachi / stemming) + BM25 matrix; time and peak memory.
3. Dense index over the same documents. Embedding 100k documents takes ~15–30 min on this
   machine, so the vectors are *synthetic but embedding-like*: each is a normalised mix of two
   real passage embeddings plus noise (real ones drawn from 4,000 embedded passages), one per
   passage the engine would embed. The HNSW build (hnswlib M=16, ef_construction=100) is timed
   against the exact store, whose "build" is a copy.
4. Hybrid top-20 query latency (p50/p95, 200 real queries of bench-dev, single queries as the
   web sends them) with an allow-set filter (a random 50% and 2% of the documents), with exact
   and with HNSW dense search, against brute force: numpy ``V @ q`` over every vector with the
   filter mask and an argpartition, plus BM25 scoring, as in the same process.

Each stage runs in a fresh child process so its peak RSS is its own.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import resource
import statistics
import time
from pathlib import Path

import numpy as np

BENCH = Path(os.environ.get("RENKEI_BENCH_DEV", "/work/shared/bench-dev"))
OUT = Path(os.environ.get("RENKEI_DATA_DIR", "/tmp")) / "bench-speed"


def read(task: str, name: str) -> list[dict]:
    with (BENCH / task / name).open(encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def in_child(fn, *args):  # type: ignore[no-untyped-def]
    """Run fn(*args) in a fresh forked process; return its result dict plus peak RSS."""
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(1) as pool:
        return pool.apply(_wrap, (fn, *args))


def _wrap(fn, *args):  # type: ignore[no-untyped-def]
    result = fn(*args)
    result["peak_rss_mb"] = round(peak_mb())
    return result


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


def stage_lexical(n: int) -> dict:
    from renkei.matching.engine.index import Document, MatchIndex

    docs = [Document(d["id"], d["lang"], d["title"], d["text"]) for d in generate(n)]
    base = peak_mb()
    index = MatchIndex()
    started, cpu0 = time.perf_counter(), time.process_time()
    for doc in docs:
        index.lexical.add(index.lexical_keys(doc))
    analysed = time.perf_counter() - started
    t1 = time.perf_counter()
    index.lexical.refresh()
    matrix = time.perf_counter() - t1
    t2 = time.perf_counter()
    index.lexical._stale = True  # a second rebuild = the cost of an incremental change
    index.lexical.refresh()
    rebuild = time.perf_counter() - t2
    return {
        "docs": n,
        "chars": sum(len(d.text) for d in docs),
        "analyse_s": round(analysed, 1),
        "bm25_matrix_s": round(matrix, 2),
        "rebuild_after_change_s": round(rebuild, 2),
        "cpu_s": round(time.process_time() - cpu0, 1),
        "vocab": len(index.lexical.vocab),
        "rss_growth_mb": round(peak_mb() - base),
    }


# ---- 3./4. dense build and query latency ----
def synthetic_vectors(n_slots: int, seed: int = 9) -> np.ndarray:
    from renkei.matching.engine.dense import get_model

    rng = np.random.default_rng(seed)
    rows = generate(2000, seed=11)
    texts = [r["text"][:400] for r in rows] + [r["text"][400:800] or r["title"] for r in rows]
    real = get_model().encode(texts)
    a = real[rng.integers(0, len(real), n_slots)]
    b = real[rng.integers(0, len(real), n_slots)]
    mix = rng.uniform(0.5, 1.0, (n_slots, 1)).astype(np.float32)
    v = mix * a + (1 - mix) * b + rng.normal(0, 0.02, a.shape).astype(np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    return v.astype(np.float32)


class PrecomputedEmbedder:
    """Hands out synthetic vectors for documents; embeds queries with the real model."""

    def __init__(self, vectors: np.ndarray) -> None:
        self.vectors = vectors
        self.cursor = 0
        self.documents_done = False

    def encode(self, texts, progress=None):  # type: ignore[no-untyped-def]
        from renkei.matching.engine.dense import get_model

        if self.documents_done:
            return get_model().encode(list(texts))
        out = self.vectors[self.cursor : self.cursor + len(texts)]
        self.cursor += len(texts)
        return out


def stage_dense_and_queries(n: int, n_queries: int) -> dict:
    from renkei.matching.engine.dense import get_model
    from renkei.matching.engine.index import Document, EngineConfig, MatchIndex

    docs = [Document(d["id"], d["lang"], d["title"], d["text"]) for d in generate(n)]
    probe = MatchIndex()
    n_slots = sum(len(probe.dense_texts(d)) for d in docs)
    vectors = synthetic_vectors(n_slots)
    base = peak_mb()
    embedder = PrecomputedEmbedder(vectors)
    started = time.perf_counter()
    index = MatchIndex.build(docs, EngineConfig(ann_threshold=10**12), embedder=embedder)  # type: ignore[arg-type]
    build_exact = time.perf_counter() - started
    rss_exact = peak_mb() - base
    embedder.documents_done = True
    t = time.perf_counter()
    index.vectors.build_ann(threads=2)
    build_hnsw = time.perf_counter() - t
    rss_hnsw = peak_mb() - base
    hnsw = index.vectors._hnsw
    index.vectors._hnsw = None

    rng = random.Random(3)
    queries = [q["text"] for q in read("dev_a_partner_cordis", "queries.jsonl")[: n_queries // 2]]
    queries += [q["text"] for q in read("dev_b_ja_kaken", "queries.jsonl")[: n_queries // 2]]
    ids = index.ids()
    get_model().encode(["warm"])
    V = index.vectors.vectors
    result = {
        "docs": n,
        "slots": n_slots,
        "build_exact_s": round(build_exact, 1),
        "build_hnsw_s": round(build_hnsw, 1),
        "rss_exact_mb": round(rss_exact),
        "rss_with_hnsw_mb": round(rss_hnsw),
    }
    for share in (0.5, 0.02):
        allow = set(rng.sample(ids, int(len(ids) * share)))
        mask = index.allow_mask(allow)
        slot_mask = mask[index.vectors.slot_pos]
        for label, ann in (("exact", False), ("hnsw", True)):
            index.vectors._hnsw = hnsw if ann else None
            times = []
            for q in queries:
                t = time.perf_counter()
                matches = index.search(q, top=20, allow=allow, explain=False)
                times.append(time.perf_counter() - t)
                assert all(m.id in allow for m in matches)
            result[f"hybrid_{label}_allow{int(share * 100)}%"] = _pcts(times)
        index.vectors._hnsw = None
        # Brute force in the same process: embed, score every vector, mask, top-20; BM25 likewise.
        times = []
        for q in queries:
            t = time.perf_counter()
            qv = get_model().encode([q])[0]
            s = V @ qv
            s[~slot_mask] = -np.inf
            np.argpartition(-s, 20)[:20]
            lex = index.lexical.scores(index.lexical.query_ids(index_terms_cached(q)), mask)
            np.argpartition(-lex, 20)[:20]
            times.append(time.perf_counter() - t)
        result[f"bruteforce_allow{int(share * 100)}%"] = _pcts(times)
    t = time.perf_counter()
    for q in queries[:50]:
        index.search(q, top=20, allow=None, explain=True)
    result["hybrid_exact_with_explanations_mean_ms"] = round((time.perf_counter() - t) / 50 * 1000, 1)
    return result


def index_terms_cached(q: str) -> list[str]:
    from renkei.matching.engine.text import index_terms, normalize

    return index_terms(normalize(q))


def _pcts(times: list[float]) -> dict:
    ms = sorted(t * 1000 for t in times)
    return {"p50_ms": round(statistics.median(ms), 1), "p95_ms": round(ms[int(0.95 * (len(ms) - 1))], 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--embed-sample", type=int, default=300)
    ap.add_argument("--stages", default="embed,analyse,lexical,dense")
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
    if "lexical" in stages:
        report["lexical"] = in_child(stage_lexical, a.docs)
        print(json.dumps(report["lexical"], indent=1), flush=True)
    if "dense" in stages:
        report["dense_and_queries"] = in_child(stage_dense_and_queries, a.docs, a.queries)
        print(json.dumps(report["dense_and_queries"], indent=1), flush=True)
    report["load_after"] = os.getloadavg()
    path = OUT / f"speed-{a.docs}.json"
    path.write_text(json.dumps(report, indent=1), encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
