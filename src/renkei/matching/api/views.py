"""API endpoints of seeds, needs and matching. Records are read through renkei.matching.access and
written through renkei.matching.services, as on the pages; the search and the suggestions run the
pages' own code (renkei.matching.search, renkei.matching.partners)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from renkei.accounts.scope import scope_for
from renkei.core.api.schema import ValidationErrorSerializer
from renkei.core.api.views import (
    RecordViewSet,
    RenkeiViewSetMixin,
    ServiceCreateMixin,
    ServiceDestroyMixin,
    ServiceUpdateMixin,
)
from renkei.matching import access, partners, services
from renkei.matching.api.filters import NeedAPIFilterSet, SeedAPIFilterSet
from renkei.matching.api.serializers import (
    AlertSerializer,
    DeclineSerializer,
    FeedbackRequestSerializer,
    FeedbackSerializer,
    InboxItemSerializer,
    InterestCreateSerializer,
    InterestSerializer,
    NeedSerializer,
    SearchQuerySerializer,
    SearchResponseSerializer,
    SeedSerializer,
    SuggestionsSerializer,
)
from renkei.matching.choices import InboxKind
from renkei.matching.models import Alert, Feedback, InboxItem, Interest, Need, Seed
from renkei.matching.search import IndexMissing, Result, SearchFilters, run_search
from renkei.matching.suggestions import suggest_for_need

LISTING_ORDERING = ["id", "created_at", "updated_at", "title_ja", "title_en", "visibility"]


# --- seeds and needs ---------------------------------------------------------------------


class _ListingViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    ServiceCreateMixin,
    ServiceUpdateMixin,
    ServiceDestroyMixin,
    RecordViewSet,
):
    def check_can_create(self) -> None:
        if not access.can_create_seed(self.request.user):
            raise exceptions.PermissionDenied(_("You may not publish listings."))

    def check_can_change(self, instance: Seed | Need) -> None:
        access.check_can_edit(self.request.user, instance)

    def perform_destroy(self, instance: Seed | Need) -> None:
        services.do_delete_listing(self.request.user, instance)


class SeedViewSet(_ListingViewSet):
    """Technology seeds (シーズ) of universities, institutes and companies.

    Visitors see public seeds; members also their clusters' seeds; coordinators and HQ staff also
    the seeds kept for coordinators. Owners and the HQ staff of the seed's clusters change it.
    An anonymised seed names its organisation and researchers only to its owners, the staff of
    its clusters and national officers; for everyone else `organisation` is null and the owner
    filters (prefecture, region, organisation_kind) leave it out."""

    visible = access.visible_seeds
    serializer_class = SeedSerializer
    filterset_class = SeedAPIFilterSet
    ordering_fields = [*LISTING_ORDERING, "stage", "trl"]

    def optimise(self, queryset: QuerySet[Seed]) -> QuerySet[Seed]:
        return queryset.select_related("organisation").prefetch_related("fields", "clusters", "researchers")


class NeedViewSet(_ListingViewSet):
    """Companies' needs (ニーズ): problems they want solved, with timing and budget.

    Same visibility and anonymity rules as seeds; the contact person appears only to readers who
    may see both the owner and that person. `suggestions` ranks seeds and partners for the need,
    as the need's page does."""

    visible = access.visible_needs
    serializer_class = NeedSerializer
    filterset_class = NeedAPIFilterSet
    ordering_fields = [*LISTING_ORDERING, "status"]

    def optimise(self, queryset: QuerySet[Need]) -> QuerySet[Need]:
        return queryset.select_related("organisation", "challenge").prefetch_related("fields", "clusters")

    @extend_schema(
        summary="Suggested seeds and partners for the need",
        description=(
            "The need page's suggestions: up to 10 seeds, and organisations and researchers ranked by the "
            "evidence behind them (their seeds, capabilities, research keywords), each with its reasons. "
            "Feedback is included for the need's coordinators, HQ staff, owners and national officers."
        ),
        responses={200: SuggestionsSerializer},
        filters=False,
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def suggestions(self, request: Request, pk: str | None = None) -> Response:
        need = self.get_object()
        return Response(SuggestionsSerializer(need_suggestions(request.user, need)).data)

    @extend_schema(
        summary="Judge one suggestion of the need",
        description=(
            "Record (or change) your verdict on a suggested seed, organisation or researcher: useful, not "
            "useful (with a coded reason) or introduced. For the coordinators and HQ staff of the need's clusters."
        ),
        request=FeedbackRequestSerializer,
        responses={201: FeedbackSerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="suggestions/feedback",
        url_name="suggestion-feedback",
        pagination_class=None,
        filter_backends=[],
    )
    def feedback(self, request: Request, pk: str | None = None) -> Response:
        need = self.get_object()
        if not access.can_give_feedback(request.user, need):
            raise exceptions.PermissionDenied(_("Only the coordinators of the need's clusters give feedback."))
        body = FeedbackRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        feedback = services.do_give_feedback(
            request.user,
            need,
            data["target_kind"],
            data["target_id"],
            data["verdict"],
            decline_reason=data["decline_reason"],
            note=data["note"],
        )
        return Response(FeedbackSerializer(feedback).data, status=status.HTTP_201_CREATED)


def need_suggestions(user, need: Need) -> dict[str, Any]:
    """The need page's suggestions (matching.suggestions) as JSON rows."""
    found = suggest_for_need(user, need)
    return {
        "need": need.pk,
        "index_ready": found.index_ready,
        "seeds": [
            {**result_row(result, rank), "feedback": found.feedback.get(("seed", result.obj.pk), [])}
            for rank, result in enumerate(found.seeds, start=1)
        ],
        "organisations": [partner_row(p, found.feedback) for p in found.organisations],
        "people": [partner_row(p, found.feedback) for p in found.people],
        "can_give_feedback": access.can_give_feedback(user, need),
    }


def partner_row(partner: partners.Partner, feedback: dict[tuple[str, int], list[Feedback]]) -> dict[str, Any]:
    return {
        "kind": partner.kind,
        "id": partner.obj.pk,
        "name": partner.name,
        "url": partner.obj.get_absolute_url(),
        "score": partner.score,
        "reasons": [
            {
                "kind": e.kind,
                "label": e.label,
                "text": str(e),
                "weight": e.weight,
                "shared_terms": list(e.terms),
                "shared_term_details": [{"term": t.term, "via": t.via} for t in e.shared_terms],
                "seed": e.seed.pk if e.seed is not None else None,
            }
            for e in partner.evidence
        ],
        "feedback": feedback.get((partner.kind, partner.obj.pk), []),
    }


def result_row(result: Result, rank: int) -> dict[str, Any]:
    """One search result as the API gives it: the passage as plain text with highlight offsets."""
    match = result.match
    explanation = match.explanation
    passage = explanation.passage if explanation is not None else None
    is_listing = result.kind != "org"
    owner = result.obj.organisation if is_listing and result.show_owner else None
    return {
        "rank": rank,
        "kind": result.kind if is_listing else "capability",
        "id": result.obj.pk,
        "title": result.title,
        "url": result.obj.get_absolute_url(),
        "organisation": owner.pk if owner is not None else None,
        "organisation_name": owner.name if owner is not None else None,
        "owner_hidden": not result.show_owner,
        "score": match.score,
        "lexical_score": match.lexical_score,
        "dense_score": match.dense_score,
        "shared_terms": list(result.terms),
        "shared_term_details": [{"term": t.term, "via": t.via} for t in result.shared_terms],
        "passage": None
        if passage is None
        else {
            "text": passage.text,
            "highlights": [{"start": start, "end": end} for start, end in passage.spans],
            "start": passage.start,
            "found_by": "meaning" if result.by_meaning else "terms",
        },
    }


# --- search ------------------------------------------------------------------------------


class MatchingViewSet(RenkeiViewSetMixin, viewsets.ViewSet):
    """Matching across seeds, needs and organisations' capabilities."""

    permission_classes = [AllowAny]

    @extend_schema(
        summary="Search seeds, needs and capabilities",
        description=(
            "One search across seeds, needs and organisations' capabilities, in Japanese or English (a "
            "Japanese query finds English listings and the reverse), ranked by the same code as the search "
            "page: hybrid BM25 and dense ranking, then the reader's visibility and the filters. Each result "
            "says why it matched: the shared terms and the best passage with the highlighted spans. The "
            "owner filters (prefecture, region, organisation_kind) never match an anonymised listing whose "
            "owner the reader may not know."
        ),
        parameters=[SearchQuerySerializer],
        responses={
            200: SearchResponseSerializer,
            400: OpenApiResponse(ValidationErrorSerializer, description="A query parameter was rejected."),
        },
    )
    @action(detail=False, methods=["get"])
    def search(self, request: Request) -> Response:
        query = SearchQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = dict(query.validated_data)
        kinds = data.pop("kind", None) or set()
        data["kind"] = tuple(sorted("org" if k == "capability" else k for k in kinds))
        index_ready = True
        try:
            results = run_search(request.user, data["q"], SearchFilters.from_cleaned(data), top=data["top"])
        except IndexMissing:
            # As on the search page: no results yet, and say why.
            results, index_ready = [], False
        rows = [result_row(result, rank) for rank, result in enumerate(results, start=1)]
        answer = {"query": data["q"], "index_ready": index_ready, "count": len(rows), "results": rows}
        return Response(SearchResponseSerializer(answer).data)


# --- expressions of interest -------------------------------------------------------------


def _owned_q(scope, user, listing: str) -> Q:
    rule = Q(**{f"{listing}__organisation_id__in": scope.own_organisation_ids})
    rule |= Q(**{f"{listing}__created_by": user})
    rule |= Q(**{f"{listing}__anonymised": True, f"{listing}__clusters__in": scope.staff_cluster_ids})
    return rule


def sent_interests(user) -> QuerySet[Interest]:
    if not user.is_authenticated:
        return Interest.objects.none()
    return Interest.objects.filter(sender=user)


def received_interests(user) -> QuerySet[Interest]:
    """Expressions of interest the user received: those on listings they answer for
    (access.can_answer_interest), and those delivered to their inbox."""
    scope = scope_for(user)
    if not scope.authenticated:
        return Interest.objects.none()
    if scope.superuser:
        return Interest.objects.all()
    delivered = InboxItem.objects.filter(user=user, kind=InboxKind.INTEREST).values("interest_id")
    rule = _owned_q(scope, user, "seed") | _owned_q(scope, user, "need") | Q(pk__in=delivered)
    return Interest.objects.filter(pk__in=Interest.objects.filter(rule).values("pk"))


class InterestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RenkeiViewSetMixin, viewsets.GenericViewSet):
    """Expressions of interest (関心表明) in a seed or a need.

    Anyone who may see a listing may write (signed in or not); the message reaches the owner or,
    for an anonymised listing, the coordinators of its clusters. Signed-in users list what they
    sent and received (`box`), and those who answer for the listing decline with a coded reason.
    The same sender may not write twice about a listing while the first message is unanswered,
    nor send more than 10 messages a day: both are a 400 naming `message`."""

    serializer_class = InterestSerializer
    ordering_fields = ["id", "created_at", "status"]

    def get_permissions(self):
        if self.action == "create":
            return [AllowAny()]
        return [IsAuthenticated()]

    def get_queryset(self) -> QuerySet[Interest]:
        user = self.request.user
        box = self.request.query_params.get("box", "") if self.action == "list" else ""
        if box == "sent":
            queryset = sent_interests(user)
        elif box == "received":
            queryset = received_interests(user)
        else:
            queryset = sent_interests(user) | received_interests(user)
        return queryset.select_related("seed", "need").order_by("-created_at", "-id")

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        box = self.request.query_params.get("box")
        if self.action == "list" and box not in (None, "", "sent", "received"):
            raise exceptions.ValidationError({"box": [_("Choose sent or received.")]})
        return super().filter_queryset(queryset)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "box",
                str,
                enum=["sent", "received"],
                description="Only those you sent, or only those you received; both when left out.",
            )
        ]
    )
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=InterestCreateSerializer, responses={201: InterestSerializer})
    def create(self, request: Request) -> Response:
        body = InterestCreateSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        listing = data.pop("seed", None) or data.pop("need")
        data.pop("need", None)
        interest = services.do_express_interest(request.user, listing, **data)
        return Response(self.get_serializer(interest).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DeclineSerializer, responses={200: InterestSerializer})
    @action(detail=True, methods=["post"], pagination_class=None, filter_backends=[])
    def decline(self, request: Request, pk: str | None = None) -> Response:
        """Decline with a coded reason (too early, advantage unclear, route to market unclear, too vague,
        outside our field, other + text). The sender sees the reason; the owner sees the counts."""
        interest = self.get_object()
        body = DeclineSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        interest = services.do_decline_interest(
            request.user, interest, body.validated_data["decline_reason"], body.validated_data["decline_text"]
        )
        return Response(self.get_serializer(interest).data)


# --- alerts and inbox --------------------------------------------------------------------


class AlertViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    RenkeiViewSetMixin,
    viewsets.GenericViewSet,
):
    """Your saved searches and needs (アラート): new seeds that match one land in your inbox."""

    serializer_class = AlertSerializer
    permission_classes = [IsAuthenticated]
    ordering_fields = ["id", "name", "created_at"]

    def get_queryset(self) -> QuerySet[Alert]:
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Alert.objects.none()
        return Alert.objects.filter(user=self.request.user).select_related("need")

    def perform_destroy(self, instance: Alert) -> None:
        services.do_delete_alert(self.request.user, instance)


class InboxViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RenkeiViewSetMixin, viewsets.GenericViewSet):
    """Your matching inbox: new matches for your alerts, expressions of interest, declines and
    proposals, newest first. Items about a seed or need you may no longer see are left out."""

    serializer_class = InboxItemSerializer
    permission_classes = [IsAuthenticated]
    filterset_fields = ["read", "kind"]
    ordering_fields = ["id", "created_at"]

    def get_queryset(self) -> QuerySet[InboxItem]:
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return InboxItem.objects.none()
        user = self.request.user
        return (
            InboxItem.objects.filter(user=user)
            .filter(Q(seed__isnull=True) | Q(seed__in=access.visible_seeds(user)))
            .filter(Q(need__isnull=True) | Q(need__in=access.visible_needs(user)))
            .select_related("seed", "need")
        )

    @extend_schema(request=None, responses={200: InboxItemSerializer})
    @action(detail=True, methods=["post"], pagination_class=None, filter_backends=[])
    def read(self, request: Request, pk: str | None = None) -> Response:
        """Mark the item read."""
        item = self.get_object()
        services.do_mark_read(request.user, item)
        return Response(self.get_serializer(item).data)
