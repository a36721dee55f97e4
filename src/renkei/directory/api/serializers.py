"""API representations of organisations, people and affiliations. Names appear in Japanese,
English and kana side by side; writes go through renkei.directory.services."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Manager, QuerySet
from rest_framework import serializers

from renkei.core.api.serializers import ServiceModelSerializer, VisiblePrimaryKeyRelatedField
from renkei.core.models import TechField
from renkei.directory import access, services
from renkei.directory.models import Affiliation, Organisation, Person
from renkei.programs.models import Cluster


def _tech_fields() -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(
        many=True,
        slug_field="code",
        queryset=TechField.objects.all(),
        required=False,
        help_text="Technology field codes (see /api/fields/).",
    )


class OrganisationSerializer(ServiceModelSerializer):
    name = serializers.CharField(read_only=True, help_text="The name in the reader's language, else the other.")
    sector = serializers.CharField(read_only=True, help_text="industry, academia, government or support.")
    fields = _tech_fields()
    cluster = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Cluster.objects.all(),
        required=False,
        write_only=True,
        help_text=(
            "On creation only: the code of a cluster the new organisation joins as a member, in the same "
            "transaction. Cluster HQ staff must give one of their clusters, or they could not edit it afterwards."
        ),
    )

    many_to_many = ("fields",)

    class Meta:
        model = Organisation
        fields = [
            "id",
            "kind",
            "name",
            "name_ja",
            "name_en",
            "name_kana",
            "corporate_number",
            "postal_code",
            "address",
            "prefecture",
            "municipality",
            "industry",
            "fields",
            "employees",
            "capital_yen",
            "founded_on",
            "website",
            "capability",
            "sector",
            "visibility",
            "source",
            "source_note",
            "cluster",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def validate_corporate_number(self, value: str | None) -> str | None:
        # Blank means "none": the column is unique, so it must be NULL, not "".
        return value or None

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is not None and "cluster" in attrs:
            raise serializers.ValidationError(
                {"cluster": ["Add memberships of existing organisations at /api/memberships/."]}
            )
        return attrs

    def _apply(self, instance, validated_data):
        self._member_of = validated_data.pop("cluster", None)
        return super()._apply(instance, validated_data)

    def save_through_service(self, actor, instance, m2m):
        if self._member_of is not None:
            from renkei.programs.services import do_create_member_organisation

            return do_create_member_organisation(actor, instance, self._member_of, fields=m2m.get("fields"))
        return services.do_save_organisation(actor, instance, fields=m2m.get("fields"))


CONTACT_FIELDS = services.PERSON_CONTACT_FIELDS


class PersonListSerializer(serializers.ListSerializer):
    def to_representation(self, data):
        people = list(data.all() if isinstance(data, Manager | QuerySet) else data)
        self.child.decide_contact_visibility(people)
        return super().to_representation(people)


class PersonSerializer(ServiceModelSerializer):
    name = serializers.CharField(read_only=True, help_text="The name in the reader's language, else the other.")
    name_ja = serializers.CharField(read_only=True, help_text="Family and given name in Japanese.")
    name_en = serializers.CharField(read_only=True, help_text="Given and family name in English.")
    name_kana = serializers.CharField(read_only=True, help_text="Family and given name in kana.")
    fields = _tech_fields()

    many_to_many = ("fields",)

    class Meta:
        model = Person
        list_serializer_class = PersonListSerializer
        fields = [
            "id",
            "name",
            "name_ja",
            "name_en",
            "name_kana",
            "family_name_ja",
            "given_name_ja",
            "family_name_kana",
            "given_name_kana",
            "family_name_en",
            "given_name_en",
            "email",
            "phone",
            "research_keywords",
            "fields",
            "researchmap_id",
            "orcid",
            "consent_to_publish",
            "visibility",
            "source",
            "source_note",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {
            "email": {"help_text": "Present only for readers allowed to see this person's contact details."},
            "phone": {"help_text": "Present only for readers allowed to see this person's contact details."},
        }

    def decide_contact_visibility(self, people: list[Person]) -> None:
        """Decide for a whole page at once which people's contact details the reader sees."""
        user = self.context["request"].user
        visible = access.people_with_visible_contact(user).filter(pk__in=[p.pk for p in people])
        self._contact_visible_ids = set(visible.values_list("pk", flat=True))

    def _shows_contact(self, person: Person) -> bool:
        decided = getattr(self, "_contact_visible_ids", None)
        if decided is not None:
            return person.pk in decided
        return access.can_see_contact(self.context["request"].user, person)

    def to_representation(self, person: Person) -> dict[str, Any]:
        data = super().to_representation(person)
        if not self._shows_contact(person):
            for name in CONTACT_FIELDS:
                data.pop(name, None)
        return data

    def update(self, instance: Person, validated_data: dict[str, Any]) -> Person:
        actor = self.context["request"].user
        if access.can_edit_person(actor, instance):
            return super().update(instance, validated_data)
        # Coordinators may keep contact details up to date, and nothing else.
        if set(validated_data) <= set(CONTACT_FIELDS):
            return services.do_update_person_contact(actor, instance, **validated_data)
        raise PermissionDenied("You may change only the contact details of this person.")

    def save_through_service(self, actor, instance, m2m):
        return services.do_save_person(actor, instance, fields=m2m.get("fields"))


class AffiliationSerializer(ServiceModelSerializer):
    person = VisiblePrimaryKeyRelatedField(access.visible_people, queryset=Person.objects.all())
    organisation = VisiblePrimaryKeyRelatedField(access.visible_organisations, queryset=Organisation.objects.all())

    class Meta:
        model = Affiliation
        fields = [
            "id",
            "person",
            "organisation",
            "department",
            "title_ja",
            "title_en",
            "start_on",
            "end_on",
            "is_primary",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def save_through_service(self, actor, instance, m2m):
        return services.do_save_affiliation(actor, instance)
