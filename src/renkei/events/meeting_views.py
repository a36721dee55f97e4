"""Pages of a business-matching event's marketplace and meetings: the marketplace with the
matcher's suggestions, a participant's profile and availability, meeting requests (send, accept,
decline, cancel), self-booking, and the organiser's scheduler page with the slot × table grid.
Records are fetched through events.access; writes go through events.marketplace and
events.meetings."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from renkei.core.access import signed_in_page
from renkei.directory.access import visible_organisations
from renkei.events import access, followups, marketplace, meetings, outcomes
from renkei.events.choices import EventKind, MeetingRequestStatus, MeetingStatus, SchedulingMode
from renkei.events.forms import (
    AvailabilityForm,
    BookingForm,
    DeclineForm,
    MarketplaceProfileForm,
    MeetingRequestForm,
    ScheduleRunForm,
)
from renkei.events.models import Event, MarketplaceProfile, Meeting, Registration
from renkei.events.outcome_forms import MeetingOutcomeForm
from renkei.events.views import _when


def _matching_event(request: HttpRequest, pk: int) -> Event:
    event = access.access_event(request.user, pk)
    if event.kind != EventKind.BUSINESS_MATCHING:
        raise Http404("Not a business-matching event")
    return event


def _marketplace_event(request: HttpRequest, pk: int) -> Event:
    event = _matching_event(request, pk)
    if not access.can_use_marketplace(request.user, event):
        raise PermissionDenied
    return event


def _error_messages(request: HttpRequest, error: ValidationError) -> None:
    for text in error.messages:
        messages.error(request, text)


def _organisations(user, registrations: list[Registration]) -> dict[int, str]:
    """Registration pk → the organisation the viewer may see: a visitor's own words, or the
    person's primary affiliation if that organisation is visible to the viewer."""
    found: dict[int, object] = {}
    for registration in registrations:
        if registration.person_id is None:
            continue
        affiliation = next(iter(registration.person.affiliations.all()), None)
        if affiliation is not None:
            found[registration.pk] = affiliation.organisation
    visible = set(
        visible_organisations(user).filter(pk__in=[o.pk for o in found.values()]).values_list("pk", flat=True)
    )
    names = {r.pk: r.visitor_organisation for r in registrations if r.visitor_organisation}
    names.update({pk: org.name for pk, org in found.items() if org.pk in visible})
    return names


# --- marketplace ------------------------------------------------------------------------------


@signed_in_page
def marketplace_page(request: HttpRequest, pk: int) -> HttpResponse:
    event = _marketplace_event(request, pk)
    own = access.own_registration(request.user, event)
    profiles = list(
        access.visible_profiles(request.user, event)
        .select_related("registration__person")
        .prefetch_related("fields", "registration__person__affiliations__organisation")
    )
    suggestions = marketplace.suggest_for(own) if own is not None else None
    asked: set[int] = set()
    if own is not None:
        incoming, outgoing = meetings.requests_of(own)
        for item in outgoing.filter(status__in=meetings.LIVE_REQUEST):
            asked |= {r.pk for r in item.recipients.all()}
        asked |= set(incoming.filter(status__in=meetings.LIVE_REQUEST).values_list("requester_id", flat=True))
    organisations = _organisations(request.user, [p.registration for p in profiles])
    for profile in profiles:
        profile.organisation_name = organisations.get(profile.registration_id, "")
    for item in suggestions.items if suggestions is not None else []:
        item.organisation_name = organisations.get(item.profile.registration_id, "")
    context = {
        "event": event,
        "when": _when(event),
        "own": own,
        "own_profile": next((p for p in profiles if own is not None and p.registration_id == own.pk), None),
        "profiles": [p for p in profiles if own is None or p.registration_id != own.pk],
        "suggestions": suggestions,
        "asked": asked,
        "can_organise": access.can_organise_meetings(request.user, event),
    }
    return render(request, "events/marketplace.html", context)


@signed_in_page
def marketplace_profile(request: HttpRequest, pk: int) -> HttpResponse:
    """The participant's own profile and availability (two forms on one page)."""
    event = _matching_event(request, pk)
    own = access.own_registration(request.user, event)
    if own is None:
        raise PermissionDenied
    profile = MarketplaceProfile.objects.filter(registration=own).first() or MarketplaceProfile(registration=own)
    which = request.POST.get("form") if request.method == "POST" else None
    profile_form = MarketplaceProfileForm(request.POST if which == "profile" else None, instance=profile)
    initial = {"slots": meetings.available_slots_of(own) if own.availability.exists() else []}
    availability_form = AvailabilityForm(
        request.POST if which == "availability" else None, event=event, initial=initial
    )
    if which == "profile" and profile_form.is_valid():
        data = profile_form.cleaned_data
        try:
            marketplace.do_save_profile(
                request.user,
                event,
                offer=data["offer"],
                looking_for=data["looking_for"],
                keywords=data["keywords"],
                language=data["language"],
                fields=data["fields"],
            )
        except ValidationError as error:
            profile_form.add_service_error(error)
        else:
            messages.success(request, _("Your marketplace profile was saved."))
            return redirect("events:marketplace_profile", event.pk)
    if which == "availability" and availability_form.is_valid():
        try:
            marketplace.do_set_availability(request.user, event, availability_form.cleaned_data["slots"])
        except ValidationError as error:
            availability_form.add_service_error(error)
        else:
            messages.success(request, _("Your availability was saved."))
            return redirect("events:marketplace_profile", event.pk)
    context = {
        "event": event,
        "when": _when(event),
        "profile_form": profile_form,
        "availability_form": availability_form,
        "has_slots": event.time_slots.exists(),
    }
    return render(request, "events/marketplace_profile.html", context)


# --- requests ---------------------------------------------------------------------------------


@signed_in_page
def meeting_request_create(request: HttpRequest, pk: int) -> HttpResponse:
    event = _matching_event(request, pk)
    own = access.own_registration(request.user, event)
    if own is None:
        raise PermissionDenied
    choices = (
        Registration.objects.filter(pk__in=access.visible_profiles(request.user, event).values("registration"))
        .exclude(pk=own.pk)
        .select_related("person")
    )
    initial = {"recipients": [request.GET["to"]]} if request.GET.get("to", "").isdigit() else {}
    form = MeetingRequestForm(request.POST or None, choices=choices, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            sent = meetings.do_send_request(
                request.user, event, form.cleaned_data["recipients"], message=form.cleaned_data["message"]
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            if sent.requester_id != own.pk:
                messages.success(request, _("They had already asked you: the meeting is now accepted."))
            elif sent.status == MeetingRequestStatus.ACCEPTED:
                messages.success(request, _("Your request was sent and accepted."))
            else:
                messages.success(request, _("Your request was sent."))
            return redirect("events:meeting_requests", event.pk)
    context = {
        "form": form,
        "title": _("Request a meeting at %(title)s") % {"title": event.title},
        "cancel_url": reverse("events:marketplace", args=[event.pk]),
    }
    return render(request, "core/form.html", context)


@signed_in_page
def meeting_requests(request: HttpRequest, pk: int) -> HttpResponse:
    """A participant's incoming and outgoing requests, and their meetings."""
    event = _matching_event(request, pk)
    own = access.own_registration(request.user, event)
    if own is None:
        if access.can_read_meetings(request.user, event):
            return redirect("events:event_meetings", event.pk)
        raise PermissionDenied
    incoming, outgoing = meetings.requests_of(own)
    context = {
        "event": event,
        "when": _when(event),
        "own": own,
        "incoming": list(incoming),
        "outgoing": list(outgoing),
        "self_booking": event.scheduling_mode == SchedulingMode.SELF_BOOKING,
        "decline_form": DeclineForm(),
        # after the event: held meetings and whether the participant wants to follow them up
        "held_meetings": followups.held_meetings_with_intentions(own),
    }
    return render(request, "events/meeting_requests.html", context)


@require_POST
@signed_in_page
def meeting_request_accept(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.access_meeting_request(request.user, pk)
    try:
        meetings.do_accept_request(request.user, item)
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(request, _("You accepted the meeting."))
    return redirect("events:meeting_requests", item.event_id)


@signed_in_page
def meeting_request_decline(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.access_meeting_request(request.user, pk)
    form = DeclineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meetings.do_decline_request(request.user, item, reason=form.cleaned_data["decline_reason"])
        except ValidationError as error:
            if getattr(error, "code", None) == "answered":
                _error_messages(request, error)
                return redirect("events:meeting_requests", item.event_id)
            form.add_service_error(error)
        else:
            messages.success(request, _("You declined the meeting."))
            return redirect("events:meeting_requests", item.event_id)
    context = {
        "form": form,
        "title": _("Decline the meeting with %(name)s") % {"name": item.requester.display_name},
        "cancel_url": reverse("events:meeting_requests", args=[item.event_id]),
    }
    return render(request, "core/form.html", context)


@require_POST
@signed_in_page
def meeting_request_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.access_meeting_request(request.user, pk)
    try:
        meetings.do_cancel_request(request.user, item)
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(request, _("The meeting request was cancelled."))
    if access.own_registration(request.user, item.event) is None:
        return redirect("events:event_meetings", item.event_id)
    return redirect("events:meeting_requests", item.event_id)


@signed_in_page
def meeting_book(request: HttpRequest, pk: int) -> HttpResponse:
    """Self-booking: pick one of the free common slots of an accepted request."""
    item = access.access_meeting_request(request.user, pk)
    event = item.event
    form = BookingForm(request.POST or None, event=event)
    try:
        places = meetings.compute_booking_places(request.user, item)
    except ValidationError as error:
        _error_messages(request, error)
        return redirect("events:meeting_requests", event.pk)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = meetings.do_book_meeting(request.user, item, form.cleaned_data["slot"])
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                _("Booked: %(slot)s at %(table)s.") % {"slot": meeting.slot, "table": meeting.table.name},
            )
            return redirect("events:meeting_requests", event.pk)
    current = Meeting.objects.filter(request=item, status__in=marketplace.LIVE_MEETING).select_related("slot", "table")
    context = {
        "event": event,
        "when": _when(event),
        "item": item,
        "form": form,
        "places": places,
        "current": current.first(),
    }
    return render(request, "events/meeting_book.html", context)


# --- the organiser's page ---------------------------------------------------------------------


def _grid(event: Event) -> tuple[list, list, list[dict]]:
    """Rows of the slot × table grid: each row a slot with, per table, its meetings."""
    slots = list(event.time_slots.order_by("starts_at"))
    tables = list(event.tables.order_by("name"))
    placed = (
        Meeting.objects.filter(request__event=event, status__in=marketplace.LIVE_MEETING)
        .select_related("request__requester__person")
        .prefetch_related("request__recipients__person")
    )
    cells: dict[tuple[int, int], list[Meeting]] = {}
    for meeting in placed:
        cells.setdefault((meeting.slot_id, meeting.table_id), []).append(meeting)
    rows = [{"slot": slot, "cells": [cells.get((slot.pk, table.pk), []) for table in tables]} for slot in slots]
    return slots, tables, rows


@signed_in_page
def event_meetings(request: HttpRequest, pk: int) -> HttpResponse:
    """The organiser's page: requests at a glance, run the scheduler, the grid, announce."""
    event = _matching_event(request, pk)
    if not access.can_read_meetings(request.user, event):
        raise PermissionDenied
    can_organise = access.can_organise_meetings(request.user, event)
    form = ScheduleRunForm(request.POST or None)
    run = None
    if request.method == "POST":
        if not can_organise:
            raise PermissionDenied
        if form.is_valid():
            try:
                run = meetings.do_schedule_meetings(request.user, event, allow_moves=form.cleaned_data["allow_moves"])
            except ValidationError as error:
                _error_messages(request, error)
    requests_qs = access.visible_meeting_requests(request.user, event)
    counts = {status: requests_qs.filter(status=status).count() for status in MeetingRequestStatus.values}
    slots, tables, rows = _grid(event)
    all_requests = list(
        requests_qs.select_related("requester__person")
        .prefetch_related("recipients__person", "meetings__slot", "meetings__table")
        .order_by("status", "-created_at")
    )
    context = {
        "event": event,
        "when": _when(event),
        "can_organise": can_organise,
        "form": form,
        "run": run,
        "counts": counts,
        "tables": tables,
        "rows": rows,
        "has_places": bool(slots and tables),
        "to_announce": Meeting.objects.filter(request__event=event, status=MeetingStatus.SCHEDULED).count(),
        "requests": all_requests,
        "organiser_mode": event.scheduling_mode == SchedulingMode.ORGANISER,
        # after the event (events.outcomes)
        "started": outcomes.has_started(event),
        "can_record_outcomes": outcomes.can_record_outcomes(request.user, event),
        "outcome_meetings": list(outcomes.recordable_meetings(event)) if outcomes.has_started(event) else [],
        "outcome_form": MeetingOutcomeForm(),
    }
    return render(request, "events/event_meetings.html", context)


@require_POST
@signed_in_page
def event_meetings_announce(request: HttpRequest, pk: int) -> HttpResponse:
    event = _matching_event(request, pk)
    if not access.can_organise_meetings(request.user, event):
        raise PermissionDenied
    count = meetings.do_announce_schedule(request.user, event)
    if count:
        text = ngettext("%(count)d meeting was announced.", "%(count)d meetings were announced.", count)
        messages.success(request, text % {"count": count})
    else:
        messages.info(request, _("There was no new meeting to announce."))
    return redirect("events:event_meetings", event.pk)
