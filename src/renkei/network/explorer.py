"""The network explorer: the part of the platform's network a user may see, its figures, its
drawing and its exports.

The builder reads every record of the clusters it is given; this module is where a user's scope
comes in. `compute_explorer_view` does, in order:

1. Choose the clusters through the user's scope (`explorable_clusters`): national officers and
   administrators explore every cluster, HQ staff and coordinators their own.
2. Build the network of those clusters (`build_platform_network`).
3. Drop the organisations and people the user may not see, with every tie that touches them,
   then the ties outside the chosen period and of other types (`visible_subnetwork`). With a
   period or a tie type chosen, nodes left without a tie go too.
4. Measure what is left with the engine (`compute_metrics`), so the page, the command line and
   the exports agree on the same graph.

Steps 2 and 4 and the drawing are cached (renkei.network.cache): the build under the records'
data version, the figures and the drawing under a digest of the visible graph.

Drawing (`network_figure`) caps the graph at `MAX_DRAWN_NODES` nodes by degree; the figures and
exports always cover the whole visible graph.
"""

from __future__ import annotations

import csv
import io
import random
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import igraph as ig
import numpy as np
import plotly.graph_objects as go
from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from renkei.accounts.scope import scope_for
from renkei.directory.access import visible_organisations, visible_people
from renkei.network.builder import TIE_TYPES
from renkei.network.cache import cache_key, cached, cached_platform_network, network_digest
from renkei.network.graph import NO_YEAR, Category, Network
from renkei.network.metrics import DEFAULT_SEED, NetworkMetrics, compute_metrics, simplify
from renkei.programs.access import visible_clusters
from renkei.programs.models import Cluster

MAX_DRAWN_NODES = 3000
# Fruchterman–Reingold costs ~15 ms an iteration at 3,000 nodes on one core (DrL took longer
# still); big drawings get fewer iterations so the page answers in a few seconds.
FULL_LAYOUT_NODES = 1000
FULL_LAYOUT_ITERATIONS = 500
LARGE_LAYOUT_ITERATIONS = 150
TOP_BROKERS = 15
MAX_COMMUNITY_COLOURS = 10  # the largest communities get a colour each; the rest share one

TIE_TYPE_LABELS = {
    "membership": _("Membership"),
    "hq_position": _("HQ position"),
    "affiliation": _("Affiliation"),
    "coordination": _("Coordinator contact"),
    "joint_interaction": _("Met at a logged interaction"),
    "event_meeting": _("Met at a business-matching event"),
    "introduction": _("Introduction"),
    "introduction_met": _("Introduction that led to a meeting"),
}
SECTOR_LABELS = {
    "industry": _("Industry"),
    "academia": _("Academia"),
    "government": _("Government"),
    "support": _("Support"),
}
SECTOR_COLOURS = {"industry": "#1f77b4", "academia": "#d62728", "government": "#2ca02c", "support": "#9467bd"}
PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#bcbd22", "#17becf", "#7f7f7f"]
UNKNOWN_COLOUR = "#aaaaaa"


# --- who may explore ----------------------------------------------------------------------


def can_explore_network(user) -> bool:
    return scope_for(user).is_staff_role


def check_can_explore_network(user) -> None:
    if not can_explore_network(user):
        raise PermissionDenied("Only coordinators, HQ staff and national officers explore the network.")


def explorable_clusters(user) -> QuerySet[Cluster]:
    """The clusters whose network the user may draw: all for national officers, their own for
    cluster staff, none for anyone else."""
    scope = scope_for(user)
    clusters = visible_clusters(user).order_by("code")
    if scope.reads_all:
        return clusters
    return clusters.filter(pk__in=scope.staff_cluster_ids)


# --- the request ----------------------------------------------------------------------------


def tie_type_choices() -> list[tuple[str, Any]]:
    names = dict.fromkeys([*TIE_TYPE_LABELS, *TIE_TYPES])
    return [("", _("All tie types")), *((name, TIE_TYPE_LABELS.get(name, name)) for name in names)]


class NetworkFilterForm(forms.Form):
    """What the explorer draws: a cluster (or all the user may explore), a period and a tie type."""

    cluster = forms.ModelChoiceField(
        label=_("Cluster"), queryset=Cluster.objects.none(), to_field_name="code", required=False
    )
    from_fy = forms.IntegerField(label=_("From fiscal year"), min_value=1950, max_value=2100, required=False)
    to_fy = forms.IntegerField(label=_("To fiscal year"), min_value=1950, max_value=2100, required=False)
    edge_type = forms.ChoiceField(label=_("Tie type"), required=False)
    colour = forms.ChoiceField(
        label=_("Colour by"),
        required=False,
        choices=[("sector", _("Sector")), ("community", _("Community"))],
    )

    def __init__(self, user, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = explorable_clusters(user)
        self.fields["cluster"].empty_label = _("All clusters I may explore")
        self.fields["edge_type"].choices = tie_type_choices()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("from_fy"), data.get("to_fy")
        if start is not None and end is not None and start > end:
            self.add_error("to_fy", _("The last fiscal year comes before the first."))
        return data


@dataclass(frozen=True)
class ExplorerRequest:
    clusters: list[Cluster]
    cluster: Cluster | None = None
    from_fy: int | None = None
    to_fy: int | None = None
    edge_type: str | None = None
    colour: str = "sector"

    @property
    def filtered(self) -> bool:
        return self.from_fy is not None or self.to_fy is not None or bool(self.edge_type)

    def query(self) -> dict[str, str]:
        """The request as GET parameters, for the export links."""
        params = {
            "cluster": self.cluster.code if self.cluster else "",
            "from_fy": "" if self.from_fy is None else str(self.from_fy),
            "to_fy": "" if self.to_fy is None else str(self.to_fy),
            "edge_type": self.edge_type or "",
        }
        return {key: value for key, value in params.items() if value}


def explorer_request(user, form: NetworkFilterForm) -> ExplorerRequest:
    """The clusters and filters of a valid form, through the user's scope."""
    data = form.cleaned_data
    cluster = data.get("cluster")
    clusters = [cluster] if cluster else list(explorable_clusters(user))
    return ExplorerRequest(
        clusters=clusters,
        cluster=cluster,
        from_fy=data.get("from_fy"),
        to_fy=data.get("to_fy"),
        edge_type=data.get("edge_type") or None,
        colour=data.get("colour") or "sector",
    )


# --- the visible graph ----------------------------------------------------------------------


def visible_node_mask(user, network: Network) -> np.ndarray:
    """True for the nodes the user may see: visible organisations and people, cluster stand-ins
    (clusters are public record) and coordinators ("user:") only for readers of some cluster's
    CRM (their ties are CRM ties; the explorer admits no one else)."""
    seen_orgs = set(visible_organisations(user).values_list("pk", flat=True))
    seen_people = set(visible_people(user).values_list("pk", flat=True))
    crm_reader = scope_for(user).is_staff_role
    keep = np.zeros(network.node_count, dtype=bool)
    for i, node in enumerate(network.ids):
        kind, _sep, key = node.partition(":")
        if kind == "org":
            keep[i] = int(key) in seen_orgs
        elif kind == "person":
            keep[i] = int(key) in seen_people
        elif kind == "user":
            keep[i] = crm_reader
        else:
            keep[i] = kind == "cluster"
    return keep


def subnetwork(network: Network, node_mask: np.ndarray, tie_mask: np.ndarray) -> Network:
    """The nodes and ties selected by the masks (ties whose ends were dropped are dropped too),
    renumbered, with their labels and attributes."""
    tie_mask = tie_mask & node_mask[network.source] & node_mask[network.target]
    kept = np.flatnonzero(node_mask)
    renumber = np.full(network.node_count, -1, dtype=np.int64)
    renumber[kept] = np.arange(kept.shape[0])
    return Network(
        ids=[network.ids[i] for i in kept],
        source=renumber[network.source[tie_mask]],
        target=renumber[network.target[tie_mask]],
        weight=network.weight[tie_mask],
        type_code=network.type_code[tie_mask],
        types=list(network.types),
        start_fy=network.start_fy[tie_mask],
        end_fy=network.end_fy[tie_mask],
        cluster=network.cluster[tie_mask],
        labels=[network.labels[i] for i in kept] if network.labels else [],
        kinds=[network.kinds[i] for i in kept] if network.kinds else [],
        attributes={
            name: Category(values=list(category.values), codes=category.codes[kept])
            for name, category in network.attributes.items()
        },
    )


def visible_subnetwork(user, network: Network, request: ExplorerRequest) -> Network:
    """Step 3: what the user may see of `network`, within the period and of the tie type asked.

    A tie is in the period when it started by the last year (or is undated) and had not ended
    before the first year."""
    node_mask = visible_node_mask(user, network)
    ties = np.ones(network.tie_count, dtype=bool)
    if request.edge_type:
        code = network.types.index(request.edge_type) if request.edge_type in network.types else -1
        ties &= network.type_code == code
    if request.to_fy is not None:
        ties &= network.start_fy <= request.to_fy
    if request.from_fy is not None:
        ties &= (network.end_fy == NO_YEAR) | (network.end_fy >= request.from_fy)
    if request.filtered:
        tied = np.zeros(network.node_count, dtype=bool)
        selected = ties & node_mask[network.source] & node_mask[network.target]
        tied[network.source[selected]] = True
        tied[network.target[selected]] = True
        node_mask &= tied
    return subnetwork(network, node_mask, ties)


@dataclass
class ExplorerView:
    request: ExplorerRequest
    network: Network
    metrics: NetworkMetrics


def compute_visible_network(user, request: ExplorerRequest) -> Network:
    """Steps 1–3 of the module docstring: what the exports write."""
    check_can_explore_network(user)
    allowed = set(explorable_clusters(user).values_list("pk", flat=True))
    if any(cluster.pk not in allowed for cluster in request.clusters):
        raise PermissionDenied("You may not explore this cluster's network.")
    return visible_subnetwork(user, cached_platform_network(request.clusters), request)


def compute_explorer_view(user, request: ExplorerRequest, *, seed: int = DEFAULT_SEED) -> ExplorerView:
    """Steps 1–4 of the module docstring: what the page shows. The built network and the figures
    come from the cache (renkei.network.cache) while the records and the visible graph stay the
    same."""
    network = compute_visible_network(user, request)
    key = cache_key("metrics", network_digest(network), seed)
    return ExplorerView(request, network, cached(key, lambda: compute_metrics(network, seed=seed)))


def cached_network_figure(view: ExplorerView, cap: int = MAX_DRAWN_NODES) -> tuple[dict[str, Any], int]:
    """`network_figure`, from the cache for the same visible graph, colouring and language (the
    layout is the slowest step of the page)."""
    key = cache_key("figure", network_digest(view.network), view.request.colour, cap, get_language())
    return cached(key, lambda: network_figure(view, cap))


# --- records and labels ---------------------------------------------------------------------


def record_url(node_id: str) -> str:
    kind, _sep, key = node_id.partition(":")
    if kind == "org":
        return reverse("directory:organisation_detail", args=[int(key)])
    if kind == "person":
        return reverse("directory:person_detail", args=[int(key)])
    if kind == "cluster":
        return reverse("programs:cluster_detail", args=[key])
    return ""


def sector_label(sector: str | None) -> str:
    return str(SECTOR_LABELS.get(sector or "", _("Unknown sector")))


def top_brokers(view: ExplorerView, limit: int = TOP_BROKERS) -> list[dict[str, Any]]:
    rows = view.metrics.top_brokers(view.network, limit)
    for row in rows:
        row["url"] = record_url(row["id"])
        row["sector_label"] = sector_label(row.get("sector"))
    return rows


# --- drawing --------------------------------------------------------------------------------


def drawn_nodes(metrics: NetworkMetrics, cap: int = MAX_DRAWN_NODES) -> np.ndarray:
    """The nodes to draw: all of them, or the `cap` best connected (degree, then strength)."""
    n = metrics.degree.shape[0]
    if n <= cap:
        return np.arange(n)
    order = np.lexsort((np.arange(n), -metrics.strength, -metrics.degree))
    return np.sort(order[:cap])


def layout_positions(node_count: int, u: np.ndarray, v: np.ndarray, seed: int = DEFAULT_SEED) -> np.ndarray:
    """x, y per node from igraph, seeded so the same graph is drawn the same way each time."""
    if node_count == 0:
        return np.empty((0, 2))
    graph = ig.Graph(n=node_count, edges=np.column_stack((u, v)), directed=False)
    start = np.random.default_rng(seed).uniform(-1, 1, size=(node_count, 2)).tolist()
    ig.set_random_number_generator(random.Random(seed))
    try:
        iterations = FULL_LAYOUT_ITERATIONS if node_count <= FULL_LAYOUT_NODES else LARGE_LAYOUT_ITERATIONS
        layout = graph.layout_fruchterman_reingold(seed=start, niter=iterations)
    finally:
        ig.set_random_number_generator(random)
    return np.asarray(layout.coords, dtype=np.float64).reshape(node_count, 2)


def network_figure(view: ExplorerView, cap: int = MAX_DRAWN_NODES) -> tuple[dict[str, Any], int]:
    """The plotly figure (as a JSON-ready dict) of the drawn part of the graph, and how many
    nodes it draws. Edges are one line trace; nodes one marker trace per colour group, with the
    record's URL in `customdata` for the click handler."""
    network, metrics = view.network, view.metrics
    nodes = drawn_nodes(metrics, cap)
    local = np.full(network.node_count, -1, dtype=np.int64)
    local[nodes] = np.arange(nodes.shape[0])
    edges = simplify(network)
    both = (local[edges.u] >= 0) & (local[edges.v] >= 0)
    u, v = local[edges.u[both]], local[edges.v[both]]
    xy = layout_positions(nodes.shape[0], u, v)

    figure = go.Figure()
    line_x = np.full(u.shape[0] * 3, np.nan)
    line_y = np.full(u.shape[0] * 3, np.nan)
    line_x[0::3], line_x[1::3] = xy[u, 0], xy[v, 0]
    line_y[0::3], line_y[1::3] = xy[u, 1], xy[v, 1]
    figure.add_trace(
        go.Scattergl(
            x=[None if np.isnan(x) else round(float(x), 4) for x in line_x],
            y=[None if np.isnan(y) else round(float(y), 4) for y in line_y],
            mode="lines",
            line={"width": 0.6, "color": "#bbbbbb"},
            hoverinfo="skip",
            name=str(_("Ties")),
            showlegend=False,
        )
    )
    degree = metrics.degree[nodes]
    sizes = 6 + 18 * np.sqrt(degree / max(int(degree.max(initial=0)), 1))
    for name, colour, members in _colour_groups(view, nodes):
        figure.add_trace(
            go.Scattergl(
                x=[round(float(x), 4) for x in xy[members, 0]],
                y=[round(float(y), 4) for y in xy[members, 1]],
                mode="markers",
                name=name,
                marker={"size": [round(float(s), 1) for s in sizes[members]], "color": colour, "line": {"width": 0}},
                hovertext=[network.labels[nodes[i]] if network.labels else network.ids[nodes[i]] for i in members],
                hoverinfo="text",
                customdata=[record_url(network.ids[nodes[i]]) for i in members],
            )
        )
    figure.update_layout(
        height=640,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        xaxis={"visible": False},
        yaxis={"visible": False},
        hovermode="closest",
        legend={"orientation": "h"},
        template="plotly_white",
    )
    return figure.to_plotly_json(), int(nodes.shape[0])


def _colour_groups(view: ExplorerView, nodes: np.ndarray) -> list[tuple[str, str, np.ndarray]]:
    """(legend name, colour, positions within `nodes`) for each group of the colouring chosen."""
    groups: list[tuple[str, str, np.ndarray]] = []
    if view.request.colour == "community":
        community = view.metrics.community[nodes]
        for c in range(min(int(community.max(initial=-1)) + 1, MAX_COMMUNITY_COLOURS)):
            members = np.flatnonzero(community == c)
            if members.shape[0]:
                groups.append((gettext("Community %(number)d") % {"number": c + 1}, PALETTE[c], members))
        rest = np.flatnonzero(community >= MAX_COMMUNITY_COLOURS)
        if rest.shape[0]:
            groups.append((str(_("Other communities")), UNKNOWN_COLOUR, rest))
        return groups
    sector = view.network.attributes.get("sector")
    labels = [sector.label(int(i)) if sector is not None else None for i in nodes]
    for key in [*SECTOR_COLOURS, None]:
        members = np.flatnonzero(np.array([label == key for label in labels], dtype=bool))
        if members.shape[0]:
            groups.append((sector_label(key), SECTOR_COLOURS.get(key or "", UNKNOWN_COLOUR), members))
    return groups


def by_year_figure(view: ExplorerView) -> dict[str, Any] | None:
    """Nodes, ties and components by fiscal year (left axis), density and cross-sector share
    (right axis)."""
    rows = view.metrics.by_fiscal_year
    if not rows:
        return None
    years = [f"FY{row['fiscal_year']}" for row in rows]
    figure = go.Figure()
    for key, label in (("nodes", _("Nodes")), ("edges", _("Ties")), ("components", _("Components"))):
        figure.add_trace(go.Scatter(x=years, y=[row[key] for row in rows], name=str(label), mode="lines+markers"))
    for key, label in (("density", _("Density")), ("cross_sector_share", _("Cross-sector ties"))):
        figure.add_trace(
            go.Scatter(
                x=years,
                y=[row[key] for row in rows],
                name=str(label),
                mode="lines+markers",
                yaxis="y2",
                line={"dash": "dot"},
            )
        )
    figure.update_layout(
        height=340,
        margin={"l": 50, "r": 50, "t": 20, "b": 40},
        yaxis={"title": str(_("count"))},
        yaxis2={"title": str(_("share")), "overlaying": "y", "side": "right", "range": [0, 1]},
        legend={"orientation": "h"},
        template="plotly_white",
    )
    return figure.to_plotly_json()


# --- exports --------------------------------------------------------------------------------


def export_csv(network: Network) -> str:
    """The ties as recorded, `source,target,weight,type`: the edge list `renkei network metrics
    --edges` reads. Nodes without a tie are not in an edge list."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["source", "target", "weight", "type"])
    for k in range(network.tie_count):
        writer.writerow(
            [
                network.ids[int(network.source[k])],
                network.ids[int(network.target[k])],
                _number(float(network.weight[k])),
                network.types[int(network.type_code[k])],
            ]
        )
    return out.getvalue()


def export_igraph(network: Network) -> ig.Graph:
    """Every node with its label, kind and attributes; every tie as recorded (weight, type and
    fiscal years; 0 = undated or still running)."""
    graph = ig.Graph(n=network.node_count, edges=np.column_stack((network.source, network.target)), directed=False)
    graph.vs["node_id"] = list(network.ids)
    graph.vs["label"] = list(network.labels) if network.labels else list(network.ids)
    graph.vs["kind"] = list(network.kinds) if network.kinds else [""] * network.node_count
    for name, category in network.attributes.items():
        graph.vs[name] = [category.label(i) or "" for i in range(network.node_count)]
    graph.es["weight"] = network.weight.tolist()
    graph.es["type"] = [network.types[int(c)] for c in network.type_code]
    graph.es["start_fy"] = network.start_fy.tolist()
    graph.es["end_fy"] = network.end_fy.tolist()
    return graph


def export_graphml(network: Network) -> bytes:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "network.graphml"
        export_igraph(network).write_graphml(str(path))
        return path.read_bytes()


GEXF_NS = "http://gexf.net/1.3"


def export_gexf(network: Network) -> bytes:
    """GEXF 1.3 for Gephi: nodes with label and attributes, ties with weight and type."""
    ET.register_namespace("", GEXF_NS)
    root = ET.Element(f"{{{GEXF_NS}}}gexf", {"version": "1.3"})
    meta = ET.SubElement(root, f"{{{GEXF_NS}}}meta")
    ET.SubElement(meta, f"{{{GEXF_NS}}}creator").text = "renkei"
    graph = ET.SubElement(root, f"{{{GEXF_NS}}}graph", {"defaultedgetype": "undirected", "mode": "static"})
    node_attributes = ["kind", *network.attributes]
    declared = ET.SubElement(graph, f"{{{GEXF_NS}}}attributes", {"class": "node"})
    for index, name in enumerate(node_attributes):
        ET.SubElement(declared, f"{{{GEXF_NS}}}attribute", {"id": str(index), "title": name, "type": "string"})
    edge_declared = ET.SubElement(graph, f"{{{GEXF_NS}}}attributes", {"class": "edge"})
    for index, name in enumerate(("start_fy", "end_fy")):
        ET.SubElement(edge_declared, f"{{{GEXF_NS}}}attribute", {"id": str(index), "title": name, "type": "integer"})

    nodes = ET.SubElement(graph, f"{{{GEXF_NS}}}nodes")
    for i, node_id in enumerate(network.ids):
        label = network.labels[i] if network.labels else node_id
        node = ET.SubElement(nodes, f"{{{GEXF_NS}}}node", {"id": node_id, "label": label})
        values = ET.SubElement(node, f"{{{GEXF_NS}}}attvalues")
        for index, name in enumerate(node_attributes):
            if name == "kind":
                value = network.kinds[i] if network.kinds else None
            else:
                value = network.attributes[name].label(i)
            if value is not None:
                ET.SubElement(values, f"{{{GEXF_NS}}}attvalue", {"for": str(index), "value": value})
    edges = ET.SubElement(graph, f"{{{GEXF_NS}}}edges")
    for k in range(network.tie_count):
        edge = ET.SubElement(
            edges,
            f"{{{GEXF_NS}}}edge",
            {
                "id": str(k),
                "source": network.ids[int(network.source[k])],
                "target": network.ids[int(network.target[k])],
                "weight": _number(float(network.weight[k])),
                "kind": network.types[int(network.type_code[k])],
            },
        )
        values = ET.SubElement(edge, f"{{{GEXF_NS}}}attvalues")
        for index, years in enumerate((network.start_fy, network.end_fy)):
            if int(years[k]) != NO_YEAR:
                ET.SubElement(values, f"{{{GEXF_NS}}}attvalue", {"for": str(index), "value": str(int(years[k]))})
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _number(value: float) -> str:
    return str(int(value)) if value.is_integer() else repr(value)
