"""Engine latency of the code on the path, for A/B runs of two versions on one saved index.

    git worktree add /tmp/renkei-before <commit>
    PYTHONPATH=/tmp/renkei-before/src RENKEI_DATA_DIR=/tmp/renkei-latency \\
        .venv/bin/python benchmarks/matching_query_ab.py /tmp/renkei-latency/bench-speed/scale-1000000
    RENKEI_DATA_DIR=/tmp/renkei-latency \\
        .venv/bin/python benchmarks/matching_query_ab.py /tmp/renkei-latency/bench-speed/scale-1000000

Loads the index as a serving process does (load, ``warm``, the current default number of
candidates), then times ``MatchIndex.search`` (hybrid top 20, no explanations) over the queries
and filters of ``matching_speed.py --stages query`` (``need_queries``, ``query_filters``).
Prints per filter the wall p50 / p95 and the CPU mean / p95 of the engine alone: the query stage
adds the brute-force baseline, this script only times the engine, so that the engine of an older
commit can be run from a worktree, as above. Run the two versions one after the other on a
machine otherwise at rest.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

import numpy as np
from matching_speed import need_queries, query_filters


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("index", help="a saved index directory (e.g. bench-speed/scale-1000000)")
    ap.add_argument("--queries", type=int, default=40, help="queries per filter, half English, half Japanese")
    a = ap.parse_args()

    from renkei.matching.engine import EngineConfig, MatchIndex
    from renkei.matching.engine import index as engine_index
    from renkei.matching.engine.dense import Embedder

    print(f"engine code: {engine_index.__file__}", file=sys.stderr)
    started = time.process_time()
    index = MatchIndex.load(a.index, embedder=Embedder(workers=1))
    index.warm()
    index.reconfigure(candidates=EngineConfig().candidates)
    print(f"loaded {len(index)} documents in {time.process_time() - started:.0f} s CPU", file=sys.stderr)
    texts = need_queries(index, a.queries)
    for label, make in query_filters(index).items():
        make()  # the field masks' inverted lists are built once per loaded index
        walls, cpus = [], []
        for text in texts:
            wall, cpu = time.perf_counter(), time.process_time()
            index.search(text, top=20, allow=make(), explain=False)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        ms = 1000 * np.asarray(walls), 1000 * np.asarray(cpus)
        print(
            f"{label:40s} wall p50 {np.percentile(ms[0], 50):6.1f} p95 {np.percentile(ms[0], 95):6.1f} ms | "
            f"CPU mean {statistics.mean(ms[1]):6.1f} p95 {np.percentile(ms[1], 95):6.1f} ms | "
            f"load {os.getloadavg()[0]:.2f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
