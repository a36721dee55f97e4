"""Network metrics at national scale: renkei's engine against igraph's raw calls on the same graph.

    .venv/bin/python benchmarks/network_metrics.py                 # 100k nodes, 1M ties
    .venv/bin/python benchmarks/network_metrics.py --quick         # 10k nodes, 100k ties
    .venv/bin/python benchmarks/network_metrics.py --nodes 50000 --ties 400000

The graph is generated (seeded): groups of 100 nodes, 80 % of ties inside a group, the rest
anywhere; a sector per node; ties dated FY2001–FY2010 with 20 % ended; weights 1–3. Each variant
runs in its own child process so its peak memory (max RSS) is its own:

- engine:  NetworkBuilder arrays → compute_metrics (everything `renkei network metrics` computes,
           by fiscal year included)
- raw:     the same figures with igraph's calls written out by hand (Graph, simplify with summed
           weights, components, degree, betweenness with the same sampled sources, Leiden with
           the same seed, modularity, the same yearly subgraphs)
- csv:     read_edge_list(CSV) → compute_metrics (no dates in the CSV format)
- raw-csv: igraph's Graph.Read_Ncol on the same ties → the raw calls (no yearly part)

Ratios: engine / raw and csv / raw-csv for time and for peak RSS (both include the interpreter
and imports, reported separately as the RSS before the work).

    .venv/bin/python benchmarks/network_metrics.py --demo          # the demo population

With --demo the script loads the demo at scale 1 (`renkei load_demo`) into a temporary data
directory (SQLite) and measures, each in its own child process:

- demo-engine: build_platform_network (every edge source, read from the database) →
               compute_metrics; it also writes the built ties to graph.npz for the next one
- demo-raw:    igraph's raw calls (as "raw" above) on those same ties
- demo-paths:  "Who can introduce me?": the trusted graph of a national officer and of a
               participant, then shortest trusted paths from needs' companies to other members
               of the need's clusters (per-query time)
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

SECTORS = ["industry", "academia", "government", "support"]


def generate(nodes: int, ties: int, seed: int = 1) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    group = 100
    inside = int(ties * 0.8)
    source = rng.integers(0, nodes, ties)
    target = np.empty(ties, dtype=np.int64)
    base = (source[:inside] // group) * group
    target[:inside] = np.minimum(base + rng.integers(0, group, inside), nodes - 1)
    target[inside:] = rng.integers(0, nodes, ties - inside)
    start = rng.integers(2001, 2011, ties).astype(np.int32)
    end = np.where(rng.random(ties) < 0.2, np.minimum(start + rng.integers(0, 4, ties), 2010), 0).astype(np.int32)
    return {
        "source": source,
        "target": target,
        "weight": rng.integers(1, 4, ties).astype(np.float64),
        "start": start,
        "end": end,
        "sector": rng.integers(0, len(SECTORS), nodes).astype(np.int32),
    }


def write_files(data: dict[str, np.ndarray], directory: Path) -> None:
    np.savez(directory / "graph.npz", **data)
    with open(directory / "ties.csv", "w", encoding="utf-8") as csv_file:
        csv_file.write("source,target,weight,type\n")
        for s, t, w in zip(data["source"].tolist(), data["target"].tolist(), data["weight"].tolist(), strict=True):
            csv_file.write(f"n{s},n{t},{w:g},tie\n")
    with open(directory / "ties.ncol", "w", encoding="utf-8") as ncol:
        for s, t, w in zip(data["source"].tolist(), data["target"].tolist(), data["weight"].tolist(), strict=True):
            ncol.write(f"n{s} n{t} {w:g}\n")


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- the variants, each run in a child process -------------------------------------------------


def run_engine(directory: Path, from_csv: bool) -> dict:
    from renkei.network.edgelist import read_edge_list
    from renkei.network.graph import Category, NetworkBuilder
    from renkei.network.metrics import compute_metrics

    data = dict(np.load(directory / "graph.npz"))
    before = peak_rss_mib()
    cpu_started = time.process_time()
    started = time.perf_counter()
    if from_csv:
        network = read_edge_list(directory / "ties.csv")
    else:
        builder = NetworkBuilder()
        for i in range(data["sector"].shape[0]):
            builder.node(f"n{i}")
        builder.add_arrays(
            data["source"], data["target"], data["weight"], np.zeros(data["source"].shape[0], np.int32), ["tie"]
        )
        network = builder.build()
        network.start_fy, network.end_fy = data["start"], data["end"]
        network.attributes = {"sector": Category(values=SECTORS, codes=data["sector"])}
    built = time.perf_counter()
    metrics = compute_metrics(network, by_fiscal_year=not from_csv)
    done = time.perf_counter()
    return {
        "build_s": built - started,
        "metrics_s": done - built,
        "total_s": done - started,
        "cpu_s": time.process_time() - cpu_started,
        "rss_before_mib": before,
        "peak_rss_mib": peak_rss_mib(),
        "edges": metrics.graph["edges"],
        "components": metrics.graph["components"],
        "communities": metrics.graph["communities"],
        "betweenness": metrics.graph["betweenness_method"],
        "years": len(metrics.by_fiscal_year),
    }


def run_raw(directory: Path, from_ncol: bool) -> dict:
    import igraph as ig

    from renkei.network.metrics import DEFAULT_SEED, betweenness_sources

    data = dict(np.load(directory / "graph.npz"))
    n = data["sector"].shape[0]
    before = peak_rss_mib()
    cpu_started = time.process_time()
    started = time.perf_counter()
    if from_ncol:
        graph = ig.Graph.Read_Ncol(str(directory / "ties.ncol"), names=True, weights=True, directed=False)
        n = graph.vcount()
    else:
        graph = ig.Graph(n=n, edges=np.column_stack((data["source"], data["target"])), directed=False)
        graph.es["weight"] = data["weight"]
    built = time.perf_counter()
    build_cpu = time.process_time() - cpu_started
    ties = None if from_ncol else np.column_stack((data["source"], data["target"]))
    graph.simplify(multiple=True, loops=True, combine_edges="sum")
    weights = graph.es["weight"]
    components = graph.connected_components()
    graph.degree()
    graph.strength(weights=weights)
    samples = betweenness_sources(n, graph.ecount())
    if samples is None:
        raw = np.asarray(graph.betweenness(directed=False))
    else:
        sources = np.random.default_rng(DEFAULT_SEED).choice(n, size=samples, replace=False).tolist()
        raw = np.asarray(graph.betweenness(directed=False, sources=sources)) * n / samples
    raw / ((n - 1) * (n - 2) / 2)
    ig.set_random_number_generator(random.Random(DEFAULT_SEED))
    partition = graph.community_leiden(objective_function="modularity", weights=weights, n_iterations=2)
    ig.set_random_number_generator(random)
    graph.modularity(partition.membership, weights=weights)
    pairs = np.asarray(graph.get_edgelist())
    if not from_ncol:
        sector = data["sector"]
        int((sector[pairs[:, 0]] != sector[pairs[:, 1]]).sum())
        dated = data["start"] != 0  # the demo has undated ties (0); the generated graph has none
        ended = dated & (data["end"] != 0)
        last = int(max(data["start"][dated].max(), data["end"][ended].max() if ended.any() else 0))
        for year in range(int(data["start"][dated].min()), last + 1):
            active = dated & (data["start"] <= year) & ((data["end"] == 0) | (data["end"] >= year))
            yearly = ig.Graph(n=n, edges=ties[active], directed=False)
            yearly.simplify(multiple=True, loops=True)
            isolated = int((np.asarray(yearly.degree()) == 0).sum())
            len(yearly.connected_components()) - isolated
            int((sector[ties[active][:, 0]] != sector[ties[active][:, 1]]).sum())
    done = time.perf_counter()
    return {
        "build_s": built - started,
        "metrics_s": done - built,
        "total_s": done - started,
        "cpu_s": time.process_time() - cpu_started,
        "build_cpu_s": build_cpu,
        "rss_before_mib": before,
        "peak_rss_mib": peak_rss_mib(),
        "edges": graph.ecount(),
        "components": len(components),
        "communities": len(set(partition.membership)),
    }


# --- the demo population ---------------------------------------------------------------------


def demo_env(directory: Path) -> dict[str, str]:
    env = {**os.environ, "RENKEI_DATA_DIR": str(directory / "data"), "OMP_NUM_THREADS": "1"}
    env.pop("RENKEI_DATABASE_URL", None)  # SQLite in the temporary data directory
    return env


def load_demo(directory: Path) -> None:
    renkei = [str(Path(sys.executable).parent / "renkei")]
    for command in (["migrate", "-v0"], ["load_demo", "--scale", "1"]):
        subprocess.run(renkei + command, check=True, env=demo_env(directory), cwd=ROOT, capture_output=True)


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renkei.settings")
    import django

    django.setup()


def run_demo_engine(directory: Path) -> dict:
    django_setup()
    from renkei.network.builder import build_platform_network
    from renkei.network.metrics import compute_metrics

    before = peak_rss_mib()
    cpu_started = time.process_time()
    started = time.perf_counter()
    network = build_platform_network()
    built = time.perf_counter()
    build_cpu = time.process_time() - cpu_started
    metrics = compute_metrics(network)
    done = time.perf_counter()
    cpu = time.process_time() - cpu_started
    sector = network.attributes["sector"].codes
    np.savez(
        directory / "graph.npz",
        source=network.source,
        target=network.target,
        weight=network.weight,
        start=network.start_fy,
        end=network.end_fy,
        sector=sector,
    )
    return {
        "build_s": built - started,
        "metrics_s": done - built,
        "total_s": done - started,
        "cpu_s": cpu,
        "build_cpu_s": build_cpu,
        "rss_before_mib": before,
        "peak_rss_mib": peak_rss_mib(),
        "nodes": network.node_count,
        "ties": network.tie_count,
        "edges": metrics.graph["edges"],
        "components": metrics.graph["components"],
        "communities": metrics.graph["communities"],
        "betweenness": metrics.graph["betweenness_method"],
        "years": len(metrics.by_fiscal_year),
    }


def run_demo_paths(queries: int = 200) -> dict:
    django_setup()
    from django.contrib.auth import get_user_model

    from renkei.matching.models import Need
    from renkei.network.builder import build_platform_network
    from renkei.network.paths import TrustedGraph, visible_node_mask, visible_tie_mask
    from renkei.programs.models import Membership

    network = build_platform_network()
    users = get_user_model().objects
    out: dict = {}
    for name in ("demo-national", "demo-participant"):
        user = users.get(username=name)
        started = time.perf_counter()
        graph = TrustedGraph(network, visible_node_mask(user, network), visible_tie_mask(user, network))
        out[f"trusted_graph_{name}_s"] = time.perf_counter() - started
        out[f"trusted_edges_{name}"] = graph.graph.ecount()
        if name == "demo-national":
            national = graph
    rng = random.Random(7)
    pairs = []
    for need in Need.objects.order_by("pk")[: queries // 2]:
        mates = list(
            Membership.objects.filter(cluster__in=need.clusters.all())
            .exclude(organisation_id=need.organisation_id)
            .values_list("organisation_id", flat=True)
        )
        for mate in rng.sample(mates, min(2, len(mates))):
            pairs.append((f"org:{need.organisation_id}", f"org:{mate}"))
    timings, found = [], 0
    cpu_started = time.process_time()
    for source, target in pairs:
        started = time.perf_counter()
        found += bool(national.paths(source, target))
        timings.append((time.perf_counter() - started) * 1000)
    cpu_ms = (time.process_time() - cpu_started) * 1000 / max(len(pairs), 1)
    timings.sort()
    out.update(
        {
            "queries": len(timings),
            "with_a_path": found,
            "mean_ms": sum(timings) / len(timings),
            "mean_cpu_ms": cpu_ms,
            "p50_ms": timings[len(timings) // 2],
            "p95_ms": timings[int(len(timings) * 0.95)],
            "peak_rss_mib": peak_rss_mib(),
        }
    )
    return out


def run_demo(variants: list[str]) -> None:
    with tempfile.TemporaryDirectory(prefix="renkei-network-demo-") as tmp:
        directory = Path(tmp)
        started = time.perf_counter()
        load_demo(directory)
        print(f"loaded the demo (scale 1) in {time.perf_counter() - started:.1f} s", flush=True)
        results = {}
        for variant in variants:
            out = subprocess.run(
                [sys.executable, __file__, "--child", variant, "--dir", str(directory)],
                capture_output=True,
                text=True,
                check=True,
                env=demo_env(directory),
                cwd=ROOT,
            )
            results[variant] = r = json.loads(out.stdout.strip().splitlines()[-1])
            if variant == "demo-paths":
                print(json.dumps(r, indent=1), flush=True)
                continue
            print(
                f"{variant:11} build {r['build_s']:6.2f} s  metrics {r['metrics_s']:6.2f} s"
                f"  total {r['total_s']:6.2f} s"
                f"  CPU {r['cpu_s']:6.2f} s  peak RSS {r['peak_rss_mib']:5.0f} MiB"
                f" (before work {r['rss_before_mib']:.0f})"
                f"  edges {r['edges']:,} components {r['components']:,} communities {r['communities']:,}"
                + (f"  nodes {r['nodes']:,} ties {r['ties']:,}" if "nodes" in r else ""),
                flush=True,
            )
    a, b = results.get("demo-engine"), results.get("demo-raw")
    if a and b:
        print(
            f"demo-engine / demo-raw: time {a['total_s'] / b['total_s']:.2f}×, "
            f"CPU {a['cpu_s'] / b['cpu_s']:.2f}×; metrics only: time {a['metrics_s'] / b['metrics_s']:.2f}×, CPU "
            f"{(a['cpu_s'] - a['build_cpu_s']) / (b['cpu_s'] - b['build_cpu_s']):.2f}× (build CPU: engine "
            f"{a['build_cpu_s']:.2f} s from the database, raw {b['build_cpu_s']:.2f} s from arrays); "
            f"peak RSS {a['peak_rss_mib'] / b['peak_rss_mib']:.2f}×, above the RSS before work "
            f"{(a['peak_rss_mib'] - a['rss_before_mib']) / (b['peak_rss_mib'] - b['rss_before_mib']):.2f}×"
        )
    print(f"load average: {os.getloadavg()[0]:.2f}")


def child(variant: str, directory: Path) -> dict:
    if variant == "demo-engine":
        return run_demo_engine(directory)
    if variant == "demo-raw":
        return run_raw(directory, from_ncol=False)
    if variant == "demo-paths":
        return run_demo_paths()
    if variant == "engine":
        return run_engine(directory, from_csv=False)
    if variant == "csv":
        return run_engine(directory, from_csv=True)
    if variant == "raw":
        return run_raw(directory, from_ncol=False)
    return run_raw(directory, from_ncol=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--ties", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="10k nodes, 100k ties")
    parser.add_argument("--variants", default="raw,engine,raw-csv,csv")
    parser.add_argument("--demo", action="store_true", help="the demo population at scale 1 (SQLite)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--dir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, Path(args.dir))))
        return
    if args.demo:
        run_demo(["demo-engine", "demo-raw", "demo-paths"])
        return
    nodes, ties = (10_000, 100_000) if args.quick else (args.nodes, args.ties)
    with tempfile.TemporaryDirectory(prefix="renkei-network-bench-") as tmp:
        directory = Path(tmp)
        started = time.perf_counter()
        write_files(generate(nodes, ties), directory)
        print(f"generated {nodes:,} nodes, {ties:,} ties in {time.perf_counter() - started:.1f} s", flush=True)
        results = {}
        for variant in args.variants.split(","):
            out = subprocess.run(
                [sys.executable, __file__, "--child", variant, "--dir", str(directory)],
                capture_output=True,
                text=True,
                check=True,
                env={**os.environ, "OMP_NUM_THREADS": "1"},
            )
            results[variant] = json.loads(out.stdout)
            r = results[variant]
            print(
                f"{variant:8} build {r['build_s']:6.2f} s  metrics {r['metrics_s']:6.2f} s  total {r['total_s']:6.2f} s"
                f"  CPU {r['cpu_s']:6.2f} s  peak RSS {r['peak_rss_mib']:5.0f} MiB"
                f" (before work {r['rss_before_mib']:.0f})"
                f"  edges {r['edges']:,} components {r['components']:,} communities {r['communities']:,}",
                flush=True,
            )
    for ours, raw in (("engine", "raw"), ("csv", "raw-csv")):
        if ours in results and raw in results:
            a, b = results[ours], results[raw]
            print(
                f"{ours} / {raw}: time {a['total_s'] / b['total_s']:.2f}×, CPU {a['cpu_s'] / b['cpu_s']:.2f}×, "
                f"peak RSS {a['peak_rss_mib'] / b['peak_rss_mib']:.2f}×"
            )
    print(f"load average: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
