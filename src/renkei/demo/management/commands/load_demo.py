"""`renkei load_demo`: load the demo programmes, clusters, members, people and logins."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from renkei.demo.loader import DEFAULT_SEED, MAX_SCALE, DemoLoadError, DemoLoadResult, do_load_demo
from renkei.demo.users import demo_logins
from renkei.directory.choices import OrganisationKind


class PlainProgress:
    """Progress as plain lines, for logs and captured output: a line when a stage ends, and one
    per few thousand rows of the long ones."""

    EVERY = 2000

    def __init__(self, write) -> None:
        self.write = write

    def __call__(self, stage: str, done: int, total: int) -> None:
        if done == total or (done and done % self.EVERY == 0):
            self.write(f"  {stage}: {done:,}/{total:,}")


class RichProgress:
    """Progress as one rich bar per stage, for a terminal."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.tasks: dict[str, TaskID] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage not in self.tasks:
            self.tasks[stage] = self.progress.add_task(stage, total=max(total, 1))
        self.progress.update(self.tasks[stage], completed=done if total else 1, total=max(total, 1))


class Command(BaseCommand):
    help = (
        "Load the demo: the real METI/MEXT programmes and clusters, the organisations the programme "
        "documents name, a generated population of SMEs, universities, institutes, supporters and "
        "people at the programmes' scale, budgets, HQ positions and one login per role. Safe to run "
        "again: when the demo is already there nothing changes (--reset loads it afresh)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help=f"population size relative to the programmes' (1 = about 10,000 organisations; at most {MAX_SCALE:g})",
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help=f"random seed of the generated population ({DEFAULT_SEED})"
        )
        parser.add_argument(
            "--reset", action="store_true", help="delete the demo's rows (not users' own) and load it afresh"
        )

    def handle(self, *args: Any, scale: float, seed: int, reset: bool, **options: Any) -> None:
        try:
            if self.stdout.isatty():
                console = Console(file=self.stdout._out, highlight=False)
                columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
                with Progress(*columns, console=console) as progress:
                    result = do_load_demo(scale=scale, seed=seed, reset=reset, progress=RichProgress(progress))
            else:
                result = do_load_demo(scale=scale, seed=seed, reset=reset, progress=PlainProgress(self.stdout.write))
        except DemoLoadError as exc:
            raise CommandError(f"{exc} Nothing was changed.") from exc
        self.report(result)

    def report(self, result: DemoLoadResult) -> None:
        if result.loaded and result.by_kind:
            labels = dict(OrganisationKind.choices)
            kinds = ", ".join(f"{labels.get(kind, kind)} {n:,}" for kind, n in sorted(result.by_kind.items()))
            self.stdout.write(f"Organisations by kind: {kinds}")
            self.stdout.write("Demo logins (username / password, role, where):")
            for login in demo_logins():
                self.stdout.write(f"  {login.username} / {login.password}  {login.role}, {login.where}")
            # The listings are written in bulk, past the index: `renkei demo` builds it next.
            self.stdout.write("Build the matching index of the seeds and needs with `renkei reindex`.")
        self.stdout.write(result.summary())
