"""API endpoints of the directory. Same filters as the pages (renkei.directory.filters)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from rest_framework import mixins

from renkei.core.api.views import RecordViewSet, ServiceCreateMixin, ServiceDestroyMixin, ServiceUpdateMixin
from renkei.directory import access, services
from renkei.directory.api.serializers import AffiliationSerializer, OrganisationSerializer, PersonSerializer
from renkei.directory.filters import AffiliationFilterSet, OrganisationFilterSet, PersonFilterSet
from renkei.directory.models import Affiliation, Organisation, Person


class OrganisationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceCreateMixin, ServiceUpdateMixin, RecordViewSet
):
    """Companies, universities, institutes, public bodies and support organisations (組織).

    Visitors see public organisations; signed-in members also those open to members; cluster
    staff also their clusters' restricted ones. HQ staff change their clusters' members, and
    participants their own organisation."""

    visible = access.visible_organisations
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilterSet
    ordering_fields = [
        "id",
        "name_ja",
        "name_en",
        "name_kana",
        "kind",
        "employees",
        "capital_yen",
        "founded_on",
        "updated_at",
    ]

    def optimise(self, queryset: QuerySet[Organisation]) -> QuerySet[Organisation]:
        return queryset.prefetch_related("fields")

    def check_can_create(self) -> None:
        if not access.can_create_organisation(self.request.user):
            raise PermissionDenied("You may not create organisations.")

    def check_can_change(self, instance: Organisation) -> None:
        access.check_can_edit_organisation(self.request.user, instance)


class PersonViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceCreateMixin, ServiceUpdateMixin, RecordViewSet
):
    """Researchers, engineers, coordinators and officials (人材). E-mail and phone appear only to
    readers allowed to see them (cluster staff, national officers, the person and colleagues)."""

    visible = access.visible_people
    serializer_class = PersonSerializer
    filterset_class = PersonFilterSet
    ordering_fields = ["id", "family_name_kana", "family_name_en", "family_name_ja", "updated_at"]

    def optimise(self, queryset: QuerySet[Person]) -> QuerySet[Person]:
        return queryset.prefetch_related("fields")

    def check_can_create(self) -> None:
        if not access.can_create_person(self.request.user):
            raise PermissionDenied("You may not add people.")

    def check_can_change(self, instance: Person) -> None:
        # Coordinators pass here for their cluster's people; the serializer then lets them change
        # only the contact details.
        if not access.can_edit_person_contact(self.request.user, instance):
            raise PermissionDenied("You may not change this person.")


class AffiliationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    ServiceCreateMixin,
    ServiceUpdateMixin,
    ServiceDestroyMixin,
    RecordViewSet,
):
    """A person's positions at organisations (所属). Listed where both are visible to the reader;
    changed by those who may change the person."""

    visible = access.visible_affiliations
    serializer_class = AffiliationSerializer
    filterset_class = AffiliationFilterSet
    ordering_fields = ["id", "start_on", "end_on", "updated_at"]

    def check_can_change(self, instance: Affiliation) -> None:
        if not access.can_edit_person(self.request.user, instance.person):
            raise PermissionDenied("You may not change this person's affiliations.")

    def perform_destroy(self, instance: Affiliation) -> None:
        services.do_delete_affiliation(self.request.user, instance)
