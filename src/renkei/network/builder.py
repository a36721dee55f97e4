"""The platform's collaboration network, built from its records.

Nodes are organisations ("org:<pk>") and people ("person:<pk>"); a cluster whose promotion
organisation is not recorded stands in as "cluster:<code>" for its HQ. Each kind of record is one
*edge source*: a function that adds its ties to a `NetworkBuilder` for a `BuildScope`. Today:

- membership   — a member organisation ↔ the cluster's promotion organisation (its HQ);
- hq_position  — a person in the cluster's HQ ↔ the promotion organisation;
- affiliation  — a person ↔ the organisation they work at.

Interactions, introductions, joint projects and event meetings become one more function each in
`EDGE_SOURCES` when their apps exist. Ties are dated by fiscal year from their start and end
dates (a membership or HQ position without a start date takes its cluster's first fiscal year).

Node attributes: an organisation's sector (from its kind, `SECTOR_OF_KIND`), bureau region (of
its prefecture), field (its first technology field) and country ("JP" when it has a prefecture,
"foreign" for a foreign cluster organisation). A person takes them from their primary
affiliation, a cluster stand-in from its cluster (sector "support", being HQ).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import F, Q

from renkei.core.fiscal import fiscal_year_of
from renkei.directory.choices import SECTOR_OF_KIND, OrganisationKind, Sector
from renkei.directory.models import Affiliation, Organisation, Person
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
        )
        .order_by("pk")
    )
    builder.add_ties(
        kind,
        (node_id(r[0]) for r in rows),
        (_hq_node(r[1], r[2]) for r in rows),
        start_fy=[_fy(r[4], r[3]) for r in rows],
        end_fy=[_fy(r[5]) for r in rows],
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


# name -> edge source; add interactions, introductions, projects and event meetings here.
EDGE_SOURCES: dict[str, EdgeSource] = {
    "membership": membership_edges,
    "hq_position": hq_position_edges,
    "affiliation": affiliation_edges,
}


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
