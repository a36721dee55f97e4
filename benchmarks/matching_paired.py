"""Is run B better than run A on a qrels view? Paired comparison of per-query nDCG@10.

    .venv/bin/python benchmarks/matching_paired.py --task dev_a_partner_cordis \
        --qrels qrels_longtail.tsv RUN_A RUN_B
    .venv/bin/python benchmarks/matching_paired.py --task dev_a_partner_cordis --qrels all RUN_A RUN_B

Prints the mean difference, wins/losses/ties and a two-sided paired randomisation test
(10,000 sign flips, fixed seed). Per-query scores come from bench-dev's eval.py.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path("/work/shared/bench-dev")


def per_query(task: str, qrels: str, run: str) -> dict[str, float]:
    with tempfile.NamedTemporaryFile(suffix=".tsv") as out:
        subprocess.run(
            [sys.executable, str(BENCH / "eval.py"), "--qrels", str(BENCH / task / qrels), "--run", run,
             "--per-query", out.name],
            check=True,
            capture_output=True,
        )  # fmt: skip
        lines = Path(out.name).read_text(encoding="utf-8").splitlines()[1:]
    return {line.split("\t")[0]: float(line.split("\t")[1]) for line in lines}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--task", required=True)
    ap.add_argument("--qrels", default="qrels.tsv", help="a qrels file of the task, or 'all' for each in turn")
    ap.add_argument("run_a")
    ap.add_argument("run_b")
    a = ap.parse_args()
    views = sorted(p.name for p in (BENCH / a.task).glob("qrels*.tsv")) if a.qrels == "all" else [a.qrels]
    for qrels in views:
        compare(a.task, qrels, a.run_a, a.run_b)


def compare(task: str, qrels: str, run_a: str, run_b: str) -> None:
    first, second = per_query(task, qrels, run_a), per_query(task, qrels, run_b)
    diffs = [second[q] - first[q] for q in first]
    mean = sum(diffs) / len(diffs)
    rng = random.Random(0)
    extreme = sum(
        abs(sum(d if rng.random() < 0.5 else -d for d in diffs) / len(diffs)) >= abs(mean) for _ in range(10_000)
    )
    wins = sum(d > 0 for d in diffs)
    losses = sum(d < 0 for d in diffs)
    print(
        f"{qrels}: mean nDCG@10 difference {mean:+.4f} over {len(diffs)} queries; "
        f"B better on {wins}, worse on {losses}, tied on {len(diffs) - wins - losses}; "
        f"paired randomisation p = {extreme / 10_000:.4f}"
    )


if __name__ == "__main__":
    main()
