"""Search and suggestions over the API: the same ranking as the pages, the reasons as plain text
with offsets, visibility and anonymity, coordinator feedback, and bad input."""

from __future__ import annotations

import pytest
from django.urls import reverse

from renkei.matching import indexing
from renkei.matching.choices import ListingVisibility, Stage
from renkei.matching.models import Feedback
from tests.matching.conftest import embedder  # noqa: F401 - the session's encoder, loaded once
from tests.matching.listings import *  # noqa: F403


@pytest.fixture
def built(cast, listings, index_env):
    """The cast's listings plus a few topical ones, indexed once for the test."""
    fuel = make_seed(  # noqa: F405
        cast.university_a,
        clusters=[cast.cluster_a],
        researchers=[cast.researcher_a],
        title_ja="白金を減らした燃料電池電極触媒",
        summary_ja="固体高分子形燃料電池の電極触媒で白金の使用量を大幅に減らす。",
        keywords="燃料電池, 電極触媒",
        stage=Stage.PROTOTYPE,
        visibility=ListingVisibility.PUBLIC,
    )
    welding = make_seed(  # noqa: F405
        cast.university_a,
        clusters=[cast.cluster_a],
        title_en="Ultrasonic welding of resin parts",
        summary_en="An ultrasonic welding method that joins resin parts of cars without adhesives.",
        lang="en",
        stage=Stage.PRACTICAL,
        visibility=ListingVisibility.PUBLIC,
    )
    anonymous_fuel = make_seed(  # noqa: F405
        cast.university_a,
        clusters=[cast.cluster_a],
        title_ja="燃料電池の匿名シーズ",
        summary_ja="燃料電池のセパレータ材料。",
        visibility=ListingVisibility.PUBLIC,
        anonymised=True,
    )
    cast.public_company_b.capability = "燃料電池セパレータの精密プレス加工"
    cast.public_company_b.save()
    indexing.rebuild()
    return {"fuel": fuel, "welding": welding, "anonymous_fuel": anonymous_fuel, "listings": listings}


def _search(client, **params):
    response = client.get("/api/matching/search/", params)
    assert response.status_code == 200, response.json()
    return response.json()


# --- search --------------------------------------------------------------------------------


def test_a_search_ranks_with_shared_terms_and_a_highlighted_passage(cast, api, built):
    body = _search(api(None), q="燃料電池の白金を減らしたい", kind="seed")
    assert body["index_ready"] is True
    assert body["count"] == len(body["results"]) > 0
    top = body["results"][0]
    assert (top["rank"], top["kind"], top["id"]) == (1, "seed", built["fuel"].pk)
    assert "燃料電池" in top["shared_terms"]
    assert top["url"] == built["fuel"].get_absolute_url()
    assert top["organisation"] == cast.university_a.pk
    passage = top["passage"]
    marked = [passage["text"][h["start"] : h["end"]] for h in passage["highlights"]]
    assert "燃料電池" in marked
    assert passage["found_by"] == "terms"
    scores = [r["score"] for r in body["results"]]
    assert scores == sorted(scores, reverse=True)


def test_an_english_query_finds_the_japanese_seed(cast, api, built):
    body = _search(api(None), q="fuel cell catalyst with less platinum", kind="seed")
    assert built["fuel"].pk in [r["id"] for r in body["results"][:2]]


def test_terms_shared_through_a_translation_carry_the_querys_wording(cast, api, built):
    body = _search(api(None), q="fuel cell catalyst with less platinum", kind="seed")
    [fuel] = [r for r in body["results"] if r["id"] == built["fuel"].pk]
    assert {"term": "燃料電池", "via": "fuel cell"} in fuel["shared_term_details"]
    assert [d["term"] for d in fuel["shared_term_details"]] == fuel["shared_terms"]
    direct = _search(api(None), q="燃料電池の白金を減らしたい", kind="seed")["results"][0]
    assert {"term": "燃料電池", "via": ""} in direct["shared_term_details"]


@pytest.mark.parametrize("role", ["anonymous", "participant", "coordinator_a", "hq_b", "national"])
@pytest.mark.parametrize("q", ["燃料電池の白金を減らしたい", "ultrasonic welding of resin", "クラスター内シーズ"])
def test_the_api_and_the_search_page_rank_the_same(cast, api, client_for, built, role, q):
    user = cast.users()[role]
    page = client_for(user).get(reverse("matching:search"), {"q": q, "kind": ["seed", "need", "org"]})
    expected = [(r.kind if r.kind != "org" else "capability", r.obj.pk) for r in page.context["results"]]
    body = _search(api(user), q=q, kind=["seed", "need", "capability"])
    assert [(r["kind"], r["id"]) for r in body["results"]] == expected
    assert [r["score"] for r in body["results"]] == [r.match.score for r in page.context["results"]]


def test_filters_pass_through_as_on_the_page(cast, api, client_for, built):
    params = {"q": "燃料電池", "stage": "prototype"}
    body = _search(api(cast.national), **params)
    assert [r["id"] for r in body["results"]] == [built["fuel"].pk]
    capability = _search(api(None), q="燃料電池セパレータ", kind="capability")
    assert [(r["kind"], r["id"]) for r in capability["results"]] == [("capability", cast.public_company_b.pk)]
    assert capability["results"][0]["organisation"] is None
    in_b = _search(api(cast.national), q="燃料電池", cluster="cluster-b", kind="seed")["results"]
    assert [r["id"] for r in in_b] == [built["listings"].b_cluster_seed.pk]


def test_a_search_never_shows_what_the_reader_may_not_see(cast, api, built):
    listings = built["listings"]
    for role in ("anonymous", "hq_b", "participant"):
        seen = {(r["kind"], r["id"]) for r in _search(api(cast.users()[role]), q="コーディネータ限定シーズ")["results"]}
        assert ("seed", listings.coordinators_seed.pk) not in seen, role
    seen = {(r["kind"], r["id"]) for r in _search(api(cast.coordinator_a), q="コーディネータ限定シーズ")["results"]}
    assert ("seed", listings.coordinators_seed.pk) in seen


def test_an_anonymised_result_withholds_its_owner_and_answers_no_owner_filter(cast, api, built):
    anonymous = built["anonymous_fuel"].pk
    row = next(r for r in _search(api(None), q="燃料電池のセパレータ")["results"] if r["id"] == anonymous)
    assert (row["organisation"], row["organisation_name"], row["owner_hidden"]) == (None, None, True)
    filtered = _search(api(None), q="燃料電池のセパレータ", organisation_kind="university", kind="seed")["results"]
    assert anonymous not in [r["id"] for r in filtered]
    assert built["fuel"].pk in [r["id"] for r in filtered]
    staff = _search(api(cast.coordinator_a), q="燃料電池のセパレータ", organisation_kind="university", kind="seed")
    row = next(r for r in staff["results"] if r["id"] == anonymous)
    assert row["organisation"] == cast.university_a.pk


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "q"),
        ({"q": "   "}, "q"),
        ({"q": "x" * 5001}, "q"),
        ({"q": "燃料電池", "kind": "org"}, "kind"),
        ({"q": "燃料電池", "top": "ten"}, "top"),
        ({"q": "燃料電池", "top": 0}, "top"),
        ({"q": "燃料電池", "top": 101}, "top"),
        ({"q": "燃料電池", "field": "no-such-field"}, "field"),
        ({"q": "燃料電池", "cluster": "cluster-z"}, "cluster"),
        ({"q": "燃料電池", "since": "last week"}, "since"),
        ({"q": "燃料電池", "stage": "done"}, "stage"),
    ],
)
def test_a_bad_search_is_a_400_naming_the_parameter(cast, api, params, field):
    response = api(None).get("/api/matching/search/", params)
    assert response.status_code == 400
    assert field in response.json()


def test_a_search_before_the_first_index_build_says_so(cast, api, index_env):
    body = _search(api(None), q="燃料電池")
    assert (body["index_ready"], body["results"]) == (False, [])
    assert _search(api(None), q="燃料電池")["index_ready"] is False


# --- suggestions and feedback -------------------------------------------------------------


def _page_suggestions(client_for, user, need):
    context = client_for(user).get(reverse("matching:need_detail", args=[need.pk])).context
    return (
        [r.obj.pk for r in context["suggestions"]],
        [(p.obj.pk, p.score) for p in context["partner_organisations"]],
        [(p.obj.pk, p.score) for p in context["partner_people"]],
    )


@pytest.mark.parametrize("role", ["anonymous", "participant", "coordinator_a", "national"])
def test_suggestions_are_those_of_the_need_page(cast, api, client_for, built, role):
    user = cast.users()[role]
    need = built["listings"].public_need
    body = api(user).get(f"/api/needs/{need.pk}/suggestions/").json()
    seeds, organisations, people = _page_suggestions(client_for, user, need)
    assert [r["id"] for r in body["seeds"]] == seeds
    assert [(p["id"], p["score"]) for p in body["organisations"]] == organisations
    assert [(p["id"], p["score"]) for p in body["people"]] == people
    assert built["fuel"].pk in seeds


def test_partners_come_with_their_reasons(cast, api, built):
    need = built["listings"].public_need
    body = api(cast.coordinator_a).get(f"/api/needs/{need.pk}/suggestions/").json()
    university = next(p for p in body["organisations"] if p["id"] == cast.university_a.pk)
    assert any(r["kind"] == "seed" and r["seed"] == built["fuel"].pk for r in university["reasons"])
    assert university["score"] == pytest.approx(sum(r["weight"] for r in university["reasons"]))
    assert body["can_give_feedback"] is True
    # An anonymised seed is no evidence for its owner in front of readers who may not know it.
    outsider = api(None).get(f"/api/needs/{need.pk}/suggestions/").json()
    for partner in outsider["organisations"]:
        assert built["anonymous_fuel"].pk not in [r["seed"] for r in partner["reasons"]]


def test_suggestions_of_a_hidden_need_are_not_found(cast, api, built):
    assert api(cast.hq_b).get(f"/api/needs/{built['listings'].cluster_need.pk}/suggestions/").status_code == 404


def test_suggestions_before_the_first_index_build_say_so(cast, listings, api, index_env):
    body = api(cast.national).get(f"/api/needs/{listings.public_need.pk}/suggestions/").json()
    assert body["index_ready"] is False
    assert (body["seeds"], body["organisations"], body["people"]) == ([], [], [])


def test_a_coordinator_marks_a_suggestion_and_the_need_shows_it(cast, api, built):
    need, fuel = built["listings"].public_need, built["fuel"]
    url = f"/api/needs/{need.pk}/suggestions/feedback/"
    body = {"target_kind": "seed", "target_id": fuel.pk, "verdict": "not_useful", "decline_reason": "too_early"}
    response = api(cast.coordinator_a).post(url, body)
    assert response.status_code == 201, response.json()
    assert response.json()["author"] == "coordinator_a"
    again = api(cast.coordinator_a).post(url, {**body, "verdict": "introduced"})
    assert again.status_code == 201 and again.json()["id"] == response.json()["id"]
    assert Feedback.objects.get().verdict == "introduced"
    row = next(
        r for r in api(cast.hq_a).get(f"/api/needs/{need.pk}/suggestions/").json()["seeds"] if r["id"] == fuel.pk
    )
    assert [f["verdict"] for f in row["feedback"]] == ["introduced"]
    # Readers who may not see feedback get none.
    row = next(r for r in api(None).get(f"/api/needs/{need.pk}/suggestions/").json()["seeds"] if r["id"] == fuel.pk)
    assert row["feedback"] == []


def test_only_the_needs_coordinators_give_feedback(cast, api, built):
    need, fuel = built["listings"].public_need, built["fuel"]
    url = f"/api/needs/{need.pk}/suggestions/feedback/"
    body = {"target_kind": "seed", "target_id": fuel.pk, "verdict": "useful"}
    assert api(None).post(url, body).status_code == 401
    assert api(cast.participant).post(url, body).status_code == 403
    assert api(cast.hq_b).post(url, body).status_code == 403
    assert api(cast.national).post(url, body).status_code == 403
    assert (
        api(cast.hq_b).post(f"/api/needs/{built['listings'].cluster_need.pk}/suggestions/feedback/", body).status_code
        == 404
    )
    assert not Feedback.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"verdict": "great"}, "verdict"),
        ({"target_kind": "planet"}, "target_kind"),
        ({"target_id": "one"}, "target_id"),
        ({"target_id": 999999}, "target_id"),
        ({"decline_reason": "because"}, "decline_reason"),
        ({"note": "x" * 501}, "note"),
    ],
)
def test_bad_feedback_is_a_400_naming_the_field(cast, api, built, change, field):
    body = {"target_kind": "seed", "target_id": built["fuel"].pk, "verdict": "useful", **change}
    response = api(cast.coordinator_a).post(
        f"/api/needs/{built['listings'].public_need.pk}/suggestions/feedback/", body
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not Feedback.objects.exists()


def test_feedback_on_a_seed_the_coordinator_may_not_see_reads_as_unknown(cast, api, built):
    hidden = built["listings"].b_cluster_seed
    body = {"target_kind": "seed", "target_id": hidden.pk, "verdict": "useful"}
    response = api(cast.coordinator_a).post(
        f"/api/needs/{built['listings'].public_need.pk}/suggestions/feedback/", body
    )
    assert response.status_code == 400 and "target_id" in response.json()


# --- alerts deliver through the index ------------------------------------------------------


def test_a_seed_published_over_the_api_reaches_a_matching_alert(cast, api, built, django_capture_on_commit_callbacks):
    assert api(cast.participant).post("/api/alerts/", {"query": "超音波溶着 樹脂部品"}).status_code == 201
    body = {
        "organisation": cast.university_a.pk,
        "lang": "ja",
        "title_ja": "樹脂部品の超音波溶着",
        "summary_ja": "自動車の樹脂部品を接着剤なしで超音波溶着する。",
        "visibility": "public",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = api(cast.hq_a).post("/api/seeds/", body)
    assert response.status_code == 201, response.json()
    inbox = api(cast.participant).get("/api/inbox/").json()["results"]
    assert [(r["kind"], r["seed"]["id"]) for r in inbox] == [("alert_match", response.json()["id"])]
