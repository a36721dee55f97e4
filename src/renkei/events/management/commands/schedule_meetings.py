"""`renkei schedule-meetings`: schedule a business-matching event given as a JSON instance.

Organisers who keep registrations in other tools export slots, tables, participants'
availability and accepted requests as JSON (docs/scheduling.md) and get the schedule back as
JSON: the same solver the events pages use.
"""

from __future__ import annotations

import dataclasses
import json
import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from renkei.events.scheduling import (
    DEFAULT_TIME_LIMIT,
    InstanceError,
    compute_schedule,
    load_instance,
    schedule_to_json,
)


class Command(BaseCommand):
    help = (
        "Place accepted meeting requests into time slots and tables (OR-Tools CP-SAT) and write the schedule. "
        'Input: {"slots", "tables", "participants", "requests", optional "fixed" and "allow_moves"}; '
        'output: {"meetings": [{request, slot, table}], "unscheduled": [{request, reason}]}. '
        "Format and rules: docs/scheduling.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", required=True, help="the instance, a JSON file (UTF-8); - reads stdin")
        parser.add_argument("--out", required=True, help="the schedule to write (JSON); - writes stdout")
        parser.add_argument(
            "--time-limit",
            type=float,
            default=DEFAULT_TIME_LIMIT,
            help=f"seconds the solver may search (default {DEFAULT_TIME_LIMIT:g}); the best schedule found is kept",
        )
        parser.add_argument(
            "--allow-moves",
            action="store_true",
            help='announced ("fixed") meetings may move to another slot or table (they still take place)',
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="solver threads (default 1: the same input always gives the same schedule)",
        )
        parser.add_argument("--seed", type=int, default=0, help="solver random seed (default 0)")

    def handle(self, *args: object, **options: object) -> None:
        time_limit = float(options["time_limit"])  # type: ignore[arg-type]
        workers = int(options["workers"])  # type: ignore[call-overload]
        if time_limit <= 0:
            raise CommandError("--time-limit must be a positive number of seconds")
        if workers < 1:
            raise CommandError("--workers must be at least 1")
        source = str(options["input"])
        try:
            instance = load_instance(self._read(source))
        except InstanceError as exc:
            raise CommandError(f"{source}: {exc}") from None
        if options["allow_moves"]:
            instance = dataclasses.replace(instance, allow_moves=True)
        schedule = compute_schedule(instance, time_limit=time_limit, workers=workers, seed=int(options["seed"]))  # type: ignore[call-overload]
        self._write(str(options["out"]), json.dumps(schedule_to_json(schedule), ensure_ascii=False, indent=2) + "\n")

        stats = schedule.stats
        for request_id in schedule.dropped_fixed:
            self.stderr.write(f'note: announced meeting of request "{request_id}" dropped (the request is gone)')
        self.stderr.write(
            f"scheduled {len(schedule.meetings)} of {len(instance.requests)} requests "
            f"(priority {stats.objective} of at most {stats.bound}, {stats.status}) in {stats.wall_seconds:.1f} s"
        )

    @staticmethod
    def _read(source: str) -> bytes:
        if source == "-":
            import sys

            return sys.stdin.buffer.read()
        try:
            return Path(source).read_bytes()
        except FileNotFoundError:
            raise CommandError(f"{source}: no such file") from None
        except OSError as exc:
            raise CommandError(f"{source}: cannot read ({exc.strerror})") from None

    def _write(self, target: str, text: str) -> None:
        if target == "-":
            self.stdout.write(text, ending="")
            return
        path = Path(target)
        # Write next to the target and rename, so a failed run never leaves half a schedule.
        try:
            handle, temporary = tempfile.mkstemp(dir=path.parent or Path("."), prefix=f".{path.name}.", suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as f:
                f.write(text)
            os.replace(temporary, path)
        except OSError as exc:
            raise CommandError(f"{target}: cannot write ({exc.strerror})") from None
