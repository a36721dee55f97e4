"""Mails to registrants: confirmation (or waiting list), promotion from the waiting list,
cancellation, the reminder some days before the event, and each participant's meetings when
the organiser announces the schedule of a business-matching event (`queue_schedule_mails`).

How a mail goes out:
1. The service that changes the registration calls `queue_mail` inside its transaction: a
   RegistrationMail row (pending) is written with the change, once per registration and kind.
2. After the commit the mail is sent at once (`transaction.on_commit`). A mail server that is
   down or refuses the mail is logged and leaves the row pending; registration never fails on it.
3. `renkei send-event-reminders` (cron) sends what is still pending, drops mails the registration
   no longer calls for (a confirmation after a cancellation, anything after the event), and
   queues and sends the reminders that are due. A row is marked sent right after its mail left,
   so no registrant gets the same mail twice.

Mails are written in the registrant's language: the one they used when registering, else the
event's language. Confirmation, promotion and reminder carry the check-in QR code as a PNG."""

from __future__ import annotations

import datetime
import hashlib
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from renkei.core.display import period_text
from renkei.events import checkin
from renkei.events.choices import (
    EventLanguage,
    EventStatus,
    MailState,
    MeetingStatus,
    RegistrationMailKind,
    RegistrationStatus,
)
from renkei.events.models import Meeting, Registration, RegistrationMail

logger = logging.getLogger(__name__)

Kind = RegistrationMailKind
WITH_QR = {Kind.CONFIRMATION, Kind.PROMOTION, Kind.REMINDER}
# The registration status each kind of mail is about; a mail whose registration has moved on is
# dropped rather than sent late.
STATUS_FOR = {
    Kind.CONFIRMATION: RegistrationStatus.CONFIRMED,
    Kind.WAITLISTED: RegistrationStatus.WAITLISTED,
    Kind.PROMOTION: RegistrationStatus.CONFIRMED,
    Kind.CANCELLATION: RegistrationStatus.CANCELLED,
    Kind.REMINDER: RegistrationStatus.CONFIRMED,
    Kind.SCHEDULE: RegistrationStatus.CONFIRMED,
}
SUBJECTS = {
    Kind.CONFIRMATION: _("Registration confirmed: %(title)s"),
    Kind.WAITLISTED: _("You are on the waiting list: %(title)s"),
    Kind.PROMOTION: _("A seat is free for you: %(title)s"),
    Kind.CANCELLATION: _("Registration cancelled: %(title)s"),
    Kind.REMINDER: _("Reminder: %(title)s on %(date)s"),
    Kind.SCHEDULE: _("Your meetings at %(title)s"),
}


def registrant_language(registration: Registration) -> str:
    """The language of the registrant's mails: the one they registered in, else the event's."""
    if registration.language in ("ja", "en"):
        return registration.language
    return "en" if registration.event.language == EventLanguage.ENGLISH else "ja"


def language_for_new_registration(event) -> str:
    """What to store on a new registration: the language of the request for a bilingual event,
    else the event's own language."""
    if event.language == EventLanguage.BOTH:
        return "en" if (translation.get_language() or "ja").startswith("en") else "ja"
    return "en" if event.language == EventLanguage.ENGLISH else "ja"


# --- queueing (inside the services' transactions) ----------------------------------------------


def queue_mail(
    registration: Registration, kind: str, *, sequence: int = 0, schedule_key: str = ""
) -> RegistrationMail | None:
    """Record that `kind` is to be mailed and send it after the commit. Nothing for a registrant
    without an address, nor a second time for the same registration and kind (and sequence)."""
    if not registration.email:
        logger.info("registration %s has no e-mail address; no %s mail", registration.pk, kind)
        return None
    mail, created = RegistrationMail.objects.get_or_create(
        registration=registration, kind=kind, sequence=sequence, defaults={"schedule_key": schedule_key}
    )
    if not created:
        return None
    transaction.on_commit(lambda: deliver_quietly(mail.pk), robust=True)
    return mail


def deliver_quietly(mail_pk: int) -> None:
    """Send one queued mail now; on any mail-server error log it and leave it pending."""
    outcome, error = send_pending(mail_pk, timezone.now())
    if outcome == "failed":
        logger.warning("event mail %s not sent, left for the next run: %s", mail_pk, error)


# --- building and sending ---------------------------------------------------------------------


def _absolute(path: str) -> str:
    return settings.RENKEI_BASE_URL + path


def build_message(mail: RegistrationMail) -> EmailMultiAlternatives:
    registration = mail.registration
    event = registration.event
    with translation.override(registrant_language(registration)):
        context = {
            "kind": mail.kind,
            "name": registration.display_name,
            "event": event,
            "title": event.title,
            "when": period_text(event.starts_at, event.ends_at),
            "event_url": _absolute(event.get_absolute_url()),
            "registration_url": (
                _absolute(reverse("events:registration_detail", args=[registration.pk]))
                if registration.person_id
                else ""
            ),
            "with_qr": mail.kind in WITH_QR,
            "reminder_days": settings.EVENT_REMINDER_DAYS_BEFORE,
        }
        if mail.kind == Kind.SCHEDULE:
            context.update(_schedule_context(registration))
        body = render_to_string(f"events/mail/{mail.kind}.txt", context)
        subject = str(SUBJECTS[mail.kind]) % {
            "title": event.title,
            "date": f"{timezone.localtime(event.starts_at):%Y-%m-%d}",
        }
    message = EmailMultiAlternatives(subject=subject.replace("\n", " "), body=body, to=[registration.email])
    if mail.kind in WITH_QR:
        message.attach(f"check-in-{registration.pk}.png", checkin.qr_png(registration), "image/png")
    return message


def deliver(mail: RegistrationMail, *, connection=None) -> None:
    """Send the mail and mark it sent; raises OSError (the row counts the attempt) on failure."""
    message = build_message(mail)
    message.connection = connection
    mail.attempts += 1
    try:
        message.send()
    except OSError as error:
        mail.last_error = str(error)[:300]
        mail.save(update_fields=["attempts", "last_error"])
        raise
    mail.state, mail.sent_at, mail.last_error = MailState.SENT, timezone.now(), ""
    mail.save(update_fields=["state", "sent_at", "attempts", "last_error"])


def still_called_for(mail: RegistrationMail, now: datetime.datetime) -> bool:
    """Whether a pending mail should still go: its registration is in the status the mail is
    about, and the event has not ended (a reminder: has not started)."""
    registration, event = mail.registration, mail.registration.event
    if registration.status != STATUS_FOR[mail.kind]:
        return False
    if mail.kind == Kind.REMINDER:
        return event.status == EventStatus.PUBLISHED and event.starts_at > now
    if mail.kind == Kind.SCHEDULE:
        # A later round's mail carries the newer schedule; this one is no longer needed.
        later = RegistrationMail.objects.filter(
            registration=registration, kind=Kind.SCHEDULE, sequence__gt=mail.sequence
        )
        if later.exists():
            return False
    return event.ends_at > now


# --- the cron command -------------------------------------------------------------------------


@dataclass
class MailRun:
    """What one run of `send-event-reminders` did, by registration mail."""

    sent: list[int] = field(default_factory=list)
    dropped: list[int] = field(default_factory=list)
    failed: list[tuple[int, str]] = field(default_factory=list)
    due: list[RegistrationMail] = field(default_factory=list)  # dry run: what would be sent


def due_reminders(now: datetime.datetime) -> list[Registration]:
    """Confirmed registrations of published events starting within the reminder period that
    have no reminder yet."""
    horizon = now + datetime.timedelta(days=settings.EVENT_REMINDER_DAYS_BEFORE)
    return list(
        Registration.objects.filter(
            status=RegistrationStatus.CONFIRMED,
            event__status=EventStatus.PUBLISHED,
            event__starts_at__gt=now,
            event__starts_at__lte=horizon,
        )
        .exclude(mails__kind=Kind.REMINDER)
        .select_related("event", "person")
        .order_by("event__starts_at", "pk")
    )


def do_send_event_mails(now: datetime.datetime, *, dry_run: bool = False, connection=None) -> MailRun:
    """Send the pending mails and the reminders that are due. Idempotent: run it as often as you
    like (cron every 15 minutes to once an hour); a registrant never gets the same mail twice."""
    run = MailRun()
    if dry_run:
        pending = RegistrationMail.objects.filter(state=MailState.PENDING).select_related("registration__event")
        run.due = [mail for mail in pending if still_called_for(mail, now)]
        run.due += [RegistrationMail(registration=r, kind=Kind.REMINDER) for r in due_reminders(now)]
        return run
    for registration in due_reminders(now):
        if registration.email:
            RegistrationMail.objects.get_or_create(registration=registration, kind=Kind.REMINDER)
    pending_ids = list(
        RegistrationMail.objects.filter(state=MailState.PENDING)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)
    )
    if not pending_ids:
        return run
    connection = connection or get_connection()
    with connection:
        for pk in pending_ids:
            outcome, error = send_pending(pk, now, connection=connection)
            if outcome == "sent":
                run.sent.append(pk)
            elif outcome == "dropped":
                run.dropped.append(pk)
            elif outcome == "failed":
                run.failed.append((pk, error))
    return run


def send_pending(pk: int, now: datetime.datetime, *, connection=None) -> tuple[str, str]:
    """Send one pending mail, or drop it when no longer called for. Returns ("sent" | "dropped" |
    "failed" | "gone", error). The row is locked meanwhile, so two runs never send it twice."""
    with transaction.atomic():
        mail = (
            RegistrationMail.objects.select_for_update(of=("self",))
            .select_related("registration__event", "registration__person")
            .filter(pk=pk, state=MailState.PENDING)
            .first()
        )
        if mail is None:
            return "gone", ""
        if not still_called_for(mail, now) or not mail.registration.email:
            mail.state = MailState.DROPPED
            mail.save(update_fields=["state"])
            return "dropped", ""
        try:
            deliver(mail, connection=connection)
        except OSError as error:
            return "failed", str(error)
    return "sent", ""


# --- the announced meeting schedule -----------------------------------------------------------


def announced_meetings_of(registration: Registration) -> list[Meeting]:
    """The registration's announced (or already held) meetings, in time order."""
    return list(
        Meeting.objects.filter(status__in=(MeetingStatus.ANNOUNCED, MeetingStatus.HELD))
        .filter(Q(request__requester=registration) | Q(request__recipients=registration))
        .distinct()
        .select_related("slot", "table", "request__requester__person")
        .prefetch_related("request__recipients__person")
        .order_by("slot__starts_at", "pk")
    )


def schedule_key(places: set[tuple[int, int, int]]) -> str:
    """A fingerprint of where and when meetings take place, given as (meeting, slot, table) pks;
    "" for none."""
    if not places:
        return ""
    return hashlib.sha256(",".join(sorted(f"{m}:{s}:{t}" for m, s, t in places)).encode()).hexdigest()


def _announced_places(event) -> dict[int, set[tuple[int, int, int]]]:
    """Registration pk → the (meeting, slot, table) of its announced (or held) meetings, in one
    query for the whole event."""
    rows = (
        Meeting.objects.filter(request__event=event, status__in=(MeetingStatus.ANNOUNCED, MeetingStatus.HELD))
        .values_list("pk", "slot_id", "table_id", "request__requester_id", "request__recipients")
        .order_by()
    )
    places: dict[int, set[tuple[int, int, int]]] = defaultdict(set)
    for pk, slot_id, table_id, requester_id, recipient_id in rows:
        for registration_id in (requester_id, recipient_id):
            if registration_id is not None:
                places[registration_id].add((pk, slot_id, table_id))
    return places


def queue_schedule_mails(event) -> list[RegistrationMail]:
    """Call inside the announcement's transaction: queue a schedule mail for each confirmed
    participant whose announced meetings differ from those of their last schedule mail (all of
    them at the first announcement), someone who lost all their meetings included."""
    involved = Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED).filter(
        Q(sent_meeting_requests__meetings__isnull=False)
        | Q(received_meeting_requests__meetings__isnull=False)
        | Q(mails__kind=Kind.SCHEDULE)
    )
    last_mails: dict[int, RegistrationMail] = {}
    for mail in RegistrationMail.objects.filter(registration__event=event, kind=Kind.SCHEDULE).order_by("sequence"):
        last_mails[mail.registration_id] = mail
    places = _announced_places(event)
    queued = []
    for registration in involved.distinct().select_related("person", "event").order_by("pk"):
        key = schedule_key(places.get(registration.pk, set()))
        last = last_mails.get(registration.pk)
        if key == (last.schedule_key if last is not None else ""):
            continue
        sequence = (last.sequence if last is not None else 0) + 1
        mail = queue_mail(registration, Kind.SCHEDULE, sequence=sequence, schedule_key=key)
        if mail is not None:
            queued.append(mail)
    return queued


def _schedule_context(registration: Registration) -> dict:
    rows = []
    for meeting in announced_meetings_of(registration):
        request = meeting.request
        others = [r for r in [request.requester, *request.recipients.all()] if r.pk != registration.pk]
        start, end = timezone.localtime(meeting.slot.starts_at), timezone.localtime(meeting.slot.ends_at)
        rows.append(
            {
                "when": f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}",
                "table": meeting.table.name,
                "with": ", ".join(r.display_name for r in others),
            }
        )
    agenda_url = ""
    if registration.person_id:
        agenda_url = _absolute(reverse("events:agenda", args=[registration.pk]))
    return {"meetings": rows, "agenda_url": agenda_url}
