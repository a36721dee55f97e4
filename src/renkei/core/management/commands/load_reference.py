"""`renkei load_reference`: load bureau regions, prefectures, municipalities, JSIC and fields."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from renkei.core.reference import ReferenceDataError, load_reference


class Command(BaseCommand):
    help = (
        "Load the reference data: METI bureau regions, the 47 prefectures, municipalities (local "
        "government codes), JSIC Rev.13 divisions and major groups, and technology fields. "
        "Safe to run again: existing rows are updated, nothing is duplicated."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        try:
            counts = load_reference()
        except ReferenceDataError as exc:
            raise CommandError(f"The reference data was not loaded (nothing was changed): {exc}") from exc
        self.stdout.write(f"{counts.summary()} ({time.monotonic() - started:.1f} s)")
