"""The batch requirement: 25,000 documents of up to 3,000 characters and 1,000 queries in under
20 minutes on this 2-core machine, through the real command.

Generates a worst-case input (every document 2,900–3,000 characters: sentences drawn from the
bench-dev corpora, half English, half Japanese; 1,000 real bench-dev queries, half of each
task), then runs ``renkei match-batch --top 100`` as a subprocess and reports wall time, CPU
time and peak memory (largest process, and the whole process tree sampled every 0.5 s) and
the machine load (other work shares the two cores).

    .venv/bin/python benchmarks/matching_batch_scale.py --docs 25000 --queries 1000
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(os.environ.get("RENKEI_BENCH_DEV", "/work/shared/bench-dev"))
WORK = Path(os.environ.get("RENKEI_DATA_DIR", "/tmp")) / "bench-batch"


def read(task: str, name: str) -> list[dict]:
    with (BENCH / task / name).open(encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def generate(n_docs: int, n_queries: int, seed: int = 13) -> tuple[Path, Path]:
    rng = random.Random(seed)
    WORK.mkdir(parents=True, exist_ok=True)
    pools = {
        "en": [
            s
            for r in read("dev_a_partner_cordis", "corpus.jsonl")[:5000]
            for s in re.split(r"(?<=[.!?])\s+|\s\|\|\s", r["text"])
            if len(s) > 20
        ],
        "ja": [
            s
            for r in read("dev_b_ja_kaken", "corpus.jsonl")[:5000]
            for s in re.split(r"(?<=。)|\s／\s", r["text"])
            if len(s) > 10
        ],
    }
    docs_path, queries_path = WORK / "docs.jsonl", WORK / "queries.jsonl"
    with docs_path.open("w", encoding="utf-8") as out:
        for i in range(n_docs):
            lang = "en" if i % 2 == 0 else "ja"
            parts, size = [], 0
            target = rng.randint(2900, 3000)
            while size < target:
                s = rng.choice(pools[lang])
                parts.append(s)
                size += len(s) + 1
            text = (" " if lang == "en" else "").join(parts)[:target]
            doc = {"id": f"D{i}", "lang": lang, "title": rng.choice(pools[lang])[:80], "text": text}
            out.write(json.dumps(doc, ensure_ascii=False) + "\n")
    queries = read("dev_a_partner_cordis", "queries.jsonl") + read("dev_b_ja_kaken", "queries.jsonl")
    rng.shuffle(queries)
    with queries_path.open("w", encoding="utf-8") as out:
        for q in queries[:n_queries]:
            out.write(json.dumps({"id": q["id"], "lang": q["lang"], "text": q["text"]}, ensure_ascii=False) + "\n")
    return docs_path, queries_path


def tree_rss_mb(root: int) -> float:
    """Resident memory of ``root`` and all its descendants (from /proc), in MB."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()
            parents[int(entry.name)] = int(fields[1])
            rss[int(entry.name)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError, IndexError):
            continue
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        children = [c for c, parent in parents.items() if parent == pid and c not in tree]
        tree.update(children)
        frontier.extend(children)
    return sum(rss.get(pid, 0) for pid in tree) / 2**20


def run_sampled(command: list[str]) -> tuple[float, float, list[float]]:
    """Run ``command``; return (wall seconds, peak MB of its whole process tree, load averages seen)."""
    started = time.perf_counter()
    process = subprocess.Popen(command)
    peak, loads, last_load = 0.0, [], 0.0
    while process.poll() is None:
        peak = max(peak, tree_rss_mb(process.pid))
        if time.perf_counter() - last_load > 30:
            loads.append(os.getloadavg()[0])
            last_load = time.perf_counter()
        time.sleep(0.5)
    wall = time.perf_counter() - started
    if process.returncode:
        raise SystemExit(f"match-batch failed with exit code {process.returncode}")
    return wall, peak, loads


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=25_000)
    ap.add_argument("--queries", type=int, default=1_000)
    ap.add_argument("--mode", default="hybrid")
    a = ap.parse_args()
    docs, queries = generate(a.docs, a.queries)
    chars = sum(len(json.loads(line)["text"]) for line in docs.open(encoding="utf-8"))
    print(f"{a.docs} documents ({chars / a.docs:.0f} characters on average), {a.queries} queries")
    renkei = Path(sys.executable).with_name("renkei")
    command = [str(renkei), "match-batch", "--docs", str(docs), "--queries", str(queries), "--top", "100",
               "--out", str(WORK / "run.trec"), "--mode", a.mode]  # fmt: skip
    load_before = os.getloadavg()
    wall, tree_peak, loads = run_sampled(command)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    lines = sum(1 for _ in (WORK / "run.trec").open(encoding="utf-8"))
    print(
        json.dumps(
            {
                "command": " ".join(command),
                "wall_s": round(wall, 1),
                "cpu_s_all_processes": round(usage.ru_utime + usage.ru_stime, 1),
                "peak_rss_mb_largest_process": round(usage.ru_maxrss / 1024),
                "peak_rss_mb_process_tree": round(tree_peak),
                "load_1min_every_30s": loads,
                "run_lines": lines,
                "load_before": load_before,
                "load_after": os.getloadavg(),
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
