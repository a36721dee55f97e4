"""Quality of the matching engine on the bench-dev tasks: BM25-only, dense-only and hybrid.

Builds a MatchIndex of each task's corpus (cached under --cache, keyed by the settings that
change the vectors), ranks every query in each mode with ``MatchIndex.search_many`` (the code
``renkei match-batch`` runs), writes TREC runs and scores them with bench-dev's eval.py.

    .venv/bin/python benchmarks/matching_eval.py --task both
    .venv/bin/python benchmarks/matching_eval.py --task b --set title_weight=0 --set k1=0.9
    .venv/bin/python benchmarks/matching_eval.py --task a --modes hybrid \
        --variant "rrf30:rrf_k=30" --variant "w:fusion=weighted,dense_weight=0.5"

Each ``--variant NAME:k=v,...`` re-ranks the cached index with other lexical or query-time
settings (no re-embedding). Results: one markdown row per (task, variant, mode, qrels view).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import time
from dataclasses import asdict, fields, replace
from pathlib import Path

from renkei.matching.engine import Document, EngineConfig, MatchIndex
from renkei.matching.engine.batch import Query, write_run

BENCH = Path(os.environ.get("RENKEI_BENCH_DEV", "/work/shared/bench-dev"))
TASKS = {"a": "dev_a_partner_cordis", "b": "dev_b_ja_kaken"}
DENSE_KEYS = (
    "dense_strategy",
    "pooling",
    "dense_chars",
    "passage_chars",
    "max_passages",
    "dense_budget",
    "dense_budget_ja",
    "dense_title",
)


def parse_settings(pairs: list[str]) -> dict[str, object]:
    types = {f.name: f.type for f in fields(EngineConfig)}
    out: dict[str, object] = {}
    for pair in pairs:
        key, _, value = pair.partition("=")
        key = key.strip()
        if key not in types:
            sys.exit(f"unknown setting {key!r}; known: {', '.join(types)}")
        kind = types[key]
        if kind in ("int", int):
            out[key] = int(value)
        elif kind in ("float", float):
            out[key] = float(value)
        elif kind in ("bool", bool):
            out[key] = value.lower() in {"1", "true", "yes"}
        else:
            out[key] = value
    return out


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def load_index(task: str, config: EngineConfig, cache: Path) -> tuple[MatchIndex, float]:
    dense = {k: getattr(config, k) for k in DENSE_KEYS}
    key = hashlib.sha1(json.dumps([task, dense], sort_keys=True).encode()).hexdigest()[:10]
    path = cache / f"{task}-{key}"
    started = time.perf_counter()
    corpus = read_jsonl(BENCH / TASKS[task] / "corpus.jsonl")
    if (path / "manifest.json").exists():
        index = MatchIndex.load(path)
        lexical = {k: v for k, v in asdict(config).items() if getattr(index.config, k) != v}
        index.reconfigure(**lexical)
        # An index cached before the evidence was stored: add it (fields do not change the vectors).
        evidence = {d["id"]: d.get("n_projects") for d in corpus}
        for position, doc in enumerate(index.documents):
            if doc is not None and evidence.get(doc.id) is not None and "evidence" not in doc.fields:
                index.documents[position] = replace(doc, fields={**doc.fields, "evidence": evidence[doc.id]})
        return index, 0.0
    # ``n_projects`` (how many projects or grants a profile is built from) is the documents'
    # evidence, read by the fusion as renkei match-batch reads it (engine/batch.py).
    docs = [
        Document(
            id=d["id"],
            lang=d.get("lang", ""),
            title=d.get("title", ""),
            text=d.get("text", ""),
            fields={"evidence": d["n_projects"]} if d.get("n_projects") is not None else {},
        )
        for d in corpus
    ]
    index = MatchIndex.build(docs, config)
    built = time.perf_counter() - started
    index.save(path)
    return index, built


def evaluate(task: str, run: Path) -> dict[str, dict]:
    out = subprocess.run(
        [sys.executable, str(BENCH / "eval.py"), "--task", str(BENCH / TASKS[task]), "--run", str(run), "--json"],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--task", choices=["a", "b", "both"], default="both")
    ap.add_argument("--modes", default="bm25,dense,hybrid")
    ap.add_argument("--set", action="append", default=[], help="engine setting key=value (all runs)")
    ap.add_argument("--variant", action="append", default=[], help="NAME:k=v,k=v re-ranking variant")
    ap.add_argument("--out-dir", type=Path, default=Path(os.environ.get("RENKEI_DATA_DIR", "/tmp")) / "bench-runs")
    ap.add_argument("--cache", type=Path, default=Path(os.environ.get("RENKEI_DATA_DIR", "/tmp")) / "bench-cache")
    ap.add_argument("--top", type=int, default=100)
    ap.add_argument("--json", type=Path, help="also append the rows to this JSON-lines file")
    a = ap.parse_args()
    base = EngineConfig().with_overrides(**parse_settings(a.set))
    variants = [("base", {})]
    for spec in a.variant:
        name, _, rest = spec.partition(":")
        variants.append((name, parse_settings([p for p in rest.split(",") if p])))
    a.out_dir.mkdir(parents=True, exist_ok=True)
    a.cache.mkdir(parents=True, exist_ok=True)
    rows = []
    print("| task | variant | mode | qrels | nDCG@10 | R@10 | R@50 | MRR@10 | #q | rank s |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for task in ("a", "b") if a.task == "both" else (a.task,):
        index, built = load_index(task, base, a.cache)
        if built:
            print(f"<!-- built {task} index in {built:.0f} s -->", file=sys.stderr)
        queries = [
            Query(q["id"], q.get("lang", ""), q["text"]) for q in read_jsonl(BENCH / TASKS[task] / "queries.jsonl")
        ]
        for name, overrides in variants:
            index.reconfigure(**{**asdict(base), **overrides})
            for mode in a.modes.split(","):
                started = time.perf_counter()
                results = index.search_many([q.text for q in queries], top=a.top, mode=mode)
                ranked = time.perf_counter() - started
                run = a.out_dir / f"{task}_{name}_{mode}.trec"
                write_run(run, queries, results, f"{name}-{mode}")
                for qrels, s in evaluate(task, run).items():
                    row = {
                        "task": task,
                        "variant": name,
                        "mode": mode,
                        "qrels": qrels,
                        **s,
                        "seconds": ranked,
                        "settings": {**overrides, **parse_settings(a.set)},
                    }
                    rows.append(row)
                    print(
                        f"| {task} | {name} | {mode} | {qrels} | {s['nDCG@10']:.4f} | {s['Recall@10']:.4f} | "
                        f"{s['Recall@50']:.4f} | {s['MRR@10']:.4f} | {s['queries']} | {ranked:.0f} |",
                        flush=True,
                    )
    if a.json:
        with a.json.open("a", encoding="utf-8") as f:
            for row in rows:
                f.write(json.dumps(row) + "\n")


if __name__ == "__main__":
    main()
