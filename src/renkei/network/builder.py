"""The platform's collaboration network, built from its records.

Nodes are organisations ("org:<pk>") and people ("person:<pk>"); a cluster whose promotion
organisation is not recorded stands in as "cluster:<code>" for its HQ, and a coordinator who logged
CRM records is "user:<pk>" (their platform account). Each kind of record is one *edge source*: a
function that adds its ties to a `NetworkBuilder` for a `BuildScope`:

- membership         — a member organisation ↔ the cluster's promotion organisation (its HQ);
- hq_position        — a person in the cluster's HQ ↔ the promotion organisation;
- affiliation        — a person ↔ the organisation they work at;
- coordination       — a coordinator ↔ each organisation and person of an interaction they logged
                       or an introduction they made (brokerage);
- joint_interaction  — the organisations and people of one meeting, introduction, NDA or joint
                       research interaction ↔ each other;
- introduction       — the two parties of an introduction that has not reached "met";
- introduction_met   — the two parties of an introduction that reached "met" or further (the
                       furthest stage it ever stood at counts, so a closed one keeps it);
- event_meeting      — the people (and their organisations) of a business meeting held at an
                       event (events).

Joint projects become one more function in `EDGE_SOURCES` when their records exist. Ties are
dated by fiscal year from their start and end dates (a membership or HQ position without a start
date takes its cluster's first fiscal year; CRM ties by their date) and carry the cluster whose
record gives them, so readers can leave out the CRM ties of clusters whose CRM they may not read.

Node attributes: an organisation's sector (from its kind, `SECTOR_OF_KIND`), bureau region (of
its prefecture), field (its first technology field) and country ("JP" when it has a prefecture,
"foreign" for a foreign cluster organisation). A person takes them from their primary
affiliation, a cluster stand-in from its cluster (sector "support", being HQ).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import combinations

from django.contrib.auth import get_user_model
from django.db.models import F, Q
from django.utils import timezone

from renkei.brokerage.choices import PIPELINE, InteractionKind, IntroductionStage
from renkei.brokerage.conversion import furthest_stage_index
from renkei.brokerage.models import Interaction, Introduction
from renkei.core.fiscal import fiscal_year_of
from renkei.directory.choices import SECTOR_OF_KIND, OrganisationKind, Sector
from renkei.directory.models import Affiliation, Organisation, Person
from renkei.events.choices import MeetingStatus
from renkei.events.models import Event, Meeting, MeetingRequest
from renkei.network.graph import Network, NetworkBuilder, category_from_labels
from renkei.programs.models import Cluster, HQPosition, Membership

DOMESTIC = "JP"
FOREIGN = "foreign"


@dataclass(frozen=True)
class BuildScope:
    """Which part of the platform to draw: some clusters, or everything (cluster_ids None)."""

    cluster_ids: frozenset[int] | None = None

    @property
    def national(self) -> bool:
        return self.cluster_ids is None

    def clusters(self):
        clusters = Cluster.objects.all()
        return clusters if self.cluster_ids is None else clusters.filter(pk__in=self.cluster_ids)

    def organisations_q(self, prefix: str = "") -> Q:
        """Organisations inside the scope: members and promotion organisations of its clusters."""
        if self.cluster_ids is None:
            return Q()
        members = Membership.objects.filter(cluster_id__in=self.cluster_ids).values("organisation_id")
        promoters = Cluster.objects.filter(pk__in=self.cluster_ids).values("promotion_organisation_id")
        return Q(**{f"{prefix}pk__in": members}) | Q(**{f"{prefix}pk__in": promoters})


EdgeSource = Callable[[NetworkBuilder, BuildScope], None]


def org_id(pk: int) -> str:
    return f"org:{pk}"


def person_id(pk: int) -> str:
    return f"person:{pk}"


def cluster_id(code: str) -> str:
    return f"cluster:{code}"


def user_id(pk: int) -> str:
    return f"user:{pk}"


def _fy(day, fallback: int | None = None) -> int | None:
    return fiscal_year_of(day) if day is not None else fallback


def _hq_node(promotion_organisation_id: int | None, code: str) -> str:
    return org_id(promotion_organisation_id) if promotion_organisation_id else cluster_id(code)


def _cluster_tie_edges(builder: NetworkBuilder, scope: BuildScope, model, kind: str, member: str, node_id) -> None:
    """Ties between each row's member (an organisation or a person) and its cluster's HQ node,
    dated by the row's period (or the cluster's first fiscal year when the row has no start)."""
    rows = list(
        model.objects.filter(cluster__in=scope.clusters())
        .values_list(
            member,
            "cluster__promotion_organisation_id",
            "cluster__code",
            "cluster__start_fy",
            "start_on",
            "end_on",
            "cluster_id",
        )
        .order_by("pk")
    )
    builder.add_ties(
        kind,
        (node_id(r[0]) for r in rows),
        (_hq_node(r[1], r[2]) for r in rows),
        start_fy=[_fy(r[4], r[3]) for r in rows],
        end_fy=[_fy(r[5]) for r in rows],
        clusters=[r[6] for r in rows],
    )


def membership_edges(builder: NetworkBuilder, scope: BuildScope) -> None:
    _cluster_tie_edges(builder, scope, Membership, "membership", "organisation_id", org_id)


def hq_position_edges(builder: NetworkBuilder, scope: BuildScope) -> None:
    _cluster_tie_edges(builder, scope, HQPosition, "hq_position", "person_id", person_id)


def affiliation_edges(builder: NetworkBuilder, scope: BuildScope) -> None:
    rows = list(
        Affiliation.objects.filter(scope.organisations_q("organisation__"))
        .values_list("person_id", "organisation_id", "start_on", "end_on")
        .order_by("pk")
    )
    builder.add_ties(
        "affiliation",
        (person_id(r[0]) for r in rows),
        (org_id(r[1]) for r in rows),
        start_fy=[_fy(r[2]) for r in rows],
        end_fy=[_fy(r[3]) for r in rows],
    )


# Interactions where the parties themselves met (a consultation or a call names them, no more).
MEETING_KINDS = (
    InteractionKind.MEETING,
    InteractionKind.INTRODUCTION,
    InteractionKind.NDA_SIGNED,
    InteractionKind.JOINT_RESEARCH_AGREED,
)
MET = PIPELINE.index(IntroductionStage.MET)


class _Ties:
    """Ties of one type gathered row by row, handed to the builder in one batch."""

    def __init__(self) -> None:
        self.sources: list[str] = []
        self.targets: list[str] = []
        self.years: list[int | None] = []
        self.clusters: list[int] = []

    def add(self, source: str, target: str, year: int | None, cluster: int) -> None:
        self.sources.append(source)
        self.targets.append(target)
        self.years.append(year)
        self.clusters.append(cluster)

    def hand_to(self, builder: NetworkBuilder, tie_type: str) -> None:
        builder.add_ties(tie_type, self.sources, self.targets, start_fy=self.years, clusters=self.clusters)


def interaction_edges(builder: NetworkBuilder, scope: BuildScope) -> None:
    """coordination: the coordinator ↔ every organisation and person logged in the interaction;
    joint_interaction: those parties ↔ each other when they met (MEETING_KINDS)."""
    interactions = Interaction.objects.filter(cluster__in=scope.clusters())
    parties: dict[int, list[str]] = defaultdict(list)
    for pk, organisation_pk in (
        Interaction.organisations.through.objects.filter(interaction__in=interactions)
        .order_by("pk")
        .values_list("interaction_id", "organisation_id")
    ):
        parties[pk].append(org_id(organisation_pk))
    for pk, person_pk in (
        Interaction.people.through.objects.filter(interaction__in=interactions)
        .order_by("pk")
        .values_list("interaction_id", "person_id")
    ):
        parties[pk].append(person_id(person_pk))
    coordination, joint = _Ties(), _Ties()
    for pk, coordinator_pk, cluster_pk, kind, day in interactions.order_by("pk").values_list(
        "pk", "coordinator_id", "cluster_id", "kind", "date"
    ):
        year = _fy(day)
        for party in parties.get(pk, []):
            coordination.add(user_id(coordinator_pk), party, year, cluster_pk)
        if kind in MEETING_KINDS:
            for a, b in combinations(parties.get(pk, []), 2):
                joint.add(a, b, year, cluster_pk)
    coordination.hand_to(builder, "coordination")
    joint.hand_to(builder, "joint_interaction")


def introduction_edges(builder: NetworkBuilder, scope: BuildScope) -> None:
    """introduction / introduction_met: each node of party A ↔ each node of party B (a party is an
    organisation, a person or both); coordination: the introducing coordinator ↔ each of them."""
    introductions = Introduction.objects.filter(cluster__in=scope.clusters())
    furthest = furthest_stage_index(introductions)
    coordination, weak, met = _Ties(), _Ties(), _Ties()
    order = {stage.value: i for i, stage in enumerate(PIPELINE)}
    for row in introductions.order_by("pk").values_list(
        "pk",
        "coordinator_id",
        "cluster_id",
        "introduced_on",
        "stage",
        "party_a_organisation_id",
        "party_a_person_id",
        "party_b_organisation_id",
        "party_b_person_id",
    ):
        pk, coordinator_pk, cluster_pk, day, stage, a_org, a_person, b_org, b_person = row
        year = _fy(day)
        side_a = _party_nodes(a_org, a_person)
        side_b = _party_nodes(b_org, b_person)
        reached = max(furthest.get(pk, 0), order.get(stage, 0))
        ties = met if reached >= MET else weak
        for a in side_a:
            for b in side_b:
                ties.add(a, b, year, cluster_pk)
        for party in (*side_a, *side_b):
            coordination.add(user_id(coordinator_pk), party, year, cluster_pk)
    weak.hand_to(builder, "introduction")
    met.hand_to(builder, "introduction_met")
    coordination.hand_to(builder, "coordination")


def _party_nodes(organisation_pk: int | None, person_pk: int | None) -> list[str]:
    nodes = [org_id(organisation_pk)] if organisation_pk else []
    return nodes + ([person_id(person_pk)] if person_pk else [])


def event_meeting_edges(builder: NetworkBuilder, scope: BuildScope) -> None:
    """event_meeting: the people who held a business meeting at an event ↔ each other, and their
    current primary organisations ↔ each other, dated by the meeting's fiscal year and carrying
    the event's first cluster in the scope. Visitors without a person record add no tie."""
    cluster_of: dict[int, int] = {}
    for event_pk, cluster_pk in (
        Event.clusters.through.objects.filter(cluster__in=scope.clusters())
        .order_by("-cluster_id")
        .values_list("event_id", "cluster_id")
    ):
        cluster_of[event_pk] = cluster_pk  # descending, so the lowest cluster pk wins
    meetings = Meeting.objects.filter(status=MeetingStatus.HELD, request__event_id__in=list(cluster_of))
    people: dict[int, list[int]] = defaultdict(list)
    for request_pk, requester_person in meetings.order_by("pk").values_list(
        "request_id", "request__requester__person_id"
    ):
        people[request_pk] = [requester_person] if requester_person else []
    recipients = MeetingRequest.recipients.through.objects.filter(
        meetingrequest_id__in=list(people), registration__person__isnull=False
    )
    for request_pk, person_pk in recipients.order_by("pk").values_list("meetingrequest_id", "registration__person_id"):
        people[request_pk].append(person_pk)
    employer: dict[int, int] = {}
    everyone = {pk for group in people.values() for pk in group}
    for person_pk, organisation_pk in (
        Affiliation.objects.filter(person_id__in=everyone, end_on__isnull=True)
        .order_by("person_id", "is_primary", F("start_on").asc(nulls_first=True), "pk")
        .values_list("person_id", "organisation_id")
    ):
        employer[person_pk] = organisation_pk  # the last one wins: primary, most recent start
    ties = _Ties()
    for request_pk, event_pk, day in meetings.order_by("pk").values_list(
        "request_id", "request__event_id", "slot__starts_at"
    ):
        year = _fy(timezone.localdate(day))
        for a, b in combinations(people[request_pk], 2):
            ties.add(person_id(a), person_id(b), year, cluster_of[event_pk])
            if employer.get(a) and employer.get(b) and employer[a] != employer[b]:
                ties.add(org_id(employer[a]), org_id(employer[b]), year, cluster_of[event_pk])
    ties.hand_to(builder, "event_meeting")


# name -> edge source; add joint projects here.
EDGE_SOURCES: dict[str, EdgeSource] = {
    "membership": membership_edges,
    "hq_position": hq_position_edges,
    "affiliation": affiliation_edges,
    "interaction": interaction_edges,
    "introduction": introduction_edges,
    "event_meeting": event_meeting_edges,
}
TIE_TYPES = (
    "membership",
    "hq_position",
    "affiliation",
    "coordination",
    "joint_interaction",
    "introduction",
    "introduction_met",
    "event_meeting",
)
# The CRM's ties: read only by those who may read the cluster's CRM records. Who met whom at an
# event is read by the same people (the event's staff read its registrations and meetings).
CRM_TIE_TYPES = frozenset({"coordination", "joint_interaction", "introduction", "introduction_met", "event_meeting"})


def build_platform_network(
    clusters: Iterable[Cluster] | None = None,
    *,
    sources: Iterable[str] | None = None,
) -> Network:
    """The network of `clusters` (all of them, nationally, when None), from the edge sources named
    in `sources` (all by default). Organisations that are members or promoters but have no tie yet
    still appear as nodes."""
    scope = BuildScope(None if clusters is None else frozenset(c.pk for c in clusters))
    builder = NetworkBuilder()
    for name in sources if sources is not None else EDGE_SOURCES:
        EDGE_SOURCES[name](builder, scope)
    _add_untied_organisations(builder, scope)
    network = builder.build()
    _describe_nodes(network)
    return network


def _add_untied_organisations(builder: NetworkBuilder, scope: BuildScope) -> None:
    members = Membership.objects.filter(cluster__in=scope.clusters()).values_list("organisation_id", flat=True)
    promoters = (
        scope.clusters().exclude(promotion_organisation=None).values_list("promotion_organisation_id", flat=True)
    )
    for pk in sorted({*members, *promoters}):
        builder.node(org_id(pk))


def _describe_nodes(network: Network) -> None:
    """Labels, kinds and the categorical attributes of every node, in a handful of queries."""
    org_pks = [int(i[4:]) for i in network.ids if i.startswith("org:")]
    person_pks = [int(i[7:]) for i in network.ids if i.startswith("person:")]
    cluster_codes = [i[8:] for i in network.ids if i.startswith("cluster:")]
    user_pks = [int(i[5:]) for i in network.ids if i.startswith("user:")]

    employer: dict[int, int] = {}
    for person_pk, organisation_pk in (
        Affiliation.objects.filter(person_id__in=person_pks)
        .order_by("person_id", "is_primary", F("start_on").asc(nulls_first=True), "pk")
        .values_list("person_id", "organisation_id")
    ):
        employer[person_pk] = organisation_pk  # the last one wins: primary, most recent start
    described = {*org_pks, *employer.values()}
    first_field: dict[int, str] = {}
    for pk, code in (
        Organisation.fields.through.objects.filter(organisation_id__in=described)
        .order_by("organisation_id", "-techfield__sort_order", "-techfield__code")
        .values_list("organisation_id", "techfield__code")
    ):
        first_field[pk] = code  # descending order, so the last one is the first field
    orgs: dict[int, tuple[str, dict[str, str | None]]] = {}
    for organisation in Organisation.objects.filter(pk__in=described).select_related("prefecture__region"):
        orgs[organisation.pk] = (
            str(organisation),
            {
                "sector": str(SECTOR_OF_KIND.get(organisation.kind, Sector.SUPPORT)),
                "region": organisation.prefecture.region.code if organisation.prefecture else None,
                "field": first_field.get(organisation.pk),
                "country": _country(organisation),
            },
        )
    people = {p.pk: p.name for p in Person.objects.filter(pk__in=person_pks)}
    clusters = {c.code: c for c in Cluster.objects.filter(code__in=cluster_codes).select_related("bureau_region")}
    users = {u.pk: _user_label(u) for u in get_user_model().objects.filter(pk__in=user_pks).select_related("person")}

    labels: list[str] = []
    kinds: list[str] = []
    columns: dict[str, list[str | None]] = {"sector": [], "region": [], "field": [], "country": []}
    for node in network.ids:
        kind, _, key = node.partition(":")
        values: dict[str, str | None]
        if kind == "person":
            labels.append(people.get(int(key), node))
            kinds.append("person")
            values = orgs.get(employer.get(int(key), 0), ("", {}))[1]
        elif kind == "user":
            labels.append(users.get(int(key), node))
            kinds.append("coordinator")
            values = {}
        elif kind == "cluster":
            cluster = clusters.get(key)
            labels.append(str(cluster) if cluster else node)
            kinds.append("cluster")
            region = cluster.bureau_region.code if cluster and cluster.bureau_region else None
            values = {"sector": str(Sector.SUPPORT), "region": region, "field": None, "country": DOMESTIC}
        else:
            label, values = orgs.get(int(key), (node, {}))
            labels.append(label)
            kinds.append("organisation")
        for name, column in columns.items():
            column.append(values.get(name))
    network.labels = labels
    network.kinds = kinds
    network.attributes = {name: category_from_labels(column) for name, column in columns.items()}


def _country(organisation: Organisation) -> str | None:
    if organisation.kind == OrganisationKind.FOREIGN_CLUSTER:
        return FOREIGN
    return DOMESTIC if organisation.prefecture_id else None


def _user_label(user) -> str:
    person = getattr(user, "person", None)  # a missing reverse one-to-one raises AttributeError
    return str(person.name) if person is not None else (user.get_full_name() or user.get_username())
