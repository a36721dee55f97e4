"""API representations of programmes, clusters, memberships, HQ positions and budgets. Writes go
through renkei.programs.services."""

from __future__ import annotations

from rest_framework import serializers

from renkei.core.api.serializers import ServiceModelSerializer, VisiblePrimaryKeyRelatedField
from renkei.core.models import BureauRegion, Prefecture, TechField
from renkei.directory.access import visible_organisations, visible_people
from renkei.directory.models import Organisation, Person
from renkei.programs import services
from renkei.programs.models import Budget, Cluster, HQPosition, Membership, Programme


def _cluster_link() -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(
        slug_field="code", queryset=Cluster.objects.all(), help_text="The cluster's code (see /api/clusters/)."
    )


class ProgrammeSerializer(ServiceModelSerializer):
    name = serializers.CharField(read_only=True, help_text="The name in the reader's language, else the other.")

    class Meta:
        model = Programme
        fields = [
            "id",
            "code",
            "name",
            "name_ja",
            "name_en",
            "ministry",
            "phase",
            "start_fy",
            "end_fy",
            "description_ja",
            "description_en",
            "source_note",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def save_through_service(self, actor, instance, m2m):
        return services.do_save_programme(actor, instance)


class ClusterSerializer(ServiceModelSerializer):
    name = serializers.CharField(read_only=True, help_text="The name in the reader's language, else the other.")
    programme = serializers.SlugRelatedField(
        slug_field="code", queryset=Programme.objects.all(), help_text="The programme's code."
    )
    bureau_region = serializers.SlugRelatedField(
        slug_field="code",
        queryset=BureauRegion.objects.all(),
        required=False,
        allow_null=True,
        help_text="The bureau region's code.",
    )
    prefectures = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Prefecture.objects.all(), required=False, help_text="JIS prefecture codes."
    )
    fields = serializers.SlugRelatedField(
        many=True, slug_field="code", queryset=TechField.objects.all(), required=False, help_text="Field codes."
    )
    promotion_organisation = VisiblePrimaryKeyRelatedField(
        visible_organisations, queryset=Organisation.objects.all(), required=False, allow_null=True
    )

    many_to_many = ("prefectures", "fields")

    class Meta:
        model = Cluster
        fields = [
            "id",
            "code",
            "programme",
            "name",
            "name_ja",
            "name_en",
            "region_label",
            "bureau_region",
            "prefectures",
            "fields",
            "theme",
            "promotion_organisation",
            "start_fy",
            "end_fy",
            "description_ja",
            "description_en",
            "website",
            "is_trial",
            "verified",
            "source",
            "source_note",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def save_through_service(self, actor, instance, m2m):
        return services.do_save_cluster(actor, instance, prefectures=m2m.get("prefectures"), fields=m2m.get("fields"))


class MembershipSerializer(ServiceModelSerializer):
    cluster = _cluster_link()
    organisation = VisiblePrimaryKeyRelatedField(visible_organisations, queryset=Organisation.objects.all())

    class Meta:
        model = Membership
        fields = ["id", "cluster", "organisation", "role", "start_on", "end_on", "note", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]

    def save_through_service(self, actor, instance, m2m):
        return services.do_save_membership(actor, instance)


class HQPositionSerializer(ServiceModelSerializer):
    cluster = _cluster_link()
    person = VisiblePrimaryKeyRelatedField(visible_people, queryset=Person.objects.all())

    class Meta:
        model = HQPosition
        fields = ["id", "cluster", "person", "kind", "start_on", "end_on", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]

    def save_through_service(self, actor, instance, m2m):
        return services.do_save_position(actor, instance)


class BudgetSerializer(ServiceModelSerializer):
    cluster = _cluster_link()

    class Meta:
        model = Budget
        fields = [
            "id",
            "cluster",
            "fiscal_year",
            "source",
            "amount_yen",
            "is_estimate",
            "note",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def save_through_service(self, actor, instance, m2m):
        return services.do_save_budget(actor, instance)
