"""Betweenness from igraph against a brute-force count of shortest paths on random small graphs."""

from __future__ import annotations

from collections import deque
from itertools import combinations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from renkei.network.graph import NetworkBuilder
from renkei.network.metrics import compute_metrics


def brute_force_betweenness(n: int, pairs: list[tuple[int, int]]) -> list[float]:
    """Σ over pairs s<t of σ_st(v)/σ_st, divided by (n-1)(n-2)/2; loops dropped, parallels merged."""
    neighbours = [set() for _ in range(n)]
    for s, t in pairs:
        if s != t:
            neighbours[s].add(t)
            neighbours[t].add(s)
    distance, paths = [], []
    for source in range(n):
        d, sigma = [-1] * n, [0] * n
        d[source], sigma[source] = 0, 1
        queue = deque([source])
        while queue:
            node = queue.popleft()
            for other in neighbours[node]:
                if d[other] < 0:
                    d[other] = d[node] + 1
                    queue.append(other)
                if d[other] == d[node] + 1:
                    sigma[other] += sigma[node]
        distance.append(d)
        paths.append(sigma)
    score = [0.0] * n
    for s, t in combinations(range(n), 2):
        if distance[s][t] <= 0:
            continue
        for v in range(n):
            if v in (s, t) or distance[s][v] < 0 or distance[v][t] < 0:
                continue
            if distance[s][v] + distance[v][t] == distance[s][t]:
                score[v] += paths[s][v] * paths[v][t] / paths[s][t]
    pairs_count = (n - 1) * (n - 2) / 2
    return [value / pairs_count if n > 2 else 0.0 for value in score]


@st.composite
def small_graphs(draw):
    n = draw(st.integers(min_value=1, max_value=11))
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=30))
    return n, pairs


@settings(max_examples=150, deadline=None)
@given(small_graphs())
def test_betweenness_matches_a_brute_force_count(graph):
    n, pairs = graph
    builder = NetworkBuilder()
    for i in range(n):
        builder.node(str(i))
    builder.add_ties("tie", [str(s) for s, _ in pairs], [str(t) for _, t in pairs])
    metrics = compute_metrics(builder.build(), by_fiscal_year=False)

    assert metrics.betweenness.tolist() == pytest.approx(brute_force_betweenness(n, pairs), abs=1e-9)
    distinct = {frozenset(p) for p in pairs if p[0] != p[1]}
    assert metrics.graph["edges"] == len(distinct)
    assert metrics.degree.sum() == 2 * len(distinct)


def test_sampled_betweenness_estimates_the_exact_one_and_finds_the_same_brokers():
    rng = np.random.default_rng(7)
    # Ten dense groups of 60, chained by a few bridges: the bridge ends are the brokers.
    pairs = []
    for group in range(10):
        members = np.arange(group * 60, group * 60 + 60)
        for _ in range(400):
            s, t = rng.choice(members, 2, replace=False)
            pairs.append((str(s), str(t)))
        if group:
            pairs.append((str(group * 60), str(group * 60 - 1)))
    builder = NetworkBuilder()
    builder.add_ties("tie", [s for s, _ in pairs], [t for _, t in pairs])
    network = builder.build()

    exact = compute_metrics(network, by_fiscal_year=False)
    sampled = compute_metrics(network, by_fiscal_year=False, betweenness_samples=150)

    assert exact.graph["betweenness_method"] == "exact"
    assert sampled.graph["betweenness_method"] == "sampled (150 sources)"
    assert np.corrcoef(exact.betweenness, sampled.betweenness)[0, 1] > 0.95
    top_exact = set(np.argsort(-exact.betweenness)[:10].tolist())
    top_sampled = set(np.argsort(-sampled.betweenness)[:10].tolist())
    assert len(top_exact & top_sampled) >= 8
