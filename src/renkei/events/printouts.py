"""The organiser's printable outputs of a business-matching event: the full grid of meetings
(time slot × table) as PDF, Excel and CSV, and table cards — one page per table listing its
meetings slot by slot, to set on the table on the day.

They show the meetings that hold a place (scheduled, announced or held), the same ones as the
organiser's grid page. Names are printed in full: these outputs are for the event's organisers
(HQ staff of its clusters), who see every registration."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from renkei.events.agenda import organisation_names
from renkei.events.marketplace import LIVE_MEETING
from renkei.events.models import Event, Meeting, Registration, Table, TimeSlot
from renkei.events.pdf import render_pdf


@dataclass
class Grid:
    """The event's slots and tables, and for each (slot, table) the meetings placed there, each as
    the lines "name (organisation)" of its participants, the requester first."""

    event: Event
    slots: list[TimeSlot]
    tables: list[Table]
    cells: dict[tuple[int, int], list[list[str]]]
    meeting_count: int

    def cell(self, slot: TimeSlot, table: Table) -> list[list[str]]:
        return self.cells.get((slot.pk, table.pk), [])


def slot_label(slot: TimeSlot) -> str:
    start, end = timezone.localtime(slot.starts_at), timezone.localtime(slot.ends_at)
    return f"{start:%H:%M}–{end:%H:%M}"


def _line(registration: Registration, organisations: dict[int, str]) -> str:
    organisation = organisations.get(registration.pk, "")
    return f"{registration.display_name} ({organisation})" if organisation else registration.display_name


def build_grid(user, event: Event) -> Grid:
    """The grid in three queries (slots, tables, meetings with their people) plus the
    organisations, whatever the size of the event."""
    slots = list(event.time_slots.order_by("starts_at"))
    tables = list(event.tables.order_by("name"))
    meetings = list(
        Meeting.objects.filter(request__event=event, status__in=LIVE_MEETING)
        .select_related("request__requester__person")
        .prefetch_related("request__recipients__person")
        .order_by("slot__starts_at", "table__name", "pk")
    )
    people = [r for m in meetings for r in (m.request.requester, *m.request.recipients.all())]
    organisations = organisation_names(user, people)
    cells: dict[tuple[int, int], list[list[str]]] = {}
    for meeting in meetings:
        request = meeting.request
        lines = [_line(r, organisations) for r in (request.requester, *request.recipients.all())]
        cells.setdefault((meeting.slot_id, meeting.table_id), []).append(lines)
    return Grid(event=event, slots=slots, tables=tables, cells=cells, meeting_count=len(meetings))


# --- spreadsheet -----------------------------------------------------------------------------


def grid_table(grid: Grid) -> tuple[list[str], list[list[str]]]:
    """A row per table, a column per slot; a cell lists its meetings, one per line, each as its
    participants joined by " / "."""
    header = [str(_("Table")), *(f"{timezone.localtime(s.starts_at):%Y-%m-%d} {slot_label(s)}" for s in grid.slots)]
    rows = [
        [table.name, *("\n".join(" / ".join(lines) for lines in grid.cell(slot, table)) for slot in grid.slots)]
        for table in grid.tables
    ]
    return header, rows


# --- PDF ------------------------------------------------------------------------------------


def _event_head(event: Event) -> dict:
    start, end = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
    when = f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}" if start.date() == end.date() else f"{start:%Y-%m-%d} – {end:%Y-%m-%d}"
    return {"title": event.title, "when": when, "venue": event.venue or event.online_url}


def grid_pdf(grid: Grid) -> bytes:
    """The grid on landscape pages: a row per table, as many slot columns as fit a page (the
    rest continue on further pages, with the table names repeated)."""
    per_page = 8
    slot_pages = [grid.slots[i : i + per_page] for i in range(0, len(grid.slots), per_page)] or [[]]
    pages = [
        {
            "slots": [slot_label(s) for s in page],
            "rows": [
                {"table": table.name, "cells": [grid.cell(slot, table) for slot in page]} for table in grid.tables
            ],
        }
        for page in slot_pages
    ]
    return render_pdf(
        "grid",
        {
            "event": _event_head(grid.event),
            "pages": pages,
            "meeting_count": grid.meeting_count,
            "labels": {
                "grid": _("Meeting grid"),
                "table": _("Table"),
                "meetings": _("Meetings"),
                "no_places": _("This event has no time slots or tables yet."),
                "printed": _("Printed"),
            },
            "printed": f"{timezone.localtime():%Y-%m-%d %H:%M}",
        },
    )


def table_cards_pdf(grid: Grid) -> bytes:
    """One page per table: its name in large type and its meetings, slot by slot."""
    cards = [
        {
            "table": table.name,
            "rows": [{"time": slot_label(slot), "meetings": grid.cell(slot, table)} for slot in grid.slots],
        }
        for table in grid.tables
    ]
    return render_pdf(
        "table_cards",
        {
            "event": _event_head(grid.event),
            "cards": cards,
            "labels": {
                "table": _("Table"),
                "time": _("Time"),
                "with": _("Meeting"),
                "free": _("Free"),
                "no_tables": _("This event has no tables yet."),
            },
        },
    )
