"""A rich progress display on stderr for the engine's ``progress(stage, advance, total)`` hook."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from .index import Progress as ProgressHook


@contextmanager
def rich_progress(*, enabled: bool = True) -> Iterator[ProgressHook | None]:
    if not enabled:
        yield None
        return
    console = Console(stderr=True)
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
            if total is not None:
                tasks[stage] = bar.add_task(stage, total=total)
            if advance:
                bar.advance(tasks[stage], advance)

        yield hook
