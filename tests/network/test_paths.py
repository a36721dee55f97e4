"""Who can introduce me? Shortest trusted paths: known answers on small hand-built graphs, the
trust weights and the hop limit, and what each reader may see of the platform's paths."""

from __future__ import annotations

import datetime

import numpy as np
import pytest

from renkei.brokerage import services as crm
from renkei.brokerage.choices import IntroductionStage
from renkei.directory.models import Affiliation
from renkei.network.builder import build_platform_network
from renkei.network.graph import Network, NetworkBuilder
from renkei.network.paths import TRUST, TrustedGraph, find_paths
from tests.brokerage.conftest import make_introduction


def typed_network(ties: list[tuple[str, str, str]], nodes: list[str] = ()) -> Network:
    """A network from (source, target, tie type) triples."""
    builder = NetworkBuilder()
    for node in nodes:
        builder.node(node)
    for source, target, tie_type in ties:
        builder.add_ties(tie_type, [source], [target])
    return builder.build()


def trusted(network: Network, hidden: tuple[str, ...] = ()) -> TrustedGraph:
    node_mask = np.array([node not in hidden for node in network.ids], dtype=bool)
    return TrustedGraph(network, node_mask, np.ones(network.tie_count, dtype=bool))


def route(path) -> list[str]:
    return [step.id for step in path.steps]


# --- known answers on small graphs -----------------------------------------------------------


def test_two_strong_ties_beat_one_shared_membership():
    graph = trusted(typed_network([("a", "b", "affiliation"), ("b", "c", "affiliation"), ("a", "c", "membership")]))

    paths = graph.paths("a", "c", top=3)

    assert [route(p) for p in paths] == [["a", "b", "c"], ["a", "c"]]
    assert [p.cost for p in paths] == pytest.approx([2.0, 1 / TRUST["membership"]])
    assert [p.hops for p in paths] == [2, 1]
    assert [s.tie for s in paths[0].steps] == [None, "affiliation", "affiliation"]
    assert paths[0].intermediaries[0].id == "b"


def test_costs_add_up_along_the_path():
    graph = trusted(
        typed_network(
            [
                ("a", "b", "coordination"),  # 1 / 0.8 = 1.25
                ("b", "c", "introduction"),  # 1 / 0.4 = 2.5
                ("a", "x", "membership"),  # 4
                ("x", "c", "affiliation"),  # 1
            ]
        )
    )
    paths = graph.paths("a", "c", top=5)
    assert [route(p) for p in paths] == [["a", "b", "c"], ["a", "x", "c"]]
    assert [p.cost for p in paths] == pytest.approx([3.75, 5.0])


def test_untrusted_tie_types_are_not_followed():
    graph = trusted(typed_network([("a", "b", "unspecified"), ("b", "c", "affiliation"), ("a", "x", "tie")]))
    assert graph.paths("a", "c") == []
    assert graph.paths("a", "b") == []


def test_parallel_ties_count_once_with_the_strongest_trust():
    graph = trusted(typed_network([("a", "b", "membership"), ("b", "a", "introduction_met"), ("a", "b", "tie")]))
    paths = graph.paths("a", "b", top=3)
    assert len(paths) == 1
    assert paths[0].cost == pytest.approx(1.0)
    assert paths[0].steps[1].tie == "introduction_met"


def test_the_hop_limit_cuts_longer_paths():
    chain = typed_network([("a", "b", "affiliation"), ("b", "c", "affiliation"), ("c", "d", "affiliation")])
    graph = trusted(chain)
    assert [route(p) for p in graph.paths("a", "d", max_hops=3)] == [["a", "b", "c", "d"]]
    assert graph.paths("a", "d", max_hops=2) == []


def test_within_the_hop_limit_a_costlier_short_path_is_still_found():
    graph = trusted(
        typed_network(
            [
                ("a", "b", "affiliation"),
                ("b", "c", "affiliation"),
                ("c", "d", "affiliation"),
                ("d", "e", "affiliation"),  # 4 hops, cost 4
                ("a", "m", "membership"),
                ("m", "e", "membership"),  # 2 hops, cost 8
            ]
        )
    )
    assert [route(p) for p in graph.paths("a", "e", max_hops=4, top=2)] == [
        ["a", "b", "c", "d", "e"],
        ["a", "m", "e"],
    ]
    assert [route(p) for p in graph.paths("a", "e", max_hops=3, top=2)] == [["a", "m", "e"]]


def test_hidden_nodes_are_never_on_a_path():
    network = typed_network(
        [("a", "h", "affiliation"), ("h", "c", "affiliation"), ("a", "m", "membership"), ("m", "c", "membership")]
    )
    assert route(trusted(network).paths("a", "c")[0]) == ["a", "h", "c"]
    paths = trusted(network, hidden=("h",)).paths("a", "c", top=5)
    assert [route(p) for p in paths] == [["a", "m", "c"]]
    assert trusted(network, hidden=("c",)).paths("a", "c") == []


def test_no_path_to_itself_to_an_unknown_node_or_across_components():
    graph = trusted(typed_network([("a", "b", "affiliation"), ("c", "d", "affiliation")], nodes=["lonely"]))
    assert graph.paths("a", "a") == []
    assert graph.paths("a", "nobody") == []
    assert graph.paths("a", "c") == []
    assert graph.paths("a", "lonely") == []


def test_top_limits_the_number_of_paths():
    ties = [("a", f"p{i}", "affiliation") for i in range(6)] + [(f"p{i}", "z", "affiliation") for i in range(6)]
    graph = trusted(typed_network(ties))
    assert len(graph.paths("a", "z", top=4)) == 4
    assert len(graph.paths("a", "z", top=10)) == 6


# --- the platform's paths and who sees them --------------------------------------------------

DAY = datetime.date(2026, 4, 10)


@pytest.fixture
def met_introduction(cast):
    """Coordinator A introduced Alpha Precision (cluster A) to Beta Devices (cluster B); they met."""
    introduction = make_introduction(
        cast.coordinator_a,
        cast.cluster_a,
        party_a_organisation=cast.company_a,
        party_b_organisation=cast.public_company_b,
    )
    crm.do_move_stage(cast.coordinator_a, introduction, IntroductionStage.MET, on=DAY)
    return introduction


def org(cast_org) -> tuple[str, int]:
    return ("organisation", cast_org.pk)


def test_the_builder_types_introductions_by_how_far_they_went(cast, met_introduction):
    make_introduction(
        cast.coordinator_a, cast.cluster_a, party_a_organisation=cast.secret_company_a, party_b_person=cast.researcher_a
    )
    network = build_platform_network()
    pairs = {
        (network.ids[int(s)], network.ids[int(t)], network.types[int(c)])
        for s, t, c in zip(network.source, network.target, network.type_code, strict=True)
    }
    assert (f"org:{cast.company_a.pk}", f"org:{cast.public_company_b.pk}", "introduction_met") in pairs
    assert (f"org:{cast.secret_company_a.pk}", f"person:{cast.researcher_a.pk}", "introduction") in pairs
    assert (f"user:{cast.coordinator_a.pk}", f"org:{cast.company_a.pk}", "coordination") in pairs
    crm_ties = np.isin(network.type_code, [network.types.index("introduction_met")])
    assert set(network.cluster[crm_ties].tolist()) == {cast.cluster_a.pk}


def test_the_coordinator_sees_the_path_their_introduction_opened(cast, met_introduction):
    paths = find_paths(cast.coordinator_a, org(cast.company_a), org(cast.public_company_b))
    assert [route(p) for p in paths][0] == [f"org:{cast.company_a.pk}", f"org:{cast.public_company_b.pk}"]
    assert paths[0].steps[1].tie == "introduction_met"
    # a second path goes through the coordinator, who knows both parties
    assert [f"org:{cast.company_a.pk}", f"user:{cast.coordinator_a.pk}", f"org:{cast.public_company_b.pk}"] in [
        route(p) for p in paths
    ]
    assert find_paths(cast.national, org(cast.company_a), org(cast.public_company_b))[0].hops == 1


def test_a_participant_never_sees_a_crm_derived_tie(cast, met_introduction):
    paths = find_paths(cast.participant, org(cast.company_a), org(cast.public_company_b))
    assert paths == []  # the two clusters share nothing but the CRM's introduction
    graph = TrustedGraph.for_user(cast.participant)
    assert not any(graph.network.types[int(c)] in ("coordination", "introduction_met") for c in graph.tie_type)


def test_another_clusters_staff_do_not_see_cluster_a_crm_ties(cast, met_introduction):
    assert find_paths(cast.hq_b, org(cast.company_a), org(cast.public_company_b)) == []


def test_a_person_the_reader_may_not_see_is_never_on_a_path(cast):
    # engineer B (restricted) works at Alpha University too and advises Beta Devices
    Affiliation.objects.create(person=cast.engineer_b, organisation=cast.university_a)
    Affiliation.objects.create(person=cast.engineer_b, organisation=cast.public_company_b)
    through_engineer = [
        f"org:{cast.university_a.pk}",
        f"person:{cast.engineer_b.pk}",
        f"org:{cast.public_company_b.pk}",
    ]

    for reader in (cast.coordinator_a, cast.hq_b, cast.national):  # engineer B is theirs to see
        paths = find_paths(reader, org(cast.university_a), org(cast.public_company_b))
        assert route(paths[0]) == through_engineer
        assert paths[0].steps[1].label == "鈴木 次郎"

    assert find_paths(cast.participant, org(cast.university_a), org(cast.public_company_b)) == []


def test_a_path_within_cluster_a_goes_through_its_research_director(cast):
    # Alpha Precision → the promotion council (membership) → Prof. Yamada (HQ) → Alpha University
    paths = find_paths(cast.participant, org(cast.company_a), org(cast.university_a), top=2)
    expected = [
        f"org:{cast.company_a.pk}",
        f"org:{cast.hq_org_a.pk}",
        f"person:{cast.researcher_a.pk}",
        f"org:{cast.university_a.pk}",
    ]
    assert route(paths[0]) == expected
    assert paths[0].cost == pytest.approx(4 + 1 + 1)
    assert route(paths[1]) == [f"org:{cast.company_a.pk}", f"org:{cast.hq_org_a.pk}", f"org:{cast.university_a.pk}"]
    assert paths[0].steps[2].url == f"/ja/directory/people/{cast.researcher_a.pk}/"


def test_an_end_the_reader_may_not_see_is_not_found(cast):
    from django.http import Http404

    with pytest.raises(Http404):
        find_paths(cast.participant, org(cast.company_a), org(cast.secret_company_b))
    with pytest.raises(Http404):
        find_paths(cast.hq_b, org(cast.secret_company_a), org(cast.public_company_b))


def test_an_empty_network_has_no_paths():
    assert trusted(typed_network([], nodes=["a", "b"])).paths("a", "b") == []
    assert trusted(typed_network([])).paths("a", "b") == []
