"""A participant's personal agenda (個人アジェンダ) for an event: the event itself, its time slots,
and the participant's announced meetings — when, at which table, and with whom (names,
organisations and a summary of their marketplace profile). The same Agenda gives the web page,
the PDF and the .ics calendar file.

Only the participant themself and the organisers of the event (HQ staff of its clusters) may get
it; everyone else is told the agenda does not exist, as for a registration they may not see.

Calendar UIDs are stable: the event's is derived from the event, a meeting's from its meeting
request (a rescheduled meeting keeps its UID), so importing the file again updates the entries
instead of adding copies. A meeting cancelled after it was announced stays in the file with
STATUS:CANCELLED, which removes it from the calendar it was imported into."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from renkei.accounts.scope import scope_for
from renkei.core.display import period_text
from renkei.directory.access import visible_organisations
from renkei.directory.models import Affiliation
from renkei.events import access
from renkei.events.choices import EventStatus, MeetingStatus, RegistrationStatus
from renkei.events.models import Event, MarketplaceProfile, Meeting, MeetingRequest, Registration, TimeSlot

# Meetings a participant has been told about: announced (or booked), and later held.
AGENDA_MEETING = (MeetingStatus.ANNOUNCED, MeetingStatus.HELD)
SUMMARY_LENGTH = 160
CALENDAR_PRODUCT = "-//renkei//event agenda//EN"
SEQUENCE_OFFSET = 1_700_000_000  # seconds since the epoch: keeps SEQUENCE values small


# --- who may see an agenda ---------------------------------------------------------------


def can_see_agenda(user, registration: Registration) -> bool:
    scope = scope_for(user)
    if registration.person_id is not None and registration.person_id == scope.own_person_id:
        return True
    return access.can_organise_meetings(user, registration.event)


def access_agenda(user, registration_pk: int) -> Registration:
    """The registration whose agenda the user may get (not a cancelled one)."""
    registration = (
        Registration.objects.select_related("event", "person")
        .exclude(status=RegistrationStatus.CANCELLED)
        .filter(pk=registration_pk)
        .first()
    )
    if registration is None or not access.visible_events(user).filter(pk=registration.event_id).exists():
        raise Http404("No such agenda")
    if not can_see_agenda(user, registration):
        raise Http404("No such agenda")
    return registration


def own_live_registration(user, event: Event) -> Registration | None:
    """The user's own registration for the event that is not cancelled (confirmed or waitlisted)."""
    person_id = scope_for(user).own_person_id
    if person_id is None:
        return None
    return (
        Registration.objects.filter(event=event, person_id=person_id)
        .exclude(status=RegistrationStatus.CANCELLED)
        .first()
    )


# --- what an agenda holds ----------------------------------------------------------------


@dataclass
class Counterpart:
    """Someone the participant meets, as the agenda shows them."""

    name: str
    organisation: str
    offer: str = ""
    looking_for: str = ""
    keywords: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)


@dataclass
class AgendaMeeting:
    meeting: Meeting
    starts_at: datetime
    ends_at: datetime
    table: str
    status: str
    with_whom: list[Counterpart]

    @property
    def cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED


@dataclass
class AgendaSlot:
    """A time slot of the event, with the participant's meeting in it (or none: free)."""

    slot: TimeSlot
    meeting: AgendaMeeting | None


@dataclass
class Agenda:
    event: Event
    registration: Registration
    slots: list[AgendaSlot]
    meetings: list[AgendaMeeting]  # announced or held, in time order
    cancelled: list[AgendaMeeting]  # announced, then cancelled: for the calendar file

    @property
    def participant(self) -> str:
        return self.registration.display_name


def _summary(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SUMMARY_LENGTH else text[: SUMMARY_LENGTH - 1] + "…"


def organisation_names(user, registrations: list[Registration]) -> dict[int, str]:
    """Registration pk → the organisation shown for it: the person's primary current affiliation
    (not one that has ended) when the reader may see that organisation, else the organisation a
    visitor gave on the form."""
    person_ids = {r.person_id for r in registrations if r.person_id is not None}
    affiliations: dict[int, Affiliation] = {}
    current = Q(end_on__isnull=True) | Q(end_on__gte=timezone.localdate())
    for affiliation in Affiliation.objects.filter(current, person_id__in=person_ids).select_related("organisation"):
        affiliations.setdefault(affiliation.person_id, affiliation)  # ordering puts the primary first
    visible = set(
        visible_organisations(user)
        .filter(pk__in={a.organisation_id for a in affiliations.values()})
        .values_list("pk", flat=True)
    )
    names: dict[int, str] = {}
    for registration in registrations:
        affiliation = affiliations.get(registration.person_id) if registration.person_id else None
        if affiliation is not None and affiliation.organisation_id in visible:
            names[registration.pk] = affiliation.organisation.name
        elif registration.visitor_organisation:
            names[registration.pk] = registration.visitor_organisation
    return names


def _counterpart(registration: Registration, organisation: str) -> Counterpart:
    try:
        profile = registration.marketplace_profile
    except MarketplaceProfile.DoesNotExist:
        profile = None
    if profile is None:
        return Counterpart(name=registration.display_name, organisation=organisation)
    return Counterpart(
        name=registration.display_name,
        organisation=organisation,
        offer=_summary(profile.offer),
        looking_for=_summary(profile.looking_for),
        keywords=profile.keyword_list,
        fields=[f.name for f in profile.fields.all()],
    )


def build_agenda(user, registration: Registration) -> Agenda:
    """The registration's agenda as `user` may read it (organisation names follow the reader's
    visibility). Call after access_agenda."""
    event = registration.event
    own_requests = MeetingRequest.objects.filter(event=event).filter(
        Q(requester=registration) | Q(recipients=registration)
    )
    rows = list(
        Meeting.objects.filter(request__in=own_requests.values("pk"), announced_at__isnull=False)
        .filter(status__in=(*AGENDA_MEETING, MeetingStatus.CANCELLED))
        .select_related("slot", "table", "request__requester__person")
        .prefetch_related(
            "request__requester__marketplace_profile__fields",
            "request__recipients__person",
            "request__recipients__marketplace_profile__fields",
        )
        .order_by("slot__starts_at", "table__name", "pk")
    )
    others_of = {
        m.pk: [r for r in (m.request.requester, *m.request.recipients.all()) if r.pk != registration.pk] for m in rows
    }
    everyone = [r for others in others_of.values() for r in others]
    organisations = organisation_names(user, everyone)
    placed: list[AgendaMeeting] = []
    cancelled: list[AgendaMeeting] = []
    for meeting in rows:
        item = AgendaMeeting(
            meeting=meeting,
            starts_at=timezone.localtime(meeting.slot.starts_at),
            ends_at=timezone.localtime(meeting.slot.ends_at),
            table=meeting.table.name,
            status=meeting.status,
            with_whom=[_counterpart(r, organisations.get(r.pk, "")) for r in others_of[meeting.pk]],
        )
        (cancelled if item.cancelled else placed).append(item)
    # The calendar has one entry per request: a live meeting wins over cancelled ones, and of
    # several cancelled ones the last changed stands for the request.
    live_requests = {m.meeting.request_id for m in placed}
    latest: dict[int, AgendaMeeting] = {}
    for item in sorted(cancelled, key=lambda m: m.meeting.updated_at):
        if item.meeting.request_id not in live_requests:
            latest[item.meeting.request_id] = item
    cancelled = list(latest.values())
    by_slot = {m.meeting.slot_id: m for m in placed}
    slots = [AgendaSlot(slot=slot, meeting=by_slot.get(slot.pk)) for slot in event.time_slots.order_by("starts_at")]
    return Agenda(event=event, registration=registration, slots=slots, meetings=placed, cancelled=cancelled)


def agenda_as_dict(agenda: Agenda) -> dict:
    """The agenda as plain data: the API's body and the PDF template's input."""

    def meeting_row(item: AgendaMeeting) -> dict:
        return {
            "meeting": item.meeting.pk,
            "request": item.meeting.request_id,
            "starts_at": item.starts_at.isoformat(),
            "ends_at": item.ends_at.isoformat(),
            "time": f"{item.starts_at:%H:%M}–{item.ends_at:%H:%M}",
            "date": f"{item.starts_at:%Y-%m-%d}",
            "table": item.table,
            "status": item.status,
            "with": [
                {
                    "name": c.name,
                    "organisation": c.organisation,
                    "offer": c.offer,
                    "looking_for": c.looking_for,
                    "keywords": c.keywords,
                    "fields": c.fields,
                }
                for c in item.with_whom
            ],
        }

    event = agenda.event
    return {
        "event": {
            "id": event.pk,
            "title": event.title,
            "starts_at": timezone.localtime(event.starts_at).isoformat(),
            "ends_at": timezone.localtime(event.ends_at).isoformat(),
            "venue": event.venue,
            "online_url": event.online_url,
        },
        "registration": agenda.registration.pk,
        "participant": agenda.participant,
        "slots": [
            {
                "starts_at": timezone.localtime(s.slot.starts_at).isoformat(),
                "ends_at": timezone.localtime(s.slot.ends_at).isoformat(),
                "meeting": s.meeting.meeting.pk if s.meeting else None,
            }
            for s in agenda.slots
        ],
        "meetings": [meeting_row(m) for m in agenda.meetings],
    }


# --- the PDF -----------------------------------------------------------------------------


def agenda_pdf(agenda: Agenda) -> bytes:
    from renkei.events.pdf import render_pdf

    data = agenda_as_dict(agenda)
    by_slot = {m["meeting"]: m for m in data["meetings"]}
    rows = []
    for slot in agenda.slots:
        start, end = timezone.localtime(slot.slot.starts_at), timezone.localtime(slot.slot.ends_at)
        rows.append(
            {
                "time": f"{start:%H:%M}–{end:%H:%M}",
                "meeting": by_slot.get(slot.meeting.meeting.pk) if slot.meeting else None,
            }
        )
    # Meetings outside the slots list cannot happen (a meeting has a slot); the timeline is the slots.
    return render_pdf(
        "agenda",
        {
            **data,
            "when": period_text(agenda.event.starts_at, agenda.event.ends_at),
            "rows": rows,
            "labels": {
                "agenda": _("Agenda"),
                "participant": _("Participant"),
                "when": _("When"),
                "venue": _("Venue"),
                "online": _("Online"),
                "time": _("Time"),
                "table": _("Table"),
                "with": _("With"),
                "offer": _("Offers"),
                "looking_for": _("Looks for"),
                "keywords": _("Keywords"),
                "free": _("Free"),
                "no_slots": _("This event has no time slots."),
                "no_meetings": _("No meetings have been announced to you yet."),
                "printed": _("Printed"),
            },
            "printed": f"{timezone.localtime():%Y-%m-%d %H:%M}",
        },
    )


# --- the calendar file -------------------------------------------------------------------


def calendar_domain() -> str:
    """The host of the site's public address (RENKEI_BASE_URL): UIDs stay the same whichever
    address the file was downloaded from."""
    return urlsplit(settings.RENKEI_BASE_URL).hostname or "renkei"


def _uid(kind: str, pk: int, domain: str) -> str:
    return f"renkei-{kind}-{pk}@{domain}"


def agenda_ics(agenda: Agenda, *, event_url: str = "") -> bytes:
    """An iCalendar file: one VEVENT for the event and one per meeting, times in Asia/Tokyo
    (the site's time zone) with its VTIMEZONE."""
    from icalendar import Calendar
    from icalendar import Event as CalendarEvent

    domain = calendar_domain()
    calendar = Calendar()
    calendar.add("prodid", CALENDAR_PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{agenda.event.title} — {agenda.participant}")
    calendar.add("x-wr-timezone", timezone.get_current_timezone_name())
    now = timezone.now()
    event = agenda.event

    entry = CalendarEvent()
    entry.add("uid", _uid("event", event.pk, domain))
    entry.add("dtstamp", now)
    entry.add("last-modified", event.updated_at)
    entry.add("sequence", _sequence(event.updated_at))
    entry.add("dtstart", timezone.localtime(event.starts_at))
    entry.add("dtend", timezone.localtime(event.ends_at))
    entry.add("summary", event.title)
    entry.add("location", event.venue or event.online_url)
    if event_url:
        entry.add("url", event_url)
    if event.description:
        entry.add("description", event.description)
    event_cancelled = event.status == EventStatus.CANCELLED
    if event_cancelled:
        entry.add("status", "CANCELLED")
    calendar.add_component(entry)

    for item in [*agenda.meetings, *agenda.cancelled]:
        names = ", ".join(_person_line(c) for c in item.with_whom)
        # A cancelled event cancels its meetings too; the event's change is then the entry's
        # latest, so calendars take the new status (they apply the higher SEQUENCE).
        changed = max(item.meeting.updated_at, event.updated_at) if event_cancelled else item.meeting.updated_at
        entry = CalendarEvent()
        entry.add("uid", _uid("meeting", item.meeting.request_id, domain))
        entry.add("dtstamp", now)
        entry.add("last-modified", changed)
        entry.add("sequence", _sequence(changed))
        entry.add("dtstart", item.starts_at)
        entry.add("dtend", item.ends_at)
        entry.add("summary", _("Meeting with %(names)s") % {"names": names})
        entry.add("location", f"{_('Table')} {item.table} — {event.venue or event.online_url}")
        entry.add("description", _meeting_description(item))
        entry.add("status", "CANCELLED" if item.cancelled or event_cancelled else "CONFIRMED")
        if event_url:
            entry.add("url", event_url)
        calendar.add_component(entry)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _sequence(changed: datetime) -> int:
    """A SEQUENCE that grows with every change of the record: calendars apply the higher one.
    Never negative (RFC 5545), also for a record last changed before the offset (November 2023)."""
    return max(0, int(changed.timestamp()) - SEQUENCE_OFFSET)


def _person_line(counterpart: Counterpart) -> str:
    return f"{counterpart.name} ({counterpart.organisation})" if counterpart.organisation else counterpart.name


def _meeting_description(item: AgendaMeeting) -> str:
    lines = []
    for c in item.with_whom:
        lines.append(_person_line(c))
        if c.offer:
            lines.append(f"  {_('Offers')}: {c.offer}")
        if c.looking_for:
            lines.append(f"  {_('Looks for')}: {c.looking_for}")
    return "\n".join(lines)
