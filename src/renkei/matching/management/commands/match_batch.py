"""`renkei match-batch`: rank JSONL documents for JSONL queries and write a TREC run.

It builds an in-memory index of the documents and ranks them with ``MatchIndex.search_many``,
the same code the web pages and the API use.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from renkei.matching.engine.batch import BatchInputError, run_batch
from renkei.matching.engine.index import MODES
from renkei.matching.engine.progress import rich_progress


class Command(BaseCommand):
    help = (
        "Rank the documents of --docs for every query of --queries and write a TREC run "
        "(qid Q0 docid rank score tag). Docs: JSON lines {id, lang, title, text}, optionally keywords "
        "and evidence (or n_projects: how many records stand behind the document, used by the fusion); "
        "queries: {id, lang, text}; other keys are ignored."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--docs", required=True, help="documents, one JSON object per line (UTF-8)")
        parser.add_argument("--queries", required=True, help="queries, one JSON object per line (UTF-8)")
        parser.add_argument("--out", required=True, help="TREC run file to write")
        parser.add_argument("--top", type=int, default=100, help="results per query (default 100)")
        parser.add_argument("--mode", choices=MODES, default="hybrid", help="ranking (default hybrid)")
        parser.add_argument("--tag", default=None, help="run tag in the last column (default renkei-MODE)")
        parser.add_argument("--no-progress", action="store_true", help="do not show the progress bar")

    def handle(self, *args: object, **options: object) -> None:
        mode = str(options["mode"])
        tag = str(options["tag"] or f"renkei-{mode}")
        started = time.perf_counter()
        try:
            with rich_progress(enabled=not options["no_progress"]) as progress:
                n_docs, n_queries = run_batch(
                    str(options["docs"]),
                    str(options["queries"]),
                    str(options["out"]),
                    top=int(options["top"]),  # type: ignore[call-overload]
                    mode=mode,
                    tag=tag,
                    progress=progress,
                )
        except BatchInputError as exc:
            raise CommandError(str(exc)) from None
        elapsed = time.perf_counter() - started
        self.stderr.write(
            f"wrote {options['out']}: {n_queries} queries × top {options['top']} over {n_docs} documents "
            f"({mode}) in {elapsed:.1f} s"
        )
