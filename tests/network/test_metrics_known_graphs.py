"""Metrics on small graphs whose answers were computed by hand."""

from __future__ import annotations

import pytest

from renkei.network.graph import NetworkBuilder
from renkei.network.metrics import compute_metrics
from tests.network.helpers import by_id, network_of

PATH = [("a", "b"), ("b", "c"), ("c", "d"), ("d", "e")]
STAR = [("hub", leaf) for leaf in ("p", "q", "r", "s")]
BRIDGED_TRIANGLES = [("a", "b"), ("b", "c"), ("a", "c"), ("c", "d"), ("d", "e"), ("e", "f"), ("d", "f")]


def test_path_of_five_has_brokers_in_the_middle():
    network = network_of(PATH)
    metrics = compute_metrics(network)

    # b lies on a–c, a–d, a–e (3 of 6 pairs not involving it); c on a–d, a–e, b–d, b–e (4 of 6).
    assert by_id(network, metrics.betweenness) == pytest.approx({"a": 0, "b": 0.5, "c": 4 / 6, "d": 0.5, "e": 0})
    assert by_id(network, metrics.degree) == {"a": 1, "b": 2, "c": 2, "d": 2, "e": 1}
    assert metrics.graph["nodes"] == 5
    assert metrics.graph["edges"] == 4
    assert metrics.graph["density"] == pytest.approx(4 / 10)
    assert metrics.graph["components"] == 1


def test_star_centre_lies_on_every_path_between_leaves():
    network = network_of(STAR)
    metrics = compute_metrics(network)

    assert by_id(network, metrics.betweenness) == pytest.approx({"hub": 1.0, "p": 0, "q": 0, "r": 0, "s": 0})
    assert by_id(network, metrics.degree)["hub"] == 4
    assert metrics.graph["density"] == pytest.approx(0.4)


def test_two_triangles_joined_by_a_bridge():
    network = network_of(BRIDGED_TRIANGLES, nodes=["loner"])
    metrics = compute_metrics(network)

    # c carries the 2 × 3 shortest paths from {a, b} to {d, e, f}, d those from {a, b, c} to {e, f}:
    # 6 pairs each, out of (n-1)(n-2)/2 = 15 pairs (7 nodes, the loner included).
    between = by_id(network, metrics.betweenness)
    assert between == pytest.approx({"a": 0, "b": 0, "c": 6 / 15, "d": 6 / 15, "e": 0, "f": 0, "loner": 0})
    assert metrics.graph["nodes"] == 7
    assert metrics.graph["edges"] == 7
    assert metrics.graph["density"] == pytest.approx(7 / 21)
    assert metrics.graph["components"] == 2
    assert metrics.graph["largest_component"] == 6
    community = by_id(network, metrics.community)
    assert community["a"] == community["b"] == community["c"]
    assert community["d"] == community["e"] == community["f"]
    assert community["a"] != community["d"]
    assert community["loner"] not in {community["a"], community["d"]}
    assert metrics.graph["communities"] == 3
    assert metrics.graph["modularity"] > 0.3


def test_communities_are_the_same_on_every_run_with_the_same_seed():
    pairs = [(f"n{i}", f"n{(i * 7 + 3) % 40}") for i in range(40)] + [(f"n{i}", f"n{i + 1}") for i in range(39)]
    first = compute_metrics(network_of(pairs))
    second = compute_metrics(network_of(pairs))

    assert first.community.tolist() == second.community.tolist()
    assert first.graph["modularity"] == second.graph["modularity"]


def test_parallel_ties_merge_with_summed_weights_and_self_loops_are_dropped():
    builder = NetworkBuilder()
    builder.add_ties("meeting", ["a", "b", "a", "c"], ["b", "a", "a", "b"], weights=[1, 2, 5, 1])
    network = builder.build()
    metrics = compute_metrics(network)

    assert metrics.graph["edges"] == 2  # a–b (three ties, one a loop) and b–c
    assert metrics.graph["parallel_ties_merged"] == 1
    assert metrics.graph["self_loops_dropped"] == 1
    assert by_id(network, metrics.strength) == {"a": 3.0, "b": 4.0, "c": 1.0}
    assert by_id(network, metrics.degree) == {"a": 1, "b": 2, "c": 1}  # distinct neighbours


def test_shares_count_only_ties_whose_ends_are_known():
    network = network_of(
        [("co", "uni"), ("co", "co2"), ("uni", "city"), ("co", "mystery")],
        sector={"co": "industry", "co2": "industry", "uni": "academia", "city": "government"},
        region={"co": "kanto", "co2": "kinki", "uni": "kanto", "city": "kanto", "mystery": "kanto"},
    )
    metrics = compute_metrics(network)

    assert metrics.graph["cross_sector_share"] == pytest.approx(2 / 3)  # the mystery tie is not counted
    assert metrics.graph["cross_region_share"] == pytest.approx(1 / 4)
    assert metrics.graph["cross_field_share"] is None  # nobody has a field
    assert metrics.graph["sector_mix"] == {"academia–government": 1, "academia–industry": 1, "industry–industry": 1}


def test_tiny_and_empty_graphs_do_not_divide_by_zero():
    empty = compute_metrics(NetworkBuilder().build())
    assert empty.graph["nodes"] == 0
    assert empty.graph["density"] == 0.0
    assert empty.graph["communities"] == 0

    pair = network_of([("a", "b")])
    metrics = compute_metrics(pair)
    assert metrics.betweenness.tolist() == [0.0, 0.0]
    assert metrics.graph["density"] == 1.0


def test_growth_by_fiscal_year_counts_the_ties_active_each_year():
    builder = NetworkBuilder()
    builder.add_ties(
        "tie",
        ["a", "b", "c", "a", "x"],
        ["b", "c", "d", "d", "y"],
        start_fy=[2003, 2004, 2004, 2006, None],
        end_fy=[None, 2004, None, None, None],
    )
    metrics = compute_metrics(builder.build())

    rows = {row["fiscal_year"]: row for row in metrics.by_fiscal_year}
    assert list(rows) == [2003, 2004, 2005, 2006]
    assert (rows[2003]["edges"], rows[2003]["nodes"], rows[2003]["new_ties"]) == (1, 2, 1)
    assert (rows[2004]["edges"], rows[2004]["nodes"], rows[2004]["growth"]) == (3, 4, 2)
    assert (rows[2005]["edges"], rows[2005]["components"], rows[2005]["growth"]) == (2, 2, -1)  # b–c ended
    assert (rows[2006]["edges"], rows[2006]["components"]) == (3, 1)
    assert metrics.graph["undated_ties"] == 1
