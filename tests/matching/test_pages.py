"""The seeds/needs pages driven as a person would: lists, detail pages, forms, the search box
with its filters and explanations, and suggestions with coordinator feedback on a need."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from renkei.matching import indexing
from renkei.matching.choices import ListingVisibility, Stage
from renkei.matching.models import Feedback, Need, Seed
from renkei.matching.search import SearchFilters, allow_mask
from tests.matching.listings import *  # noqa: F403


def url(name: str, *args) -> str:
    return reverse(f"matching:{name}", args=args)


@pytest.fixture
def built(cast, listings, index_env):
    """The cast's listings plus a few topical ones, indexed once for the test."""
    fuel = make_seed(  # noqa: F405
        cast.university_a,
        clusters=[cast.cluster_a],
        researchers=[cast.researcher_a],
        title_ja="白金を減らした燃料電池電極触媒",
        summary_ja="固体高分子形燃料電池の電極触媒で白金の使用量を大幅に減らす。<script>alert(1)</script>",
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
    cast.public_company_b.capability = "燃料電池セパレータの精密プレス加工"
    cast.public_company_b.save()
    indexing.rebuild()
    return {"fuel": fuel, "welding": welding, "listings": listings}


# --- lists and detail pages -----------------------------------------------------------


def test_a_visitor_lists_public_seeds_and_anonymised_owners_stay_hidden(client_for, cast, listings):
    page = client_for(None).get(url("seed_list")).content.decode()
    assert "糖鎖工学による診断薬" in page and "匿名シーズ" in page
    assert "クラスター内シーズ" not in page and "コーディネータ限定シーズ" not in page
    assert page.count("アルファ大学") == 1  # the public seed names it, the anonymised one does not
    assert str(gettext("(anonymised)")) in page


def test_a_coordinator_reaches_coordinator_only_seeds_of_their_cluster_only(client_for, cast, listings):
    assert client_for(cast.coordinator_a).get(url("seed_detail", listings.coordinators_seed.pk)).status_code == 200
    assert client_for(cast.participant).get(url("seed_detail", listings.coordinators_seed.pk)).status_code == 404
    assert client_for(cast.hq_b).get(url("need_detail", listings.cluster_need.pk)).status_code == 404
    assert client_for(cast.coordinator_a).get(url("need_detail", listings.b_coordinators_need.pk)).status_code == 404


def test_an_anonymised_seed_names_its_owner_only_to_its_coordinator(client_for, cast, listings):
    seed = listings.anonymous_seed
    assert "アルファ大学" not in client_for(cast.participant).get(url("seed_detail", seed.pk)).content.decode()
    assert "アルファ大学" in client_for(cast.coordinator_a).get(url("seed_detail", seed.pk)).content.decode()


def test_a_participant_adds_a_seed_through_the_form(client_for, cast):
    client = client_for(cast.participant)
    assert client.get(url("seed_create")).status_code == 200
    data = {
        "organisation": cast.company_a.pk,
        "lang": "ja",
        "title_ja": "金型の微細加工",
        "summary_ja": "ミクロン精度の金型加工技術。",
        "keywords": "金型, 微細加工",
        "stage": "prototype",
        "trl": "5",
        "visibility": "public",
    }
    response = client.post(url("seed_create"), data)
    seed = Seed.objects.get(title_ja="金型の微細加工")
    assert response.status_code == 302 and response["Location"] == seed.get_absolute_url()
    assert list(seed.clusters.all()) == [cast.cluster_a]
    assert seed.keyword_list == ["金型", "微細加工"]


def test_a_bad_seed_form_names_the_field_and_saves_nothing(client_for, cast):
    client = client_for(cast.participant)
    response = client.post(
        url("seed_create"),
        {
            "organisation": cast.company_a.pk,
            "lang": "ja",
            "title_ja": "",
            "summary_ja": "",
            "trl": "12",
            "visibility": "public",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "trl" in errors and ("title_ja" in errors or "__all__" in errors)
    assert not Seed.objects.exists()


def test_a_need_form_refuses_an_upside_down_budget(client_for, cast):
    response = client_for(cast.participant).post(
        url("need_create"),
        {
            "organisation": cast.company_a.pk,
            "lang": "ja",
            "title_ja": "検査",
            "description_ja": "外観検査",
            "budget_min_yen": "3000000",
            "budget_max_yen": "100",
            "visibility": "cluster",
            "status": "open",
        },
    )
    assert response.status_code == 200
    assert "budget_max_yen" in response.context["form"].errors
    assert not Need.objects.exists()


def test_forms_send_visitors_to_sign_in_and_refuse_others(client_for, cast, listings):
    assert client_for(None).get(url("seed_create")).status_code == 302
    assert client_for(cast.hq_b).get(url("need_edit", listings.public_need.pk)).status_code == 403
    assert client_for(cast.participant).get(url("need_edit", listings.public_need.pk)).status_code == 200


# --- search ---------------------------------------------------------------------------


def test_search_shows_shared_terms_and_an_escaped_highlighted_passage(client_for, built):
    response = client_for(None).get(url("search"), {"q": "燃料電池の白金を減らしたい", "kind": "seed"})
    page = response.content.decode()
    results = response.context["results"]
    assert results[0].obj == built["fuel"]
    assert "燃料電池" in results[0].terms
    assert "<mark>" in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_search_never_returns_what_the_user_may_not_see(client_for, cast, built):
    listings = built["listings"]
    response = client_for(cast.participant).get(url("search"), {"q": "燃料電池 白金 電極触媒"})
    seen = {(r.kind, r.obj.pk) for r in response.context["results"]}
    assert ("seed", listings.coordinators_seed.pk) not in seen
    assert ("need", listings.b_coordinators_need.pk) not in seen
    assert ("seed", listings.cluster_seed.pk) in seen  # participant's cluster
    anonymous = {(r.kind, r.obj.pk) for r in client_for(None).get(url("search"), {"q": "燃料電池"}).context["results"]}
    assert ("seed", listings.cluster_seed.pk) not in anonymous


def test_an_english_query_finds_the_japanese_seed(client_for, built):
    response = client_for(None).get(
        url("search"), {"q": "fuel cell electrode catalyst with less platinum", "kind": "seed"}
    )
    assert response.context["results"][0].obj == built["fuel"]


def test_a_term_shared_through_a_translation_shows_both_wordings(client_for, built):
    response = client_for(None).get(url("search"), {"q": "fuel cell electrode catalyst with less platinum"})
    page = response.content.decode()
    [fuel] = [r for r in response.context["results"] if r.obj == built["fuel"]]
    assert ("燃料電池", "fuel cell") in [(t.term, t.via) for t in fuel.shared_terms]
    assert "燃料電池" in fuel.terms
    assert f'title="{gettext("Shared through a translation")}">燃料電池 ≈ fuel cell</span>' in page
    assert "<mark>燃料電池</mark>" in page
    # A term both texts contain keeps its plain badge.
    direct = client_for(None).get(url("search"), {"q": "燃料電池の白金を減らしたい", "kind": "seed"})
    assert '<span class="badge term">燃料電池</span>' in direct.content.decode()
    assert "≈" not in direct.content.decode()


def test_filters_narrow_what_the_engine_may_rank(cast, built):
    listings = built["listings"]
    index = indexing.get_index()

    def allowed_ids(user, filters=None):
        return {index.documents[p].id for p in allow_mask(index, user, filters).nonzero()[0]}

    everything = allowed_ids(cast.national)
    assert f"org-{cast.public_company_b.pk}" in everything
    staged = allowed_ids(cast.national, SearchFilters(stage=Stage.PRACTICAL))
    assert staged == {f"seed-{built['welding'].pk}"}
    needs_only = allowed_ids(cast.national, SearchFilters(kinds=("need",)))
    assert needs_only == {f"need-{n.pk}" for n in Need.objects.all()}
    in_b = allowed_ids(cast.national, SearchFilters(cluster="cluster-b"))
    assert f"seed-{listings.b_cluster_seed.pk}" in in_b and f"seed-{built['fuel'].pk}" not in in_b
    # an owner filter must not single out an anonymised listing for someone who may not know its owner
    by_kind = allowed_ids(cast.anonymous, SearchFilters(organisation_kind="university"))
    assert f"seed-{listings.anonymous_seed.pk}" not in by_kind
    assert f"seed-{listings.public_seed.pk}" in by_kind


def test_a_bad_filter_value_is_reported_on_its_field(client_for, built):
    response = client_for(None).get(url("search"), {"q": "燃料電池", "since": "not-a-date", "stage": "nope"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"since", "stage"}
    assert response.context["results"] == []


def test_search_says_when_the_index_is_not_built(client_for, cast, index_env):
    response = client_for(None).get(url("search"), {"q": "燃料電池"})
    assert response.context["index_missing"] is True


# --- suggestions, partners and feedback on a need ------------------------------------


def test_a_need_page_ranks_seeds_and_partners_with_reasons(client_for, cast, built):
    need = built["listings"].public_need  # 燃料電池のコスト削減 by company A
    response = client_for(cast.coordinator_a).get(url("need_detail", need.pk))
    suggested = [r.obj for r in response.context["suggestions"]]
    assert suggested[0] == built["fuel"]
    assert built["welding"] not in suggested  # unrelated: no shared word, not close in meaning
    organisations = response.context["partner_organisations"]
    assert organisations[0].obj == cast.university_a
    assert any(e.kind == "seed" for e in organisations[0].evidence)
    assert cast.public_company_b in [p.obj for p in organisations]  # its capability
    people = response.context["partner_people"]
    assert people[0].obj == cast.researcher_a
    assert "燃料電池" in str(people[0].evidence[0])


def test_partners_never_reveal_the_owner_of_an_anonymised_seed(client_for, cast, built):
    Seed.objects.filter(pk=built["fuel"].pk).update(anonymised=True)
    need = built["listings"].public_need
    response = client_for(cast.participant).get(url("need_detail", need.pk))
    evidence_seeds = {e.seed.pk for p in response.context["partner_organisations"] for e in p.evidence if e.seed}
    assert built["fuel"].pk not in evidence_seeds


def test_a_coordinator_marks_a_suggestion_and_it_is_shown(client_for, cast, built):
    need = built["listings"].public_need
    client = client_for(cast.coordinator_a)
    response = client.post(
        url("feedback", need.pk),
        {"target_kind": "seed", "target_id": built["fuel"].pk, "verdict": "introduced", "note": "面談設定済み"},
    )
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert (feedback.verdict, feedback.author) == ("introduced", cast.coordinator_a)
    page = client.get(url("need_detail", need.pk)).content.decode()
    assert "面談設定済み" in page
    # marking again changes the verdict instead of adding a second one
    client.post(url("feedback", need.pk), {"target_kind": "seed", "target_id": built["fuel"].pk, "verdict": "useful"})
    assert Feedback.objects.get().verdict == "useful"


def test_feedback_is_refused_to_others_and_bad_targets_are_named(client_for, cast, built):
    need = built["listings"].public_need
    data = {"target_kind": "seed", "target_id": built["fuel"].pk, "verdict": "useful"}
    assert client_for(cast.participant).post(url("feedback", need.pk), data).status_code == 403
    assert client_for(cast.hq_b).post(url("feedback", need.pk), data).status_code == 403
    client = client_for(cast.coordinator_a)
    hidden = built["listings"].b_cluster_seed
    client.post(url("feedback", need.pk), {**data, "target_id": hidden.pk})
    client.post(url("feedback", need.pk), {**data, "verdict": "great"})
    assert not Feedback.objects.exists()


def _body(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_lists_render_for_every_role_and_export(client_for, cast, listings):
    for user in cast.users().values():
        client = client_for(user)
        assert client.get(url("seed_list")).status_code == 200
        assert client.get(url("need_list")).status_code == 200
    csv = _body(client_for(cast.national).get(url("seed_list"), {"export": "csv"}))
    assert "コーディネータ限定シーズ" in csv and "アルファ大学" in csv  # national officers see owners too
    visitor_csv = _body(client_for(None).get(url("seed_list"), {"export": "csv"}))
    assert "コーディネータ限定シーズ" not in visitor_csv


def test_pages_render_in_english(client_for, cast, built):
    client = client_for(cast.coordinator_a)
    need = built["listings"].public_need
    paths = (url("need_detail", need.pk), url("seed_detail", built["fuel"].pk), url("inbox"), url("challenge_list"))
    for path in paths:
        response = client.get(path.replace("/ja/", "/en/", 1))
        assert response.status_code == 200, path
    page = client.get(url("search").replace("/ja/", "/en/", 1), {"q": "fuel cell"}).content.decode()
    assert "Shared terms" in page or "Close in meaning" in page
