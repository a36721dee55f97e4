"""API endpoints of events, registrations, meeting requests, meetings and the personal agenda.
Records are read through the same rules as the pages (renkei.events.access, events.agenda);
meeting requests are sent and answered through renkei.events.meetings.

Every endpoint needs a signed-in user (a token): published events are listed to anyone signed
in, drafts to the staff of the event's clusters and to national officers."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from renkei.accounts.scope import scope_for
from renkei.core.api.views import RenkeiViewSetMixin
from renkei.events import access, agenda, meetings
from renkei.events.api.serializers import (
    AgendaSerializer,
    EventSerializer,
    MeetingDeclineSerializer,
    MeetingRequestCreateSerializer,
    MeetingRequestSerializer,
    MeetingSerializer,
    RegistrationSerializer,
)
from renkei.events.choices import RegistrationStatus
from renkei.events.models import Event, Meeting, MeetingRequest, Registration


class _EventsViewSet(RenkeiViewSetMixin, viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated]


def _staffed_events(user) -> QuerySet[Event]:
    """Events whose registrations, requests and meetings the user reads in full: every event for
    national officers, else the events of the clusters where they are HQ staff or coordinator."""
    scope = scope_for(user)
    if scope.reads_all:
        return Event.objects.all()
    return Event.objects.filter(clusters__in=scope.staff_cluster_ids)


def _agenda_response(user, registration: Registration) -> Response:
    return Response(agenda.agenda_as_dict(agenda.build_agenda(user, registration)))


class EventViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _EventsViewSet):
    """Events (イベント): exchange meetings, seminars, business-matching events and more, with their
    time slots and tables. Published and cancelled events to anyone signed in; drafts to the
    staff of the event's clusters and national officers."""

    serializer_class = EventSerializer
    filterset_fields = ["kind", "status"]
    ordering_fields = ["id", "starts_at", "created_at"]

    def get_queryset(self) -> QuerySet[Event]:
        return access.visible_events(self.request.user).prefetch_related("clusters", "time_slots", "tables")

    @extend_schema(
        summary="Your own agenda for the event",
        description=(
            "Your announced meetings (time, table, with whom and their marketplace profile) and the event's "
            "time slots. 404 when you are not registered for the event."
        ),
        responses={200: AgendaSerializer},
        filters=False,
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def agenda(self, request: Request, pk: str | None = None) -> Response:
        event = self.get_object()
        registration = agenda.own_live_registration(request.user, event)
        if registration is None:
            raise exceptions.NotFound(_("You are not registered for this event."))
        return _agenda_response(request.user, registration)


class RegistrationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _EventsViewSet):
    """Registrations (参加申込): your own, and all those of the events whose clusters you staff
    (national officers: every event's)."""

    serializer_class = RegistrationSerializer
    filterset_fields = ["event", "status"]
    ordering_fields = ["id", "created_at"]

    def get_queryset(self) -> QuerySet[Registration]:
        user = self.request.user
        own = Q(person_id=scope_for(user).own_person_id) if scope_for(user).own_person_id else Q(pk__in=[])
        staffed = Q(event__in=_staffed_events(user).values("pk"))
        visible = Q(event__in=access.visible_events(user).values("pk"))
        return (
            Registration.objects.filter(visible & (own | staffed))
            .select_related("person")
            .order_by("event_id", "created_at", "pk")
        )

    @extend_schema(
        summary="The registration's agenda",
        description=(
            "The agenda of the registration: for the registered participant themself and the event's HQ "
            "staff. 404 for anyone else and for a cancelled registration."
        ),
        responses={200: AgendaSerializer},
        filters=False,
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def agenda(self, request: Request, pk: str | None = None) -> Response:
        registration = agenda.access_agenda(request.user, int(self.get_object().pk))
        return _agenda_response(request.user, registration)


class MeetingRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _EventsViewSet):
    """Meeting requests (商談申込) of business-matching events: those you sent or received through
    your confirmed registration, and all those of events whose clusters you staff. Send one with
    POST; the other side accepts or declines; either side cancels."""

    serializer_class = MeetingRequestSerializer
    filterset_fields = ["event", "status"]
    ordering_fields = ["id", "created_at"]

    def get_queryset(self) -> QuerySet[MeetingRequest]:
        user = self.request.user
        person_id = scope_for(user).own_person_id
        mine = Registration.objects.filter(person_id=person_id, status=RegistrationStatus.CONFIRMED)
        own = (Q(requester__in=mine) | Q(recipients__in=mine)) if person_id else Q(pk__in=[])
        ids = MeetingRequest.objects.filter(own | Q(event__in=_staffed_events(user).values("pk"))).values("pk")
        return (
            MeetingRequest.objects.filter(pk__in=ids, event__in=access.visible_events(user).values("pk"))
            .select_related("requester__person")
            .prefetch_related("recipients")
            .order_by("-created_at", "-pk")
        )

    @extend_schema(request=MeetingRequestCreateSerializer, responses={201: MeetingRequestSerializer})
    def create(self, request: Request) -> Response:
        body = MeetingRequestCreateSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        data = body.validated_data
        sent = meetings.do_send_request(request.user, data["event"], data["recipients"], message=data["message"])
        return Response(self.get_serializer(sent).data, status=status.HTTP_201_CREATED)

    def _answer(self, request: Request, answer) -> Response:
        meeting_request = self.get_object()
        answered = answer(meeting_request)
        answered.refresh_from_db()
        return Response(self.get_serializer(answered).data)

    @extend_schema(request=None, responses={200: MeetingRequestSerializer})
    @action(detail=True, methods=["post"], pagination_class=None, filter_backends=[])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        """Accept a request sent to you (one of the other side answers for all of them)."""
        return self._answer(request, lambda r: meetings.do_accept_request(request.user, r))

    @extend_schema(request=MeetingDeclineSerializer, responses={200: MeetingRequestSerializer})
    @action(detail=True, methods=["post"], pagination_class=None, filter_backends=[])
    def decline(self, request: Request, pk: str | None = None) -> Response:
        """Decline a request sent to you, saying why."""
        body = MeetingDeclineSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        reason = body.validated_data["reason"]
        return self._answer(request, lambda r: meetings.do_decline_request(request.user, r, reason=reason))

    @extend_schema(request=None, responses={200: MeetingRequestSerializer})
    @action(detail=True, methods=["post"], pagination_class=None, filter_backends=[])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        """Cancel a request (either side); its meeting, if placed, is cancelled too."""
        return self._answer(request, lambda r: meetings.do_cancel_request(request.user, r))


class MeetingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _EventsViewSet):
    """Meetings (商談): participants see their own once announced; the staff of the event's
    clusters and national officers see every meeting, announced or not. Read only: the organiser
    places meetings with the scheduler on the event's meetings page."""

    serializer_class = MeetingSerializer
    filterset_fields = ["status", "slot", "table"]
    ordering_fields = ["id", "slot__starts_at"]

    def get_queryset(self) -> QuerySet[Meeting]:
        user = self.request.user
        person_id = scope_for(user).own_person_id
        staffed = Q(request__event__in=_staffed_events(user).values("pk"))
        if person_id:
            mine = Registration.objects.filter(person_id=person_id, status=RegistrationStatus.CONFIRMED)
            own_requests = MeetingRequest.objects.filter(Q(requester__in=mine) | Q(recipients__in=mine))
            staffed |= Q(request__in=own_requests.values("pk"), announced_at__isnull=False)
        ids = Meeting.objects.filter(staffed).values("pk")
        return (
            Meeting.objects.filter(pk__in=ids, request__event__in=access.visible_events(user).values("pk"))
            .select_related("slot", "table", "request")
            .prefetch_related("request__recipients")
            .order_by("slot__starts_at", "table__name", "pk")
        )
