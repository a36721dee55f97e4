"""Programmes, clusters, memberships, HQ positions and budgets over the API."""

from __future__ import annotations

from renkei.programs.models import Budget, Cluster, Membership


def test_clusters_are_looked_up_by_code(cast, api):
    body = api(None).get("/api/clusters/cluster-a/").json()
    assert (body["code"], body["name_ja"], body["name_en"], body["programme"]) == (
        "cluster-a",
        "Aクラスター",
        "Cluster A",
        "test-programme",
    )
    assert body["fields"] == ["life-science"]
    assert body["bureau_region"] == "kanto"
    assert body["promotion_organisation"] == cast.hq_org_a.pk


def test_an_unknown_cluster_is_not_found(cast, api):
    assert api(cast.admin).get("/api/clusters/no-such-cluster/").status_code == 404
    assert api(cast.admin).patch("/api/clusters/no-such-cluster/", {"theme": "x"}).status_code == 404


def test_hq_staff_update_their_cluster_and_its_many_to_many_fields(cast, api):
    response = api(cast.hq_a).patch("/api/clusters/cluster-a/", {"theme": "糖鎖", "prefectures": ["13"], "fields": []})
    assert response.status_code == 200, response.json()
    cluster = Cluster.objects.get(code="cluster-a")
    assert cluster.theme == "糖鎖"
    assert [p.code for p in cluster.prefectures.all()] == ["13"]
    assert not cluster.fields.exists()
    assert response.json()["fields"] == []


def test_a_cluster_period_cannot_end_before_it_starts(cast, api):
    response = api(cast.national).patch("/api/clusters/cluster-a/", {"start_fy": 2006, "end_fy": 2005})
    assert response.status_code == 400
    assert "end_fy" in response.json()


def test_a_fiscal_year_out_of_range_is_rejected(cast, api):
    response = api(cast.national).post(
        "/api/programmes/",
        {"code": "old", "name_ja": "古い", "name_en": "Old", "ministry": "meti", "start_fy": 1900},
    )
    assert response.status_code == 400
    assert "start_fy" in response.json()


def test_a_duplicate_cluster_code_is_rejected(cast, api):
    response = api(cast.national).post(
        "/api/clusters/", {"code": "cluster-a", "programme": "test-programme", "name_en": "Again"}
    )
    assert response.status_code == 400
    assert "code" in response.json()


def test_a_membership_cannot_end_before_it_starts(cast, api):
    response = api(cast.hq_a).post(
        "/api/memberships/",
        {
            "cluster": "cluster-a",
            "organisation": cast.public_company_b.pk,
            "start_on": "2004-04-01",
            "end_on": "2003-04-01",
        },
    )
    assert response.status_code == 400
    assert list(response.json()) == ["end_on"]
    assert not Membership.objects.filter(cluster=cast.cluster_a, organisation=cast.public_company_b).exists()


def test_an_update_that_makes_a_membership_end_before_it_starts_is_rejected(cast, api):
    membership = Membership.objects.get(cluster=cast.cluster_a, organisation=cast.company_a)
    client = api(cast.hq_a)
    assert client.patch(f"/api/memberships/{membership.pk}/", {"start_on": "2004-04-01"}).status_code == 200
    response = client.patch(f"/api/memberships/{membership.pk}/", {"end_on": "2004-03-31"})
    assert response.status_code == 400
    assert "end_on" in response.json()


def test_the_same_membership_twice_is_rejected(cast, api):
    response = api(cast.hq_a).post(
        "/api/memberships/", {"cluster": "cluster-a", "organisation": cast.company_a.pk, "role": "member"}
    )
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_memberships_filter_by_cluster_code(cast, api):
    results = api(cast.national).get("/api/memberships/", {"cluster": "cluster-b"}).json()["results"]
    assert {row["organisation"] for row in results} == {cast.secret_company_b.pk, cast.public_company_b.pk}


def test_a_budget_in_yen_by_fiscal_year(cast, api):
    response = api(cast.hq_a).post(
        "/api/budgets/", {"cluster": "cluster-a", "fiscal_year": 2003, "source": "local", "amount_yen": 100_000_000}
    )
    assert response.status_code == 201, response.json()
    assert response.json()["amount_yen"] == 100_000_000
    results = api(None).get("/api/budgets/", {"cluster": "cluster-a", "ordering": "fiscal_year"}).json()["results"]
    assert [(row["fiscal_year"], row["amount_yen"]) for row in results] == [(2002, 500_000_000), (2003, 100_000_000)]


def test_a_negative_budget_is_rejected(cast, api):
    response = api(cast.hq_a).post("/api/budgets/", {"cluster": "cluster-a", "fiscal_year": 2004, "amount_yen": -1})
    assert response.status_code == 400
    assert "amount_yen" in response.json()


def test_the_same_budget_line_twice_is_rejected(cast, api):
    response = api(cast.hq_a).post("/api/budgets/", {"cluster": "cluster-a", "fiscal_year": 2002, "amount_yen": 1})
    assert response.status_code == 400
    assert Budget.objects.count() == 1


def test_an_hq_position_needs_a_visible_person(cast, api):
    response = api(cast.hq_b).post(
        "/api/hq-positions/", {"cluster": "cluster-b", "person": cast.engineer_a.pk, "kind": "coordinator"}
    )
    assert response.status_code == 400
    assert "person" in response.json()


def test_programmes_are_looked_up_by_code_and_filter_by_ministry(cast, api):
    client = api(None)
    assert client.get("/api/programmes/test-programme/").json()["ministry"] == "meti"
    assert client.get("/api/programmes/", {"ministry": "mext"}).json()["count"] == 0
    assert client.get("/api/programmes/", {"ministry": "meti"}).json()["count"] == 1


def test_a_programme_period_cannot_end_before_it_starts(cast, api):
    response = api(cast.national).patch("/api/programmes/test-programme/", {"end_fy": 1999})
    assert response.status_code == 400
    assert "end_fy" in response.json()
