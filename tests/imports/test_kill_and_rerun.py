"""An import killed with SIGKILL in the middle leaves whole batches only, and running the same
command again completes it without duplicates — on the database the suite runs on."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from renkei.imports.choices import ImportStatus
from renkei.imports.models import Corporation, ImportRun
from renkei.imports.synthetic import write_corporation_file
from tests.core.test_cli import RENKEI, run_renkei

ROWS = 100_000
BATCH = 1_000


def _postgres_url() -> str:
    s = connection.settings_dict
    credentials = quote(s["USER"] or "", safe="")
    if s["PASSWORD"]:
        credentials += ":" + quote(s["PASSWORD"], safe="")
    return f"postgres://{credentials}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _database_for_subprocess(data_dir: Path) -> tuple[dict[str, str], Callable[[], int], Callable[[], list]]:
    """The environment pointing a `renkei` process at the test database, and readers of it.

    PostgreSQL: the suite's own test database (this test commits, transaction=True). SQLite:
    the suite's database lives in memory, so the process gets its own file, migrated first."""
    if connection.vendor == "postgresql":
        env = {"RENKEI_DATABASE_URL": _postgres_url()}

        def count() -> int:
            return Corporation.objects.count()

        def runs() -> list:
            return list(ImportRun.objects.order_by("pk").values_list("status", "created", "unchanged", "rows_read"))

        return env, count, runs
    migrated = run_renkei(["migrate", "-v0"], data_dir, timeout=300)
    assert migrated.returncode == 0, migrated.stderr
    database = data_dir / "renkei.sqlite3"

    def query(sql: str) -> list:
        with sqlite3.connect(database, timeout=30) as db:
            return db.execute(sql).fetchall()

    def count() -> int:
        return query("SELECT count(*) FROM imports_corporation")[0][0]

    def runs() -> list:
        return query("SELECT status, created, unchanged, rows_read FROM imports_importrun ORDER BY id")

    return {}, count, runs


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_an_import_killed_mid_way_completes_without_duplicates_when_run_again(tmp_path):
    source = write_corporation_file(tmp_path / "00_zenkoku_all_20240628.csv", ROWS)
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    extra_env, count, runs = _database_for_subprocess(data_dir)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RENKEI_", "DJANGO_"))}
    env.update(RENKEI_DATA_DIR=str(data_dir), PYTHONUNBUFFERED="1", **extra_env)
    command = [*RENKEI, "import", "corporate-numbers", str(source), "--batch-size", str(BATCH), "--no-progress"]

    process = subprocess.Popen(command, env=env, cwd=data_dir, stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # noqa: S603
    try:
        deadline = time.monotonic() + 240
        while count() < 5 * BATCH:
            assert process.poll() is None, "the import ended before it could be killed"
            assert time.monotonic() < deadline, "the import made no progress"
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL

    loaded = count()
    assert 0 < loaded < ROWS, "kill the import mid-way"
    assert loaded % BATCH == 0, "a batch was left half written"
    assert runs() == [(ImportStatus.RUNNING, loaded, 0, loaded)]  # the run's counters match the rows

    again = subprocess.run(command, env=env, cwd=data_dir, capture_output=True, text=True, timeout=600, check=False)  # noqa: S603

    assert again.returncode == 0, again.stderr
    assert count() == ROWS
    first, second = runs()
    assert first[0] == ImportStatus.INTERRUPTED
    assert second == (ImportStatus.SUCCEEDED, ROWS - loaded, loaded, ROWS)
