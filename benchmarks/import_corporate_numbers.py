"""Benchmark: importing the NTA corporate number file, against a raw bulk load of the same rows.

    .venv/bin/python benchmarks/import_corporate_numbers.py --rows 500000
    .venv/bin/python benchmarks/import_corporate_numbers.py --rows 5000000 --databases postgresql

1. Write a file in the exact 全件 layout (30 columns, CRLF, UTF-8; cached in --work-dir).
2. For each database, on an empty database migrated afresh:
   - `renkei import corporate-numbers` as a user runs it (the service, in a child process):
     wall time, rows per second, the child's peak memory (max RSS), and CPU time: the child's
     own with its parser processes, and the PostgreSQL backend's serving its connection (read
     from /proc; parallel index-build workers not counted);
   - the same file again (every row unchanged: the re-run path);
   - --lookups name look-ups (prefixes of 1–4 characters, and numbers): p50 and p95 in ms;
   - the baseline, in a child process of its own: PostgreSQL `COPY … FROM STDIN (FORMAT csv)`
     of the file's bytes into an unindexed table of 30 text columns; SQLite `executemany` of
     the csv module's rows into an unindexed table of 30 columns, in one transaction.
3. Print a table and the ratio import / baseline. Figures go to docs/benchmarks.md (## Imports).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
RENKEI = str(Path(PYTHON).with_name("renkei"))


def _child_env(database: str, data_dir: Path, postgres_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RENKEI_", "DJANGO_"))}
    env["RENKEI_DATA_DIR"] = str(data_dir)
    if database == "postgresql":
        env["RENKEI_DATABASE_URL"] = postgres_url
    return env


def _run_child(args: list[str], env: dict[str, str]) -> dict:
    result = subprocess.run(  # noqa: S603 - our own script
        [PYTHON, __file__, *args], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"child {args} failed:\n{result.stdout}\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _own_cpu_seconds() -> float:
    """CPU time of this process and of its ended children (the import's parser processes)."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


def _server_cpu_seconds(connection) -> float:
    """CPU time so far of the PostgreSQL backend serving CONNECTION (same machine), else 0."""
    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def _cpu_report(connection, own_start: float, server_start: float) -> dict:
    return {
        "cpu_s": _own_cpu_seconds() - own_start,
        "server_cpu_s": _server_cpu_seconds(connection) - server_start,
    }


# --- child processes ---------------------------------------------------------------------------


def child_import(path: Path, batch_size: int, parse_workers: int | None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renkei.settings")
    import django

    django.setup()
    from django.db import connection

    from renkei.imports.services import do_import_corporations

    own, server = _own_cpu_seconds(), _server_cpu_seconds(connection)
    started = time.perf_counter()
    workers = {} if parse_workers is None else {"parse_workers": parse_workers}
    run = do_import_corporations(path, batch_size=batch_size, **workers)
    seconds = time.perf_counter() - started
    counts = {k: getattr(run, k) for k in ("rows_read", "created", "updated", "unchanged", "rejected")}
    cpu = _cpu_report(connection, own, server)
    print(json.dumps({"seconds": seconds, "peak_mib": _peak_mib(), **counts, **cpu}))


def child_lookup(count: int) -> None:
    """Look-ups as people type them: prefixes of 1–4 characters of the names' stems, and numbers."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renkei.settings")
    import random

    import django

    django.setup()
    from renkei.imports.models import Corporation
    from renkei.imports.services import get_corporation_matches
    from renkei.imports.synthetic import STEMS, TRADES

    rng = random.Random(3)
    numbers = list(Corporation.objects.values_list("pk", flat=True)[:1000])
    queries = []
    for _ in range(count):
        kind = rng.random()
        if kind < 0.2:
            queries.append(rng.choice(numbers))
        else:
            stem = rng.choice(STEMS) + rng.choice(TRADES)
            queries.append(stem[: rng.randint(1, 4)])
    get_corporation_matches(queries[0])  # warm the connection
    timings = []
    for query in queries:
        started = time.perf_counter()
        get_corporation_matches(query)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    print(
        json.dumps({"p50_ms": timings[len(timings) // 2], "p95_ms": timings[int(len(timings) * 0.95)], "count": count})
    )


def child_baseline(path: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renkei.settings")
    import django

    django.setup()
    from django.db import connection, transaction

    columns = ", ".join(f"c{i} text" for i in range(30))
    own, server = _own_cpu_seconds(), _server_cpu_seconds(connection)
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_raw_corporation")
        cursor.execute(f"CREATE TABLE bench_raw_corporation ({columns})")
        if connection.vendor == "postgresql":
            with (
                path.open("rb") as handle,
                cursor.cursor.copy("COPY bench_raw_corporation FROM STDIN (FORMAT csv, ENCODING 'UTF8')") as copy,
            ):
                for chunk in iter(lambda: handle.read(1024 * 1024), b""):
                    copy.write(chunk)
        else:
            import csv
            import itertools

            marks = ", ".join(["%s"] * 30)
            sql = f"INSERT INTO bench_raw_corporation VALUES ({marks})"
            with path.open(encoding="utf-8", newline="") as handle:
                reader = csv.reader(handle)
                while chunk := list(itertools.islice(reader, 50_000)):
                    cursor.executemany(sql, chunk)
        cursor.execute("SELECT count(*) FROM bench_raw_corporation")
        rows = cursor.fetchone()[0]
    seconds = time.perf_counter() - started
    cpu = _cpu_report(connection, own, server)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_raw_corporation")
    print(json.dumps({"seconds": seconds, "peak_mib": _peak_mib(), "rows_read": rows, **cpu}))


# --- the parent --------------------------------------------------------------------------------


def _fresh_database(database: str, data_dir: Path, postgres_url: str) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    if database == "sqlite":
        for name in ("renkei.sqlite3", "renkei.sqlite3-wal", "renkei.sqlite3-shm"):
            (data_dir / name).unlink(missing_ok=True)
    else:
        import psycopg

        base, _, name = postgres_url.rpartition("/")
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')
    env = _child_env(database, data_dir, postgres_url)
    subprocess.run([RENKEI, "migrate", "-v0"], env=env, check=True, cwd=data_dir)  # noqa: S603


def _cpu(result: dict) -> str:
    return f"CPU {result['cpu_s']:.1f} s + server {result['server_cpu_s']:.1f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=500_000, help="rows in the generated file (500000; up to 5000000)")
    parser.add_argument("--databases", default="sqlite,postgresql", help="comma-separated: sqlite, postgresql")
    parser.add_argument(
        "--postgres-url",
        default="postgres://postgres@127.0.0.1:5432/renkei_bench_imports",
        help="a database this script may DROP and CREATE",
    )
    parser.add_argument("--batch-size", type=int, default=5_000)
    parser.add_argument(
        "--parse-workers", type=int, help="parser processes of the import (0: one thread; default: automatic)"
    )
    parser.add_argument("--work-dir", default="/tmp/renkei-bench-imports", help="generated file and SQLite data")
    parser.add_argument("--lookups", type=int, default=500, help="name look-ups timed after the import (500)")
    parser.add_argument("--child", choices=["import", "baseline", "lookup"], help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child == "import":
        child_import(Path(args.file), args.batch_size, args.parse_workers)
        return
    if args.child == "baseline":
        child_baseline(Path(args.file))
        return
    if args.child == "lookup":
        child_lookup(args.lookups)
        return

    work = Path(args.work_dir)
    work.mkdir(parents=True, exist_ok=True)
    path = work / f"00_zenkoku_all_synthetic_{args.rows}.csv"
    if not path.exists():
        sys.path.insert(0, str(ROOT / "src"))
        from renkei.imports.synthetic import write_corporation_file

        started = time.perf_counter()
        write_corporation_file(path.with_suffix(".part"), args.rows)
        path.with_suffix(".part").rename(path)
        print(f"generated {path} ({path.stat().st_size / 1e6:,.0f} MB) in {time.perf_counter() - started:.1f} s")
    print(f"file: {path.name}, {args.rows:,} rows, {path.stat().st_size / 1e6:,.0f} MB; batch {args.batch_size:,}")
    print(f"load average before: {os.getloadavg()[0]:.2f}")

    results = []
    for database in [d.strip() for d in args.databases.split(",") if d.strip()]:
        data_dir = work / f"data-{database}"
        env = _child_env(database, data_dir, args.postgres_url)
        _fresh_database(database, data_dir, args.postgres_url)
        child = ["--file", str(path), "--batch-size", str(args.batch_size)]
        if args.parse_workers is not None:
            child += ["--parse-workers", str(args.parse_workers)]
        first = _run_child(["--child", "import", *child], env)
        again = _run_child(["--child", "import", *child], env)
        lookup = _run_child(["--child", "lookup", "--lookups", str(args.lookups)], env)
        baseline = _run_child(["--child", "baseline", "--file", str(path)], env)
        results.append((database, first, again, baseline))
        print(
            f"{database:<10} import {first['seconds']:7.1f} s ({first['rows_read'] / first['seconds']:>9,.0f} rows/s,"
            f" peak {first['peak_mib']:5.0f} MiB, {_cpu(first)}) | re-run {again['seconds']:7.1f} s"
            f" (unchanged {again['unchanged']:,}, {_cpu(again)}) | raw {baseline['seconds']:6.1f} s"
            f" (peak {baseline['peak_mib']:4.0f} MiB, {_cpu(baseline)})"
            f" | ratio {first['seconds'] / baseline['seconds']:.2f}x"
            f" | look-up p50 {lookup['p50_ms']:.1f} ms, p95 {lookup['p95_ms']:.1f} ms"
            f" | load average {os.getloadavg()[0]:.2f}"
        )
        assert first["created"] == args.rows and again["unchanged"] == args.rows
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
