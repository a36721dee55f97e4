"""A full re-index split across Celery workers: one worker against two, on the same documents.

    createdb -h 127.0.0.1 -U postgres renkei_reindex_bench
    RENKEI_DATABASE_URL=postgres://postgres@127.0.0.1:5432/renkei_reindex_bench \\
    RENKEI_BROKER_URL=redis://127.0.0.1:6379/14 RENKEI_DATA_DIR=/tmp/renkei-reindex-bench \\
        .venv/bin/python benchmarks/matching_reindex_workers.py --docs 5000 --shards 8

1. Migrate the database, replace its seeds with --docs generated ones (half English, half
   Japanese; sentences of bench-dev at the real corpora's lengths, as matching_speed.py).
2. For 1, then 2 workers (``celery -A renkei worker --pool=solo``, one process each, on a queue
   of their own): enqueue the ``matching.reindex`` job with --shards shards and time it from
   the enqueue to the saved index. Reported: wall time, CPU time of the worker processes (from
   /proc), the load average, which worker built which shards, and the speed-up.
3. Check that both runs gave an index with the same documents and the same top-10 for a few
   queries (the shards' vectors are embedded in other batches, so equal to float rounding).

The model loads once per worker process, inside the timed run (1.5–4 s per worker).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its waited-for children (from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = sum(int(x) for x in fields[11:15])
    return ticks / os.sysconf("SC_CLK_TCK")


def start_workers(count: int, queue: str, log_dir: Path) -> list[subprocess.Popen]:
    env = {**os.environ, "RENKEI_JOBS_QUEUE": queue, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    workers = []
    for i in range(count):
        log = open(log_dir / f"worker-{count}-{i}.log", "wb")  # noqa: SIM115 (closed with the process)
        command = [sys.executable, "-m", "celery", "-A", "renkei", "worker", "--pool=solo", f"--queues={queue}"]
        command += ["--without-gossip", "--without-mingle", "--loglevel=INFO", f"--hostname=bench{i}@%h"]
        workers.append(subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT))  # noqa: S603
    deadline = time.monotonic() + 120
    for i in range(count):
        path = log_dir / f"worker-{count}-{i}.log"
        while " ready." not in path.read_text(errors="replace"):
            if time.monotonic() > deadline:
                raise SystemExit(f"worker {i} did not start: {path}")
            time.sleep(0.3)
    return workers


def seed_documents(n: int) -> None:
    from matching_speed import generate_stream

    from renkei.directory.models import Organisation
    from renkei.matching.models import Need, Seed

    Seed.objects.all().delete()
    Need.objects.all().delete()
    Organisation.objects.exclude(capability="").update(capability="")
    owner, _ = Organisation.objects.get_or_create(name_en="Benchmark University", defaults={"kind": "university"})
    rows = []
    for row in generate_stream(n):
        if row["lang"] == "ja":
            rows.append(Seed(organisation=owner, lang="ja", title_ja=row["title"], summary_ja=row["text"]))
        else:
            rows.append(Seed(organisation=owner, lang="en", title_en=row["title"], summary_en=row["text"]))
    Seed.objects.bulk_create(rows, batch_size=1000)


def run(workers: int, shards: int, log_dir: Path) -> dict:
    from django.conf import settings

    from renkei.jobs.models import Job
    from renkei.jobs.services import enqueue
    from renkei.matching import indexing
    from renkei.matching.tasks import REINDEX_KIND, SHARD_KIND

    queue = f"reindex-bench-{uuid.uuid4().hex[:8]}"
    settings.JOBS_QUEUE = queue
    processes = start_workers(workers, queue, log_dir)
    try:
        _wait(enqueue("jobs.check", None, steps=1, delay=0))  # the workers take jobs
        cpu_before = {p.pid: cpu_seconds(p.pid) for p in processes}
        load_before = os.getloadavg()
        started = time.perf_counter()
        job = enqueue(REINDEX_KIND, None, shards=shards)
        loads = []
        while True:
            job.refresh_from_db()
            if job.is_finished:
                break
            loads.append(os.getloadavg()[0])
            time.sleep(1)
        wall = time.perf_counter() - started
        cpu = {p.pid: round(cpu_seconds(p.pid) - cpu_before[p.pid], 1) for p in processes}
        if job.result.get("documents") is None:
            raise SystemExit(f"rebuild failed: {job.status} {job.error}")
        shard_jobs = Job.objects.filter(kind=SHARD_KIND, pk__gt=job.pk).order_by("pk")
        by_worker: dict[str, int] = {}
        for shard in shard_jobs:
            by_worker[shard.worker] = by_worker.get(shard.worker, 0) + 1
        index = indexing.get_index()
        queries = ["燃料電池の電極触媒", "machine learning for medical imaging", "半導体の欠陥検査", "soil bacteria"]
        return {
            "workers": workers,
            "documents": job.result["documents"],
            "shards": job.result["shards"],
            "wall_s": round(wall, 1),
            "worker_cpu_s": cpu,
            "worker_cpu_total_s": round(sum(cpu.values()), 1),
            "load_before": [round(x, 2) for x in load_before],
            "load_1min_during_mean": round(sum(loads) / max(1, len(loads)), 2),
            "shards_per_worker": by_worker,
            "top10": [[m.id for m in r] for r in index.search_many(queries, top=10)],
            "ids_hash": hash(tuple(index.ids())),
        }
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)


def _wait(job) -> None:  # type: ignore[no-untyped-def]
    while not job.is_finished:
        time.sleep(0.3)
        job.refresh_from_db()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=5000)
    ap.add_argument("--shards", type=int, default=8)
    ap.add_argument("--workers", default="1,2")
    a = ap.parse_args()
    for name in ("RENKEI_DATABASE_URL", "RENKEI_BROKER_URL", "RENKEI_DATA_DIR"):
        if not os.environ.get(name):
            raise SystemExit(f"set {name} (see the docstring)")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renkei.settings")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    log_dir = Path(os.environ["RENKEI_DATA_DIR"]) / "reindex-bench-logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    seed_documents(a.docs)
    print(f"generated {a.docs} seeds in {time.perf_counter() - started:.0f} s", flush=True)
    results = []
    for workers in [int(w) for w in a.workers.split(",")]:
        result = run(workers, a.shards, log_dir)
        print(json.dumps({k: v for k, v in result.items() if k != "top10"}), flush=True)
        results.append(result)
    if len(results) > 1:
        first = results[0]
        for other in results[1:]:
            print(
                f"{other['workers']} workers vs {first['workers']}: speed-up {first['wall_s'] / other['wall_s']:.2f}x; "
                f"same documents: {other['ids_hash'] == first['ids_hash']}; "
                f"same top-10: {other['top10'] == first['top10']}"
            )
    out = log_dir / f"reindex-workers-{a.docs}.json"
    out.write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
