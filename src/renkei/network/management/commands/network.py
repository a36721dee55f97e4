"""`renkei network metrics`: the collaboration network's figures, for the platform or an edge list.

    renkei network metrics                          # the whole country
    renkei network metrics --cluster CODE --json    # one cluster, as JSON
    renkei network metrics --edges ties.csv         # a CSV edge list from elsewhere

Formats and the meaning of each figure: docs/network.md.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from renkei.network.edgelist import EdgeListError
from renkei.network.metrics import DEFAULT_SEED, GRAPH_METRICS
from renkei.network.services import (
    NetworkReport,
    NetworkScopeError,
    compute_edge_list_report,
    compute_platform_report,
    get_clusters,
)


class Command(BaseCommand):
    help = "Analyse the collaboration network (see `renkei network metrics --help`)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        metrics = actions.add_parser(
            "metrics",
            help="size, density, components, brokers, communities and cross-sector ties",
            description=(
                "Measure the platform's network (all clusters, one --cluster or one --region) or a CSV "
                "edge list (--edges, header source,target,weight,type; undirected; empty weight = 1)."
            ),
        )
        metrics.add_argument("--cluster", metavar="CODE", help="only this cluster's records")
        metrics.add_argument("--region", metavar="CODE", help="only the clusters of this bureau region")
        metrics.add_argument("--edges", metavar="FILE.csv", help="measure this edge list instead of the platform")
        metrics.add_argument("--json", action="store_true", help="print the figures as JSON")
        metrics.add_argument("--top", type=int, default=10, help="brokers listed in the summary (default 10)")
        metrics.add_argument("--seed", type=int, default=DEFAULT_SEED, help="seed of the community detection")
        metrics.add_argument(
            "--betweenness-samples",
            type=int,
            default=None,
            metavar="N",
            help="estimate betweenness from N source nodes (0 = exact; default: exact unless the graph is large)",
        )

    def handle(self, *args: object, **options: Any) -> None:
        # The command line speaks English throughout, like every renkei command; the metric
        # labels are shared with the (translated) web pages.
        with translation.override("en"):
            if options["action"] == "metrics":
                self._metrics(options)

    def _metrics(self, options: dict[str, Any]) -> None:
        if options["top"] < 0:
            raise CommandError("--top must not be negative")
        if options["betweenness_samples"] is not None and options["betweenness_samples"] < 0:
            raise CommandError("--betweenness-samples must not be negative")
        seed, samples = options["seed"], options["betweenness_samples"]
        try:
            if options["edges"]:
                if options["cluster"] or options["region"]:
                    raise CommandError("--cluster and --region apply to the platform's records, not to --edges")
                report = compute_edge_list_report(options["edges"], seed=seed, betweenness_samples=samples)
            else:
                clusters = get_clusters(options["cluster"], options["region"])
                scope = (
                    f"cluster:{options['cluster']}"
                    if options["cluster"]
                    else f"region:{options['region']}"
                    if options["region"]
                    else "national"
                )
                report = compute_platform_report(clusters, scope=scope, seed=seed, betweenness_samples=samples)
        except (EdgeListError, NetworkScopeError) as exc:
            raise CommandError(str(exc)) from None

        if options["json"]:
            self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False, allow_nan=False))
        else:
            self._print_summary(report, top=options["top"])

    def _print_summary(self, report: NetworkReport, top: int) -> None:
        console = Console(file=self.stdout, highlight=False, width=None if sys.stdout.isatty() else 120)
        graph = report.metrics.graph

        figures = Table(title=f"Network: {escape(report.scope)}", show_header=True)
        figures.add_column("figure")
        figures.add_column("value", justify="right")
        for metric in GRAPH_METRICS:
            figures.add_row(str(metric.label), _format(graph.get(metric.key), metric.unit))
        figures.add_row("Betweenness", escape(graph["betweenness_method"]))
        figures.add_row("Ties read", f"{graph['ties']:,}")
        figures.add_row("Parallel ties merged", f"{graph['parallel_ties_merged']:,}")
        figures.add_row("Self-loops dropped", f"{graph['self_loops_dropped']:,}")
        console.print(figures)

        if graph["edge_types"]:
            types = Table(title="Edges by type")
            types.add_column("type")
            types.add_column("edges", justify="right")
            for name, count in sorted(graph["edge_types"].items()):
                types.add_row(escape(name), f"{count:,}")
            console.print(types)

        if graph.get("sector_mix"):
            mix = Table(title="Edges by sectors joined")
            mix.add_column("sectors")
            mix.add_column("edges", justify="right")
            for pair, count in graph["sector_mix"].items():
                mix.add_row(pair, f"{count:,}")
            console.print(mix)

        if top:
            brokers = Table(title=f"Top {top} brokers (betweenness)")
            for column in ("id", "name", "degree", "betweenness", "community"):
                brokers.add_column(
                    column, justify="right" if column in {"degree", "betweenness", "community"} else "left"
                )
            for node in report.metrics.top_brokers(report.network, top):
                brokers.add_row(
                    escape(node["id"]),
                    escape(str(node.get("label", ""))),
                    str(node["degree"]),
                    f"{node['betweenness']:.4f}",
                    str(node["community"]),
                )
            console.print(brokers)

        if report.metrics.by_fiscal_year:
            years = Table(title="By fiscal year (ties active in the year)")
            for column in ("FY", "nodes", "edges", "new ties", "growth", "density", "components", "cross-sector"):
                years.add_column(column, justify="right")
            for row in report.metrics.by_fiscal_year:
                years.add_row(
                    str(row["fiscal_year"]),
                    f"{row['nodes']:,}",
                    f"{row['edges']:,}",
                    f"{row['new_ties']:,}",
                    f"{row['growth']:+,}",
                    _format(row["density"], "share"),
                    f"{row['components']:,}",
                    _format(row["cross_sector_share"], "share"),
                )
            console.print(years)


def _format(value: object, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "count":
        return f"{int(value):,}"  # type: ignore[call-overload]
    if unit == "share":
        return f"{float(value):.1%}" if float(value) >= 0.001 or value == 0 else f"{float(value):.2e}"  # type: ignore[arg-type]
    return f"{float(value):.4f}"  # type: ignore[arg-type]
