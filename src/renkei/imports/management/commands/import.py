"""`renkei import SOURCE FILE`: load a public registry file, with a progress bar and a report.

    renkei import corporate-numbers 00_zenkoku_all_20240628.zip
    renkei import corporate-numbers diff_20240701.zip --rejections-csv rejected.csv
    renkei import researchmap researchers.jsonl
    renkei import kaken grantAwards.xml
    renkei import patents patents.csv
    renkei import gbizinfo Kihonjoho_UTF-8.csv [--create-missing]
    renkei import estat keizai_census_2021.csv

One sub-command per source (docs/imports.md). The module is named `import` because Django finds
commands by module file name; the keyword is never written as an import statement.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from renkei.imports.choices import ImportSource
from renkei.imports.files import ImportFileError
from renkei.imports.models import ImportRun
from renkei.imports.records import DEFAULT_RECORD_BATCH_SIZE, do_import_records
from renkei.imports.services import DEFAULT_BATCH_SIZE, do_import_corporations, write_rejections_csv
from renkei.imports.sources import record_source

# Record sources: sub-command, source name, help, description.
RECORD_SOURCES = [
    (
        "researchmap",
        "researchmap",
        "researchmap researcher profiles (API JSON: one profile, an array, or JSON Lines)",
        "Create or update people from researchmap profiles, not public until published, with their "
        "affiliations; uncertain organisation links go to the review queue.",
    ),
    (
        "kaken",
        "kaken",
        "KAKEN grant projects (the KAKEN API's XML, grantAwards)",
        "Create or update grant projects from a KAKEN XML export, linked to researchers (by researcher "
        "number) and institutions; uncertain links go to the review queue.",
    ),
    (
        "patents",
        "patents",
        "a patent list CSV (application number, title, applicants, IPC, abstract; see docs/imports.md)",
        "Create or update patent applications from a CSV with a header row (the canonical list, Google "
        "Patents or gBizINFO 特許), linked to applicant organisations; uncertain links go to the review queue.",
    ),
    (
        "gbizinfo",
        "gbizinfo",
        "a gBizINFO bulk CSV: 基本情報 (basic information) or 特許 (patents)",
        "Update the organisations holding each corporate number with gBizINFO's basic information (capital, "
        "employees, business summary, homepage, founding date, status); corporations not in the directory "
        "are skipped unless --create-missing is given. The 特許 file is read as a patent list.",
    ),
    (
        "estat",
        "estat",
        "an e-Stat Economic Census table (CSV): establishments and employees by municipality × JSIC",
        "Store establishments and employees by municipality and JSIC division or major group from an e-Stat "
        "CSV; the file replaces the figures of the same survey, year and municipality.",
    ),
]

FIRST_REJECTIONS_SHOWN = 10


class Command(BaseCommand):
    help = "Import a public registry file (see `renkei import corporate-numbers --help`)."

    def add_arguments(self, parser: CommandParser) -> None:
        sources = parser.add_subparsers(dest="source", required=True, metavar="SOURCE")
        corporate = sources.add_parser(
            "corporate-numbers",
            help="the National Tax Agency's corporate number file (全件 or 差分; CSV or zip; UTF-8 or Shift_JIS)",
            description=(
                "Load an NTA corporate number file (法人番号公表サイト 全件データ or 差分データ) into the "
                "reference table used by organisation look-up. Re-importing a file changes nothing; "
                "an interrupted import completes when run again."
            ),
        )
        corporate.add_argument("file", metavar="FILE", help="the .zip as downloaded, or the .csv inside it")
        corporate.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULT_BATCH_SIZE,
            metavar="N",
            help=f"rows per committed transaction (default {DEFAULT_BATCH_SIZE:,})",
        )
        corporate.add_argument(
            "--rejections-csv", metavar="OUT.csv", help="write every rejected row (line, field, reason) to this CSV"
        )
        corporate.add_argument("--no-progress", action="store_true", help="no progress bar (for logs)")
        for command, _source, summary, description in RECORD_SOURCES:
            sub = sources.add_parser(command, help=summary, description=description)
            sub.add_argument("file", metavar="FILE", help="the file as exported, or a zip holding it")
            sub.add_argument(
                "--batch-size",
                type=int,
                default=DEFAULT_RECORD_BATCH_SIZE,
                metavar="N",
                help=f"records per committed transaction (default {DEFAULT_RECORD_BATCH_SIZE:,})",
            )
            sub.add_argument("--rejections-csv", metavar="OUT.csv", help="write every rejected row to this CSV")
            sub.add_argument("--no-progress", action="store_true", help="no progress bar (for logs)")
            if command == "gbizinfo":
                sub.add_argument(
                    "--create-missing",
                    action="store_true",
                    help="create the corporations not in the directory (kind company, visible to cluster staff only)",
                )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["source"] == "corporate-numbers":
            self._import(options, do_import_corporations)
            return
        for command, source, _summary, _description in RECORD_SOURCES:
            if options["source"] == command:
                adapter = record_source(source, create_missing=options.get("create_missing", False))
                self._import(options, functools.partial(do_import_records, adapter))

    def _import(self, options: dict[str, Any], do_import) -> None:
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")
        out = Path(options["rejections_csv"]) if options["rejections_csv"] else None
        if out is not None and not out.parent.is_dir():
            raise CommandError(f"--rejections-csv: the folder {out.parent} does not exist")
        console = Console(file=self.stdout, highlight=False, width=None if sys.stdout.isatty() else 120)
        show_progress = not options["no_progress"] and console.is_terminal
        path = Path(options["file"])
        with Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TextColumn("{task.fields[rows]:>12,} rows"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=console,
            disable=not show_progress,
            transient=True,
        ) as bar:
            size = path.stat().st_size if path.is_file() else None
            task = bar.add_task(escape(path.name), total=size, rows=0)

            def report_progress(done: int, total: int, run: ImportRun) -> None:
                bar.update(task, completed=done, total=total, rows=run.rows_read)

            try:
                run = do_import(path, batch_size=options["batch_size"], progress=report_progress)
            except ImportFileError as exc:
                raise CommandError(str(exc)) from None
            except KeyboardInterrupt:
                raise CommandError(
                    "Interrupted. The batches committed so far are kept; run the same command again to finish."
                ) from None
        self._print_report(console, run)
        if out is not None:
            written = write_rejections_csv(run, out)
            console.print(f"Rejected rows written to {escape(str(out))} ({written:,}).")

    def _print_report(self, console: Console, run: ImportRun) -> None:
        table = Table(title=f"Import #{run.pk}: {escape(run.file_name)}", show_header=True)
        table.add_column("rows")
        table.add_column("count", justify="right")
        counts = [
            ("read", run.rows_read),
            ("created", run.created),
            ("updated", run.updated),
            ("unchanged", run.unchanged),
            ("skipped (past history / repeated / in review)", run.skipped),
            ("rejected", run.rejected),
        ]
        if run.source == ImportSource.ESTAT or run.deleted:
            counts.append(("deleted (replaced by the file)", run.deleted))
        for label, value in counts:
            table.add_row(label, f"{value:,}")
        console.print(table)
        console.print(f"Encoding {run.encoding or '-'}, SHA-256 {run.sha256}, {run.batches_committed:,} batches.")
        queued = run.review_items.count()
        if queued:
            console.print(f"{queued:,} uncertain links queued for review (/imports/review/).")
        first = list(run.rejections.order_by("line_number", "pk")[:FIRST_REJECTIONS_SHOWN])
        if first:
            rejected = Table(title="First rejected rows")
            rejected.add_column("line", justify="right")
            rejected.add_column("field")
            rejected.add_column("reason")
            for rejection in first:
                rejected.add_row(str(rejection.line_number), escape(rejection.field), escape(rejection.reason))
            console.print(rejected)
