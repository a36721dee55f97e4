"""Pages and files made from an event's records: a participant's agenda (page, PDF, .ics), the
organiser's printouts (meeting grid as PDF, Excel and CSV; table cards) and the event report
(page with charts, CSV). Who may get each is decided in events.agenda, events.report and
events.access; the documents are built there and in events.printouts."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from renkei.accounts.scope import scope_for
from renkei.core.access import signed_in_page
from renkei.core.export import csv_response, xlsx_response
from renkei.events import access, agenda, printouts, report
from renkei.events.choices import EventKind
from renkei.events.models import Event
from renkei.events.views import _when


def _file(content: bytes, content_type: str, filename: str, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


# --- the personal agenda ---------------------------------------------------------------------


@signed_in_page
def own_agenda(request: HttpRequest, pk: int) -> HttpResponse:
    """The signed-in participant's own agenda for the event."""
    event = access.access_event(request.user, pk)
    registration = agenda.own_live_registration(request.user, event)
    if registration is None:
        raise Http404("You are not registered for this event")
    return redirect("events:agenda", registration.pk)


@signed_in_page
def agenda_page(request: HttpRequest, pk: int) -> HttpResponse:
    registration = agenda.access_agenda(request.user, pk)
    built = agenda.build_agenda(request.user, registration)
    context = {
        "agenda": built,
        "event": built.event,
        "when": _when(built.event),
        "is_own": registration.person_id is not None
        and registration.person_id == scope_for(request.user).own_person_id,
    }
    return render(request, "events/agenda.html", context)


@signed_in_page
def agenda_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    registration = agenda.access_agenda(request.user, pk)
    built = agenda.build_agenda(request.user, registration)
    return _file(agenda.agenda_pdf(built), "application/pdf", f"agenda-{built.event.pk}-{registration.pk}.pdf")


@signed_in_page
def agenda_ics(request: HttpRequest, pk: int) -> HttpResponse:
    registration = agenda.access_agenda(request.user, pk)
    built = agenda.build_agenda(request.user, registration)
    content = agenda.agenda_ics(built, event_url=request.build_absolute_uri(built.event.get_absolute_url()))
    return _file(content, "text/calendar; charset=utf-8", f"agenda-{built.event.pk}-{registration.pk}.ics")


# --- the organiser's printouts ---------------------------------------------------------------


def _printable_event(request: HttpRequest, pk: int) -> Event:
    event = access.access_event(request.user, pk)
    if event.kind != EventKind.BUSINESS_MATCHING:
        raise Http404("Not a business-matching event")
    if not access.can_read_meetings(request.user, event):
        raise PermissionDenied
    return event


@signed_in_page
def meeting_grid(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The slot × table grid as PDF, Excel or CSV."""
    if fmt not in ("pdf", "xlsx", "csv"):
        raise Http404("No such format")
    event = _printable_event(request, pk)
    grid = printouts.build_grid(request.user, event)
    name = f"meetings-{event.pk}"
    if fmt == "pdf":
        return _file(printouts.grid_pdf(grid), "application/pdf", f"{name}.pdf")
    header, rows = printouts.grid_table(grid)
    if fmt == "xlsx":
        return xlsx_response(name, header, rows)
    return csv_response(name, header, rows)


@signed_in_page
def table_cards(request: HttpRequest, pk: int) -> HttpResponse:
    event = _printable_event(request, pk)
    grid = printouts.build_grid(request.user, event)
    return _file(printouts.table_cards_pdf(grid), "application/pdf", f"table-cards-{event.pk}.pdf")


# --- the event report ------------------------------------------------------------------------


def _reported_event(request: HttpRequest, pk: int) -> Event:
    event = access.access_event(request.user, pk)
    if not report.can_see_report(request.user, event):
        raise PermissionDenied
    return event


@signed_in_page
def event_report(request: HttpRequest, pk: int) -> HttpResponse:
    event = _reported_event(request, pk)
    figures = report.compute_report(event)
    attendance = [("registrations", _("Registrations")), ("confirmed", _("Confirmed")), ("attended", _("Attended"))]
    meetings = [
        ("requested", _("Requested")),
        ("accepted", _("Accepted")),
        ("placed", _("Placed")),
        ("held", _("Held")),
    ]
    matching = event.kind == EventKind.BUSINESS_MATCHING
    sections = [
        {"key": "kind", "title": _("By organisation kind"), "rows": figures.by_kind},
        {"key": "field", "title": _("By technology field"), "rows": figures.by_field},
    ]
    for section in sections:
        rows = section["rows"]
        section["attendance_chart"] = report.grouped_chart(rows, f"report-{section['key']}-attendance", attendance)
        section["meetings_chart"] = (
            report.grouped_chart(rows, f"report-{section['key']}-meetings", meetings) if matching else ""
        )
    context = {
        "event": event,
        "when": _when(event),
        "report": figures,
        "sections": sections,
        "matching": matching,
        "csv_url": reverse("events:event_report_csv", args=[event.pk]),
    }
    return render(request, "events/event_report.html", context)


@signed_in_page
def event_report_csv(request: HttpRequest, pk: int) -> HttpResponse:
    event = _reported_event(request, pk)
    header, rows = report.report_table(report.compute_report(event))
    return csv_response(f"event-report-{event.pk}", header, rows)
