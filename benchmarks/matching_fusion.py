"""Tuning the hybrid: fusion method and weights, dense pooling, on a cached bench-dev index.

Computes, once per query, the full BM25 score vector (engine analysis, given k1/b) and the
dense score vectors of several pooling choices, then sweeps fusion settings in numpy and
scores each with bench-dev's own ``evaluate`` (imported from eval.py, so the numbers are the
same as the script's). Used to choose the engine's defaults; the final numbers in
docs/benchmarks.md come from matching_eval.py runs through the engine itself.

    .venv/bin/python benchmarks/matching_fusion.py --task b
    .venv/bin/python benchmarks/matching_fusion.py --task a --k1 1.2 --b 0.75

Fusion formulas (candidates = top-1000 BM25 ∪ top-1000 dense):
- rrf k w:     w_l / (k + rank_lex) + w_d / (k + rank_dense)
- minmax a:    (1 - a) · minmax(bm25) + a · minmax(cos) over the candidates
- maxnorm a:   (1 - a) · bm25 / max(bm25) + a · cos
"""

from __future__ import annotations

import argparse
import glob
import importlib.util
import os
from pathlib import Path

import numpy as np
from matching_eval import BENCH, TASKS, read_jsonl  # noqa: I001  (sibling script)

from renkei.matching.engine import MatchIndex
from renkei.matching.engine.dense import get_model
from renkei.matching.engine.text import index_terms, normalize, split_passages

CANDIDATES = 1000


def load_eval():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("bench_eval", BENCH / "eval.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def dense_matrices(index: MatchIndex) -> tuple[list[int], dict[str, tuple[np.ndarray, np.ndarray | None]]]:
    store = index.vectors
    positions = sorted(store.doc_slots)
    means, slots, owner = [], [], []
    for row, position in enumerate(positions):
        start, end = store.doc_slots[position]
        block = store.vectors[start:end]
        mean = block.mean(axis=0)
        means.append(mean / np.linalg.norm(mean))
        slots.append(block)
        owner.append(np.full(len(block), row))
    owners = np.concatenate(owner)
    starts = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]])
    return positions, {"mean": (np.stack(means), None), "max": (np.concatenate(slots), starts)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--task", choices=["a", "b"], required=True)
    ap.add_argument("--k1", type=float, default=1.2)
    ap.add_argument("--b", type=float, default=0.75)
    ap.add_argument("--title-weight", type=int, default=None)
    ap.add_argument("--index", type=Path, help="cached index directory (default: the first for the task)")
    ap.add_argument("--dense", default="mean/full,mean/qpass,max/full,max/qpass,mean/prf3,mean/prf5,mean/prf10")
    ap.add_argument("--cache", type=Path, default=Path(os.environ.get("RENKEI_DATA_DIR", "/tmp")) / "bench-cache")
    a = ap.parse_args()
    bench_eval = load_eval()
    qrels = {
        Path(p).name: bench_eval.load_qrels(p) for p in sorted(glob.glob(str(BENCH / TASKS[a.task] / "qrels*.tsv")))
    }
    [path] = (
        [a.index] if a.index else [p for p in sorted(a.cache.glob(f"{a.task}-*")) if (p / "manifest.json").exists()][:1]
    )
    index = MatchIndex.load(path)
    settings = {"k1": a.k1, "b": a.b}
    if a.title_weight is not None:
        settings["title_weight"] = a.title_weight
    index.reconfigure(**settings)
    queries = read_jsonl(BENCH / TASKS[a.task] / "queries.jsonl")
    positions, dense = dense_matrices(index)
    pos_index = np.asarray(positions)
    ids = [index.documents[p].id for p in positions]
    model = get_model()
    texts = [normalize(q["text"]) for q in queries]
    q_full = model.encode(texts)
    size = index.config.passage_chars
    q_pass = [model.encode([t[s:e] for s, e in split_passages(t, size=size)[:16]] or [t]) for t in texts]
    lex = np.stack([index.lexical.scores(index.lexical.query_ids(index_terms(t)))[pos_index] for t in texts])

    def dense_scores(doc: str, query: str) -> np.ndarray:
        vectors, starts = dense[doc]
        if query.startswith("prf"):
            # Dense pseudo-relevance feedback: move the query towards the mean vector of
            # the top BM25 documents, then score every document with it.
            k = int(query[3:])
            top = np.argsort(-lex, axis=1)[:, :k]
            centroid = dense["mean"][0][top].mean(axis=1)
            q = q_full + centroid
            q /= np.linalg.norm(q, axis=1, keepdims=True)
            return q @ dense["mean"][0].T
        rows = []
        for qi in range(len(texts)):
            qv = q_full[qi : qi + 1] if query == "full" else q_pass[qi]
            s = qv @ vectors.T
            if starts is not None:
                s = np.maximum.reduceat(s, starts, axis=1)
            rows.append(s.mean(axis=0))
        return np.stack(rows)

    def score(fused: np.ndarray) -> dict[str, float]:
        run = {}
        for qi, q in enumerate(queries):
            top = np.argsort(-fused[qi], kind="stable")[:100]
            run[q["id"]] = [ids[d] for d in top]
        return {name: bench_eval.evaluate(rels, run)[0]["nDCG@10"] for name, rels in qrels.items()}

    def ranks(scores: np.ndarray) -> np.ndarray:
        order = np.argsort(-scores, axis=1, kind="stable")
        r = np.empty_like(order)
        np.put_along_axis(r, order, np.arange(1, scores.shape[1] + 1)[None, :].repeat(len(scores), 0), axis=1)
        return r

    names = list(qrels)
    print("| dense | fusion | " + " | ".join(f"nDCG@10 {n}" for n in names) + " |")
    print("|---|---|" + "---|" * len(names))

    def show(dense_name: str, label: str, fused: np.ndarray) -> None:
        s = score(fused)
        print(f"| {dense_name} | {label} | " + " | ".join(f"{s[n]:.4f}" for n in names) + " |", flush=True)

    show("-", "bm25 only", lex)
    lex_rank = ranks(lex)
    lex_cand = lex_rank <= CANDIDATES
    lex_cand &= lex > 0
    for dense_name in a.dense.split(","):
        doc, query = dense_name.split("/")
        d = dense_scores(doc, query)
        show(dense_name, "dense only", d)
        d_rank = ranks(d)
        cand = lex_cand | (d_rank <= CANDIDATES)
        for k in (10, 60):
            for w in (0.3, 0.5, 1.0):
                rrf = np.where(lex_cand, 1 / (k + lex_rank), 0) + w * np.where(
                    d_rank <= CANDIDATES, 1 / (k + d_rank), 0
                )
                show(dense_name, f"rrf k={k} w_dense={w}", rrf)
        for alpha in (0.2, 0.3, 0.4, 0.5, 0.6):
            lo_l = np.where(cand, lex, np.inf).min(axis=1, keepdims=True)
            hi_l = lex.max(axis=1, keepdims=True)
            lo_d = np.where(cand, d, np.inf).min(axis=1, keepdims=True)
            hi_d = np.where(cand, d, -np.inf).max(axis=1, keepdims=True)
            mm = (1 - alpha) * (lex - lo_l) / np.maximum(hi_l - lo_l, 1e-9) + alpha * (d - lo_d) / np.maximum(
                hi_d - lo_d, 1e-9
            )
            show(dense_name, f"minmax a={alpha}", np.where(cand, mm, -np.inf))
            mx = (1 - alpha) * lex / np.maximum(hi_l, 1e-9) + alpha * d
            show(dense_name, f"maxnorm a={alpha}", np.where(cand, mx, -np.inf))


if __name__ == "__main__":
    main()
