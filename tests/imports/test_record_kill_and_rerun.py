"""A record import (here a patent list, written through the ORM rather than the corporate number
loader's COPY path) killed with SIGKILL mid-way leaves whole batches only, and running the same
command again completes it without duplicates."""

from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest

from renkei.imports.choices import ImportStatus
from tests.core.test_cli import RENKEI

from .test_kill_and_rerun import _database_for_subprocess

ROWS = 5_000
BATCH = 100


def write_patent_list(path, rows: int):
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("application_number,application_date,title,applicants,ipc,abstract\r\n")
        for n in range(rows):
            handle.write(f"特願2020-{n:06d},2020-04-01,試験装置{n},株式会社テスト{n % 97},B23Q1/00,要約 {n}\r\n")
    return path


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_patent_import_killed_mid_way_completes_without_duplicates_when_run_again(tmp_path):
    source = write_patent_list(tmp_path / "patents.csv", ROWS)
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    extra_env, _count, _runs = _database_for_subprocess(data_dir)
    count, runs = _readers(data_dir, extra_env)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RENKEI_", "DJANGO_"))}
    env.update(RENKEI_DATA_DIR=str(data_dir), PYTHONUNBUFFERED="1", **extra_env)
    command = [*RENKEI, "import", "patents", str(source), "--batch-size", str(BATCH), "--no-progress"]

    process = subprocess.Popen(command, env=env, cwd=data_dir, stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # noqa: S603
    try:
        deadline = time.monotonic() + 300
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
    assert runs() == [(ImportStatus.RUNNING, loaded, 0, loaded)]

    again = subprocess.run(command, env=env, cwd=data_dir, capture_output=True, text=True, timeout=900, check=False)  # noqa: S603

    assert again.returncode == 0, again.stderr
    assert count() == ROWS
    first, second = runs()
    assert first[0] == ImportStatus.INTERRUPTED
    assert second == (ImportStatus.SUCCEEDED, ROWS - loaded, loaded, ROWS)


def _readers(data_dir, extra_env):
    """Counters of the patent table and the runs, on the database the subprocess writes."""
    if extra_env:
        from renkei.imports.models import ImportRun, Patent

        def count() -> int:
            return Patent.objects.count()

        def runs() -> list:
            return list(ImportRun.objects.order_by("pk").values_list("status", "created", "unchanged", "rows_read"))

        return count, runs
    import sqlite3

    database = data_dir / "renkei.sqlite3"

    def query(sql: str) -> list:
        with sqlite3.connect(database, timeout=30) as db:
            return db.execute(sql).fetchall()

    return (
        lambda: query("SELECT count(*) FROM imports_patent")[0][0],
        lambda: query("SELECT status, created, unchanged, rows_read FROM imports_importrun ORDER BY id"),
    )
