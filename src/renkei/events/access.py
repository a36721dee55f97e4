"""Who may see and change events and registrations.

Published and cancelled events are public (the calendar); drafts are seen only by the staff (HQ
and coordinators) of the event's clusters and by national officers. HQ staff of one of the
event's clusters edit it; HQ staff and coordinators of those clusters run the check-in desk and
read the registrations. A participant sees their own registrations."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from renkei.accounts.scope import scope_for
from renkei.events.choices import EventStatus, RegistrationStatus
from renkei.events.models import Event, MarketplaceProfile, Meeting, MeetingRequest, Registration
from renkei.programs.models import Cluster

PUBLIC_STATUSES = (EventStatus.PUBLISHED, EventStatus.CANCELLED)


def visible_events(user) -> QuerySet[Event]:
    scope = scope_for(user)
    if scope.reads_all:
        return Event.objects.all()
    public = Q(status__in=PUBLIC_STATUSES)
    if not scope.staff_cluster_ids:
        return Event.objects.filter(public)
    own = Event.objects.filter(clusters__in=scope.staff_cluster_ids).values("pk")
    return Event.objects.filter(public | Q(pk__in=own))


def access_event(user, pk: int) -> Event:
    try:
        return visible_events(user).get(pk=pk)
    except Event.DoesNotExist as exc:
        raise Http404("No such event") from exc


def organising_clusters(user) -> QuerySet[Cluster]:
    """Clusters for which the user may create events."""
    scope = scope_for(user)
    if scope.superuser:
        return Cluster.objects.all()
    return Cluster.objects.filter(pk__in=scope.hq_cluster_ids)


def can_create_events(user) -> bool:
    scope = scope_for(user)
    return scope.superuser or bool(scope.hq_cluster_ids)


def _event_cluster_ids(event: Event) -> set[int]:
    if event.pk is None:
        return set()
    return set(event.clusters.values_list("pk", flat=True))


def can_edit_event(user, event: Event) -> bool:
    scope = scope_for(user)
    if scope.superuser:
        return True
    return bool(_event_cluster_ids(event) & scope.hq_cluster_ids)


def check_can_edit_event(user, event: Event) -> None:
    if not can_edit_event(user, event):
        raise PermissionDenied("You may not change this event.")


def can_run_check_in(user, event: Event) -> bool:
    """HQ staff and coordinators of the event's clusters staff the reception desk."""
    scope = scope_for(user)
    if scope.superuser:
        return True
    return bool(_event_cluster_ids(event) & scope.staff_cluster_ids)


def check_can_run_check_in(user, event: Event) -> None:
    if not can_run_check_in(user, event):
        raise PermissionDenied("You may not check in this event's participants.")


def can_read_registrations(user, event: Event) -> bool:
    return scope_for(user).reads_all or can_run_check_in(user, event)


def visible_registrations(user, event: Event) -> QuerySet[Registration]:
    registrations = Registration.objects.filter(event=event)
    if can_read_registrations(user, event):
        return registrations
    person_id = scope_for(user).own_person_id
    if person_id is None:
        return registrations.none()
    return registrations.filter(person_id=person_id)


def access_registration(user, pk: int) -> Registration:
    """A registration the user may see: their own, or one of an event whose desk they run."""
    registration = Registration.objects.select_related("event", "person").filter(pk=pk).first()
    if registration is None:
        raise Http404("No such registration")
    event_visible = visible_events(user).filter(pk=registration.event_id).exists()
    if event_visible and visible_registrations(user, registration.event).filter(pk=pk).exists():
        return registration
    raise Http404("No such registration")


def can_cancel_registration(user, registration: Registration) -> bool:
    scope = scope_for(user)
    if registration.person_id is not None and registration.person_id == scope.own_person_id:
        return True
    return can_run_check_in(user, registration.event)


# --- business matching: marketplace, meeting requests, meetings -------------------------------
#
# Participants take part through their own confirmed registration: they see the marketplace of an
# event they are registered for, and only the requests and meetings they are part of. HQ staff of
# the event's clusters organise the meetings; the clusters' staff and national officers read them.
# Staff of other clusters see nothing of it.


def own_registration(user, event: Event) -> Registration | None:
    """The user's confirmed registration for the event, if any."""
    person_id = scope_for(user).own_person_id
    if person_id is None or event.pk is None:
        return None
    return (
        Registration.objects.select_related("person")
        .filter(event=event, person_id=person_id, status=RegistrationStatus.CONFIRMED)
        .first()
    )


def can_organise_meetings(user, event: Event) -> bool:
    """HQ staff of one of the event's clusters run the scheduler and announce the schedule."""
    return can_edit_event(user, event)


def check_can_organise_meetings(user, event: Event) -> None:
    if not can_organise_meetings(user, event):
        raise PermissionDenied("You may not organise this event's meetings.")


def can_read_meetings(user, event: Event) -> bool:
    """Every request and meeting of the event: its clusters' staff and national officers."""
    return can_read_registrations(user, event)


def can_use_marketplace(user, event: Event) -> bool:
    return can_read_meetings(user, event) or own_registration(user, event) is not None


def visible_profiles(user, event: Event) -> QuerySet[MarketplaceProfile]:
    """Profiles of the event's confirmed participants, for its participants and staff."""
    if not can_use_marketplace(user, event):
        return MarketplaceProfile.objects.none()
    return MarketplaceProfile.objects.filter(
        registration__event=event, registration__status=RegistrationStatus.CONFIRMED
    )


def visible_meeting_requests(user, event: Event) -> QuerySet[MeetingRequest]:
    requests = MeetingRequest.objects.filter(event=event)
    if can_read_meetings(user, event):
        return requests
    own = own_registration(user, event)
    if own is None:
        return requests.none()
    mine = MeetingRequest.objects.filter(Q(requester=own) | Q(recipients=own)).values("pk")
    return requests.filter(pk__in=mine)


def access_meeting_request(user, pk: int) -> MeetingRequest:
    """A meeting request the user may see: one they are part of, or one of an event they staff."""
    request = MeetingRequest.objects.select_related("event", "requester__person").filter(pk=pk).first()
    if request is None or not visible_events(user).filter(pk=request.event_id).exists():
        raise Http404("No such meeting request")
    if not visible_meeting_requests(user, request.event).filter(pk=pk).exists():
        raise Http404("No such meeting request")
    return request


def visible_meetings(user, event: Event) -> QuerySet[Meeting]:
    meetings = Meeting.objects.filter(request__event=event)
    if can_read_meetings(user, event):
        return meetings
    return meetings.filter(request__in=visible_meeting_requests(user, event))
