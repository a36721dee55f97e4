"""The numbers and charts of the home dashboard, as plain functions of the reader.

Every count goes through the access helpers: a member is an organisation holding a membership
the reader may see (`visible_memberships`), so a visitor's dashboard counts only public
organisations. Each function runs one or two aggregate queries, whatever the number of
organisations; none loops over rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import plotly.graph_objects as go
from django.db.models import Count, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from renkei.accounts.scope import scope_for
from renkei.core.models import BureauRegion, Prefecture, TechField
from renkei.directory.choices import OrganisationKind
from renkei.programs.access import visible_budgets, visible_clusters, visible_memberships, visible_programmes
from renkei.programs.models import Cluster, Programme


@dataclass
class Bar:
    """One labelled count, in display order."""

    key: Any
    label: str
    count: int


@dataclass
class ProgrammeSummary:
    programme: Programme
    member_count: int
    clusters: list[Cluster] = field(default_factory=list)  # each annotated with member_count


def _members(user) -> QuerySet:
    return visible_memberships(user)


def total_members(user) -> int:
    """Distinct organisations in at least one cluster, as the reader may see them."""
    return _members(user).values("organisation_id").distinct().count()


def totals(user) -> dict[str, int]:
    return {
        "programmes": visible_programmes(user).count(),
        "clusters": visible_clusters(user).count(),
        "members": total_members(user),
    }


def programme_summaries(user) -> list[ProgrammeSummary]:
    """Programmes, each with its clusters and their member counts: three queries in all."""
    per_cluster = dict(
        _members(user).values_list("cluster_id").annotate(n=Count("organisation_id", distinct=True)).order_by()
    )
    per_programme = dict(
        _members(user)
        .values_list("cluster__programme_id")
        .annotate(n=Count("organisation_id", distinct=True))
        .order_by()
    )
    summaries = {
        p.pk: ProgrammeSummary(programme=p, member_count=per_programme.get(p.pk, 0)) for p in visible_programmes(user)
    }
    for cluster in visible_clusters(user).select_related("bureau_region").order_by("programme_id", "code"):
        if cluster.programme_id in summaries:
            cluster.member_count = per_cluster.get(cluster.pk, 0)
            summaries[cluster.programme_id].clusters.append(cluster)
    return list(summaries.values())


def members_by_programme(user, summaries: list[ProgrammeSummary] | None = None) -> list[Bar]:
    summaries = programme_summaries(user) if summaries is None else summaries
    return [Bar(s.programme.code, s.programme.name, s.member_count) for s in summaries if s.member_count]


def members_by_kind(user, clusters: QuerySet | None = None) -> list[Bar]:
    """Distinct member organisations by kind, in the order of OrganisationKind."""
    memberships = _members(user) if clusters is None else _members(user).filter(cluster__in=clusters)
    counts = dict(
        memberships.values_list("organisation__kind").annotate(n=Count("organisation_id", distinct=True)).order_by()
    )
    return [Bar(kind.value, str(kind.label), counts[kind.value]) for kind in OrganisationKind if counts.get(kind.value)]


def members_by_prefecture(user) -> list[Bar]:
    """Distinct member organisations by the prefecture of the organisation (JIS order);
    organisations without a prefecture are left out."""
    counts = dict(
        _members(user)
        .filter(organisation__prefecture__isnull=False)
        .values_list("organisation__prefecture_id")
        .annotate(n=Count("organisation_id", distinct=True))
        .order_by()
    )
    prefectures = Prefecture.objects.filter(pk__in=counts).order_by("code")
    return [Bar(p.code, p.name, counts[p.code]) for p in prefectures]


def members_by_field(user) -> list[Bar]:
    """Distinct member organisations of the clusters of each technology field. A cluster may
    have several fields, so the bars overlap and their sum may exceed the total."""
    counts = dict(
        _members(user)
        .filter(cluster__fields__isnull=False)
        .values_list("cluster__fields")
        .annotate(n=Count("organisation_id", distinct=True))
        .order_by()
    )
    fields = TechField.objects.filter(pk__in=counts)
    return [Bar(f.code, f.name, counts[f.pk]) for f in fields]


def members_by_region(user) -> list[Bar]:
    """Distinct member organisations of the clusters of each METI bureau region."""
    counts = dict(
        _members(user)
        .filter(cluster__bureau_region__isnull=False)
        .values_list("cluster__bureau_region")
        .annotate(n=Count("organisation_id", distinct=True))
        .order_by()
    )
    regions = BureauRegion.objects.filter(pk__in=counts)
    return [Bar(r.code, r.name, counts[r.pk]) for r in regions]


def own_clusters(user) -> QuerySet[Cluster]:
    """The clusters a reader works in, shown first: HQ staff and coordinators their clusters,
    participants the clusters their organisation belongs to."""
    scope = scope_for(user)
    if scope.staff_cluster_ids:
        return visible_clusters(user).filter(pk__in=scope.staff_cluster_ids)
    if scope.own_organisation_ids:
        return visible_clusters(user).filter(memberships__organisation_id__in=scope.own_organisation_ids).distinct()
    return visible_clusters(user).none()


@dataclass
class ClusterSummary:
    cluster: Cluster
    member_count: int
    by_kind: list[Bar]
    positions: int
    budget_total: int
    latest_budget: tuple[int, int] | None  # (fiscal year, yen)


def cluster_summaries(user) -> list[ClusterSummary]:
    clusters = list(own_clusters(user).select_related("programme").order_by("code"))
    if not clusters:
        return []
    ids = [c.pk for c in clusters]
    members = dict(
        _members(user)
        .filter(cluster_id__in=ids)
        .values_list("cluster_id")
        .annotate(n=Count("organisation_id", distinct=True))
        .order_by()
    )
    kinds: dict[int, dict[str, int]] = {}
    for cluster_id, kind, n in (
        _members(user)
        .filter(cluster_id__in=ids)
        .values_list("cluster_id", "organisation__kind")
        .annotate(n=Count("organisation_id", distinct=True))
        .order_by()
    ):
        kinds.setdefault(cluster_id, {})[kind] = n
    from renkei.programs.access import visible_positions

    positions = dict(
        visible_positions(user).filter(cluster_id__in=ids).values_list("cluster_id").annotate(n=Count("pk")).order_by()
    )
    budgets: dict[int, dict[int, int]] = {}
    for cluster_id, year, amount in (
        visible_budgets(user)
        .filter(cluster_id__in=ids)
        .values_list("cluster_id", "fiscal_year")
        .annotate(total=Sum("amount_yen"))
        .order_by()
    ):
        budgets.setdefault(cluster_id, {})[year] = amount
    summaries = []
    for cluster in clusters:
        by_year = budgets.get(cluster.pk, {})
        latest = max(by_year) if by_year else None
        counts = kinds.get(cluster.pk, {})
        summaries.append(
            ClusterSummary(
                cluster=cluster,
                member_count=members.get(cluster.pk, 0),
                by_kind=[Bar(k.value, str(k.label), counts[k.value]) for k in OrganisationKind if counts.get(k.value)],
                positions=positions.get(cluster.pk, 0),
                budget_total=sum(by_year.values()),
                latest_budget=(latest, by_year[latest]) if latest is not None else None,
            )
        )
    return summaries


def bar_chart(bars: list[Bar], div_id: str, *, horizontal: bool = False, height: int = 360) -> str:
    """An HTML fragment drawing the bars with plotly.js, which the page loads from our own
    static files (include_plotlyjs=False): no CDN."""
    if not bars:
        return ""
    labels = [b.label for b in bars]
    values = [b.count for b in bars]
    trace = go.Bar(y=labels, x=values, orientation="h") if horizontal else go.Bar(x=labels, y=values)
    figure = go.Figure(trace)
    figure.update_layout(
        template="plotly_white",
        height=height,
        margin={"l": 160 if horizontal else 50, "r": 20, "t": 10, "b": 80 if not horizontal else 30},
        yaxis={"autorange": "reversed"} if horizontal else {},
    )
    return figure.to_html(include_plotlyjs=False, full_html=False, div_id=div_id, config={"responsive": True})


def national_dashboard(user) -> dict[str, Any]:
    summaries = programme_summaries(user)
    by_programme = members_by_programme(user, summaries)
    by_field = members_by_field(user)
    by_region = members_by_region(user)
    return {
        "totals": totals(user),
        "programmes": summaries,
        "by_kind": members_by_kind(user),
        "by_prefecture": members_by_prefecture(user),
        "charts": [
            {"title": _("Members by programme"), "html": bar_chart(by_programme, "chart-programme", horizontal=True)},
            {"title": _("Members by technology field"), "html": bar_chart(by_field, "chart-field")},
            {"title": _("Members by bureau region"), "html": bar_chart(by_region, "chart-region")},
        ],
    }
