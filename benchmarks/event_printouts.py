"""How long the organiser's printouts take for a large business-matching event: the meeting grid
and the table cards of 150 tables × 16 slots with a meeting at every table in every slot
(2,400 meetings, Japanese names), typeset with Typst.

    .venv/bin/python benchmarks/event_printouts.py

The grid is built in memory (no database): this measures typesetting, the part that grows with
the event. Building the grid from the database is three queries plus the organisations."""

from __future__ import annotations

import os
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renkei.settings")

import django  # noqa: E402

django.setup()

from django.utils import translation  # noqa: E402

from renkei.events.models import Event, Table, TimeSlot  # noqa: E402
from renkei.events.printouts import Grid, grid_pdf, table_cards_pdf  # noqa: E402

TABLES, SLOTS = 150, 16
FAMILY = ["高橋", "山田", "佐藤", "鈴木", "田中", "伊藤", "渡辺", "中村"]
ORGS = ["アルファ精密", "北海道大学", "札幌バイオ株式会社", "ベータデバイス", "道立総合研究機構"]


def build() -> Grid:
    tz = ZoneInfo("Asia/Tokyo")
    start = datetime(2027, 2, 10, 10, 0, tzinfo=tz)
    event = Event(pk=1, title_ja="さっぽろバイオ商談会 2027", starts_at=start, ends_at=start + timedelta(hours=8))
    event.venue = "札幌コンベンションセンター"
    slots = [
        TimeSlot(pk=i + 1, starts_at=start + timedelta(minutes=25 * i), ends_at=start + timedelta(minutes=25 * i + 20))
        for i in range(SLOTS)
    ]
    tables = [Table(pk=i + 1, name=f"T{i + 1:03d}") for i in range(TABLES)]
    cells = {}
    n = 0
    for slot in slots:
        for table in tables:
            n += 1
            a = f"{FAMILY[n % 8]} {FAMILY[(n // 8) % 8]}子 ({ORGS[n % 5]})"
            b = f"{FAMILY[(n + 3) % 8]} 一郎 ({ORGS[(n + 2) % 5]})"
            cells[(slot.pk, table.pk)] = [[a, b]]
    return Grid(event=event, slots=slots, tables=tables, cells=cells, meeting_count=n)


def main() -> None:
    with translation.override("ja"):
        grid = build()
        grid_pdf(grid)  # load the font once, as a running server has
        for name, render in (("grid", grid_pdf), ("table cards", table_cards_pdf)):
            started = time.perf_counter()
            pdf = render(grid)
            seconds = time.perf_counter() - started
            print(
                f"{name}: {TABLES} tables × {SLOTS} slots, {grid.meeting_count} meetings: "
                f"{seconds:.2f} s, {len(pdf) / 1024:.0f} KiB"
            )


if __name__ == "__main__":
    main()
