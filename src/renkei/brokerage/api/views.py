"""API endpoints of the coordinator's CRM. Records are read through renkei.brokerage.access and
written through renkei.brokerage.services, as on the pages: coordinators and HQ staff of a
cluster use its records, national officers read every cluster's, participants and visitors get
nothing (403 / 401)."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from renkei.brokerage import access, services
from renkei.brokerage.api.filters import InteractionAPIFilterSet, IntroductionAPIFilterSet
from renkei.brokerage.api.serializers import InteractionSerializer, IntroductionSerializer, StageMoveSerializer
from renkei.brokerage.models import Interaction, Introduction
from renkei.core.api.schema import ErrorSerializer, RenkeiAutoSchema
from renkei.core.api.views import RecordViewSet, RenkeiViewSetMixin, ServiceCreateMixin, ServiceUpdateMixin
from renkei.directory.access import visible_organisations, visible_people


class UsesCrm(BasePermission):
    """Signed in (else 401) with a CRM role: coordinator, HQ staff, national officer (else 403)."""

    message = _("Only coordinators, HQ staff and national officers use the CRM.")

    def has_permission(self, request, view) -> bool:
        if not request.user.is_authenticated:
            raise exceptions.NotAuthenticated()
        return access.can_use_crm(request.user)


class CrmAutoSchema(RenkeiAutoSchema):
    """Every CRM call, reads included, may answer 403 (a signed-in user without a CRM role)."""

    def error_responses(self) -> dict[str, type[serializers.Serializer]]:
        return dict(sorted({**super().error_responses(), "403": ErrorSerializer}.items()))


class _CrmViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceCreateMixin, ServiceUpdateMixin, RecordViewSet
):
    schema = CrmAutoSchema()
    permission_classes = [UsesCrm]

    def check_can_create(self) -> None:
        if not access.writable_clusters(self.request.user).exists():
            raise exceptions.PermissionDenied(_("You may not write CRM records."))


def optimise_interactions(user, queryset: QuerySet[Interaction]) -> QuerySet[Interaction]:
    """What InteractionSerializer reads, in a fixed number of queries for a page."""
    return queryset.select_related("cluster", "coordinator").prefetch_related(
        Prefetch("organisations", queryset=visible_organisations(user).only("pk")),
        Prefetch("people", queryset=visible_people(user).only("pk")),
        "attachments",
    )


class InteractionViewSet(_CrmViewSet):
    """Interactions the coordinators logged (コーディネータ活動記録): consultations, visits and
    dispatches, calls, introductions, meetings, NDAs signed, joint research agreed.

    A coordinator changes the interactions they logged or that name them, HQ staff all of their
    cluster's. Confidential notes are given only to their author, the interaction's coordinator,
    the cluster's HQ staff and administrators; for everyone else `notes` is null. Notes are never
    searched. /api/crm/follow-ups/ lists the reader's overdue follow-ups; `follow-up-done` clears one."""

    visible = access.visible_interactions
    serializer_class = InteractionSerializer
    filterset_class = InteractionAPIFilterSet
    ordering_fields = ["id", "date", "next_follow_up_on", "updated_at"]

    def optimise(self, queryset: QuerySet[Interaction]) -> QuerySet[Interaction]:
        return optimise_interactions(self.request.user, queryset)

    def check_can_change(self, instance: Interaction) -> None:
        access.check_can_edit_interaction(self.request.user, instance)

    @extend_schema(
        summary="Mark the follow-up done",
        request=None,
        responses={200: InteractionSerializer},
    )
    @action(detail=True, methods=["post"], url_path="follow-up-done", filter_backends=[], pagination_class=None)
    def follow_up_done(self, request: Request, pk: str | None = None) -> Response:
        interaction = self.get_object()
        services.do_mark_follow_up_done(request.user, interaction)
        return Response(self.get_serializer(interaction).data)


class IntroductionViewSet(_CrmViewSet):
    """Introductions (紹介) and their pipeline: introduced → met → NDA → joint research →
    commercialised, or closed with a reason.

    Creating one records it at "introduced"; editing never changes the stage: `move` does, under
    the pipeline's rules (forward only, skipping allowed; closing and reopening need a reason;
    only HQ staff reopen; dated, not in the future, not before the previous move)."""

    visible = access.visible_introductions
    serializer_class = IntroductionSerializer
    filterset_class = IntroductionAPIFilterSet
    ordering_fields = ["id", "introduced_on", "stage", "updated_at"]

    def optimise(self, queryset: QuerySet[Introduction]) -> QuerySet[Introduction]:
        return queryset.select_related("cluster", "coordinator").prefetch_related("stage_changes", "attachments")

    def check_can_change(self, instance: Introduction) -> None:
        access.check_can_edit_introduction(self.request.user, instance)

    @extend_schema(
        summary="Move the introduction to another stage",
        request=StageMoveSerializer,
        responses={200: IntroductionSerializer},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def move(self, request: Request, pk: str | None = None) -> Response:
        introduction = self.get_object()
        self.check_can_change(introduction)
        body = StageMoveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        services.do_move_stage(request.user, introduction, data["to_stage"], on=data["on"], reason=data["reason"])
        introduction = self.optimise(Introduction.objects.filter(pk=introduction.pk)).get()
        return Response(self.get_serializer(introduction).data)


class FollowUpViewSet(mixins.ListModelMixin, RenkeiViewSetMixin, viewsets.GenericViewSet):
    """Your overdue follow-ups: interactions whose next follow-up is before today (or `on`) and not
    done. A coordinator's own; for HQ staff every coordinator's in their clusters (their
    workload); national officers all. Oldest first. Clear one with
    POST /api/crm/interactions/{id}/follow-up-done/."""

    schema = CrmAutoSchema()
    permission_classes = [UsesCrm]
    serializer_class = InteractionSerializer
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[Interaction]:
        user = self.request.user
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Interaction.objects.none()
        on = None
        if raw := self.request.query_params.get("on"):
            try:
                on = datetime.date.fromisoformat(raw)
            except ValueError as exc:
                raise exceptions.ValidationError({"on": [_("Give the date as YYYY-MM-DD.")]}) from exc
        return optimise_interactions(user, services.overdue_follow_ups(user, on=on))

    @extend_schema(
        summary="Your overdue follow-ups",
        parameters=[OpenApiParameter("on", OpenApiTypes.DATE, description="The day to count from (default: today).")],
    )
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)
