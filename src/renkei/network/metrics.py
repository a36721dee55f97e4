"""Metrics of a collaboration network, computed with igraph and numpy.

`compute_metrics(network)` is the one entry point; the command line, the explorer and the
benchmarks call it. Its steps:

1. Simplify the ties: drop self-loops, merge parallel ties between the same pair into one edge
   whose weight is the sum of theirs (a pair that met three times is one strong tie).
2. Build an undirected igraph graph on every node (isolated nodes included).
3. Size, density (edges / possible pairs), connected components, the largest component.
4. Degree (distinct neighbours), strength (sum of tie weights) and betweenness centrality,
   normalised by the number of pairs, (n-1)(n-2)/2. Betweenness counts hops: weights are tie
   strengths, not distances. Exact up to `EXACT_BETWEENNESS_WORK` (nodes × edges); beyond it,
   estimated from a seeded sample of source nodes (Brandes–Pich), scaled by n / sources.
5. Leiden communities maximising (weighted) modularity, with a fixed seed so that a run can be
   repeated exactly; community 0 is the largest.
6. Shares of edges that cross sectors, fields, regions and countries, counted over the edges
   whose two ends both have the attribute known (None when no edge qualifies).
7. By fiscal year: the ties active in each year (started by then, not yet ended), their size,
   density, components, new ties and cross-sector share — the growth over time. Undated ties
   are left out of the yearly figures and counted in `undated_ties`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

import igraph as ig
import numpy as np
from django.utils.translation import gettext_lazy as _

from renkei.network.graph import NO_YEAR, UNKNOWN, Network

DEFAULT_SEED = 20050401  # any fixed number; the start of FY2005
EXACT_BETWEENNESS_WORK = 200_000_000  # nodes × edges up to which betweenness is exact
SAMPLED_BETWEENNESS_WORK = 100_000_000  # sources × edges spent on an estimate
MIN_BETWEENNESS_SOURCES = 64
LEIDEN_ITERATIONS = 2  # igraph's default; "until stable" (-1) takes minutes on a national graph


@dataclass(frozen=True)
class MetricDefinition:
    """One figure of the network, declared as data: its key in the JSON, a label and its unit."""

    key: str
    label: Any
    unit: str
    help: Any


GRAPH_METRICS: tuple[MetricDefinition, ...] = (
    MetricDefinition("nodes", _("Nodes"), "count", _("Organisations and people in the network.")),
    MetricDefinition("edges", _("Ties"), "count", _("Pairs with at least one tie (parallel ties merged).")),
    MetricDefinition("density", _("Density"), "share", _("Ties present out of all possible pairs.")),
    MetricDefinition("components", _("Components"), "count", _("Groups with no path between them.")),
    MetricDefinition("largest_component", _("Largest component"), "count", _("Nodes in the biggest connected group.")),
    MetricDefinition("communities", _("Communities"), "count", _("Leiden communities (modularity).")),
    MetricDefinition("modularity", _("Modularity"), "score", _("How clearly the communities separate.")),
    MetricDefinition(
        "cross_sector_share", _("Cross-sector ties"), "share", _("Ties between industry, academia, government.")
    ),
    MetricDefinition("cross_field_share", _("Cross-field ties"), "share", _("Ties between technology fields.")),
    MetricDefinition("cross_region_share", _("Cross-region ties"), "share", _("Ties between bureau regions.")),
    MetricDefinition("international_share", _("International ties"), "share", _("Ties across borders.")),
)


@dataclass
class SimpleEdges:
    """Ties after step 1: one edge per pair (u < v), summed weights."""

    u: np.ndarray
    v: np.ndarray
    weight: np.ndarray
    self_loops: int
    merged: int  # ties folded into an edge that another tie already made
    type_counts: dict[str, int]


@dataclass
class NetworkMetrics:
    graph: dict[str, Any]
    degree: np.ndarray
    strength: np.ndarray
    betweenness: np.ndarray
    community: np.ndarray
    by_fiscal_year: list[dict[str, Any]] = field(default_factory=list)

    def top_brokers(self, network: Network, limit: int = 10) -> list[dict[str, Any]]:
        """The nodes with the highest betweenness, best first (ties broken by degree, then id order)."""
        order = np.lexsort((np.arange(len(self.degree)), -self.degree, -self.betweenness))[:limit]
        return [node_record(network, self, int(i)) for i in order]

    def as_json(self, network: Network) -> dict[str, Any]:
        return {
            "graph": {**self.graph, "by_fiscal_year": self.by_fiscal_year},
            "nodes": [node_record(network, self, i) for i in range(network.node_count)],
        }


def node_record(network: Network, metrics: NetworkMetrics, i: int) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": network.ids[i],
        "degree": int(metrics.degree[i]),
        "betweenness": float(metrics.betweenness[i]),
        "community": int(metrics.community[i]),
        "strength": float(metrics.strength[i]),
    }
    if network.labels:
        record["label"] = network.labels[i]
    if network.kinds:
        record["kind"] = network.kinds[i]
    for name, category in network.attributes.items():
        record[name] = category.label(i)
    return record


def simplify(network: Network, mask: np.ndarray | None = None) -> SimpleEdges:
    """Step 1: drop self-loops, merge parallel ties (summing weights), vectorised."""
    source, target, weight, type_code = network.source, network.target, network.weight, network.type_code
    if mask is not None:
        source, target, weight, type_code = source[mask], target[mask], weight[mask], type_code[mask]
    u, v = np.minimum(source, target), np.maximum(source, target)
    loops = u == v
    self_loops = int(loops.sum())
    if self_loops:
        keep = ~loops
        u, v, weight, type_code = u[keep], v[keep], weight[keep], type_code[keep]
    n = max(network.node_count, 1)
    key = u * n + v
    pairs, inverse = np.unique(key, return_inverse=True)
    summed = np.bincount(inverse, weights=weight, minlength=pairs.shape[0])
    n_types = max(len(network.types), 1)
    if n_types == 1:
        per_type = np.array([pairs.shape[0]])
    else:
        typed_pairs = np.unique(key * n_types + type_code)
        per_type = np.bincount(typed_pairs % n_types, minlength=len(network.types))
    type_counts = {name: int(per_type[i]) for i, name in enumerate(network.types) if per_type[i]}
    return SimpleEdges(
        u=pairs // n,
        v=pairs % n,
        weight=summed,
        self_loops=self_loops,
        merged=int(key.shape[0] - pairs.shape[0]),
        type_counts=type_counts,
    )


def to_igraph(node_count: int, edges: SimpleEdges) -> ig.Graph:
    return ig.Graph(n=node_count, edges=np.column_stack((edges.u, edges.v)), directed=False)


def density(nodes: int, edges: int) -> float:
    return 0.0 if nodes < 2 else 2.0 * edges / (nodes * (nodes - 1))


def betweenness_sources(nodes: int, edges: int, requested: int | None = None) -> int | None:
    """How many source nodes to sample for betweenness; None means exact."""
    if requested is not None:
        return None if requested <= 0 or requested >= nodes else requested
    if nodes * max(edges, 1) <= EXACT_BETWEENNESS_WORK:
        return None
    sources = max(MIN_BETWEENNESS_SOURCES, SAMPLED_BETWEENNESS_WORK // max(edges, 1))
    return None if sources >= nodes else int(sources)


def normalised_betweenness(graph: ig.Graph, *, samples: int | None, seed: int = DEFAULT_SEED) -> tuple[np.ndarray, str]:
    """Step 4: betweenness divided by (n-1)(n-2)/2, exact or estimated from `samples` sources."""
    n = graph.vcount()
    if n < 3:
        return np.zeros(n), "exact"
    if samples is None:
        raw = np.asarray(graph.betweenness(directed=False), dtype=np.float64)
        method = "exact"
    else:
        chosen = np.random.default_rng(seed).choice(n, size=samples, replace=False)
        raw = np.asarray(graph.betweenness(directed=False, sources=chosen.tolist()), dtype=np.float64)
        raw *= n / samples
        method = f"sampled ({samples} sources)"
    return raw / ((n - 1) * (n - 2) / 2.0), method


def leiden_communities(graph: ig.Graph, weights: np.ndarray, seed: int = DEFAULT_SEED) -> tuple[np.ndarray, float]:
    """Step 5: Leiden (modularity) with a private seeded generator; communities renumbered by size."""
    if graph.vcount() == 0:
        return np.empty(0, dtype=np.int64), 0.0
    ig.set_random_number_generator(random.Random(seed))
    try:
        if graph.ecount() == 0:
            membership = np.arange(graph.vcount())
            modularity = 0.0
        else:
            partition = graph.community_leiden(
                objective_function="modularity", weights=weights.tolist(), n_iterations=LEIDEN_ITERATIONS
            )
            membership = np.asarray(partition.membership, dtype=np.int64)
            modularity = float(graph.modularity(partition.membership, weights=weights.tolist()))
    finally:
        ig.set_random_number_generator(random)
    sizes = np.bincount(membership)
    # Largest first; equal sizes keep the order of their first member, so the numbering is stable.
    first_member = np.full(sizes.shape[0], graph.vcount())
    np.minimum.at(first_member, membership, np.arange(graph.vcount()))
    order = np.lexsort((first_member, -sizes))
    renumber = np.empty_like(order)
    renumber[order] = np.arange(order.shape[0])
    return renumber[membership], modularity


def crossing_share(network: Network, attribute: str, u: np.ndarray, v: np.ndarray) -> float | None:
    """Step 6: edges whose ends differ in `attribute`, out of the edges where both ends know it."""
    category = network.attribute(attribute)
    if category is None or u.shape[0] == 0:
        return None
    a, b = category.codes[u], category.codes[v]
    known = (a != UNKNOWN) & (b != UNKNOWN)
    counted = int(known.sum())
    if counted == 0:
        return None
    return float(((a != b) & known).sum()) / counted


def sector_mix(network: Network, u: np.ndarray, v: np.ndarray) -> dict[str, int] | None:
    """Edges by the pair of sectors they join ("academia–industry": 12), both ends known."""
    category = network.attribute("sector")
    if category is None:
        return None
    a, b = category.codes[u], category.codes[v]
    known = (a != UNKNOWN) & (b != UNKNOWN)
    low, high = np.minimum(a[known], b[known]), np.maximum(a[known], b[known])
    k = len(category.values)
    counts = np.bincount(low * k + high, minlength=k * k)
    labels = category.values
    mix = {}
    for code in np.flatnonzero(counts):
        first, second = sorted((labels[code // k], labels[code % k]))
        mix[f"{first}–{second}"] = int(counts[code])
    return dict(sorted(mix.items()))


def compute_metrics(
    network: Network,
    *,
    seed: int = DEFAULT_SEED,
    betweenness_samples: int | None = None,
    by_fiscal_year: bool = True,
) -> NetworkMetrics:
    """Every metric of `network` (steps in the module docstring)."""
    n = network.node_count
    edges = simplify(network)
    graph = to_igraph(n, edges)
    m = graph.ecount()

    components = graph.connected_components()
    sizes = components.sizes()
    degree = np.asarray(graph.degree(), dtype=np.int64)
    strength = np.bincount(edges.u, weights=edges.weight, minlength=n) + np.bincount(
        edges.v, weights=edges.weight, minlength=n
    )
    samples = betweenness_sources(n, m, betweenness_samples)
    betweenness, method = normalised_betweenness(graph, samples=samples, seed=seed)
    community, modularity = leiden_communities(graph, edges.weight, seed=seed)

    summary: dict[str, Any] = {
        "nodes": n,
        "edges": m,
        "density": density(n, m),
        "components": len(sizes),
        "largest_component": max(sizes, default=0),
        "communities": int(community.max()) + 1 if n else 0,
        "modularity": modularity,
        "cross_sector_share": crossing_share(network, "sector", edges.u, edges.v),
        "cross_field_share": crossing_share(network, "field", edges.u, edges.v),
        "cross_region_share": crossing_share(network, "region", edges.u, edges.v),
        "international_share": crossing_share(network, "country", edges.u, edges.v),
        "sector_mix": sector_mix(network, edges.u, edges.v),
        "edge_types": edges.type_counts,
        "ties": network.tie_count,
        "self_loops_dropped": edges.self_loops,
        "parallel_ties_merged": edges.merged,
        "betweenness_method": method,
        "seed": seed,
    }
    yearly = compute_by_fiscal_year(network) if by_fiscal_year else []
    summary["undated_ties"] = int((network.start_fy == NO_YEAR).sum())
    return NetworkMetrics(
        graph=summary,
        degree=degree,
        strength=strength,
        betweenness=betweenness,
        community=community,
        by_fiscal_year=yearly,
    )


def fiscal_years(network: Network) -> list[int]:
    starts = network.start_fy[network.start_fy != NO_YEAR]
    if starts.shape[0] == 0:
        return []
    ends = network.end_fy[(network.end_fy != NO_YEAR) & (network.start_fy != NO_YEAR)]
    last = int(max(starts.max(), ends.max() if ends.shape[0] else 0))
    return list(range(int(starts.min()), last + 1))


def compute_by_fiscal_year(network: Network) -> list[dict[str, Any]]:
    """Step 7: the dated ties active in each fiscal year, as a growing network.

    The dated ties are sorted by pair once; each year then marks its active ties, folds them into
    active pairs with one `reduceat`, and counts components on a graph of all nodes, subtracting
    the nodes without a tie that year."""
    years = fiscal_years(network)
    if not years:
        return []
    n = network.node_count
    dated = np.flatnonzero((network.start_fy != NO_YEAR) & (network.source != network.target))
    u = np.minimum(network.source[dated], network.target[dated])
    v = np.maximum(network.source[dated], network.target[dated])
    order = np.argsort(u * n + v, kind="stable")
    key = (u * n + v)[order]
    start, end = network.start_fy[dated][order], network.end_fy[dated][order]
    first_of_pair = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if key.shape[0] else np.empty(0, np.int64)
    pair_u, pair_v = u[order][first_of_pair], v[order][first_of_pair]

    rows: list[dict[str, Any]] = []
    previous_edges = 0
    for year in years:
        active = (start <= year) & ((end == NO_YEAR) | (end >= year))
        pair_active = (
            np.logical_or.reduceat(active, first_of_pair) if first_of_pair.shape[0] else np.zeros(0, dtype=bool)
        )
        year_u, year_v = pair_u[pair_active], pair_v[pair_active]
        present = np.zeros(n, dtype=bool)
        present[year_u] = True
        present[year_v] = True
        nodes = int(present.sum())
        m = int(year_u.shape[0])
        graph = ig.Graph(n=n, edges=np.column_stack((year_u, year_v)), directed=False)
        rows.append(
            {
                "fiscal_year": year,
                "nodes": nodes,
                "edges": m,
                "new_ties": int((network.start_fy == year).sum()),
                "growth": m - previous_edges,
                "density": density(nodes, m),
                "components": len(graph.connected_components()) - (n - nodes),
                "cross_sector_share": crossing_share(network, "sector", year_u, year_v),
            }
        )
        previous_edges = m
    return rows
