"""The platform's network built from memberships, HQ positions and affiliations of the test cast."""

from __future__ import annotations

import datetime as dt

import pytest

from renkei.directory.choices import OrganisationKind
from renkei.directory.models import Affiliation, Organisation
from renkei.network.builder import EDGE_SOURCES, build_platform_network, cluster_id, org_id, person_id
from renkei.network.metrics import compute_metrics
from renkei.network.services import NetworkScopeError, compute_platform_report, get_clusters
from renkei.programs.models import Membership


def ties(network) -> set[tuple[str, frozenset[str]]]:
    return {
        (network.types[c], frozenset((network.ids[s], network.ids[t])))
        for s, t, c in zip(network.source, network.target, network.type_code, strict=True)
    }


def test_cluster_a_holds_its_members_hq_and_their_people(cast):
    network = build_platform_network([cast.cluster_a])
    hq = org_id(cast.hq_org_a.pk)

    assert ties(network) == {
        ("membership", frozenset({org_id(cast.company_a.pk), hq})),
        ("membership", frozenset({org_id(cast.secret_company_a.pk), hq})),
        ("membership", frozenset({org_id(cast.university_a.pk), hq})),
        ("hq_position", frozenset({person_id(cast.researcher_a.pk), hq})),
        ("affiliation", frozenset({person_id(cast.researcher_a.pk), org_id(cast.university_a.pk)})),
        ("affiliation", frozenset({person_id(cast.engineer_a.pk), org_id(cast.secret_company_a.pk)})),
        ("affiliation", frozenset({person_id(cast.participant_person.pk), org_id(cast.company_a.pk)})),
    }


def test_cluster_option_keeps_the_other_cluster_out(cast):
    network = build_platform_network([cast.cluster_a])

    for outsider in (org_id(cast.secret_company_b.pk), org_id(cast.public_company_b.pk), person_id(cast.engineer_b.pk)):
        assert outsider not in network.ids
    assert not any(node.startswith("cluster:") for node in network.ids)


def test_a_cluster_without_promotion_organisation_is_its_own_hub(cast):
    network = build_platform_network([cast.cluster_b])
    hub = cluster_id(cast.cluster_b.code)

    assert set(network.ids) == {
        org_id(cast.secret_company_b.pk),
        org_id(cast.public_company_b.pk),
        person_id(cast.engineer_b.pk),
        hub,
    }
    assert network.kinds[network.ids.index(hub)] == "cluster"
    assert network.labels[network.ids.index(hub)] == str(cast.cluster_b)


def test_the_national_network_joins_both_clusters(cast):
    network = build_platform_network()
    metrics = compute_metrics(network)

    assert metrics.graph["nodes"] == 7 + 4
    assert metrics.graph["edges"] == 7 + 3
    assert metrics.graph["components"] == 2  # nothing ties cluster A to cluster B yet
    assert metrics.graph["edge_types"] == {"membership": 5, "hq_position": 1, "affiliation": 4}


def test_nodes_carry_sector_region_and_people_take_their_employers(cast):
    network = build_platform_network([cast.cluster_a])
    sector = network.attributes["sector"]
    region = network.attributes["region"]

    def at(node, category):
        return category.label(network.ids.index(node))

    assert at(org_id(cast.company_a.pk), sector) == "industry"
    assert at(org_id(cast.university_a.pk), sector) == "academia"
    assert at(org_id(cast.hq_org_a.pk), sector) == "support"
    assert at(person_id(cast.researcher_a.pk), sector) == "academia"
    assert at(person_id(cast.engineer_a.pk), region) == "kanto"
    labels = dict(zip(network.ids, network.labels, strict=True))
    assert labels[org_id(cast.university_a.pk)] == str(cast.university_a)


def test_cluster_metrics_on_the_cast(cast):
    report = compute_platform_report([cast.cluster_a], scope="cluster:cluster-a")
    graph = report.metrics.graph

    assert (graph["nodes"], graph["edges"], graph["components"]) == (7, 7, 1)
    assert graph["density"] == pytest.approx(7 / 21)
    # Member and HQ ties cross from industry/academia to the support organisation; affiliations do not.
    assert graph["cross_sector_share"] == pytest.approx(4 / 7)
    assert graph["cross_region_share"] == 0.0
    assert graph["international_share"] == 0.0
    brokers = report.metrics.top_brokers(report.network, 1)
    assert brokers[0]["id"] == org_id(cast.hq_org_a.pk)
    assert brokers[0]["kind"] == "organisation"
    data = report.as_json()
    assert data["graph"]["scope"] == "cluster:cluster-a"
    assert {node["id"] for node in data["nodes"]} == set(report.network.ids)


def test_ties_are_dated_by_fiscal_year(cast):
    Membership.objects.filter(organisation=cast.company_a).update(start_on=dt.date(2003, 3, 31))
    Affiliation.objects.filter(person=cast.engineer_a).update(start_on=dt.date(2004, 4, 1), end_on=dt.date(2005, 1, 1))
    report = compute_platform_report([cast.cluster_a])

    rows = {row["fiscal_year"]: row for row in report.metrics.by_fiscal_year}
    assert list(rows) == [2001, 2002, 2003, 2004]
    # Undated memberships and the HQ position start with the cluster (FY2001); company_a's in
    # FY2002 (31 March 2003); the engineer's affiliation only in FY2004.
    assert rows[2001]["edges"] == 3
    assert rows[2002]["edges"] == 4
    assert rows[2004]["edges"] == 5
    assert rows[2004]["new_ties"] == 1
    assert report.metrics.graph["undated_ties"] == 2


def test_a_foreign_cluster_partner_makes_an_international_tie(cast):
    foreign = Organisation.objects.create(kind=OrganisationKind.FOREIGN_CLUSTER, name_en="Medicon Valley Alliance")
    Membership.objects.create(cluster=cast.cluster_a, organisation=foreign, role="partner")
    report = compute_platform_report([cast.cluster_a])

    assert report.metrics.graph["international_share"] == pytest.approx(1 / 8)


def test_building_takes_a_fixed_number_of_queries(cast, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        build_platform_network()


def test_every_edge_source_is_named_by_its_tie_type(cast):
    network = build_platform_network(sources=["affiliation"])
    assert network.types == ["affiliation"]
    assert set(EDGE_SOURCES) == {
        "membership",
        "hq_position",
        "affiliation",
        "interaction",
        "introduction",
        "event_meeting",
    }


def test_scope_names_are_checked(cast):
    assert get_clusters() is None
    assert get_clusters("cluster-a") == [cast.cluster_a]
    assert set(get_clusters(region_code="kanto")) == {cast.cluster_a, cast.cluster_b}
    with pytest.raises(NetworkScopeError, match="no cluster with the code 'nope'"):
        get_clusters("nope")
    with pytest.raises(NetworkScopeError, match="no cluster in the region 'kyushu'"):
        get_clusters(region_code="kyushu")
    with pytest.raises(NetworkScopeError, match="either a cluster or a region"):
        get_clusters("cluster-a", "kanto")
