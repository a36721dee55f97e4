"""Pagination, filtering, ordering and query counts of the API's lists."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from renkei.core.models import TechField
from renkei.directory.api.views import OrganisationViewSet, PersonViewSet
from renkei.directory.filters import OrganisationFilterSet, PersonFilterSet
from renkei.directory.models import Affiliation, Organisation, Person
from renkei.programs.api.views import ClusterViewSet
from renkei.programs.filters import ClusterFilterSet
from renkei.programs.models import Budget, HQPosition, Membership


def test_pages_and_the_api_filter_with_the_same_filtersets():
    assert OrganisationViewSet.filterset_class is OrganisationFilterSet
    assert PersonViewSet.filterset_class is PersonFilterSet
    assert ClusterViewSet.filterset_class is ClusterFilterSet


def test_it_paginates(cast, api):
    client = api(cast.national)
    first = client.get("/api/organisations/", {"page_size": 4, "ordering": "id"}).json()
    assert first["count"] == 6
    assert len(first["results"]) == 4
    assert first["previous"] is None
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 2
    assert second["next"] is None
    assert {r["id"] for r in first["results"]}.isdisjoint({r["id"] for r in second["results"]})


def test_a_page_past_the_end_is_not_found(cast, api):
    assert api(cast.national).get("/api/organisations/", {"page": 99}).status_code == 404


def test_the_page_size_is_capped(cast, api):
    Organisation.objects.bulk_create(
        [Organisation(kind="sme", name_ja=f"会社{i}", visibility="public") for i in range(510)]
    )
    assert len(api(None).get("/api/organisations/", {"page_size": 10_000}).json()["results"]) == 500


def test_it_searches_names_in_japanese_english_and_kana(cast, api):
    client = api(cast.national)

    def names(q):
        return {row["name_en"] for row in client.get("/api/organisations/", {"q": q}).json()["results"]}

    assert names("アルファ大学") == {"Alpha University"}
    assert names("beta") == {"Hidden Beta Works", "Beta Devices"}
    people = client.get("/api/people/", {"q": "やまだ"}).json()["results"]
    assert [p["family_name_en"] for p in people] == ["Yamada"]


def test_it_filters_by_kind_cluster_prefecture_and_field(cast, api):
    client = api(cast.national)

    def names(**params):
        response = client.get("/api/organisations/", params)
        assert response.status_code == 200, response.json()
        return {row["name_en"] for row in response.json()["results"]}

    assert names(kind="university") == {"Alpha University"}
    assert names(cluster="cluster-b") == {"Hidden Beta Works", "Beta Devices"}
    assert len(names(prefecture="13")) == 6
    assert names(region="kanto") == names()
    assert names(programme="test-programme", kind="sme") == {
        "Alpha Precision",
        "Hidden Alpha Works",
        "Hidden Beta Works",
        "Beta Devices",
    }
    cast.university_a.fields.add(TechField.objects.get(code="life-science"))
    assert names(field="life-science") == {"Alpha University"}


def test_filters_never_widen_what_the_user_sees(cast, api):
    names = {row["name_en"] for row in api(None).get("/api/organisations/", {"cluster": "cluster-a"}).json()["results"]}
    assert names == {"Alpha University"}


def test_a_filter_value_of_the_wrong_kind_is_a_400(cast, api):
    response = api(cast.national).get("/api/organisations/", {"kind": "spaceship"})
    assert response.status_code == 400
    assert "kind" in response.json()
    response = api(cast.national).get("/api/budgets/", {"fiscal_year": "next"})
    assert response.status_code == 400


def test_it_orders(cast, api):
    client = api(cast.national)
    ordered = [row["name_en"] for row in client.get("/api/organisations/", {"ordering": "-name_en"}).json()["results"]]
    assert ordered == sorted(ordered, reverse=True)
    clusters = [row["code"] for row in client.get("/api/clusters/", {"ordering": "-code"}).json()["results"]]
    assert clusters == ["cluster-b", "cluster-a"]


def test_clusters_filter_by_programme_and_region(cast, api):
    client = api(None)
    assert client.get("/api/clusters/", {"programme": "test-programme"}).json()["count"] == 2
    assert client.get("/api/clusters/", {"q": "cluster a"}).json()["results"][0]["code"] == "cluster-a"
    assert client.get("/api/clusters/", {"region": "kanto"}).json()["count"] == 2


def _grow(cast, n: int) -> None:
    """Add n more of every record, each with the links a list shows."""
    field = TechField.objects.get(code="life-science")
    for i in range(n):
        organisation = Organisation.objects.create(
            kind="sme", name_ja=f"追加{i}", visibility="public", prefecture_id="13"
        )
        organisation.fields.add(field)
        person = Person.objects.create(family_name_ja=f"追加{i}", visibility="members")
        person.fields.add(field)
        Affiliation.objects.create(person=person, organisation=organisation)
        Membership.objects.create(cluster=cast.cluster_a, organisation=organisation)
        HQPosition.objects.create(cluster=cast.cluster_a, person=person, kind="adviser")
        Budget.objects.create(cluster=cast.cluster_a, fiscal_year=2010 + i, amount_yen=i)


LIST_URLS = [
    "/api/organisations/",
    "/api/people/",
    "/api/affiliations/",
    "/api/memberships/",
    "/api/hq-positions/",
    "/api/budgets/",
    "/api/clusters/",
    "/api/programmes/",
    "/api/prefectures/",
]


@pytest.mark.parametrize("role", ["hq_a", "coordinator_a", "national"])
def test_lists_make_the_same_number_of_queries_for_any_number_of_rows(cast, api, role):
    """No N+1: a list's query count does not grow with its rows."""
    client = api(cast.users()[role])

    def counts():
        result = {}
        for url in LIST_URLS:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            result[url] = len(queries)
        return result

    before = counts()
    _grow(cast, 5)
    assert counts() == before


@pytest.mark.parametrize(
    ("endpoint", "parameter", "hidden", "missing"),
    [
        ("/api/memberships/", "organisation", "secret_company_b", 999_999),
        ("/api/affiliations/", "organisation", "secret_company_b", 999_999),
        ("/api/affiliations/", "person", "engineer_b", 999_999),
        ("/api/hq-positions/", "person", "engineer_b", 999_999),
    ],
)
def test_filtering_by_a_hidden_record_answers_as_for_one_that_does_not_exist(
    cast, api, endpoint, parameter, hidden, missing
):
    client = api(cast.participant)
    for_hidden = client.get(endpoint, {parameter: getattr(cast, hidden).pk})
    for_missing = client.get(endpoint, {parameter: missing})

    assert for_hidden.status_code == for_missing.status_code == 200
    assert for_hidden.json()["results"] == for_missing.json()["results"] == []
