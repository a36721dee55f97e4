"""Every change to events, their slots and tables, and registrations goes through these
functions, each checking the actor's permission itself.

Registration, cancellation and promotion from the waiting list lock the event's row
(`select_for_update`) for the length of their transaction, so seats are counted and taken by one
transaction at a time: two registrations for the last seat cannot both be confirmed."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renkei.accounts.scope import scope_for
from renkei.core.services import save_validated
from renkei.directory.models import Person
from renkei.events import access, mails
from renkei.events.choices import EventStatus, RegistrationMailKind, RegistrationStatus
from renkei.events.models import Event, Registration, Table, TimeSlot
from renkei.programs.models import Cluster

LIVE = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)


# --- events, slots, tables ------------------------------------------------------------


def do_save_event(actor, event: Event, *, clusters: Iterable[Cluster]) -> Event:
    """Create or change an event. The actor must be HQ staff of one of the clusters the event is
    stored under, and of every cluster they add; clusters of other HQs stay as they were."""
    clusters = list(clusters)
    if not clusters:
        raise ValidationError({"clusters": _("Choose at least one cluster.")})
    scope = scope_for(actor)
    own = scope.superuser
    if event.pk is None:
        if not access.can_create_events(actor):
            raise PermissionDenied("You may not create events.")
        stored = set()
    else:
        saved = Event.objects.get(pk=event.pk)
        access.check_can_edit_event(actor, saved)
        stored = set(saved.clusters.values_list("pk", flat=True))
    chosen = {cluster.pk for cluster in clusters}
    if not own and (chosen ^ stored) - scope.hq_cluster_ids:
        raise PermissionDenied("You may add or remove only your own clusters.")
    return save_validated(event, actor=actor, m2m={"clusters": clusters})


def do_save_time_slot(actor, slot: TimeSlot) -> TimeSlot:
    access.check_can_edit_event(actor, slot.event)
    return save_validated(slot, actor=actor)


def do_save_table(actor, table: Table) -> Table:
    access.check_can_edit_event(actor, table.event)
    return save_validated(table, actor=actor)


# --- registration ---------------------------------------------------------------------


def _locked_open_event(event: Event) -> Event:
    """The event's row, locked until the transaction ends, if it takes registrations now."""
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if locked.status != EventStatus.PUBLISHED:
        raise ValidationError(_("This event does not take registrations."), code="not_open")
    if timezone.now() >= locked.closes_at:
        raise ValidationError(_("Registration for this event has closed."), code="closed")
    return locked


def _has_free_seat(event: Event) -> bool:
    if event.capacity is None:
        return True
    return Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED).count() < event.capacity


def _seat_status(event: Event) -> str:
    return RegistrationStatus.CONFIRMED if _has_free_seat(event) else RegistrationStatus.WAITLISTED


def _create(registration: Registration, actor) -> Registration:
    try:
        with transaction.atomic():
            return save_validated(registration, actor=actor)
    except IntegrityError as exc:  # a submission that raced past the duplicate check
        raise ValidationError(_("You are already registered for this event."), code="duplicate") from exc


def do_register_person(actor, event: Event) -> Registration:
    """Register the signed-in actor's own person record in one step."""
    person_id = scope_for(actor).own_person_id
    if person_id is None:
        raise PermissionDenied("Only users with a person record register in one step.")
    if not access.visible_events(actor).filter(pk=event.pk).exists():
        raise PermissionDenied("You may not see this event.")
    with transaction.atomic():
        locked = _locked_open_event(event)
        live = Registration.objects.filter(event=locked, person_id=person_id, status__in=LIVE)
        if live.exists():
            raise ValidationError(_("You are already registered for this event."), code="duplicate")
        registration = Registration(
            event=locked,
            person=Person.objects.get(pk=person_id),
            consent_to_data_use=True,
            status=_seat_status(locked),
            language=mails.language_for_new_registration(locked),
        )
        registration = _create(registration, actor)
        _queue_registered_mail(registration)
        return registration


def do_register_visitor(event: Event, *, name: str, email: str, organisation: str, consent: bool) -> Registration:
    """Register a visitor from the public form; consent to the use of their data is required."""
    name, email, organisation = name.strip(), email.strip().lower(), organisation.strip()
    errors = {}
    if not name:
        errors["visitor_name"] = _("Give your name.")
    if not email:
        errors["visitor_email"] = _("Give your e-mail address.")
    if not consent:
        errors["consent_to_data_use"] = _("Registration needs your consent to the use of your data.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _locked_open_event(event)
        live = Registration.objects.filter(event=locked, person__isnull=True, visitor_email=email, status__in=LIVE)
        if live.exists():
            raise ValidationError(
                {"visitor_email": _("This e-mail address is already registered for this event.")}, code="duplicate"
            )
        registration = Registration(
            event=locked,
            visitor_name=name,
            visitor_email=email,
            visitor_organisation=organisation,
            consent_to_data_use=True,
            status=_seat_status(locked),
            language=mails.language_for_new_registration(locked),
        )
        registration = _create(registration, None)
        _queue_registered_mail(registration)
        return registration


def _queue_registered_mail(registration: Registration) -> None:
    confirmed = registration.status == RegistrationStatus.CONFIRMED
    mails.queue_mail(registration, RegistrationMailKind.CONFIRMATION if confirmed else RegistrationMailKind.WAITLISTED)


def _promote_waitlisted(event: Event, actor) -> Registration | None:
    """Move the first in line on the waiting list up, if a seat is free. Call with the event's
    row locked."""
    if not _has_free_seat(event):
        return None
    first = (
        Registration.objects.select_for_update()
        .filter(event=event, status=RegistrationStatus.WAITLISTED)
        .order_by("created_at", "pk")
        .first()
    )
    if first is None:
        return None
    first.status = RegistrationStatus.CONFIRMED
    first._history_user = actor
    first._change_reason = "moved up from the waiting list"
    first.save(update_fields=["status", "updated_at"])
    return first


def do_cancel_registration(actor, registration: Registration) -> Registration | None:
    """Cancel a registration (the person themselves or the event's staff). Returns the
    registration that moved up from the waiting list into the freed seat, if any."""
    if not access.can_cancel_registration(actor, registration):
        raise PermissionDenied("You may not cancel this registration.")
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=registration.event_id)
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if current.status == RegistrationStatus.CANCELLED:
            raise ValidationError(_("This registration is already cancelled."), code="cancelled")
        was_confirmed = current.status == RegistrationStatus.CONFIRMED
        current.status = RegistrationStatus.CANCELLED
        current.cancelled_at = timezone.now()
        if getattr(actor, "is_authenticated", False):
            current._history_user = actor
        current.save(update_fields=["status", "cancelled_at", "updated_at"])
        registration.status, registration.cancelled_at = current.status, current.cancelled_at
        mails.queue_mail(current, RegistrationMailKind.CANCELLATION)
        promoted = _promote_waitlisted(event, actor) if was_confirmed else None
        if promoted is not None:
            mails.queue_mail(promoted, RegistrationMailKind.PROMOTION)
    return promoted


# --- check-in -------------------------------------------------------------------------


def do_check_in(actor, registration: Registration) -> Registration:
    """Record that a confirmed registrant attended, at the time of check-in."""
    access.check_can_run_check_in(actor, registration.event)
    with transaction.atomic():
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if current.status == RegistrationStatus.CANCELLED:
            raise ValidationError(_("This registration was cancelled; it cannot be checked in."), code="cancelled")
        if current.status == RegistrationStatus.WAITLISTED:
            raise ValidationError(
                _("This registration is still on the waiting list; it cannot be checked in."), code="waitlisted"
            )
        if current.checked_in_at is not None:
            raise ValidationError(_("This registration is already checked in."), code="checked_in")
        current.checked_in_at = timezone.now()
        current._history_user = actor
        current.save(update_fields=["checked_in_at", "updated_at"])
    registration.checked_in_at = current.checked_in_at
    return registration
