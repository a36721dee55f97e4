"""Parsing in worker processes (`nta_parallel`) and writing a batch as plain inserts first
(`CorporationLoader.insert_new`): the fast paths of a large import give the same table, the
same counters and the same rejection report as the line-by-line thread and the upsert."""

from __future__ import annotations

import io
import os
import random
import signal
import subprocess
import time
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.forms.models import model_to_dict
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from renkei.imports import nta_parallel
from renkei.imports.choices import ImportStatus
from renkei.imports.files import ImportFileError
from renkei.imports.loader import AlreadyStored, CorporationLoader, copy_text
from renkei.imports.models import Corporation, ImportRun
from renkei.imports.nta import (
    MAX_LINE_BYTES,
    CorporationRow,
    ParseState,
    parse_block,
    parse_corporation_rows,
)
from renkei.imports.nta_parallel import line_blocks, loader_outcomes, parse_in_workers
from renkei.imports.services import _InsertFirst, do_import_corporations
from renkei.imports.synthetic import corporation_lines, write_corporation_file
from tests.core.test_cli import RENKEI

from .helpers import SABUN_UTF8, WEB_API, ZENKEN_SJIS, ZENKEN_UTF8
from .test_kill_and_rerun import _database_for_subprocess
from .test_parser_properties import GOOD_CELLS, csv_line, mutated_rows

SAMPLES = (ZENKEN_UTF8, ZENKEN_SJIS, SABUN_UTF8, WEB_API)


def dirty_file(rows: int = 400, seed: int = 5) -> bytes:
    """Synthetic rows with, here and there, what the parser must reject or skip: bad check
    digits and dates, wrong column counts, stray quotes, bytes that are not UTF-8, NUL, blank
    lines, a past-history row, a repeated number and a line far over the length limit."""
    rng = random.Random(seed)
    lines = [line.encode("utf-8") for line in corporation_lines(rows, seed=seed)]
    damage = [
        lambda line: line.replace(b",0,2024-06-28,", b",0,2024-02-30,", 1),
        lambda line: b"9" + line[line.index(b",") :],
        lambda line: line.replace(b'"', b"", 1),
        lambda line: line.rstrip(b"\r\n") + b",extra\r\n",
        lambda line: line.replace(b"\xe6\x9e\xb6", b"\xff\xfe", 1),  # 架 -> not UTF-8
        lambda line: line.replace(b"Co.", b"C\x00o.", 1),
        lambda line: b"\r\n",
        lambda line: line.replace(b",2015-10-05,", b",2015-13-05,", 1),
        lambda line: line.rstrip(b"\r\n").rsplit(b",", 1)[0] + b"\r\n",  # 29 columns
    ]
    for index in range(5, rows, 7):
        lines[index] = rng.choice(damage)(lines[index])
    lines.insert(50, csv_line([*GOOD_CELLS[:23], "0", *GOOD_CELLS[24:]]).encode("utf-8"))
    lines.insert(60, lines[10])  # the same number again, later in the file
    lines.insert(70, b"x" * (MAX_LINE_BYTES + 500) + b"\r\n")
    return b"".join(lines)


def _serial(data: bytes) -> tuple[list, ParseState]:
    state = ParseState()
    outcomes = list(loader_outcomes(parse_corporation_rows(io.BufferedReader(io.BytesIO(data)), state), True))
    return outcomes, state


def _in_blocks(data: bytes, block_bytes: int) -> tuple[list, ParseState]:
    """What the workers do, in this process: the top line by line, the rest block by block."""
    stream = io.BufferedReader(io.BytesIO(data))
    state = ParseState()
    top = parse_corporation_rows(stream, state)
    outcomes = []
    for outcome in top:
        outcomes.append(outcome)
        if isinstance(outcome, CorporationRow):
            break
    top.close()
    outcomes = list(loader_outcomes(outcomes, True))
    for block in line_blocks(stream, block_bytes):
        block_state = ParseState(encoding=state.encoding, lines_read=state.lines_read, layout=state.layout)
        outcomes += loader_outcomes(parse_block(block, block_state), True)
        state.lines_read = block_state.lines_read
        state.rows_read += block_state.rows_read
    return outcomes, state


@pytest.mark.parametrize("block_bytes", [1, 200, 4096])
def test_blocks_give_the_outcomes_of_the_line_by_line_parse(block_bytes):
    for data in (*(path.read_bytes() for path in SAMPLES), dirty_file()):
        serial, serial_state = _serial(data)
        blocks, blocks_state = _in_blocks(data, block_bytes)
        assert blocks == serial
        assert (blocks_state.lines_read, blocks_state.rows_read) == (serial_state.lines_read, serial_state.rows_read)


@settings(max_examples=200, deadline=None)
@given(
    rows=st.lists(mutated_rows(), min_size=1, max_size=10),
    encoding=st.sampled_from(["utf-8", "cp932"]),
    block_bytes=st.integers(1, 2000),
)
def test_blocks_of_any_size_give_the_outcomes_of_the_line_by_line_parse(rows, encoding, block_bytes):
    text = csv_line(GOOD_CELLS) + "".join(csv_line(cells) for cells in rows)
    data = text.encode(encoding, errors="replace")
    assert _in_blocks(data, block_bytes)[0] == _serial(data)[0]


def test_blocks_end_at_line_ends_and_an_over_long_line_is_cut():
    long_line = b"y" * (3 * MAX_LINE_BYTES) + b"\n"
    data = b"a,b\n" + long_line + b"c,d\n" + b"z" * (2 * MAX_LINE_BYTES)
    blocks = list(line_blocks(io.BufferedReader(io.BytesIO(data)), 3))
    assert all(block.endswith(b"\n") for block in blocks[:-1])
    lines = b"".join(blocks).split(b"\n")
    assert lines[0] == b"a,b" and lines[2] == b"c,d" and lines[4] == b""  # four lines, each ended
    for cut in (lines[1], lines[3]):  # kept long enough to be rejected as too long, no longer
        assert MAX_LINE_BYTES <= len(cut) < 2 * MAX_LINE_BYTES


def test_worker_processes_give_the_outcomes_of_the_line_by_line_parse(monkeypatch):
    monkeypatch.setattr(nta_parallel, "BLOCK_BYTES", 2048)
    data = dirty_file(rows=1500)
    state = ParseState()
    parallel = [
        outcome for block in parse_in_workers(io.BufferedReader(io.BytesIO(data)), state, 2, True) for outcome in block
    ]
    serial, serial_state = _serial(data)
    assert parallel == serial
    assert (state.lines_read, state.rows_read, state.layout) == (
        serial_state.lines_read,
        serial_state.rows_read,
        serial_state.layout,
    )


def test_worker_processes_refuse_a_file_of_another_layout_before_giving_out_anything():
    data = b"a,b,c\n" * 30
    with pytest.raises(ImportFileError):
        next(parse_in_workers(io.BufferedReader(io.BytesIO(data)), ParseState(), 2, True))


def _table() -> list[dict]:
    return [model_to_dict(c, exclude=["created_at", "updated_at"]) for c in Corporation.objects.order_by("pk")]


def _report(run: ImportRun) -> tuple:
    counters = (run.rows_read, run.created, run.updated, run.unchanged, run.skipped, run.rejected, run.status)
    rejections = list(run.rejections.order_by("line_number").values_list("line_number", "field", "reason", "raw"))
    return counters, rejections


@pytest.mark.django_db
def test_an_import_parsed_by_worker_processes_stores_what_one_thread_stores(tmp_path, monkeypatch):
    monkeypatch.setattr(nta_parallel, "BLOCK_BYTES", 4096)
    path = tmp_path / "dirty.csv"
    path.write_bytes(dirty_file(rows=1200))
    outcomes = {}
    for workers in (0, 2):
        Corporation.objects.all().delete()
        first = do_import_corporations(path, batch_size=97, parse_workers=workers)
        table = _table()
        again = do_import_corporations(path, batch_size=97, parse_workers=workers)
        diff = do_import_corporations(SABUN_UTF8, parse_workers=workers)
        outcomes[workers] = (_report(first), table, _report(again), _report(diff), _table())
    assert outcomes[2] == outcomes[0]
    first, table, again, _diff, _after = outcomes[2]
    assert first[0][1] == len(table) > 1000 and first[0][5] > 100  # created, rejected
    assert again[0][1:4] == (0, 0, len(table))  # nothing created or updated the second time


@pytest.mark.django_db
def test_the_sample_files_import_alike_whichever_way_they_are_parsed():
    for path in SAMPLES:
        reports = []
        for workers in (0, 2):
            Corporation.objects.all().delete()
            run = do_import_corporations(path, batch_size=2, parse_workers=workers)
            reports.append((_report(run), _table()))
        assert reports[0] == reports[1]


@pytest.mark.django_db
def test_a_batch_holding_a_number_already_stored_is_upserted_whole():
    loader = CorporationLoader(connection)
    parsed = parse_corporation_rows(io.BufferedReader(io.BytesIO(ZENKEN_UTF8.read_bytes())))
    rows = [row.values for row in parsed if row.latest]
    as_given = [copy_text(row) for row in rows] if loader.takes_copy_text else rows
    with transaction.atomic():
        assert loader.insert_new(as_given[:2], timezone.now()) == 2
    with pytest.raises(AlreadyStored), transaction.atomic():
        loader.insert_new(as_given, timezone.now())  # two are there already
    assert Corporation.objects.count() == 2  # and nothing of the batch was kept
    with transaction.atomic():
        assert loader.upsert(as_given, timezone.now()) == (len(rows) - 2, 0, 2)
    assert Corporation.objects.count() == len(rows)


def test_after_a_batch_that_needed_an_upsert_plain_inserts_are_tried_again_less_often():
    policy = _InsertFirst()
    tried = []
    stored = 40  # the first 40 batches are in the table already (a run resumed after a kill)
    for batch in range(100):
        attempt = policy.now()
        tried.append(attempt)
        if attempt:
            policy.record(inserted=batch >= stored)
    assert [i for i, attempt in enumerate(tried[:stored]) if attempt] == [0, 2, 5, 10, 19, 36]
    assert all(tried[69:])  # back to plain inserts within INSERT_RETRY_MAX batches


def _children(pid: int) -> set[int]:
    children = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            children.add(int(stat.parent.name))
    return children


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_an_import_parsed_by_workers_killed_mid_way_completes_and_leaves_no_worker_behind(tmp_path):
    """As tests/imports/test_kill_and_rerun.py, with parser processes (RENKEI_IMPORT_PARSE_WORKERS)."""
    rows = 100_000
    batch = 1_000
    source = write_corporation_file(tmp_path / "00_zenkoku_all_20240628.csv", rows)
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    extra_env, count, runs = _database_for_subprocess(data_dir)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RENKEI_", "DJANGO_"))}
    env.update(RENKEI_DATA_DIR=str(data_dir), PYTHONUNBUFFERED="1", RENKEI_IMPORT_PARSE_WORKERS="2", **extra_env)
    command = [*RENKEI, "import", "corporate-numbers", str(source), "--batch-size", str(batch), "--no-progress"]

    process = subprocess.Popen(command, env=env, cwd=data_dir, stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # noqa: S603
    try:
        deadline = time.monotonic() + 240
        while count() < 5 * batch:
            assert process.poll() is None, "the import ended before it could be killed"
            assert time.monotonic() < deadline, "the import made no progress"
            time.sleep(0.02)
        workers = _children(process.pid)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=60)
    assert len(workers) >= 2, "the import parses in worker processes"
    deadline = time.monotonic() + 30
    while any(_alive(pid) for pid in workers):
        assert time.monotonic() < deadline, "a parser process outlived the import"
        time.sleep(0.1)

    loaded = count()
    assert 0 < loaded < rows and loaded % batch == 0
    assert runs() == [(ImportStatus.RUNNING, loaded, 0, loaded)]

    again = subprocess.run(command, env=env, cwd=data_dir, capture_output=True, text=True, timeout=600, check=False)  # noqa: S603

    assert again.returncode == 0, again.stderr
    assert count() == rows
    first, second = runs()
    assert first[0] == ImportStatus.INTERRUPTED
    assert second == (ImportStatus.SUCCEEDED, rows - loaded, loaded, rows)
