"""`renkei demo`: from an empty data directory to a served demo site in one command.

1. Run the steps in DEMO_STEPS in order, each under a progress display, each quiet unless it
   fails (then its captured output is shown). Steps that load the demo are skipped when the
   database already holds it, unless --reset asks for a fresh copy; the matching index is
   built after the data and skipped while the saved index matches the database.
2. Print the demo logins as a table.
3. Unless --no-serve, replace this process with `renkei serve` on 127.0.0.1, with plain HTTP
   allowed (RENKEI_INSECURE_HTTP=1) and debug off (RENKEI_DEBUG=0). A new process is needed
   because the settings, including the secure-cookie flags, are read once at start-up.
"""

from __future__ import annotations

import importlib
import importlib.util
import io
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

DEMO_HOST = "127.0.0.1"


@dataclass
class DemoRun:
    """What one `renkei demo` invocation asked for, shared by its steps."""

    scale: float
    reset: bool
    # Whether the site is served afterwards: then the matching index is built in the background.
    serve: bool = False
    output: io.StringIO = field(default_factory=io.StringIO)
    # Progress of the running step, for steps that report it: (stage, advance, total once).
    progress: Callable[[str, int, int | None], None] | None = None
    _demo_loaded: bool | None = None

    def demo_loaded(self) -> bool:
        """Whether the database already holds the demo: every demo login exists as a user.

        Asked once, after the tables exist and before anything is loaded."""
        if self._demo_loaded is None:
            usernames = {login["username"] for login in get_demo_logins()}
            found = get_user_model().objects.filter(username__in=usernames).count()
            self._demo_loaded = bool(usernames) and found == len(usernames)
        return self._demo_loaded


@dataclass(frozen=True)
class DemoStep:
    """One step of the demo: a title for the progress display and a function doing the work.

    `run` returns a short summary shown next to the tick; `skip` returns why the step is not
    needed this time, or None to run it."""

    title: str
    run: Callable[[DemoRun], str]
    skip: Callable[[DemoRun], str | None] = lambda demo: None
    only_on_reset: bool = False


def migrate_database(demo: DemoRun) -> str:
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    call_command("migrate", interactive=False, verbosity=0, stdout=demo.output, stderr=demo.output)
    return f"applied {len(pending)} migrations" if pending else "already up to date"


def clear_database(demo: DemoRun) -> str:
    call_command("flush", interactive=False, verbosity=0, stdout=demo.output, stderr=demo.output)
    return "all rows deleted"


def load_reference(demo: DemoRun) -> str:
    call_command("load_reference", stdout=demo.output, stderr=demo.output)
    return _last_line(demo.output)


def load_demo(demo: DemoRun) -> str:
    call_command("load_demo", scale=demo.scale, stdout=demo.output, stderr=demo.output)
    return _last_line(demo.output)


def skip_if_demo_loaded(demo: DemoRun) -> str | None:
    if not demo.reset and demo.demo_loaded():
        return "the database already holds the demo (--reset loads it afresh)"
    return None


def build_matching_index(demo: DemoRun) -> str:
    """Build the index here, or, when the site is served next, in a background process: embedding
    ~13,000 texts takes one to three minutes on two cores, and the site is usable meanwhile (the
    seeds & needs pages show the build's progress and fill in when it is done)."""
    from renkei.demo.matching_index import do_build_index

    if demo.serve:
        log_path = Path(settings.DATA_DIR) / "logs" / "reindex.log"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        with log_path.open("ab") as log:
            subprocess.Popen(  # noqa: S603 (our own command, fixed arguments)
                [sys.executable, "-m", "renkei.cli", "reindex"],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # keeps building if the server is stopped with Ctrl+C
            )
        return f"building in the background (log: {log_path}); search results appear when it is done"
    count = do_build_index(progress=demo.progress)
    return f"{count:,} seeds, needs and capabilities indexed"


def skip_if_index_current(demo: DemoRun) -> str | None:
    from renkei.demo.matching_index import index_is_current
    from renkei.matching.indexing import build_status

    if build_status() is not None:
        return "the matching index is being built by another process"
    if demo.reset:
        return None
    current, count = index_is_current()
    if current:
        return f"the matching index is current ({count:,} documents)"
    return None


# The demo, step by step. A new step (for instance "Build search indexes", after the loaders)
# is one DemoStep here: a title, a function taking the DemoRun and returning a summary, and
# optionally a `skip` rule. Steps run in this order and each gets a line in the progress display.
DEMO_STEPS: Sequence[DemoStep] = (
    DemoStep("Create or update the database tables", migrate_database),
    DemoStep("Clear the database (--reset)", clear_database, only_on_reset=True),
    DemoStep("Load reference data (prefectures, regions, industries, fields)", load_reference, skip_if_demo_loaded),
    DemoStep("Load the demo clusters, organisations, people, seeds, needs and logins", load_demo, skip_if_demo_loaded),
    DemoStep("Build the matching index (seeds, needs, capabilities)", build_matching_index, skip_if_index_current),
)


def get_demo_logins() -> list[dict[str, str]]:
    """The demo logins from `renkei.demo.users.demo_logins()`, as rows of strings.

    Each login may be a dict, a dataclass or a named tuple; it must have a `username`."""
    try:
        users = importlib.import_module("renkei.demo.users")
    except ImportError as exc:
        raise CommandError(
            "The demo data is not available: renkei.demo.users (the demo logins) is missing from this "
            "installation. Check that the package is complete, then run `renkei demo` again."
        ) from exc
    demo_logins = getattr(users, "demo_logins", None)
    if not callable(demo_logins):
        raise CommandError("renkei.demo.users has no demo_logins() function, so the demo logins cannot be shown.")
    rows = [_as_row(login) for login in demo_logins()]
    if any("username" not in row for row in rows):
        raise CommandError("renkei.demo.users.demo_logins() returned a login without a username.")
    return rows


def _as_row(login: Any) -> dict[str, str]:
    if isinstance(login, dict):
        items = login.items()
    elif is_dataclass(login):
        items = ((f.name, getattr(login, f.name)) for f in fields(login))
    elif hasattr(login, "_asdict"):
        items = login._asdict().items()
    else:
        raise CommandError(f"renkei.demo.users.demo_logins() returned an unexpected value: {login!r}")
    return {str(key): "" if value is None else str(value) for key, value in items}


def _last_line(output: io.StringIO) -> str:
    lines = [line.strip() for line in output.getvalue().splitlines() if line.strip()]
    return lines[-1] if lines else "done"


def _check_port_free(host: str, port: int) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise CommandError(
                f"Port {port} on {host} is in use ({exc.strerror}); stop what is using it or pass --port."
            ) from exc


class Command(BaseCommand):
    help = "Create the database, load reference and demo data, print the demo logins and serve the site."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="stop after loading and printing the logins")
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="size of the demo relative to the standard one (0.01 for a tiny demo; default 1)",
        )
        parser.add_argument("--port", type=int, default=8000, help="port to serve the demo on (default 8000)")
        parser.add_argument("--reset", action="store_true", help="delete all data and load the demo afresh")

    def handle(self, *args: Any, no_serve: bool, scale: float, port: int, reset: bool, **options: Any) -> None:
        if not scale > 0:
            raise CommandError(f"--scale must be a positive number, not {scale}")
        if not 0 < port < 65536:
            raise CommandError(f"--port must be between 1 and 65535, not {port}")
        if "load_demo" not in get_commands() or importlib.util.find_spec("renkei.demo.users") is None:
            raise CommandError(
                "The demo loader (`renkei load_demo` and renkei.demo.users) is not available in this "
                "installation, so there is no demo to load. Check that the package is complete, then run "
                "`renkei demo` again."
            )
        if not no_serve:
            _check_port_free(DEMO_HOST, port)  # fail now, not after minutes of loading

        console = Console(file=getattr(self.stdout, "_out", sys.stdout), highlight=False)
        self.run_steps(console, DemoRun(scale=scale, reset=reset, serve=not no_serve))
        self.print_logins(console)
        if no_serve:
            console.print("Demo ready. Serve it with [bold]renkei serve[/bold] (or run [bold]renkei demo[/bold]).")
            return
        console.print(f"Open [bold]http://{DEMO_HOST}:{port}/[/bold] and sign in with one of the logins above.")
        self.serve(port)

    def run_steps(self, console: Console, demo: DemoRun) -> None:
        steps = [step for step in DEMO_STEPS if demo.reset or not step.only_on_reset]
        progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
        )
        with progress:
            overall = progress.add_task("renkei demo", total=len(steps))
            for number, step in enumerate(steps, start=1):
                label = escape(f"[{number}/{len(steps)}] {step.title}")
                progress.update(overall, description=label)
                reason = step.skip(demo)
                if reason:
                    progress.console.print(f"[yellow]–[/yellow] {label}: skipped, {escape(reason)}")
                    progress.advance(overall)
                    continue
                demo.output = io.StringIO()
                stage_tasks: dict[str, TaskID] = {}
                demo.progress = self.step_progress(progress, stage_tasks)
                started = time.monotonic()
                try:
                    summary = step.run(demo)
                except Exception as exc:
                    captured = demo.output.getvalue().strip()
                    progress.console.print(f"[red]✗[/red] {label}: failed")
                    if captured:
                        progress.console.print(captured, markup=False)
                    raise CommandError(f"The demo stopped at step {number} ({step.title}): {exc}") from exc
                finally:
                    for task in stage_tasks.values():
                        progress.remove_task(task)
                elapsed = time.monotonic() - started
                progress.console.print(f"[green]✓[/green] {label} ({elapsed:.1f} s): {escape(summary)}")
                progress.advance(overall)
            progress.update(overall, description="renkei demo: all steps done")

    @staticmethod
    def step_progress(progress: Progress, tasks: dict[str, TaskID]) -> Callable[[str, int, int | None], None]:
        """A progress hook for one step: a bar per stage (kept in `tasks`) under the overall one."""

        def hook(stage: str, advance: int, total: int | None) -> None:
            if total is not None and stage not in tasks:
                tasks[stage] = progress.add_task(escape(f"    {stage}"), total=max(total, 1))
            if advance and stage in tasks:
                progress.advance(tasks[stage], advance)

        return hook

    def print_logins(self, console: Console) -> None:
        logins = get_demo_logins()
        table = Table(title="Demo logins (fictitious people; for this demo only)")
        columns = list(dict.fromkeys(key for login in logins for key in login))
        for column in columns:
            # What people must type is never cut short; the descriptions wrap instead.
            must_type = column in ("username", "password")
            table.add_column(column.replace("_", " ").capitalize(), no_wrap=must_type, min_width=None)
        for login in logins:
            table.add_row(*(Text(login.get(column, "")) for column in columns))
        console.print(table)

    def serve(self, port: int) -> None:
        env = {**os.environ, "RENKEI_INSECURE_HTTP": "1", "RENKEI_DEBUG": "0"}
        argv = [sys.executable, "-m", "renkei.cli", "serve", "--host", DEMO_HOST, "--port", str(port)]
        sys.stdout.flush()
        sys.stderr.flush()
        os.execve(sys.executable, argv, env)  # noqa: S606 (fixed argv, no shell involved)
