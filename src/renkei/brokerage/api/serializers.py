"""API representations of the CRM: interactions, introductions with their stage history, stage
moves and attachments. Writes go through renkei.brokerage.services; a reader who may not read an
interaction's notes gets `notes: null` and `notes_hidden: true`, and links to organisations,
people, needs and seeds the reader may not see are left out (or null)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Manager, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from renkei.brokerage import access, services
from renkei.brokerage.choices import IntroductionStage
from renkei.brokerage.models import Attachment, Interaction, Introduction, StageChange
from renkei.core.api.serializers import ServiceModelSerializer, VisiblePrimaryKeyRelatedField
from renkei.directory.access import visible_organisations, visible_people
from renkei.directory.models import Organisation, Person
from renkei.matching.access import visible_needs, visible_seeds
from renkei.matching.models import Need, Seed
from renkei.programs.models import Cluster

HIDDEN_HELP = "Null (or left out of a list) when the reader may not see the linked record."


class AttachmentSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField(
        help_text="The download page (a signed-in session; it applies the same rule as the notes)."
    )
    uploaded_by = serializers.PrimaryKeyRelatedField(read_only=True, help_text="The uploader's user id.")

    class Meta:
        model = Attachment
        fields = ["id", "name", "size", "uploaded_by", "created_at", "download_url"]
        read_only_fields = fields

    def get_download_url(self, attachment: Attachment) -> str:
        return attachment.get_absolute_url()


class _CrmListSerializer(serializers.ListSerializer):
    """Decides for a whole page at once which linked records the reader sees."""

    def to_representation(self, data):
        records = list(data.all() if isinstance(data, Manager | QuerySet) else data)
        self.child.decide_visibility(records)
        return super().to_representation(records)


class _CrmSerializer(ServiceModelSerializer):
    cluster = serializers.SlugRelatedField(
        slug_field="code", queryset=Cluster.objects.all(), help_text="The cluster's code."
    )
    coordinator = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text="User id of the coordinator: a coordinator or HQ staff of the cluster. Left out: yourself.",
    )
    coordinator_name = serializers.SerializerMethodField(help_text="The coordinator's name.")
    attachments = serializers.SerializerMethodField(
        help_text="Attached files; empty when the reader may not open them (a confidential interaction)."
    )
    url = serializers.SerializerMethodField(help_text="The record's page.")

    # Which links to check, with the access helper that says what the reader sees.
    links: dict[str, Any] = {}

    def _user(self):
        return self.context["request"].user

    def decide_visibility(self, records: list) -> None:
        """One query per kind of link for a whole page of records."""
        wanted: dict[Any, set[int]] = defaultdict(set)
        for record in records:
            for name, helper in self.links.items():
                wanted[helper].update(self._ids(record, name))
        user = self._user()
        self._visible = {
            helper: set(helper(user).filter(pk__in=ids).values_list("pk", flat=True)) for helper, ids in wanted.items()
        }

    def _ids(self, record, name: str) -> list[int]:
        value = getattr(record, f"{name}_id", None)
        return [value] if value is not None else []

    def _sees(self, name: str, pk: int) -> bool:
        helper = self.links[name]
        decided = getattr(self, "_visible", {})
        if helper in decided:
            return pk in decided[helper]
        return helper(self._user()).filter(pk=pk).exists()

    def get_coordinator_name(self, record) -> str:
        return services.user_name(record.coordinator)

    @extend_schema_field(AttachmentSerializer(many=True))
    def get_attachments(self, record) -> list[dict[str, Any]]:
        if not access.can_read_attachments(self._user(), record):
            return []
        return AttachmentSerializer(record.attachments.all(), many=True).data

    def get_url(self, record) -> str:
        return record.get_absolute_url()

    def to_representation(self, record) -> dict[str, Any]:
        data = super().to_representation(record)
        for name in self.links:
            value = data.get(name)
            if value is not None and not isinstance(value, list) and not self._sees(name, value):
                data[name] = None
        return data


class InteractionSerializer(_CrmSerializer):
    organisations = VisiblePrimaryKeyRelatedField(
        visible_organisations,
        queryset=Organisation.objects.all(),
        many=True,
        required=False,
        help_text=f"Ids of the organisations involved. {HIDDEN_HELP}",
    )
    people = VisiblePrimaryKeyRelatedField(
        visible_people,
        queryset=Person.objects.all(),
        many=True,
        required=False,
        help_text=f"Ids of the people involved. {HIDDEN_HELP}",
    )
    need = VisiblePrimaryKeyRelatedField(
        visible_needs, queryset=Need.objects.all(), required=False, allow_null=True, help_text=HIDDEN_HELP
    )
    seed = VisiblePrimaryKeyRelatedField(
        visible_seeds, queryset=Seed.objects.all(), required=False, allow_null=True, help_text=HIDDEN_HELP
    )
    notes = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text=(
            "Null when the notes are confidential and the reader is neither their author nor the "
            "cluster's HQ (see notes_hidden)."
        ),
    )
    notes_hidden = serializers.SerializerMethodField(help_text="True when the notes are withheld from the reader.")
    created_by = serializers.PrimaryKeyRelatedField(read_only=True, help_text="User id of the author.")

    many_to_many = ("organisations", "people")
    links = {
        "organisations": visible_organisations,
        "people": visible_people,
        "need": visible_needs,
        "seed": visible_seeds,
    }

    class Meta:
        model = Interaction
        list_serializer_class = _CrmListSerializer
        fields = [
            "id",
            "kind",
            "date",
            "cluster",
            "coordinator",
            "coordinator_name",
            "organisations",
            "people",
            "topic",
            "notes",
            "notes_hidden",
            "confidential",
            "next_follow_up_on",
            "follow_up_done",
            "need",
            "seed",
            "created_by",
            "attachments",
            "url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def _ids(self, record, name: str) -> list[int]:
        if name in ("organisations", "people"):
            return [x.pk for x in getattr(record, name).all()]
        return super()._ids(record, name)

    def validate_notes(self, value: str | None) -> str:
        return value or ""

    def get_notes_hidden(self, interaction: Interaction) -> bool:
        return not access.can_see_notes(self._user(), interaction)

    def to_representation(self, interaction: Interaction) -> dict[str, Any]:
        data = super().to_representation(interaction)
        for name in ("organisations", "people"):
            data[name] = [pk for pk in data[name] if self._sees(name, pk)]
        if data["notes_hidden"]:
            data["notes"] = None
        return data

    def _apply(self, instance, validated_data):
        # A partial update that leaves the parties out keeps them (the service sets both lists).
        if instance.pk is not None:
            for name in self.many_to_many:
                validated_data.setdefault(name, list(getattr(instance, name).all()))
        return super()._apply(instance, validated_data)

    def save_through_service(self, actor, instance, m2m):
        return services.do_save_interaction(
            actor, instance, organisations=m2m.get("organisations", ()), people=m2m.get("people", ())
        )


class StageChangeSerializer(serializers.ModelSerializer):
    from_stage = serializers.SerializerMethodField(help_text="The stage before the move; null for the first entry.")
    by = serializers.PrimaryKeyRelatedField(read_only=True, help_text="User id of who moved it.")

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_from_stage(self, change: StageChange) -> str | None:
        return change.from_stage or None

    class Meta:
        model = StageChange
        fields = ["id", "from_stage", "to_stage", "on", "reason", "by"]
        read_only_fields = fields


class IntroductionSerializer(_CrmSerializer):
    party_a_organisation = VisiblePrimaryKeyRelatedField(
        visible_organisations,
        queryset=Organisation.objects.all(),
        required=False,
        allow_null=True,
        help_text=f"First party: organisation id. {HIDDEN_HELP}",
    )
    party_a_person = VisiblePrimaryKeyRelatedField(
        visible_people,
        queryset=Person.objects.all(),
        required=False,
        allow_null=True,
        help_text=f"First party: person id. {HIDDEN_HELP}",
    )
    party_b_organisation = VisiblePrimaryKeyRelatedField(
        visible_organisations,
        queryset=Organisation.objects.all(),
        required=False,
        allow_null=True,
        help_text=f"Second party: organisation id. {HIDDEN_HELP}",
    )
    party_b_person = VisiblePrimaryKeyRelatedField(
        visible_people,
        queryset=Person.objects.all(),
        required=False,
        allow_null=True,
        help_text=f"Second party: person id. {HIDDEN_HELP}",
    )
    source_need = VisiblePrimaryKeyRelatedField(
        visible_needs,
        queryset=Need.objects.all(),
        required=False,
        allow_null=True,
        help_text=f"The need the introduction was suggested for. {HIDDEN_HELP}",
    )
    source_seed = VisiblePrimaryKeyRelatedField(
        visible_seeds,
        queryset=Seed.objects.all(),
        required=False,
        allow_null=True,
        help_text=f"The suggested seed. {HIDDEN_HELP}",
    )
    stage = serializers.ChoiceField(
        choices=IntroductionStage.choices, read_only=True, help_text="Changed only by the `move` action."
    )
    stage_changes = StageChangeSerializer(many=True, read_only=True)

    links = {
        "party_a_organisation": visible_organisations,
        "party_b_organisation": visible_organisations,
        "party_a_person": visible_people,
        "party_b_person": visible_people,
        "source_need": visible_needs,
        "source_seed": visible_seeds,
    }

    class Meta:
        model = Introduction
        list_serializer_class = _CrmListSerializer
        fields = [
            "id",
            "cluster",
            "coordinator",
            "coordinator_name",
            "party_a_organisation",
            "party_a_person",
            "party_b_organisation",
            "party_b_person",
            "topic",
            "introduced_on",
            "stage",
            "closed_reason",
            "notes",
            "source_need",
            "source_seed",
            "stage_changes",
            "attachments",
            "url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["closed_reason", "created_at", "updated_at"]

    def validate_cluster(self, value: Cluster) -> Cluster:
        if self.instance is not None and value.pk != self.instance.cluster_id:
            raise serializers.ValidationError(_("An introduction stays in the cluster where it was made."))
        return value

    def save_through_service(self, actor, instance, m2m):
        return services.do_save_introduction(actor, instance)


class StageMoveSerializer(serializers.Serializer):
    to_stage = serializers.ChoiceField(choices=IntroductionStage.choices, help_text="The new stage.")
    on = serializers.DateField(help_text="The date of the move (YYYY-MM-DD): not in the future, not before the last.")
    reason = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default="", help_text="Required when closing or reopening."
    )
