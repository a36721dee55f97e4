"""API endpoints of programmes and clusters. Same filters as the pages (renkei.programs.filters)."""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import mixins

from renkei.core.api.views import RecordViewSet, ServiceCreateMixin, ServiceDestroyMixin, ServiceUpdateMixin
from renkei.programs import access, services
from renkei.programs.api.serializers import (
    BudgetSerializer,
    ClusterSerializer,
    HQPositionSerializer,
    MembershipSerializer,
    ProgrammeSerializer,
)
from renkei.programs.filters import (
    BudgetFilterSet,
    ClusterFilterSet,
    HQPositionFilterSet,
    MembershipFilterSet,
    ProgrammeFilterSet,
)
from renkei.programs.models import Budget, Cluster, HQPosition, Membership


class ProgrammeViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceCreateMixin, ServiceUpdateMixin, RecordViewSet
):
    """National policy programmes (施策), by code. Public record; national officers change them."""

    visible = access.visible_programmes
    serializer_class = ProgrammeSerializer
    filterset_class = ProgrammeFilterSet
    lookup_field = "code"
    ordering_fields = ["code", "start_fy", "ministry"]

    def check_can_create(self) -> None:
        access.check_can_manage_programmes(self.request.user)

    def check_can_change(self, instance) -> None:
        access.check_can_manage_programmes(self.request.user)


class ClusterViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceCreateMixin, ServiceUpdateMixin, RecordViewSet
):
    """Clusters, projects and areas (クラスター) under a programme, by code. Public record; national
    officers create them and each cluster's HQ staff keep it up to date."""

    visible = access.visible_clusters
    serializer_class = ClusterSerializer
    filterset_class = ClusterFilterSet
    lookup_field = "code"
    ordering_fields = ["code", "start_fy", "name_ja", "name_en"]

    def optimise(self, queryset: QuerySet[Cluster]) -> QuerySet[Cluster]:
        return queryset.select_related("programme", "bureau_region").prefetch_related("prefectures", "fields")

    def check_can_create(self) -> None:
        access.check_can_manage_programmes(self.request.user)

    def check_can_change(self, instance: Cluster) -> None:
        access.check_can_edit_cluster(self.request.user, instance)


class ClusterChildViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    ServiceCreateMixin,
    ServiceUpdateMixin,
    ServiceDestroyMixin,
    RecordViewSet,
):
    """A record that belongs to one cluster and is changed by that cluster's HQ staff."""

    def optimise(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("cluster")

    def check_can_change(self, instance) -> None:
        access.check_can_edit_cluster(self.request.user, instance.cluster)


class MembershipViewSet(ClusterChildViewSet):
    """Organisations' participation in clusters (参加), shown where the organisation is visible."""

    visible = access.visible_memberships
    serializer_class = MembershipSerializer
    filterset_class = MembershipFilterSet
    ordering_fields = ["id", "start_on", "end_on", "role", "updated_at"]

    def perform_destroy(self, instance: Membership) -> None:
        services.do_delete_membership(self.request.user, instance)


class HQPositionViewSet(ClusterChildViewSet):
    """Positions in clusters' headquarters (本部): President, Program Director, coordinators…
    shown where the person is visible."""

    visible = access.visible_positions
    serializer_class = HQPositionSerializer
    filterset_class = HQPositionFilterSet
    ordering_fields = ["id", "kind", "start_on", "end_on", "updated_at"]

    def perform_destroy(self, instance: HQPosition) -> None:
        services.do_delete_position(self.request.user, instance)


class BudgetViewSet(ClusterChildViewSet):
    """Clusters' budgets by fiscal year and source of funds, in yen (予算). Public record."""

    visible = access.visible_budgets
    serializer_class = BudgetSerializer
    filterset_class = BudgetFilterSet
    ordering_fields = ["id", "fiscal_year", "amount_yen", "source"]

    def perform_destroy(self, instance: Budget) -> None:
        services.do_delete_budget(self.request.user, instance)
