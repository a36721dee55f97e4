"""Engine latency of the code on the path, for A/B runs of two versions on one saved index.

    git worktree add /tmp/renkei-before <commit>
    PYTHONPATH=/tmp/renkei-before/src RENKEI_DATA_DIR=/tmp/renkei-latency \\
        .venv/bin/python benchmarks/matching_query_ab.py /tmp/renkei-latency/bench-speed/scale-1000000
    RENKEI_DATA_DIR=/tmp/renkei-latency \\
        .venv/bin/python benchmarks/matching_query_ab.py /tmp/renkei-latency/bench-speed/scale-1000000

Loads the index as a serving process does (load, ``warm``, the current default number of
candidates), runs 5 untimed warm-up queries, then the first ``--queries``/2 need-length queries
of bench-dev's tasks A (English) and B (Japanese) through ``MatchIndex.search`` (hybrid top 20,
no explanations) under five filters: none, two field masks, and the site's visitor masks
(``search.allow_mask``). Prints per filter the wall p50 / p95 and the CPU mean / p95 of the
engine alone (``matching_speed.py --stages query`` adds the brute-force baseline; this script
only times the engine, so that the code of an older commit can be run from a worktree, as above).
Run the two versions one after the other on a machine otherwise at rest.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

BENCH = Path(os.environ.get("RENKEI_BENCH_DEV", "/work/shared/bench-dev"))


def queries(task: str) -> list[str]:
    with (BENCH / task / "queries.jsonl").open(encoding="utf-8") as f:
        return [json.loads(line)["text"] for line in f if line.strip()]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("index", help="a saved index directory (e.g. bench-speed/scale-1000000)")
    ap.add_argument("--queries", type=int, default=40, help="queries per filter, half English, half Japanese")
    a = ap.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renkei.settings")  # search.allow_mask reads models
    import django

    django.setup()
    from renkei.matching.engine import EngineConfig, MatchIndex
    from renkei.matching.engine import index as engine_index
    from renkei.matching.engine.dense import Embedder
    from renkei.matching.search import SearchFilters, allow_mask

    print(f"engine code: {engine_index.__file__}", file=sys.stderr)
    started = time.process_time()
    index = MatchIndex.load(a.index, embedder=Embedder(workers=1))
    index.warm()
    index.reconfigure(candidates=EngineConfig().candidates)
    print(f"loaded {len(index)} documents in {time.process_time() - started:.0f} s CPU", file=sys.stderr)
    texts = queries("dev_a_partner_cordis")[: a.queries // 2] + queries("dev_b_ja_kaken")[: a.queries // 2]
    for text in queries("dev_b_ja_kaken")[-5:]:
        index.search(text, top=20, explain=False)
    filters = {
        "none": lambda: None,
        "kind=seed (~33%)": lambda: index.field_mask(kind="seed"),
        "kind=seed, prefecture 13 (~0.7%)": lambda: index.field_mask(kind="seed", prefecture="13"),
        "site: visitor, seeds": lambda: allow_mask(index, None, SearchFilters(kinds=("seed",))),
        "site: visitor, seeds, Tokyo": lambda: allow_mask(index, None, SearchFilters(kinds=("seed",), prefecture="13")),
    }
    for label, make in filters.items():
        make()  # the field masks' inverted lists are built once per loaded index
        walls, cpus = [], []
        for text in texts:
            wall, cpu = time.perf_counter(), time.process_time()
            index.search(text, top=20, allow=make(), explain=False)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        ms = 1000 * np.asarray(walls), 1000 * np.asarray(cpus)
        print(
            f"{label:34s} wall p50 {np.percentile(ms[0], 50):6.1f} p95 {np.percentile(ms[0], 95):6.1f} ms | "
            f"CPU mean {statistics.mean(ms[1]):6.1f} p95 {np.percentile(ms[1], 95):6.1f} ms | "
            f"load {os.getloadavg()[0]:.2f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
