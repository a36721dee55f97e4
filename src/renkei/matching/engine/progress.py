"""Progress on stderr for the engine's ``progress(stage, advance, total)`` hook.

On a terminal: rich progress bars. Redirected to a file or a pipe (a batch job's log): one
plain line per stage at every 10% and at the end, so a log shows how far a long run got.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from .index import Progress as ProgressHook


@contextmanager
def rich_progress(*, enabled: bool = True) -> Iterator[ProgressHook | None]:
    if not enabled:
        yield None
        return
    console = Console(stderr=True)
    if not console.is_terminal:
        yield _plain_hook(sys.stderr)
        return
    columns = (
        TextColumn("{task.description:<14}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=False) as bar:
        tasks: dict[str, int] = {}

        def hook(stage: str, advance: int, total: int | None) -> None:
            if total is not None or stage not in tasks:  # total None at the start: unknown size
                tasks[stage] = bar.add_task(stage, total=total)
            if advance:
                bar.advance(tasks[stage], advance)

        yield hook


def _plain_hook(out: TextIO) -> ProgressHook:
    started = time.perf_counter()
    state: dict[str, list[int]] = {}  # stage -> [done, total, next tenth to report]

    def hook(stage: str, advance: int, total: int | None) -> None:
        if total is not None or stage not in state:
            state[stage] = [0, total or 0, 1]
            out.write(f"{stage}: 0/{total if total is not None else '?'} ({time.perf_counter() - started:.0f} s)\n")
        entry = state.get(stage)
        if entry is None or not advance:
            return
        entry[0] += advance
        done, total_, tenth = entry
        if total_ and done * 10 >= tenth * total_:
            entry[2] = done * 10 // total_ + 1
            out.write(f"{stage}: {done}/{total_} ({time.perf_counter() - started:.0f} s)\n")
            out.flush()

    return hook
