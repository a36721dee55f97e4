"""`renkei network metrics` as a person runs it: a fresh process, its own data directory."""

from __future__ import annotations

import json

import pytest

from tests.core.test_cli import run_renkei

TIES = "source,target,weight,type\na,b,,visit\nb,c,2,call\na,c,1,visit\nc,d,1,visit\nd,d,4,visit\nb,a,3,call\n"


def test_metrics_of_an_edge_list_as_json(tmp_path):
    (tmp_path / "ties.csv").write_text(TIES, encoding="utf-8")
    result = run_renkei(["network", "metrics", "--edges", "ties.csv", "--json"], tmp_path, timeout=120)

    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    graph = data["graph"]
    assert (graph["nodes"], graph["edges"], graph["components"]) == (4, 4, 1)
    assert graph["density"] == pytest.approx(4 / 6)
    assert graph["cross_sector_share"] is None  # an edge list carries no sectors
    assert graph["self_loops_dropped"] == 1
    assert graph["parallel_ties_merged"] == 1
    nodes = {node["id"]: node for node in data["nodes"]}
    assert set(nodes) == {"a", "b", "c", "d"}
    # c alone links d to a and b: 2 of the (n-1)(n-2)/2 = 3 pairs.
    assert nodes["c"]["betweenness"] == pytest.approx(2 / 3)
    assert nodes["c"]["degree"] == 3
    assert nodes["a"]["strength"] == 5.0  # 1 (empty weight) + 3 merged into a–b, + 1 to c
    assert {"id", "degree", "betweenness", "community"} <= set(nodes["a"])
    assert isinstance(nodes["a"]["community"], int)
    assert graph["communities"] >= 1


def test_metrics_of_an_edge_list_as_a_table(tmp_path):
    (tmp_path / "ties.csv").write_text(TIES, encoding="utf-8")
    result = run_renkei(["network", "metrics", "--edges", "ties.csv", "--top", "2"], tmp_path, timeout=120)

    assert result.returncode == 0, result.stderr
    for words in ("Nodes", "Density", "Components", "Communities", "Top 2 brokers", "visit", "call"):
        assert words in result.stdout


def test_a_bad_edge_list_fails_with_the_line_and_no_traceback(tmp_path):
    # The reader's other messages are checked in test_edge_list.py; here, that they reach the user.
    (tmp_path / "ties.csv").write_text("source,target,weight,type\na,b,1,x\nb,c,lots,x\n", encoding="utf-8")
    message = "ties.csv line 3: the weight 'lots' is not a number"
    result = run_renkei(["network", "metrics", "--edges", "ties.csv", "--json"], tmp_path, timeout=120)

    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_a_file_in_shift_jis_is_refused(tmp_path):
    (tmp_path / "ties.csv").write_bytes("source,target,weight,type\n東京,大阪,1,x\n".encode("cp932"))
    result = run_renkei(["network", "metrics", "--edges", "ties.csv"], tmp_path, timeout=120)

    assert result.returncode != 0
    assert "line 2: the file is not UTF-8 text" in result.stderr
    assert "Traceback" not in result.stderr


def test_cluster_and_edges_cannot_be_combined(tmp_path):
    (tmp_path / "ties.csv").write_text(TIES, encoding="utf-8")
    result = run_renkei(["network", "metrics", "--edges", "ties.csv", "--cluster", "x"], tmp_path, timeout=120)

    assert result.returncode != 0
    assert "--cluster and --region apply to the platform's records" in result.stderr


def test_platform_metrics_on_a_fresh_database(tmp_path):
    assert run_renkei(["migrate", "-v", "0"], tmp_path, timeout=300).returncode == 0

    result = run_renkei(["network", "metrics", "--json"], tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["graph"]["scope"] == "national"
    assert data["graph"]["nodes"] == 0
    assert data["nodes"] == []

    missing = run_renkei(["network", "metrics", "--cluster", "no-such-cluster"], tmp_path, timeout=120)
    assert missing.returncode != 0
    assert "there is no cluster with the code 'no-such-cluster'" in missing.stderr
