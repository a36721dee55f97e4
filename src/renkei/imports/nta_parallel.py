"""Parsing a large NTA corporate number file in worker processes, a block of lines at a time.

Checking a row in Python takes several microseconds, so one process parses five million rows
more slowly than PostgreSQL stores them. For a large file, on a machine with CPUs to spare
(`can_use_workers`), the import therefore reads the top of the file itself with
`nta.parse_corporation_rows` (encoding, header or Web-API summary line, the layout probe, up to
the first accepted row), then hands the rest out in blocks of whole lines to worker processes,
which parse them with `nta.parse_block` (the same checks, the same line numbers, the same
outcomes as line by line) and format each row for the loader. The results come back in file
order, at most a few blocks ahead of the writer, so memory stays bounded.

Each outcome is given in the form the import batches them in (`LoaderOutcome`): a latest row as
(corporate number, its values or COPY text line), a past-history row as None, a rejection as
the `RowRejection`.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import BinaryIO

from renkei.imports.loader import copy_text
from renkei.imports.nta import (
    MAX_LINE_BYTES,
    CorporationRow,
    ParseState,
    RowRejection,
    parse_block,
    parse_corporation_rows,
)

LoaderOutcome = tuple[str, tuple | str] | None | RowRejection

# About 3,700 rows of the national file; each block's results travel back as one message.
BLOCK_BYTES = 1024 * 1024
# Blocks handed out ahead of the one the writer waits for, per worker.
BLOCKS_AHEAD_PER_WORKER = 2
PARENT_CHECK_SECONDS = 1.0


def loader_outcomes(outcomes: Iterable[CorporationRow | RowRejection], as_copy_text: bool) -> Iterator[LoaderOutcome]:
    for outcome in outcomes:
        if type(outcome) is CorporationRow:
            if outcome.latest:
                yield outcome.corporate_number, copy_text(outcome.values) if as_copy_text else outcome.values
            else:
                yield None
        else:
            yield outcome


def line_blocks(stream: BinaryIO, size: int = BLOCK_BYTES) -> Iterator[bytes]:
    """STREAM from where it is, in blocks of about SIZE bytes that end at the end of a line.

    A line too long for the parser (`nta.MAX_LINE_BYTES`) is cut after that many bytes, and the
    cut part still ends the block: the parser rejects it as too long, as it would have."""
    while data := stream.read(size):
        if not data.endswith(b"\n"):
            data += _rest_of_line(stream)
        yield data


def _rest_of_line(stream: BinaryIO) -> bytes:
    rest = stream.readline(MAX_LINE_BYTES)
    if rest.endswith(b"\n") or len(rest) < MAX_LINE_BYTES:
        return rest
    while (more := stream.readline(MAX_LINE_BYTES)) and not more.endswith(b"\n"):
        pass
    return rest + b"\n"


def _line_count(data: bytes) -> int:
    return data.count(b"\n") + (not data.endswith(b"\n"))


def _parse_block_job(data: bytes, state: ParseState, as_copy_text: bool) -> list[LoaderOutcome]:
    """In a worker: the block's outcomes, ready for the loader."""
    return list(loader_outcomes(parse_block(data, state), as_copy_text))


def _exit_with_parent(parent: int) -> None:
    """In a worker: end the process when the import's process is gone (killed), instead of
    waiting forever for the next block."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def may_start_processes() -> bool:
    """Whether this process may start others (a daemonic one, e.g. a Celery prefork worker, may not)."""
    return not multiprocessing.current_process().daemon


def can_use_workers(workers: int) -> bool:
    """Whether this process may start WORKERS worker processes and there are CPUs enough to run
    them beside the import's own process and the database server's (on 2 CPUs the parser thread
    already keeps both busy, and the processes' extra work — starting, passing rows — only
    slows the import down)."""
    return may_start_processes() and (os.cpu_count() or 1) >= workers + 2


def parse_in_workers(
    stream: BinaryIO, state: ParseState, workers: int, as_copy_text: bool
) -> Iterator[list[LoaderOutcome]]:
    """The outcomes of every row of STREAM, in file order, as lists (one per block).

    1. The top of the file, up to its first accepted row, is parsed here (it may raise
       `ImportFileError`: nothing has been given out then).
    2. The rest goes to WORKERS processes in blocks of whole lines, each with the line number
       it starts after; their results are given out in order. STATE counts the lines and rows.
    """
    head: list[CorporationRow | RowRejection] = []
    top = parse_corporation_rows(stream, state)
    for outcome in top:
        head.append(outcome)
        if type(outcome) is CorporationRow:
            break
    top.close()  # stops after the line of the first accepted row: the blocks start there
    yield list(loader_outcomes(head, as_copy_text))
    if not state.layout:
        return  # the file ended before any row was accepted
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_exit_with_parent, initargs=(os.getpid(),)
    ) as pool:
        waiting: deque[tuple[Future, int]] = deque()  # each block's results, and its last line
        line = state.lines_read
        blocks = line_blocks(stream)
        try:
            while True:
                while len(waiting) < workers * BLOCKS_AHEAD_PER_WORKER and (data := next(blocks, None)):
                    block_state = ParseState(encoding=state.encoding, lines_read=line, layout=state.layout)
                    line += _line_count(data)
                    waiting.append((pool.submit(_parse_block_job, data, block_state, as_copy_text), line))
                if not waiting:
                    return
                future, last_line = waiting.popleft()
                outcomes = future.result()
                state.rows_read += len(outcomes)
                state.lines_read = last_line
                yield outcomes
        finally:
            for future, _last_line in waiting:
                future.cancel()
