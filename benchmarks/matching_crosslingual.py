"""Cross-lingual check: does a need in one language find the seed written in the other?

The fixed set tests/matching/data/crosslingual.jsonl holds 12 topics (fuel cells, glycan
engineering, wafer inspection, …), each with a seed and a need in Japanese and in English,
written for this test. The 24 seeds go into one index together with distractors: real
profiles from bench-dev (English CORDIS organisations and Japanese KAKEN researchers), so the
twin has to be found among thousands of same-language and other-language documents.

For each of the 24 needs it reports, per ranking: the reciprocal rank of the seed in the
*other* language (cross-lingual twin), Recall@10 of that twin, and the same for the
same-language seed.

    .venv/bin/python benchmarks/matching_crosslingual.py --distractors 3000

The built index is cached under ``--cache`` (rebuild with ``--rebuild`` after changing the
set file, the text analysis or the model).
"""

from __future__ import annotations

import argparse
import json
import os
import random
from pathlib import Path

from renkei.matching.engine import Document, EngineConfig, MatchIndex

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "matching" / "data" / "crosslingual.jsonl"
BENCH = Path("/work/shared/bench-dev")

RANKINGS = {
    "bm25": ("bm25", {}),
    "dense": ("dense", {}),
    "hybrid linear, fitted weights (default)": ("hybrid", {"fusion": "linear"}),
    "hybrid linear, no cross-language rule": ("hybrid", {"fusion": "linear", "cross_language": False}),
    "hybrid maxnorm 0.6/0.4 (before)": ("hybrid", {"fusion": "maxnorm"}),
    "hybrid maxnorm, no cross-language rule": ("hybrid", {"fusion": "maxnorm", "cross_language": False}),
    "hybrid rrf k=60 1/1": ("hybrid", {"fusion": "rrf", "lexical_weight": 1.0, "dense_weight": 1.0}),
    "hybrid rrf, no cross-language rule": (
        "hybrid",
        {"fusion": "rrf", "lexical_weight": 1.0, "dense_weight": 1.0, "cross_language": False},
    ),
    "hybrid minmax 0.65/0.35": ("hybrid", {"fusion": "weighted", "lexical_weight": 0.65, "dense_weight": 0.35}),
    # Glosses for the queries' Japanese words as well (query time only).
    "bm25, glosses in queries too": ("bm25", {"query_glosses": True}),
    "hybrid linear (default), glosses in queries too": ("hybrid", {"fusion": "linear", "query_glosses": True}),
    # Fewer fusion candidates per side (query time only).
    "hybrid linear (default), 500 candidates": ("hybrid", {"candidates": 500}),
    "hybrid linear (default), 300 candidates": ("hybrid", {"candidates": 300}),
    # The gloss lists read over every document instead of at the candidates (query time only).
    "hybrid linear (default), gloss lists scored everywhere": ("hybrid", {"gloss_scoring": "all"}),
    # The glosses in the English words' own lists, as before 30 Nov (re-analyses the documents).
    "bm25, glosses in the English lists": ("bm25", {"gloss_columns": False}),
    "hybrid linear (default), glosses in the English lists": ("hybrid", {"gloss_columns": False}),
    # Without the JMdict glosses (last: switching them re-analyses the documents once).
    "bm25, no glosses": ("bm25", {"ja_glosses": False}),
    "hybrid linear (default), no glosses": ("hybrid", {"fusion": "linear", "ja_glosses": False}),
}


def sample(path: Path, n: int, rng: random.Random) -> list[Document]:
    with path.open(encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    return [Document(r["id"], r["lang"], r["title"], r["text"]) for r in rng.sample(rows, min(n, len(rows)))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--distractors", type=int, default=3000, help="per language (0 for the 24 seeds alone)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument(
        "--cache",
        type=Path,
        default=Path(os.environ.get("RENKEI_DATA_DIR", "/tmp")) / "bench-cache",
        help="directory for the built index ('' to build every time)",
    )
    ap.add_argument("--rebuild", action="store_true", help="build the index even if it is cached")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    rows = [json.loads(line) for line in DATA.open(encoding="utf-8")]
    seeds = [
        Document(f"seed-{r['topic']}-{r['lang']}", r["lang"], r["title"], r["text"])
        for r in rows
        if r["kind"] == "seed"
    ]
    needs = [r for r in rows if r["kind"] == "need"]
    docs = seeds
    if a.distractors:
        docs = docs + sample(BENCH / "dev_a_partner_cordis" / "corpus.jsonl", a.distractors, rng)
        docs = docs + sample(BENCH / "dev_b_ja_kaken" / "corpus.jsonl", a.distractors, rng)
    # The index depends only on the documents (and the engine's analysis and model): cached.
    path = a.cache / f"crosslingual-{a.distractors}-{a.seed}"
    if a.cache.name and (path / "manifest.json").exists() and not a.rebuild:
        index = MatchIndex.load(path)
    else:
        index = MatchIndex.build(docs)
        if a.cache.name:
            index.save(path)
    print(f"{len(index)} documents ({len(seeds)} seeds + {len(index) - len(seeds)} distractors), {len(needs)} needs\n")
    print("| ranking | twin MRR (JA→EN) | twin MRR (EN→JA) | twin R@10 | same-language MRR | same-language R@10 |")
    print("|---|---|---|---|---|---|")
    defaults = EngineConfig()
    for name, (mode, overrides) in RANKINGS.items():
        settings = (
            "fusion",
            "lexical_weight",
            "dense_weight",
            "cross_language",
            "ja_glosses",
            "query_glosses",
            "gloss_scoring",
            "candidates",
        )
        reset = {k: getattr(defaults, k) for k in settings}
        # gloss_columns is not reset: it re-analyses the documents, so those rankings come last.
        index.reconfigure(**{**reset, **overrides})
        results = index.search_many([n["text"] for n in needs], top=100, mode=mode)
        twin_rr = {"ja": [], "en": []}
        twin_hit, same_rr, same_hit = [], [], []
        for need, matches in zip(needs, results, strict=True):
            ids = [m.id for m in matches]
            other = "en" if need["lang"] == "ja" else "ja"
            for target, rr, hit in (
                (f"seed-{need['topic']}-{other}", twin_rr[need["lang"]], twin_hit),
                (f"seed-{need['topic']}-{need['lang']}", same_rr, same_hit),
            ):
                rank = ids.index(target) + 1 if target in ids else None
                rr.append(1 / rank if rank else 0.0)
                hit.append(1.0 if rank and rank <= 10 else 0.0)

        def mean(xs: list[float]) -> float:
            return sum(xs) / len(xs)

        print(
            f"| {name} | {mean(twin_rr['ja']):.3f} | {mean(twin_rr['en']):.3f} | {mean(twin_hit):.3f} | "
            f"{mean(same_rr):.3f} | {mean(same_hit):.3f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
