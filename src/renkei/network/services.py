"""Reading the network: which clusters a request names, and the metrics of that part of the graph.

The command line and (later) the explorer call these; both get the same figures."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from renkei.network.builder import build_platform_network
from renkei.network.edgelist import read_edge_list
from renkei.network.graph import Network
from renkei.network.metrics import DEFAULT_SEED, NetworkMetrics, compute_metrics
from renkei.programs.models import Cluster


class NetworkScopeError(ValueError):
    """The request names a cluster or region that does not exist, or options that cannot combine."""


@dataclass
class NetworkReport:
    network: Network
    metrics: NetworkMetrics
    scope: str  # "national", "cluster:CODE", "region:CODE" or "edges:FILE"

    def as_json(self) -> dict:
        data = self.metrics.as_json(self.network)
        data["graph"] = {"scope": self.scope, **data["graph"]}
        return data


def get_clusters(cluster_code: str | None = None, region_code: str | None = None) -> list[Cluster] | None:
    """The clusters named by a cluster or bureau-region code; None means the whole country."""
    if cluster_code and region_code:
        raise NetworkScopeError("give either a cluster or a region, not both")
    if cluster_code:
        cluster = Cluster.objects.filter(code=cluster_code).first()
        if cluster is None:
            raise NetworkScopeError(f"there is no cluster with the code {cluster_code!r}")
        return [cluster]
    if region_code:
        clusters = list(Cluster.objects.filter(bureau_region__code=region_code))
        if not clusters:
            raise NetworkScopeError(f"there is no cluster in the region {region_code!r}")
        return clusters
    return None


def compute_platform_report(
    clusters: list[Cluster] | None = None,
    *,
    scope: str = "national",
    seed: int = DEFAULT_SEED,
    betweenness_samples: int | None = None,
) -> NetworkReport:
    network = build_platform_network(clusters)
    return NetworkReport(network, compute_metrics(network, seed=seed, betweenness_samples=betweenness_samples), scope)


def compute_edge_list_report(
    path: str | Path, *, seed: int = DEFAULT_SEED, betweenness_samples: int | None = None
) -> NetworkReport:
    """Metrics of an edge list from elsewhere; raises EdgeListError naming the bad line."""
    network = read_edge_list(path)
    metrics = compute_metrics(network, seed=seed, betweenness_samples=betweenness_samples)
    return NetworkReport(network, metrics, f"edges:{Path(path).name}")
