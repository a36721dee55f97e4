"""The network explorer: who may open it, what each user sees of the graph, its figures and exports."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET

import igraph as ig
import pytest
from django.urls import reverse

from renkei.network import explorer
from renkei.network.builder import build_platform_network
from renkei.network.edgelist import parse_edge_list
from renkei.network.services import compute_platform_report, get_clusters

pytestmark = pytest.mark.django_db

URL = "/ja/network/"


def drawn_json(response) -> dict:
    match = re.search(r'<script id="network-figure" type="application/json">(.*?)</script>', response.content.decode())
    assert match, "the page carries the figure as JSON"
    return json.loads(match.group(1))


def drawn_urls(figure: dict) -> set[str]:
    return {url for trace in figure["data"] for url in trace.get("customdata") or []}


def org_url(org) -> str:
    return reverse("directory:organisation_detail", args=[org.pk])


def person_url(person) -> str:
    return reverse("directory:person_detail", args=[person.pk])


# --- who may open it ----------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_sign_in(cast, client_for):
    client = client_for(None)
    for url in (URL, "/ja/network/export/csv/"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login" in response["Location"]


def test_participant_gets_no_explorer(cast, client_for):
    client = client_for(cast.participant)
    assert client.get(URL).status_code == 403
    assert client.get("/ja/network/export/graphml/?cluster=cluster-a").status_code == 403


def test_nav_links_the_explorer_for_staff_only(cast, client_for):
    link = 'href="/ja/network/"'
    assert link in client_for(cast.hq_a).get("/ja/").content.decode()
    assert link in client_for(cast.coordinator_a).get("/ja/").content.decode()
    assert link not in client_for(cast.participant).get("/ja/").content.decode()


# --- what each user sees ------------------------------------------------------------------


def test_hq_of_cluster_a_sees_cluster_a_and_nothing_of_b(cast, client_for):
    response = client_for(cast.hq_a).get(URL)
    assert response.status_code == 200
    urls = drawn_urls(drawn_json(response))
    assert {org_url(cast.hq_org_a), org_url(cast.company_a), org_url(cast.university_a)} <= urls
    assert person_url(cast.researcher_a) in urls
    assert org_url(cast.public_company_b) not in urls
    assert org_url(cast.secret_company_b) not in urls
    assert person_url(cast.engineer_b) not in urls
    page = response.content.decode()
    for hidden in ("秘密ベータ工業", "ベータデバイス", "鈴木", "Hidden Beta Works", "Beta Devices"):
        assert hidden not in page
    assert response.context["node_total"] == 7  # the cluster's whole network, as the engine builds it


def test_hq_of_cluster_a_cannot_ask_for_cluster_b(cast, client_for):
    client = client_for(cast.hq_a)
    response = client.get(URL, {"cluster": "cluster-b"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-field="cluster"' in page
    assert "ベータデバイス" not in page and "network-figure" not in page
    for fmt in ("graphml", "gexf", "csv"):
        export = client.get(f"/ja/network/export/{fmt}/", {"cluster": "cluster-b"})
        assert export.status_code == 400
        assert export.content.decode().startswith("cluster:")
        assert "Beta" not in export.content.decode()


def test_compute_refuses_a_cluster_outside_the_users_scope(cast):
    request = explorer.ExplorerRequest(clusters=[cast.cluster_b])
    with pytest.raises(explorer.PermissionDenied):
        explorer.compute_visible_network(cast.hq_a, request)


def test_nodes_the_user_may_not_see_are_dropped_with_their_ties(cast):
    # HQ of B may not see cluster A's restricted company nor its engineer.
    network = build_platform_network([cast.cluster_a])
    visible = explorer.visible_subnetwork(cast.hq_b, network, explorer.ExplorerRequest(clusters=[cast.cluster_a]))
    assert f"org:{cast.secret_company_a.pk}" in network.ids
    assert f"org:{cast.secret_company_a.pk}" not in visible.ids
    assert f"person:{cast.engineer_a.pk}" not in visible.ids
    assert f"org:{cast.university_a.pk}" in visible.ids
    assert visible.tie_count == network.tie_count - 2  # its membership and the engineer's affiliation
    assert "Hidden Alpha Works" not in explorer.export_csv(visible)


def test_national_officer_chooses_any_cluster(cast, client_for):
    response = client_for(cast.national).get(URL, {"cluster": "cluster-b"})
    assert response.status_code == 200
    urls = drawn_urls(drawn_json(response))
    assert org_url(cast.public_company_b) in urls and org_url(cast.secret_company_b) in urls
    assert org_url(cast.company_a) not in urls


# --- figures ------------------------------------------------------------------------------


def test_figures_equal_the_engines_on_the_same_graph(cast, client_for):
    response = client_for(cast.national).get(URL, {"cluster": "cluster-a"})
    engine = compute_platform_report(get_clusters("cluster-a")).metrics
    shown = {item["definition"].key: item["value"] for item in response.context["summary"]}
    assert set(shown) == {"nodes", "edges", "density", "components", "communities", "cross_sector_share"}
    for key, value in shown.items():
        assert value == engine.graph[key], key
    assert response.context["by_year"] == engine.by_fiscal_year
    report = compute_platform_report(get_clusters("cluster-a"))
    expected = [row["id"] for row in report.metrics.top_brokers(report.network, explorer.TOP_BROKERS)]
    assert [row["id"] for row in response.context["brokers"]] == expected
    page = response.content.decode()
    top = response.context["brokers"][0]
    assert f'href="{top["url"]}"' in page


def test_the_hq_sees_the_same_figures_as_the_engine_for_its_cluster(cast, client_for):
    response = client_for(cast.hq_a).get(URL, {"cluster": "cluster-a"})
    engine = compute_platform_report(get_clusters("cluster-a")).metrics.graph
    shown = {item["definition"].key: item["value"] for item in response.context["summary"]}
    assert shown["nodes"] == engine["nodes"] == 7
    assert shown["edges"] == engine["edges"]


def test_tie_type_and_period_filter_the_graph(cast, client_for):
    client = client_for(cast.hq_a)
    response = client.get(URL, {"cluster": "cluster-a", "edge_type": "affiliation"})
    graph = response.context["summary"]
    assert response.status_code == 200
    figures = {item["definition"].key: item["value"] for item in graph}
    assert figures["edges"] == 3  # three affiliations of cluster A's people; no membership ties
    assert org_url(cast.hq_org_a) not in drawn_urls(drawn_json(response))  # untied once memberships go
    # Cluster A's memberships date from FY2001 (its start); none before that.
    before = client.get(URL, {"cluster": "cluster-a", "edge_type": "membership", "to_fy": 2000})
    assert {item["definition"].key: item["value"] for item in before.context["summary"]}["edges"] == 0


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from_fy": "next year"}, "from_fy"),
        ({"from_fy": 2005, "to_fy": 2003}, "to_fy"),
        ({"edge_type": "gossip"}, "edge_type"),
        ({"cluster": "no-such-cluster"}, "cluster"),
    ],
)
def test_bad_filters_are_refused_naming_the_field(cast, client_for, params, field):
    client = client_for(cast.hq_a)
    response = client.get(URL, params)
    assert response.status_code == 400
    assert f'data-field="{field}"' in response.content.decode()
    export = client.get("/ja/network/export/csv/", params)
    assert export.status_code == 400
    assert export.content.decode().startswith(f"{field}:")


# --- drawing ------------------------------------------------------------------------------


def test_drawing_is_capped_by_degree_and_says_so(cast, client_for, monkeypatch):
    monkeypatch.setattr(explorer, "MAX_DRAWN_NODES", 3)
    response = client_for(cast.hq_a).get(URL, {"cluster": "cluster-a"})
    assert response.context["drawn"] == 3
    assert 'id="drawing-capped"' in response.content.decode()
    figure = drawn_json(response)
    markers = [t for t in figure["data"] if t["mode"] == "markers"]
    assert sum(len(t["x"]) for t in markers) == 3
    # the best connected is the promotion organisation (HQ of every membership)
    assert org_url(cast.hq_org_a) in drawn_urls(figure)
    assert all(t["type"] == "scattergl" for t in figure["data"])


def test_colour_by_community_or_sector(cast, client_for):
    client = client_for(cast.hq_a)
    by_sector = drawn_json(client.get(URL, {"cluster": "cluster-a", "colour": "sector"}))
    by_community = drawn_json(client.get(URL, {"cluster": "cluster-a", "colour": "community"}))
    sectors = {t["name"] for t in by_sector["data"] if t["mode"] == "markers"}
    assert sectors == {explorer.sector_label(s) for s in ("industry", "academia", "support")}
    names = [t["name"] for t in by_community["data"] if t["mode"] == "markers"]
    assert len(names) == 3  # cluster A has three communities (docs/network.md)


def test_layout_is_repeatable(cast):
    request = explorer.ExplorerRequest(clusters=[cast.cluster_a])
    view = explorer.compute_explorer_view(cast.hq_a, request)
    first, _ = explorer.network_figure(view)
    second, _ = explorer.network_figure(view)
    assert first["data"][1]["x"] == second["data"][1]["x"]


# --- exports ------------------------------------------------------------------------------


def test_exports_parse_and_hold_only_what_the_user_sees(cast, client_for, tmp_path):
    client = client_for(cast.hq_a)
    page = client.get(URL)
    assert 'href="/ja/network/export/graphml/"' in page.content.decode()

    graphml = client.get("/ja/network/export/graphml/", {"cluster": "cluster-a"})
    assert graphml.status_code == 200
    assert "attachment" in graphml["Content-Disposition"]
    path = tmp_path / "network.graphml"
    path.write_bytes(graphml.content)
    graph = ig.Graph.Read_GraphML(str(path))
    ids = set(graph.vs["node_id"])
    assert f"org:{cast.company_a.pk}" in ids and f"person:{cast.researcher_a.pk}" in ids
    assert f"org:{cast.public_company_b.pk}" not in ids and f"org:{cast.secret_company_b.pk}" not in ids
    assert graph.vcount() == 7 and graph.ecount() == 7
    assert set(graph.es["type"]) == {"membership", "hq_position", "affiliation"}

    gexf = client.get("/ja/network/export/gexf/", {"cluster": "cluster-a"})
    root = ET.fromstring(gexf.content)  # noqa: S314  (our own export, in a test)
    ns = {"g": explorer.GEXF_NS}
    assert len(root.findall(".//g:node", ns)) == 7
    assert len(root.findall(".//g:edge", ns)) == 7
    assert "ベータ" not in gexf.content.decode()

    response = client.get("/ja/network/export/csv/", {"cluster": "cluster-a"})
    text = response.content.decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["source", "target", "weight", "type"]
    assert len(rows) == 8
    assert not any(f"org:{cast.public_company_b.pk}" in row for row in rows)
    # the edge list reads back into the same graph (as far as an edge list can carry it)
    reread = parse_edge_list(response.content)
    engine = compute_platform_report(get_clusters("cluster-a")).metrics.graph
    assert reread.tie_count == engine["ties"]


def test_unknown_export_format_is_404(cast, client_for):
    assert client_for(cast.hq_a).get("/ja/network/export/pdf/").status_code == 404


def test_the_page_speaks_english_too(cast, client_for, english):
    response = client_for(cast.coordinator_a).get("/en/network/", {"cluster": "cluster-a"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Network explorer" in page and "Top brokers" in page
    assert "Alpha University" in json.dumps(drawn_json(response), ensure_ascii=False)
