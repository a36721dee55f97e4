"""Meeting requests (商談申込) and meetings (商談) of a business-matching event: sending, answering
and cancelling requests, the organiser's scheduler run and announcement, and self-booking.

Every function checks the actor's permission itself. Writes that depend on what else is booked
or requested (sending a request, running the scheduler, booking a slot) lock the event's row
(`select_for_update`) for their transaction, as registration does, so two of them never read
the same free table or the same missing request at once.

The scheduler itself is renkei.events.scheduling (a pure module): this module builds its
``Instance`` from the event's slots, tables, availability and accepted requests, and stores the
result as ``Meeting`` rows. Ids in the instance are the primary keys as text."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renkei.events import access, mails, scheduling
from renkei.events.choices import (
    MeetingRequestStatus,
    MeetingStatus,
    RegistrationStatus,
    RequestMode,
    SchedulingMode,
)
from renkei.events.marketplace import (
    LIVE_MEETING,
    available_slot_ids,
    check_business_matching,
    check_event_not_over,
    require_own_registration,
    suggest_for,
)
from renkei.events.models import (
    Availability,
    Event,
    MarketplaceProfile,
    Meeting,
    MeetingRequest,
    Registration,
    Table,
    TimeSlot,
)

LIVE_REQUEST = (MeetingRequestStatus.PENDING, MeetingRequestStatus.ACCEPTED)
MAX_MESSAGE = 2000


def _lock(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def _history(obj, actor, reason: str = "") -> None:
    if getattr(actor, "is_authenticated", False):
        obj._history_user = actor
    if reason:
        obj._change_reason = reason


def participants_of(request: MeetingRequest) -> list[Registration]:
    """The requester first, then the other side."""
    return [request.requester, *request.recipients.all()]


def _live_requests_between(event: Event, people: set[int]) -> list[MeetingRequest]:
    """Pending or accepted requests of the event naming exactly these registrations."""
    candidates = MeetingRequest.objects.filter(event=event, status__in=LIVE_REQUEST).filter(
        Q(requester_id__in=people) | Q(recipients__in=people)
    )
    found = []
    for request in candidates.distinct().prefetch_related("recipients"):
        if {request.requester_id, *(r.pk for r in request.recipients.all())} == people:
            found.append(request)
    return found


# --- sending, answering, cancelling -----------------------------------------------------------


def do_send_request(actor, event: Event, recipients: Iterable[Registration], *, message: str = "") -> MeetingRequest:
    """Ask one or more other participants (colleagues may join) for a meeting.

    Refused: self-requests, someone not confirmed for this event or without a marketplace
    profile, a request naming the same people as a live one, and any request once the event is
    over. A pending request the other side already sent for the same people is accepted instead
    (mutual interest). When the event accepts requests automatically, the new request is
    accepted at once. The matcher's rank of the other side is recorded for the scheduler.
    """
    check_business_matching(event)
    requester = require_own_registration(actor, event)
    check_event_not_over(event)
    others = {registration.pk: registration for registration in recipients}
    message = message.strip()
    if not others:
        raise ValidationError({"recipients": _("Choose whom you want to meet.")})
    if requester.pk in others:
        raise ValidationError({"recipients": _("You cannot request a meeting with yourself.")}, code="self")
    if len(message) > MAX_MESSAGE:
        raise ValidationError(
            {"message": _("The message is too long (at most %(n)d characters).") % {"n": MAX_MESSAGE}}
        )
    rank = _matcher_rank(requester, others)  # outside the lock: it may embed profiles
    with transaction.atomic():
        event = _lock(event)
        check_event_not_over(event)
        valid = Registration.objects.filter(
            pk__in=others, event=event, status=RegistrationStatus.CONFIRMED, marketplace_profile__isnull=False
        ).values_list("pk", flat=True)
        missing = [others[pk].display_name for pk in others if pk not in set(valid)]
        if missing:
            raise ValidationError(
                {
                    "recipients": _("%(names)s cannot be asked: not a confirmed participant in this marketplace.")
                    % {"names": ", ".join(missing)}
                }
            )
        people = {requester.pk, *others}
        for existing in _live_requests_between(event, people):
            if existing.requester_id != requester.pk and existing.status == MeetingRequestStatus.PENDING:
                return _accept(actor, existing, answered_by=requester, mutual=True)
            raise ValidationError(_("There is already a request for this meeting."), code="duplicate")
        request = MeetingRequest(event=event, requester=requester, message=message, matcher_rank=rank)
        if event.request_mode == RequestMode.AUTOMATIC:
            request.status = MeetingRequestStatus.ACCEPTED
            request.answered_at = timezone.now()
        _history(request, actor)
        request.full_clean()
        request.save()
        request.recipients.set(list(others))
    return request


def _matcher_rank(requester: Registration, others: dict[int, Registration]) -> int | None:
    """Where the matching engine ranks the other side for the requester (best of them), if at all."""
    suggestions = suggest_for(requester)
    ranks = [rank for pk in others if (rank := suggestions.rank_of(pk)) is not None]
    return min(ranks) if ranks else None


def _recipient(actor, request: MeetingRequest) -> Registration:
    own = access.own_registration(actor, request.event)
    if own is None or not request.recipients.filter(pk=own.pk).exists():
        raise PermissionDenied("Only the other side answers a meeting request.")
    return own


def _pending(request: MeetingRequest) -> MeetingRequest:
    current = MeetingRequest.objects.select_for_update().get(pk=request.pk)
    if current.status != MeetingRequestStatus.PENDING:
        raise ValidationError(
            _("This request was already answered (%(status)s).") % {"status": current.get_status_display()},
            code="answered",
        )
    return current


def _check_everyone_confirmed(request: MeetingRequest) -> None:
    gone = [r.display_name for r in participants_of(request) if r.status != RegistrationStatus.CONFIRMED]
    if gone:
        raise ValidationError(
            _("%(names)s no longer take part in the event.") % {"names": ", ".join(gone)}, code="not_confirmed"
        )


def _accept(actor, request: MeetingRequest, *, answered_by: Registration, mutual: bool = False) -> MeetingRequest:
    current = _pending(request)
    _check_everyone_confirmed(current)
    current.status = MeetingRequestStatus.ACCEPTED
    current.answered_at = timezone.now()
    current.answered_by = answered_by
    current.mutual_interest = current.mutual_interest or mutual
    _history(current, actor, "accepted")
    current.save(update_fields=["status", "answered_at", "answered_by", "mutual_interest", "updated_at"])
    return current


def do_accept_request(actor, request: MeetingRequest) -> MeetingRequest:
    """The other side accepts (one of them answers for all of them)."""
    check_event_not_over(request.event)
    own = _recipient(actor, request)
    with transaction.atomic():
        _lock(request.event)
        return _accept(actor, request, answered_by=own)


def do_decline_request(actor, request: MeetingRequest, *, reason: str) -> MeetingRequest:
    """The other side declines, saying why (the requester reads the reason)."""
    own = _recipient(actor, request)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"decline_reason": _("Say briefly why you decline.")})
    if len(reason) > MAX_MESSAGE:
        raise ValidationError(
            {"decline_reason": _("The reason is too long (at most %(n)d characters).") % {"n": MAX_MESSAGE}}
        )
    with transaction.atomic():
        current = _pending(request)
        current.status = MeetingRequestStatus.DECLINED
        current.decline_reason = reason
        current.answered_at = timezone.now()
        current.answered_by = own
        _history(current, actor, "declined")
        current.save(update_fields=["status", "decline_reason", "answered_at", "answered_by", "updated_at"])
    return current


def can_cancel_request(actor, request: MeetingRequest) -> bool:
    """The requester cancels a pending or accepted request; the other side an accepted one (a
    pending one they decline); the organisers any."""
    if access.can_organise_meetings(actor, request.event):
        return True
    own = access.own_registration(actor, request.event)
    if own is None:
        return False
    if own.pk == request.requester_id:
        return True
    return request.status == MeetingRequestStatus.ACCEPTED and request.recipients.filter(pk=own.pk).exists()


def do_cancel_request(actor, request: MeetingRequest) -> MeetingRequest:
    """Cancel a request and its meeting, if it has one: a late change the next scheduler run or
    another booking fills."""
    if not can_cancel_request(actor, request):
        raise PermissionDenied("You may not cancel this meeting request.")
    with transaction.atomic():
        _lock(request.event)
        current = MeetingRequest.objects.select_for_update().get(pk=request.pk)
        if current.status not in LIVE_REQUEST:
            raise ValidationError(
                _("This request cannot be cancelled (%(status)s).") % {"status": current.get_status_display()},
                code="not_live",
            )
        # An outcome is a record of what happened at the event (events.outcomes), not a plan.
        if Meeting.objects.filter(request=current, status__in=(MeetingStatus.HELD, MeetingStatus.NO_SHOW)).exists():
            raise ValidationError(_("This meeting has already taken place; it cannot be cancelled."), code="recorded")
        current.status = MeetingRequestStatus.CANCELLED
        current.cancelled_at = timezone.now()
        _history(current, actor, "cancelled")
        current.save(update_fields=["status", "cancelled_at", "updated_at"])
        for meeting in Meeting.objects.filter(request=current, status__in=LIVE_MEETING):
            meeting.status = MeetingStatus.CANCELLED
            _history(meeting, actor, "request cancelled")
            meeting.save(update_fields=["status", "updated_at"])
    return current


# --- the scheduler instance -------------------------------------------------------------------


def _schedulable_requests(event: Event) -> tuple[list[MeetingRequest], list[MeetingRequest]]:
    """Accepted requests of the event: those everyone still attends, and those someone left."""
    accepted = (
        MeetingRequest.objects.filter(event=event, status=MeetingRequestStatus.ACCEPTED)
        .exclude(meetings__status=MeetingStatus.NO_SHOW)  # its one chance was missed
        .select_related("requester__person")
        .prefetch_related("recipients__person")
        .order_by("pk")
    )
    ready, orphaned = [], []
    for request in accepted:
        people = participants_of(request)
        (ready if all(p.status == RegistrationStatus.CONFIRMED for p in people) else orphaned).append(request)
    return ready, orphaned


def build_instance(
    event: Event, requests: list[MeetingRequest], *, fixed: Iterable[Meeting] = (), allow_moves: bool = False
) -> scheduling.Instance:
    """The scheduler's view of the event. A participant who stated no slot is available at all."""
    slots = list(TimeSlot.objects.filter(event=event).order_by("starts_at"))
    all_slot_ids = [slot.pk for slot in slots]
    stated: dict[int, list[int]] = {}
    for registration_id, slot_id in Availability.objects.filter(registration__event=event).values_list(
        "registration_id", "slot_id"
    ):
        stated.setdefault(registration_id, []).append(slot_id)
    people: dict[int, None] = {}
    for request in requests:
        for person in participants_of(request):
            people.setdefault(person.pk)
    return scheduling.Instance(
        slots=tuple(str(pk) for pk in all_slot_ids),
        tables=tuple(
            scheduling.Table(id=str(t.pk), capacity=t.capacity)
            for t in Table.objects.filter(event=event).order_by("pk")
        ),
        participants=tuple(
            scheduling.Participant(id=str(pk), available=tuple(str(s) for s in stated.get(pk) or all_slot_ids))
            for pk in people
        ),
        requests=tuple(
            scheduling.MeetingRequest(
                id=str(r.pk),
                participants=tuple(str(p.pk) for p in participants_of(r)),
                priority=r.priority,
            )
            for r in requests
        ),
        fixed=tuple(
            scheduling.Meeting(request=str(m.request_id), slot=str(m.slot_id), table=str(m.table_id)) for m in fixed
        ),
        allow_moves=allow_moves,
    )


def check_has_places(event: Event) -> None:
    errors = []
    if not TimeSlot.objects.filter(event=event).exists():
        errors.append(_("Add the event's time slots first."))
    if not Table.objects.filter(event=event).exists():
        errors.append(_("Add the event's tables first."))
    if errors:
        raise ValidationError(errors, code="no_places")


def _instance_error(error: scheduling.InstanceError) -> ValidationError:
    return ValidationError(
        [_("The meetings cannot be scheduled: %(problem)s") % {"problem": problem} for problem in error.errors],
        code="invalid_instance",
    )


# --- the organiser's scheduler run ------------------------------------------------------------

NOT_CONFIRMED = "not_confirmed"
UNSCHEDULED_REASONS = {
    scheduling.NO_AVAILABLE_SLOT: gettext_lazy("A participant is available at no slot."),
    scheduling.NO_COMMON_SLOT: gettext_lazy("The participants have no available slot in common."),
    scheduling.CONFLICT: gettext_lazy("Every common slot is taken by other meetings or full tables."),
    NOT_CONFIRMED: gettext_lazy("A participant no longer takes part in the event."),
}


@dataclass
class UnscheduledRequest:
    request: MeetingRequest
    code: str
    reason: str  # the solver's English detail

    @property
    def explanation(self) -> str:
        return str(UNSCHEDULED_REASONS.get(self.code, self.reason))


@dataclass
class ScheduleRun:
    """What a scheduler run did, for the organiser's page."""

    placed: int = 0  # meetings in the schedule now
    new: int = 0  # placed for the first time
    moved: int = 0  # already placed, now at another slot or table
    kept: int = 0  # in the same place as before
    cancelled: int = 0  # announced meetings whose request can no longer take place
    unscheduled: list[UnscheduledRequest] = field(default_factory=list)
    status: str = ""
    objective: int = 0
    bound: int = 0
    seconds: float = 0.0


def do_schedule_meetings(
    actor, event: Event, *, allow_moves: bool = False, time_limit: float = scheduling.DEFAULT_TIME_LIMIT
) -> ScheduleRun:
    """Place every accepted request into a slot and at a table (organisers only).

    1. Lock the event; collect accepted requests whose participants all still attend.
    2. Announced (and held) meetings are fixed: they stay where they are unless the organiser
       allows moves; meetings placed but not yet announced are placed again freely.
    3. Solve (CP-SAT), then write the result: new meetings are created, moved ones updated (a
       moved announced meeting goes back to "scheduled" so it is announced again), meetings left
       out are deleted if never announced, cancelled if announced.
    """
    check_business_matching(event)
    access.check_can_organise_meetings(actor, event)
    if event.scheduling_mode != SchedulingMode.ORGANISER:
        raise ValidationError(_("In this event participants book their meetings themselves."), code="self_booking")
    check_event_not_over(event)
    check_has_places(event)
    with transaction.atomic():
        event = _lock(event)
        ready, orphaned = _schedulable_requests(event)
        live = {
            m.request_id: m
            for m in Meeting.objects.filter(request__event=event, status__in=LIVE_MEETING).select_related("slot")
        }
        ready_ids = {r.pk for r in ready}
        fixed = [
            m
            for m in live.values()
            if m.request_id in ready_ids and m.status in (MeetingStatus.ANNOUNCED, MeetingStatus.HELD)
        ]
        instance = build_instance(event, ready, fixed=fixed, allow_moves=allow_moves)
        try:
            schedule = scheduling.compute_schedule(instance, time_limit=time_limit)
        except scheduling.InstanceError as error:
            raise _instance_error(error) from error
        by_pk = {r.pk: r for r in ready}
        run = ScheduleRun(
            status=schedule.stats.status,
            objective=schedule.stats.objective,
            bound=schedule.stats.bound,
            seconds=schedule.stats.wall_seconds,
        )
        placed_ids = set()
        for placement in schedule.meetings:
            request_id, slot_id, table_id = int(placement.request), int(placement.slot), int(placement.table)
            placed_ids.add(request_id)
            meeting = live.get(request_id)
            if meeting is None:
                meeting = Meeting(request=by_pk[request_id], slot_id=slot_id, table_id=table_id)
                _history(meeting, actor, "scheduled")
                meeting.save()
                run.new += 1
            elif (meeting.slot_id, meeting.table_id) == (slot_id, table_id):
                run.kept += 1
            else:
                meeting.slot_id, meeting.table_id = slot_id, table_id
                if meeting.status == MeetingStatus.ANNOUNCED:
                    meeting.status, meeting.announced_at = MeetingStatus.SCHEDULED, None
                _history(meeting, actor, "moved by the scheduler")
                meeting.save(update_fields=["slot", "table", "status", "announced_at", "updated_at"])
                run.moved += 1
        for request_id, meeting in live.items():
            if request_id in placed_ids or meeting.status == MeetingStatus.HELD:
                continue
            if meeting.status == MeetingStatus.SCHEDULED:
                meeting.delete()
            else:
                meeting.status = MeetingStatus.CANCELLED
                _history(meeting, actor, "no longer in the schedule")
                meeting.save(update_fields=["status", "updated_at"])
                run.cancelled += 1
        run.placed = len(placed_ids)
        run.unscheduled = [
            UnscheduledRequest(request=by_pk[int(item.request)], code=item.code, reason=item.reason)
            for item in schedule.unscheduled
        ]
        run.unscheduled += [
            UnscheduledRequest(request=r, code=NOT_CONFIRMED, reason="a participant no longer attends the event")
            for r in orphaned
        ]
    return run


def do_announce_schedule(actor, event: Event) -> int:
    """Announce every placed meeting not yet announced; returns how many. Announced meetings are
    what participants see on their agenda, and stay in place when the scheduler runs again.
    Participants whose announced meetings changed are mailed their schedule (events.mails)."""
    access.check_can_organise_meetings(actor, event)
    now = timezone.now()
    with transaction.atomic():
        _lock(event)
        meetings = list(
            Meeting.objects.select_for_update().filter(request__event=event, status=MeetingStatus.SCHEDULED)
        )
        for meeting in meetings:
            meeting.status, meeting.announced_at = MeetingStatus.ANNOUNCED, now
            _history(meeting, actor, "announced")
            meeting.save(update_fields=["status", "announced_at", "updated_at"])
        # Each participant whose meetings changed gets them by mail, sent after the commit.
        mails.queue_schedule_mails(event)
    return len(meetings)


# --- self-booking -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    slot: TimeSlot
    table: Table


def _booking_context(event: Event, request: MeetingRequest) -> tuple[scheduling.Instance, list[scheduling.Meeting]]:
    """The instance for booking ``request``: it and every request with a meeting, which are the
    only ones that occupy a place."""
    booked = list(Meeting.objects.filter(request__event=event, status__in=LIVE_MEETING))
    requests = list(
        MeetingRequest.objects.filter(Q(pk=request.pk) | Q(pk__in=[m.request_id for m in booked]))
        .select_related("requester")
        .prefetch_related("recipients")
        .order_by("pk")
    )
    instance = build_instance(event, requests)
    return instance, [
        scheduling.Meeting(request=str(m.request_id), slot=str(m.slot_id), table=str(m.table_id)) for m in booked
    ]


def _check_can_book(actor, request: MeetingRequest) -> None:
    check_business_matching(request.event)
    if request.event.scheduling_mode != SchedulingMode.SELF_BOOKING:
        raise ValidationError(_("In this event the organiser schedules the meetings."), code="organiser_mode")
    own = require_own_registration(actor, request.event)
    if own.pk != request.requester_id and not request.recipients.filter(pk=own.pk).exists():
        raise PermissionDenied("Only the participants of a meeting book it.")
    check_event_not_over(request.event)


def compute_booking_places(actor, request: MeetingRequest) -> list[Place]:
    """The slots (each with the first free table) where the request could be booked now."""
    _check_can_book(actor, request)
    if request.status != MeetingRequestStatus.ACCEPTED:
        return []
    instance, booked = _booking_context(request.event, request)
    try:
        free = scheduling.compute_free_placements(instance, booked, str(request.pk))
    except scheduling.InstanceError as error:
        raise _instance_error(error) from error
    slots = {str(s.pk): s for s in TimeSlot.objects.filter(event=request.event)}
    tables = {str(t.pk): t for t in Table.objects.filter(event=request.event)}
    first: dict[str, Place] = {}
    for placement in free:
        first.setdefault(placement.slot, Place(slot=slots[placement.slot], table=tables[placement.table]))
    return list(first.values())


def do_book_meeting(actor, request: MeetingRequest, slot: TimeSlot) -> Meeting:
    """Book an accepted request at a slot; a free table is assigned. Booking again moves it.

    Inside one transaction that locks the event: nobody double-booked, everyone available,
    no table over capacity (scheduling.check_booking), so two people racing for the last table
    cannot both win. A booked meeting is announced at once: both sides chose it."""
    _check_can_book(actor, request)
    if slot.event_id != request.event_id:
        raise ValidationError({"slot": _("The slot belongs to another event.")})
    with transaction.atomic():
        event = _lock(request.event)
        current = MeetingRequest.objects.get(pk=request.pk)
        if current.status != MeetingRequestStatus.ACCEPTED:
            raise ValidationError(_("Only an accepted request can be booked."), code="not_accepted")
        _check_everyone_confirmed(current)
        instance, booked = _booking_context(event, current)
        tables = list(Table.objects.filter(event=event).order_by("pk"))
        problems: list[str] = []
        try:
            for table in tables:
                wanted = scheduling.Meeting(request=str(current.pk), slot=str(slot.pk), table=str(table.pk))
                problems = scheduling.check_booking(instance, booked, wanted)
                if not problems:
                    break
        except scheduling.InstanceError as error:
            raise _instance_error(error) from error
        if not tables:
            problems = ["no tables"]
        if problems:
            raise ValidationError(
                _("This slot cannot be booked: %(problems)s.") % {"problems": _booking_problems(problems)},
                code="taken",
            )
        meeting = Meeting.objects.filter(request=current, status__in=LIVE_MEETING).first()
        if meeting is None:
            meeting = Meeting(request=current)
        meeting.slot, meeting.table = slot, table
        meeting.status, meeting.announced_at = MeetingStatus.ANNOUNCED, timezone.now()
        _history(meeting, actor, "booked")
        meeting.save()
    return meeting


def _booking_problems(problems: list[str]) -> str:
    """The solver's problems in the user's words (its ids are our primary keys)."""
    texts = []
    for problem in problems:
        if "not available" in problem:
            texts.append(_("someone is not available then"))
        elif "already meets" in problem:
            texts.append(_("someone already has a meeting then"))
        elif "is full" in problem or problem == "no tables":
            texts.append(_("every table is taken then"))
        else:
            texts.append(problem)
    return "; ".join(dict.fromkeys(texts))


# --- reading ---------------------------------------------------------------------------------


def requests_of(registration: Registration) -> tuple[QuerySet[MeetingRequest], QuerySet[MeetingRequest]]:
    """A participant's incoming and outgoing requests, newest first."""
    base = MeetingRequest.objects.select_related("requester__person").prefetch_related(
        "recipients__person", "meetings__slot", "meetings__table"
    )
    incoming = base.filter(recipients=registration).order_by("-created_at", "-pk")
    outgoing = base.filter(requester=registration).order_by("-created_at", "-pk")
    return incoming, outgoing


def profile_of(registration: Registration) -> MarketplaceProfile | None:
    return MarketplaceProfile.objects.filter(registration=registration).first()


def available_slots_of(registration: Registration) -> list[int]:
    return available_slot_ids(registration, registration.event.time_slots.values_list("pk", flat=True))
