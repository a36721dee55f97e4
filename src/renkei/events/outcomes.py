"""After a business-matching event: the organiser records which announced meetings were held
and which were no-shows (and which side missed them), one by one or in bulk from the check-in.

Held meetings are what the rest of the system builds on: the network's `event_meeting` ties,
the participants' follow-up intentions (events.followups), the event report and the follow-up
survey months later. Every change is kept in the meeting's history (who, when, why).

Rules:
- Only HQ staff of the event's clusters record outcomes (the clusters' coordinators and
  national officers read them); only for a published event that has started.
- A meeting's outcome is recorded once its slot has started; only announced meetings (and ones
  already recorded, to correct a mistake) have an outcome.
- The bulk action marks held every announced meeting whose slot has ended and whose
  participants all checked in, and the rest no-show, naming the side that did not check in.
  It applies only to the meetings the organiser saw in its preview, re-checked at that moment.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from renkei.events import access
from renkei.events.choices import EventKind, EventStatus, MeetingStatus, MissedBy
from renkei.events.models import Event, Meeting, Registration

RECORDABLE = (MeetingStatus.ANNOUNCED, MeetingStatus.HELD, MeetingStatus.NO_SHOW)


def _history(obj, actor, reason: str) -> None:
    if getattr(actor, "is_authenticated", False):
        obj._history_user = actor
    obj._change_reason = reason


def access_meeting(user, pk: int) -> Meeting:
    """A meeting the user may see: one they take part in, or one of an event they staff."""
    meeting = Meeting.objects.select_related("request__event", "slot", "table").filter(pk=pk).first()
    if meeting is None:
        raise Http404("No such meeting")
    event = meeting.request.event
    if not access.visible_events(user).filter(pk=event.pk).exists():
        raise Http404("No such meeting")
    if not access.visible_meetings(user, event).filter(pk=pk).exists():
        raise Http404("No such meeting")
    return meeting


def has_started(event: Event, now=None) -> bool:
    return (now or timezone.now()) >= event.starts_at


def can_record_outcomes(user, event: Event) -> bool:
    return (
        event.kind == EventKind.BUSINESS_MATCHING
        and event.status == EventStatus.PUBLISHED
        and has_started(event)
        and access.can_organise_meetings(user, event)
    )


def check_can_record_outcomes(actor, event: Event) -> None:
    access.check_can_organise_meetings(actor, event)
    if event.kind != EventKind.BUSINESS_MATCHING:
        raise ValidationError(_("Only business-matching events have meetings."), code="not_matching")
    if event.status != EventStatus.PUBLISHED:
        raise ValidationError(_("This event is not open for meetings."), code="not_open")
    if not has_started(event):
        raise ValidationError(_("Outcomes are recorded once the event has started."), code="not_started")


def sides_of(meeting: Meeting) -> tuple[list[Registration], list[Registration]]:
    """The requester's side and the other side of a meeting."""
    request = meeting.request
    return [request.requester], list(request.recipients.all())


def missed_by_from_check_in(meeting: Meeting) -> str:
    """Which side did not (entirely) check in; "" when everyone did."""
    requester_side, other_side = sides_of(meeting)
    requester_missed = any(r.checked_in_at is None for r in requester_side)
    other_missed = any(r.checked_in_at is None for r in other_side)
    if requester_missed and other_missed:
        return MissedBy.BOTH
    if requester_missed:
        return MissedBy.REQUESTER
    if other_missed:
        return MissedBy.OTHER_SIDE
    return ""


# --- one meeting ------------------------------------------------------------------------------


def do_record_outcome(actor, meeting: Meeting, *, held: bool, missed_by: str = "") -> Meeting:
    """Record that a meeting was held, or was a no-show and which side missed it. Changing a
    recorded outcome (a correction) is allowed and kept in the history."""
    event = meeting.request.event
    check_can_record_outcomes(actor, event)
    if held:
        missed_by = ""
    elif missed_by not in MissedBy.values:
        raise ValidationError({"missed_by": _("Say which side did not turn up.")})
    with transaction.atomic():
        current = Meeting.objects.select_for_update().select_related("slot").get(pk=meeting.pk)
        if current.status not in RECORDABLE:
            raise ValidationError(
                _("Only announced meetings have an outcome (this one is %(status)s).")
                % {"status": current.get_status_display()},
                code="not_announced",
            )
        if timezone.now() < current.slot.starts_at:
            raise ValidationError(_("This meeting has not started yet."), code="not_started")
        status = MeetingStatus.HELD if held else MeetingStatus.NO_SHOW
        if (current.status, current.missed_by) != (status, missed_by):
            reason = "held" if held else f"no-show ({missed_by})"
            if current.status != MeetingStatus.ANNOUNCED:
                reason = f"corrected: {reason}"
            current.status, current.missed_by = status, missed_by
            _history(current, actor, reason)
            current.save(update_fields=["status", "missed_by", "updated_at"])
    meeting.status, meeting.missed_by = current.status, current.missed_by
    return current


# --- in bulk, from the check-in ---------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceChange:
    """What the bulk action would do to one announced meeting."""

    meeting: Meeting
    held: bool
    missed_by: str

    @property
    def missed_by_label(self) -> str:
        return str(MissedBy(self.missed_by).label) if self.missed_by else ""


def _announced_and_over(event: Event, now, pks: Iterable[int] | None = None):
    meetings = (
        Meeting.objects.filter(request__event=event, status=MeetingStatus.ANNOUNCED, slot__ends_at__lte=now)
        .select_related("slot", "table", "request__requester__person")
        .prefetch_related("request__recipients__person")
        .order_by("slot__starts_at", "table__name", "pk")
    )
    if pks is not None:
        meetings = meetings.filter(pk__in=list(pks))
    return meetings


def compute_attendance_changes(actor, event: Event) -> list[AttendanceChange]:
    """The preview of the bulk action: each announced meeting whose slot has ended, held when
    all its participants checked in, else a no-show of the side that did not."""
    check_can_record_outcomes(actor, event)
    changes = []
    for meeting in _announced_and_over(event, timezone.now()):
        missed_by = missed_by_from_check_in(meeting)
        changes.append(AttendanceChange(meeting=meeting, held=not missed_by, missed_by=missed_by))
    return changes


def bulk_record_attendance(actor, event: Event, meeting_pks: Iterable[int]) -> list[AttendanceChange]:
    """Apply the bulk action to the previewed meetings that are still announced, judging each by
    the check-in as it stands now. Returns what was done."""
    check_can_record_outcomes(actor, event)
    pks = {int(pk) for pk in meeting_pks}
    done = []
    with transaction.atomic():
        Event.objects.select_for_update().get(pk=event.pk)
        locked = set(
            Meeting.objects.select_for_update()
            .filter(pk__in=pks, request__event=event, status=MeetingStatus.ANNOUNCED)
            .values_list("pk", flat=True)
        )
        for meeting in _announced_and_over(event, timezone.now(), locked):
            missed_by = missed_by_from_check_in(meeting)
            meeting.status = MeetingStatus.NO_SHOW if missed_by else MeetingStatus.HELD
            meeting.missed_by = missed_by
            _history(meeting, actor, "from check-in: " + (f"no-show ({missed_by})" if missed_by else "held"))
            meeting.save(update_fields=["status", "missed_by", "updated_at"])
            done.append(AttendanceChange(meeting=meeting, held=not missed_by, missed_by=missed_by))
    return done


# --- reading ----------------------------------------------------------------------------------


def recordable_meetings(event: Event):
    """The meetings the organiser records outcomes for: announced, held and no-show."""
    return (
        Meeting.objects.filter(request__event=event, status__in=RECORDABLE)
        .select_related("slot", "table", "request__requester__person")
        .prefetch_related("request__recipients__person")
        .order_by("slot__starts_at", "table__name", "pk")
    )
