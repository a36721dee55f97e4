"""`renkei reindex`: rebuild the platform matching index (seeds, needs, capabilities) from the database."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from renkei.matching import indexing
from renkei.matching.engine import Embedder
from renkei.matching.engine.progress import rich_progress


class Command(BaseCommand):
    help = "Rebuild the matching index of seeds, needs and organisation capabilities from the database."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--no-progress", action="store_true", help="do not show the progress bar")
        parser.add_argument("--workers", type=int, default=None, help="embedding processes (default: up to 2)")

    def handle(self, *args, **options) -> None:
        embedder = Embedder(workers=options["workers"])
        try:
            with rich_progress(enabled=not options["no_progress"]) as progress:
                count = indexing.rebuild(progress=progress, embedder=embedder)
        finally:
            embedder.close()
        self.stdout.write(f"Indexed {count} documents into {indexing.index_path()}")
