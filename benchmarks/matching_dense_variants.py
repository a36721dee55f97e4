"""Which long-text strategy works best for the dense side? Measured on a cached bench-dev index.

Reuses the passage vectors of an index built by matching_eval.py (passages of 400
characters, at most 8 per document, title prefixed to the first) and compares, dense-only:

- document side: ``max`` over passage vectors (what the engine does), ``mean`` of the passage
  vectors (one vector per document), ``first`` passage only (≈ the first 400 characters);
- query side: the whole query as one text, its first 500 characters, or its passages with
  the document score averaged (``qpass-mean``) or maximised (``qpass-max``) over them.

    .venv/bin/python benchmarks/matching_dense_variants.py --task a

Prints one row per variant and qrels view (nDCG@10, R@10, R@50, MRR@10).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import numpy as np
from matching_eval import BENCH, TASKS, evaluate, read_jsonl  # noqa: I001  (sibling script)

from renkei.matching.engine import MatchIndex
from renkei.matching.engine.batch import Query
from renkei.matching.engine.dense import get_model
from renkei.matching.engine.text import normalize, split_passages


def doc_matrices(index: MatchIndex) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """(vectors, owner document row) per document-side strategy."""
    store = index.vectors
    positions = sorted(store.doc_slots)
    slots, owner, means, firsts = [], [], [], []
    for row, position in enumerate(positions):
        start, end = store.doc_slots[position]
        block = store.vectors[start:end]
        slots.append(block)
        owner.append(np.full(len(block), row))
        mean = block.mean(axis=0)
        means.append(mean / np.linalg.norm(mean))
        firsts.append(block[0])
    rows = np.arange(len(positions))
    return {
        "max": (np.concatenate(slots), np.concatenate(owner)),
        "mean": (np.stack(means), rows),
        "first": (np.stack(firsts), rows),
    }, positions


def doc_scores(q: np.ndarray, vectors: np.ndarray, owner: np.ndarray, n_docs: int) -> np.ndarray:
    """Best slot score per document for each query row: (n_queries, n_docs)."""
    sims = q @ vectors.T
    if len(owner) == n_docs:
        return sims
    starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
    return np.maximum.reduceat(sims, starts, axis=1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--task", choices=["a", "b"], required=True)
    ap.add_argument("--cache", type=Path, default=Path(os.environ.get("RENKEI_DATA_DIR", "/tmp")) / "bench-cache")
    ap.add_argument("--out-dir", type=Path, default=Path(os.environ.get("RENKEI_DATA_DIR", "/tmp")) / "bench-runs")
    a = ap.parse_args()
    [path] = [p for p in a.cache.glob(f"{a.task}-*") if (p / "manifest.json").exists()][:1]
    index = MatchIndex.load(path)
    queries = [
        Query(q["id"], q.get("lang", ""), q["text"]) for q in read_jsonl(BENCH / TASKS[a.task] / "queries.jsonl")
    ]
    model = get_model()
    texts = [normalize(q.text) for q in queries]
    q_full = model.encode(texts)
    q_head = model.encode([t[:500] for t in texts])
    q_pass = []
    for t in texts:
        spans = split_passages(t, size=400)[:8] or [(0, len(t))]
        q_pass.append(model.encode([t[s:e] for s, e in spans]))
    docs, positions = doc_matrices(index)
    ids = [index.documents[p].id for p in positions]
    n = len(ids)
    print("| doc side | query side | qrels | nDCG@10 | R@10 | R@50 | MRR@10 |")
    print("|---|---|---|---|---|---|---|")
    for doc_name, (vectors, owner) in docs.items():
        for q_name in ("full", "head500", "qpass-mean", "qpass-max"):
            run = a.out_dir / f"dense_{a.task}_{doc_name}_{q_name}.trec"
            with run.open("w", encoding="utf-8") as out:
                for qi, query in enumerate(queries):
                    if q_name == "full":
                        s = doc_scores(q_full[qi : qi + 1], vectors, owner, n)[0]
                    elif q_name == "head500":
                        s = doc_scores(q_head[qi : qi + 1], vectors, owner, n)[0]
                    else:
                        per = doc_scores(q_pass[qi], vectors, owner, n)
                        s = per.mean(axis=0) if q_name == "qpass-mean" else per.max(axis=0)
                    top = np.argsort(-s)[:100]
                    for rank, d in enumerate(top, 1):
                        out.write(f"{query.id} Q0 {ids[d]} {rank} {s[d]:.6f} {doc_name}-{q_name}\n")
            for qrels, m in evaluate(a.task, run).items():
                print(
                    f"| {doc_name} | {q_name} | {qrels} | {m['nDCG@10']:.4f} | {m['Recall@10']:.4f} | "
                    f"{m['Recall@50']:.4f} | {m['MRR@10']:.4f} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
