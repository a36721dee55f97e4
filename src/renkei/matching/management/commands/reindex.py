"""`renkei reindex`: rebuild the platform matching index (seeds, needs, capabilities) from the database."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from renkei.jobs.choices import JobStatus
from renkei.jobs.services import enqueue, jobs_inline
from renkei.matching import indexing
from renkei.matching.engine import Embedder
from renkei.matching.engine.progress import rich_progress
from renkei.matching.tasks import MAX_SHARDS, REINDEX_KIND


class Command(BaseCommand):
    help = (
        "Rebuild the matching index of seeds, needs and organisation capabilities from the database. "
        "With --shards N the rebuild runs as a job split into N shards, built in parallel by the "
        "Celery workers (or one after the other without a broker), then merged. With --fold only the "
        "journal of recent changes is folded into the saved index (the nightly entry)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--no-progress", action="store_true", help="do not show the progress bar")
        parser.add_argument("--workers", type=int, default=None, help="embedding processes (default: up to 2)")
        parser.add_argument("--shards", type=int, default=None, help="run as a job split into this many shards")
        parser.add_argument(
            "--fold",
            action="store_true",
            help="only fold the journal of recent changes into the saved index (no re-analysis)",
        )
        parser.add_argument(
            "--no-wait", action="store_true", help="with --shards and a broker: print the job id and return"
        )

    def handle(self, *args, **options) -> None:
        if options["fold"]:
            if options["shards"] is not None:
                raise CommandError("--fold and --shards cannot be combined")
            if indexing.get_index() is None:
                raise CommandError("there is no matching index yet: run `renkei reindex` first")
            with rich_progress(enabled=not options["no_progress"]) as progress:
                folded, count = indexing.fold_journal(progress=progress)
            self.stdout.write(f"Folded {folded} journal entries; {count} documents in {indexing.index_path()}")
            return
        if options["shards"] is not None:
            self.run_as_job(options)
            return
        embedder = Embedder(workers=options["workers"])
        try:
            with rich_progress(enabled=not options["no_progress"]) as progress:
                count = indexing.rebuild(progress=progress, embedder=embedder)
        finally:
            embedder.close()
        self.stdout.write(f"Indexed {count} documents into {indexing.index_path()}")

    def run_as_job(self, options: dict) -> None:
        shards = options["shards"]
        if not 1 <= shards <= MAX_SHARDS:
            raise CommandError(f"--shards must be between 1 and {MAX_SHARDS}")
        job = enqueue(REINDEX_KIND, None, shards=shards)
        if not jobs_inline():
            self.stdout.write(f"Queued job {job.pk} (/jobs/{job.pk}/)")
            if options["no_wait"]:
                return
            last = None
            while not job.is_finished:
                time.sleep(1)
                job.refresh_from_db()
                line = f"{job.stage_display}: {job.done}/{job.total if job.total is not None else '?'}"
                if line != last and not options["no_progress"]:
                    self.stderr.write(line)
                    last = line
        job.refresh_from_db()
        if job.status != JobStatus.SUCCEEDED:
            raise CommandError(f"job {job.pk} {job.status}: {job.error_display}")
        result = job.result
        self.stdout.write(
            f"Indexed {result['documents']} documents into {indexing.index_path()} "
            f"({result['shards']} shards, {result['workers']} worker(s), job {job.pk})"
        )
