"""API representations of events, registrations, meeting requests, meetings and the personal
agenda. Writes (meeting requests and their answers) go through renkei.events.meetings."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from renkei.events.models import Event, Meeting, MeetingRequest, Registration

MAX_ID = 2**63 - 1  # the largest primary key the databases store; larger ids are refused, not looked up

# --- events ----------------------------------------------------------------------------------


class EventTimeSlotSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()


class EventTableSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    capacity = serializers.IntegerField(help_text="Meetings the table holds at the same time.")


class EventSerializer(serializers.ModelSerializer):
    """An event (イベント) with its time slots and tables."""

    title = serializers.CharField(read_only=True, help_text="The title in the reader's language, else the other.")
    clusters = serializers.SlugRelatedField(many=True, slug_field="code", read_only=True, help_text="Cluster codes.")
    time_slots = EventTimeSlotSerializer(many=True, read_only=True)
    tables = EventTableSerializer(many=True, read_only=True)
    url = serializers.SerializerMethodField(help_text="The event's page.")
    online_url = serializers.CharField(read_only=True, help_text="The online meeting's address; empty when none.")

    class Meta:
        model = Event
        fields = [
            "id",
            "url",
            "kind",
            "status",
            "title",
            "title_ja",
            "title_en",
            "description_ja",
            "description_en",
            "clusters",
            "starts_at",
            "ends_at",
            "venue",
            "online_url",
            "capacity",
            "registration_deadline",
            "language",
            "request_mode",
            "scheduling_mode",
            "time_slots",
            "tables",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_url(self, event: Event) -> str:
        return event.get_absolute_url()


# --- registrations ---------------------------------------------------------------------------


class RegistrationSerializer(serializers.ModelSerializer):
    """A registration (参加申込): the reader's own, or one of an event whose desk they staff."""

    name = serializers.CharField(source="display_name", read_only=True)
    email = serializers.CharField(read_only=True)

    class Meta:
        model = Registration
        fields = [
            "id",
            "event",
            "person",
            "name",
            "email",
            "visitor_organisation",
            "status",
            "checked_in_at",
            "cancelled_at",
            "created_at",
        ]
        read_only_fields = fields


# --- meeting requests and meetings -------------------------------------------------------------


class MeetingRequestSerializer(serializers.ModelSerializer):
    """A meeting request (商談申込) between registrations of one business-matching event."""

    requester_name = serializers.CharField(source="requester.display_name", read_only=True)
    recipients = serializers.PrimaryKeyRelatedField(many=True, read_only=True, help_text="Registration ids.")
    priority = serializers.IntegerField(read_only=True, help_text="The scheduler's weight of the request.")

    class Meta:
        model = MeetingRequest
        fields = [
            "id",
            "event",
            "requester",
            "requester_name",
            "recipients",
            "message",
            "status",
            "decline_reason",
            "answered_at",
            "cancelled_at",
            "mutual_interest",
            "matcher_rank",
            "priority",
            "created_at",
        ]
        read_only_fields = fields


class MeetingRequestCreateSerializer(serializers.Serializer):
    """Ask one or more confirmed participants of a business-matching event for a meeting, as
    yourself (your own confirmed registration is the requester)."""

    event = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="The event's id.")
    recipients = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        allow_empty=False,
        max_length=20,
        help_text="Registration ids of the other side.",
    )
    message = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        from renkei.events import access

        user = self.context["request"].user
        event = access.visible_events(user).filter(pk=attrs["event"]).first()
        if event is None:
            raise serializers.ValidationError({"event": [_("No such event.")]})
        found = {r.pk: r for r in Registration.objects.filter(event=event, pk__in=attrs["recipients"])}
        unknown = [pk for pk in attrs["recipients"] if pk not in found]
        if unknown:
            raise serializers.ValidationError(
                {"recipients": [_("No such registration for this event: %(ids)s.") % {"ids": unknown}]}
            )
        return {"event": event, "recipients": list(found.values()), "message": attrs["message"]}


class MeetingDeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text="Why; the requester reads it.")


class MeetingSerializer(serializers.ModelSerializer):
    """A meeting (商談): an accepted request placed at a time slot and a table."""

    event = serializers.IntegerField(source="request.event_id", read_only=True)
    starts_at = serializers.DateTimeField(source="slot.starts_at", read_only=True)
    ends_at = serializers.DateTimeField(source="slot.ends_at", read_only=True)
    table_name = serializers.CharField(source="table.name", read_only=True)
    participants = serializers.SerializerMethodField(help_text="Registration ids, the requester first.")

    class Meta:
        model = Meeting
        fields = [
            "id",
            "event",
            "request",
            "slot",
            "starts_at",
            "ends_at",
            "table",
            "table_name",
            "participants",
            "status",
            "announced_at",
        ]
        read_only_fields = fields

    def get_participants(self, meeting: Meeting) -> list[int]:
        request = meeting.request
        return [request.requester_id, *(r.pk for r in request.recipients.all())]


# --- the personal agenda ---------------------------------------------------------------------


class AgendaPersonSerializer(serializers.Serializer):
    name = serializers.CharField()
    organisation = serializers.CharField(help_text="Empty when the reader may not see it.")
    offer = serializers.CharField(help_text="Their marketplace profile: what they offer (shortened).")
    looking_for = serializers.CharField(help_text="What they look for (shortened).")
    keywords = serializers.ListField(child=serializers.CharField())
    fields = serializers.ListField(child=serializers.CharField(), help_text="Technology field names.")


class AgendaMeetingSerializer(serializers.Serializer):
    meeting = serializers.IntegerField()
    request = serializers.IntegerField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    time = serializers.CharField(help_text="HH:MM–HH:MM in Japan time.")
    date = serializers.CharField(help_text="YYYY-MM-DD in Japan time.")
    table = serializers.CharField()
    status = serializers.CharField()
    with_ = AgendaPersonSerializer(many=True, help_text="Everyone else in the meeting.")

    def get_fields(self):
        fields = super().get_fields()
        fields["with"] = fields.pop("with_")
        return fields


class AgendaEventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    venue = serializers.CharField()
    online_url = serializers.CharField()


class AgendaSlotSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    meeting = serializers.IntegerField(allow_null=True, help_text="The participant's meeting then, or null (free).")


class AgendaSerializer(serializers.Serializer):
    """A participant's agenda: the event, its time slots and their announced meetings."""

    event = AgendaEventSerializer()
    registration = serializers.IntegerField()
    participant = serializers.CharField()
    slots = AgendaSlotSerializer(many=True)
    meetings = AgendaMeetingSerializer(many=True)
