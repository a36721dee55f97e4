"""Seeds and needs over the API: who lists, sees, creates, changes and deletes them, what anonymised
listings withhold, the filters, and bad input."""

from __future__ import annotations

import pytest

from renkei.matching import access
from renkei.matching.choices import ListingVisibility
from renkei.matching.models import Need, Seed
from tests.matching.listings import *  # noqa: F403

ROLES = ["anonymous", "participant", "coordinator_a", "hq_a", "hq_b", "national", "admin"]


def _ids(client, url, params=None):
    body = client.get(url, {"page_size": 500, **(params or {})})
    assert body.status_code == 200, body.json()
    return {row["id"] for row in body.json()["results"]}


# --- reading -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_each_role_lists_exactly_the_listings_the_pages_show(cast, listings, api, role):
    user = cast.users()[role]
    client = api(user)
    assert _ids(client, "/api/seeds/") == set(access.visible_seeds(user).values_list("pk", flat=True))
    assert _ids(client, "/api/needs/") == set(access.visible_needs(user).values_list("pk", flat=True))


def test_a_visitor_sees_public_listings_only(cast, listings, api):
    client = api(None)
    assert _ids(client, "/api/seeds/") == {listings.public_seed.pk, listings.anonymous_seed.pk}
    assert _ids(client, "/api/needs/") == {listings.public_need.pk}


def test_another_clusters_listing_is_not_found(cast, listings, api):
    client = api(cast.hq_b)
    assert client.get(f"/api/seeds/{listings.cluster_seed.pk}/").status_code == 404
    assert client.get(f"/api/needs/{listings.cluster_need.pk}/").status_code == 404
    assert api(cast.coordinator_a).get(f"/api/needs/{listings.b_coordinators_need.pk}/").status_code == 404
    assert api(cast.participant).get(f"/api/seeds/{listings.coordinators_seed.pk}/").status_code == 404
    assert api(cast.admin).get("/api/seeds/999999/").status_code == 404
    assert api(cast.admin).get("/api/seeds/abc/").status_code == 404


@pytest.mark.parametrize("role", ["anonymous", "participant", "hq_b"])
def test_an_anonymised_seed_never_names_its_owner_to_outsiders(cast, listings, api, role):
    seed = listings.anonymous_seed
    seed.researchers.set([cast.researcher_a])
    client = api(cast.users()[role])
    for row in (
        client.get(f"/api/seeds/{seed.pk}/").json(),
        next(r for r in client.get("/api/seeds/").json()["results"] if r["id"] == seed.pk),
    ):
        assert row["owner_hidden"] is True
        assert row["organisation"] is None and row["organisation_name"] is None
        assert row["researchers"] == []
        assert "アルファ大学" not in str(row) and "Alpha University" not in str(row)


@pytest.mark.parametrize("role", ["coordinator_a", "hq_a", "national", "admin"])
def test_an_anonymised_seed_names_its_owner_to_its_staff_and_national_officers(cast, listings, api, role):
    seed = listings.anonymous_seed
    seed.researchers.set([cast.researcher_a])
    row = api(cast.users()[role]).get(f"/api/seeds/{seed.pk}/").json()
    assert row["owner_hidden"] is False
    assert row["organisation"] == cast.university_a.pk
    assert row["organisation_name"] == cast.university_a.name
    assert row["researchers"] == [cast.researcher_a.pk]


def test_an_anonymised_need_hides_its_company_and_contact(cast, api):
    need = make_need(  # noqa: F405
        cast.company_a,
        clusters=[cast.cluster_a],
        visibility=ListingVisibility.PUBLIC,
        anonymised=True,
        contact=cast.participant_person,
    )
    outsider = api(None).get(f"/api/needs/{need.pk}/").json()
    assert (outsider["organisation"], outsider["organisation_name"], outsider["contact"]) == (None, None, None)
    insider = api(cast.hq_a).get(f"/api/needs/{need.pk}/").json()
    assert insider["organisation"] == cast.company_a.pk
    assert insider["contact"] == cast.participant_person.pk


def test_a_contact_the_reader_may_not_see_is_withheld(cast, api):
    need = make_need(  # noqa: F405
        cast.secret_company_a, clusters=[cast.cluster_a], visibility=ListingVisibility.PUBLIC, contact=cast.engineer_a
    )
    assert api(None).get(f"/api/needs/{need.pk}/").json()["contact"] is None
    assert api(cast.coordinator_a).get(f"/api/needs/{need.pk}/").json()["contact"] == cast.engineer_a.pk


def test_researchers_the_reader_may_not_see_are_left_out(cast, api):
    seed = make_seed(  # noqa: F405
        cast.university_a,
        clusters=[cast.cluster_a],
        researchers=[cast.researcher_a, cast.engineer_a],
        visibility=ListingVisibility.PUBLIC,
    )
    assert api(None).get(f"/api/seeds/{seed.pk}/").json()["researchers"] == [cast.researcher_a.pk]
    assert set(api(cast.hq_a).get(f"/api/seeds/{seed.pk}/").json()["researchers"]) == {
        cast.researcher_a.pk,
        cast.engineer_a.pk,
    }


# --- filters -------------------------------------------------------------------------------


def test_it_filters_by_text_field_cluster_stage_visibility_and_status(cast, listings, api):
    client = api(cast.national)
    listings.public_seed.fields.set([cast.cluster_a.fields.get()])
    listings.cluster_seed.stage = "prototype"
    listings.cluster_seed.save()
    assert _ids(client, "/api/seeds/", {"q": "糖鎖工学"}) == {listings.public_seed.pk}
    assert _ids(client, "/api/seeds/", {"field": "life-science"}) == {listings.public_seed.pk}
    assert _ids(client, "/api/seeds/", {"cluster": "cluster-b"}) == {listings.b_cluster_seed.pk}
    assert _ids(client, "/api/seeds/", {"stage": "prototype"}) == {listings.cluster_seed.pk}
    assert _ids(client, "/api/seeds/", {"visibility": "coordinators"}) == {listings.coordinators_seed.pk}
    listings.cluster_need.status = "closed"
    listings.cluster_need.save()
    assert _ids(client, "/api/needs/", {"status": "closed"}) == {listings.cluster_need.pk}
    assert _ids(client, "/api/needs/", {"updated_since": "2999-01-01"}) == set()
    assert listings.public_need.pk in _ids(client, "/api/needs/", {"updated_since": "2000-01-01"})


def test_owner_filters_never_match_an_anonymised_listing_for_outsiders(cast, listings, api):
    for params in ({"organisation_kind": "university"}, {"prefecture": "13"}, {"region": "kanto"}):
        outsider = _ids(api(None), "/api/seeds/", params)
        assert listings.public_seed.pk in outsider
        assert listings.anonymous_seed.pk not in outsider, params
        assert listings.anonymous_seed.pk in _ids(api(cast.coordinator_a), "/api/seeds/", params)
    assert _ids(api(cast.national), "/api/seeds/", {"organisation_kind": "sme"}) == {listings.b_cluster_seed.pk}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"stage": "nonsense"}, "stage"),
        ({"field": "no-such-field"}, "field"),
        ({"updated_since": "yesterday"}, "updated_since"),
        ({"organisation_kind": "alien"}, "organisation_kind"),
        ({"prefecture": "99"}, "prefecture"),
    ],
)
def test_a_bad_filter_is_a_400_naming_it(cast, listings, api, params, field):
    response = api(cast.national).get("/api/seeds/", params)
    assert response.status_code == 400
    assert field in response.json()


def test_lists_can_be_ordered_but_not_by_owner(cast, listings, api):
    client = api(cast.national)
    rows = client.get("/api/seeds/", {"ordering": "title_ja"}).json()["results"]
    assert [r["title_ja"] for r in rows] == sorted(r["title_ja"] for r in rows)
    by_owner = client.get("/api/seeds/", {"ordering": "organisation__name_ja"}).json()["results"]
    assert [r["id"] for r in by_owner] == [r["id"] for r in client.get("/api/seeds/").json()["results"]]


# --- writing -------------------------------------------------------------------------------


def _seed_body(cast, **extra):
    return {
        "organisation": cast.company_a.pk,
        "lang": "ja",
        "title_ja": "金型の微細加工",
        "summary_ja": "ミクロン精度の金型加工技術。",
        "keywords": "金型, 微細加工",
        "stage": "prototype",
        "trl": 5,
        "visibility": "public",
        "fields": ["life-science"],
        **extra,
    }


def test_a_participant_publishes_a_seed_of_their_company(cast, api):
    response = api(cast.participant).post("/api/seeds/", _seed_body(cast))
    assert response.status_code == 201, response.json()
    seed = Seed.objects.get(pk=response.json()["id"])
    assert list(seed.clusters.all()) == [cast.cluster_a]
    assert seed.created_by == cast.participant
    assert response.json()["keyword_list"] == ["金型", "微細加工"]
    assert response.json()["clusters"] == ["cluster-a"]
    assert seed.history.count() == 1 and seed.history.first().history_user == cast.participant


def test_a_participant_publishes_a_need(cast, api):
    body = {
        "organisation": cast.company_a.pk,
        "title_ja": "外観検査の自動化",
        "description_ja": "樹脂部品の外観検査を自動化したい。",
        "budget_min_yen": 1_000_000,
        "budget_max_yen": 3_000_000,
        "contact": cast.participant_person.pk,
        "visibility": "cluster",
    }
    response = api(cast.participant).post("/api/needs/", body)
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "open"
    assert response.json()["contact"] == cast.participant_person.pk


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ({"title_ja": "", "summary_ja": ""}, {"title_ja", "summary_ja"}),
        ({"trl": 12}, {"trl"}),
        ({"trl": "high"}, {"trl"}),
        ({"stage": "finished"}, {"stage"}),
        ({"fields": ["no-such-field"]}, {"fields"}),
        ({"clusters": ["cluster-b"]}, {"clusters"}),
        ({"organisation": "not theirs"}, {"organisation"}),
        ({"organisation": 999999}, {"organisation"}),
        ({"organisation": None}, {"organisation"}),
        ({"researchers": ["x"]}, {"researchers"}),
        ({"visibility": "everyone"}, {"visibility"}),
    ],
)
def test_a_bad_seed_is_a_400_naming_the_field_and_saves_nothing(cast, api, change, fields):
    if change.get("organisation") == "not theirs":
        change = {"organisation": cast.public_company_b.pk}
    response = api(cast.participant).post("/api/seeds/", _seed_body(cast, **change))
    assert response.status_code == 400
    assert fields <= set(response.json()), response.json()
    assert not Seed.objects.exists()


def test_a_seed_without_an_organisation_is_refused(cast, api):
    body = _seed_body(cast)
    del body["organisation"]
    response = api(cast.participant).post("/api/seeds/", body)
    assert response.status_code == 400 and "organisation" in response.json()


def test_an_upside_down_budget_is_refused(cast, api):
    body = {
        "organisation": cast.company_a.pk,
        "title_ja": "検査",
        "description_ja": "外観検査",
        "budget_min_yen": 3_000_000,
        "budget_max_yen": 100,
    }
    response = api(cast.participant).post("/api/needs/", body)
    assert response.status_code == 400 and "budget_max_yen" in response.json()
    assert not Need.objects.exists()


def test_a_hidden_contact_reads_as_unknown(cast, api):
    body = {"organisation": cast.company_a.pk, "title_ja": "検査", "description_ja": "外観", "contact": 0}
    body["contact"] = cast.engineer_b.pk
    response = api(cast.participant).post("/api/needs/", body)
    assert response.status_code == 400 and "contact" in response.json()


def test_a_partial_update_keeps_the_clusters(cast, listings, api):
    seed = listings.public_seed
    seed.clusters.set([cast.cluster_a])
    cast.university_a.memberships.create(cluster=cast.cluster_b)
    response = api(cast.hq_a).patch(f"/api/seeds/{seed.pk}/", {"title_en": "Glycan diagnostics"})
    assert response.status_code == 200, response.json()
    seed.refresh_from_db()
    assert seed.title_en == "Glycan diagnostics"
    assert list(seed.clusters.all()) == [cast.cluster_a]


def test_editing_someone_elses_listing_is_forbidden(cast, listings, api):
    response = api(cast.participant).patch(f"/api/seeds/{listings.public_seed.pk}/", {"title_ja": "乗っ取り"})
    assert response.status_code == 403
    assert (
        api(cast.coordinator_a).patch(f"/api/needs/{listings.public_need.pk}/", {"status": "closed"}).status_code == 403
    )
    assert api(None).patch(f"/api/needs/{listings.public_need.pk}/", {"status": "closed"}).status_code == 401
    listings.public_seed.refresh_from_db()
    listings.public_need.refresh_from_db()
    assert listings.public_seed.title_ja == "糖鎖工学による診断薬"
    assert listings.public_need.status == "open"


def test_the_owner_closes_their_need(cast, listings, api):
    response = api(cast.participant).patch(f"/api/needs/{listings.public_need.pk}/", {"status": "closed"})
    assert response.status_code == 200
    listings.public_need.refresh_from_db()
    assert listings.public_need.status == "closed"


def test_deleting_goes_through_the_owners(cast, listings, api):
    need = listings.public_need
    assert api(cast.hq_b).delete(f"/api/needs/{need.pk}/").status_code == 403
    assert api(cast.hq_b).delete(f"/api/needs/{listings.cluster_need.pk}/").status_code == 404
    assert api(None).delete(f"/api/needs/{need.pk}/").status_code == 401
    assert api(cast.participant).delete(f"/api/needs/{need.pk}/").status_code == 204
    assert not Need.objects.filter(pk=need.pk).exists()


def test_coordinators_and_national_officers_publish_nothing(cast, api):
    for user in (cast.coordinator_a, cast.national):
        assert api(user).post("/api/seeds/", _seed_body(cast)).status_code == 403
    assert api(None).post("/api/seeds/", _seed_body(cast)).status_code == 401


def test_every_matching_endpoint_is_documented():
    from tests.api.schema_check import openapi_schema

    paths = openapi_schema()["paths"]
    for path, methods in {
        "/api/seeds/": {"get", "post"},
        "/api/seeds/{id}/": {"get", "put", "patch", "delete"},
        "/api/needs/{id}/": {"get", "put", "patch", "delete"},
        "/api/needs/{id}/suggestions/": {"get"},
        "/api/needs/{id}/suggestions/feedback/": {"post"},
        "/api/matching/search/": {"get"},
        "/api/expressions-of-interest/": {"get", "post"},
        "/api/expressions-of-interest/{id}/decline/": {"post"},
        "/api/alerts/": {"get", "post"},
        "/api/alerts/{id}/": {"get", "delete"},
        "/api/inbox/": {"get"},
        "/api/inbox/{id}/read/": {"post"},
    }.items():
        assert methods <= set(paths[path]), path
    search = {p["name"] for p in paths["/api/matching/search/"]["get"]["parameters"]}
    assert {"q", "kind", "field", "prefecture", "region", "organisation_kind", "cluster", "stage", "since"} <= search
