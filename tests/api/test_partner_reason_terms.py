"""A partner's reasons over the API: `shared_terms` as written in the seed, and
`shared_term_details` with what each stands for in the need (as search's results have them)."""

from __future__ import annotations

from renkei.matching.choices import ListingVisibility
from tests.matching.conftest import embedder  # noqa: F401 - the session's encoder, loaded once
from tests.matching.listings import *  # noqa: F403


def _seed_reason(body: dict, organisation_id: int, seed_id: int) -> dict:
    partner = next(p for p in body["organisations"] if p["id"] == organisation_id)
    return next(r for r in partner["reasons"] if r["seed"] == seed_id)


def test_an_english_need_partner_reason_carries_the_translation(cast, api, fuel_seed):
    need = make_english_fuel_need(cast)  # noqa: F405
    body = api(cast.coordinator_a).get(f"/api/needs/{need.pk}/suggestions/").json()
    reason = _seed_reason(body, cast.university_a.pk, fuel_seed.pk)
    assert {"term": "燃料電池", "via": "fuel cell"} in reason["shared_term_details"]
    assert [d["term"] for d in reason["shared_term_details"]] == reason["shared_terms"]
    assert "燃料電池 ≈ fuel cell" in reason["text"]


def test_a_same_language_partner_reason_has_no_translation(cast, api, fuel_seed):
    need = make_need(cast.company_a, visibility=ListingVisibility.PUBLIC)  # noqa: F405 - 燃料電池のコスト削減
    body = api(cast.coordinator_a).get(f"/api/needs/{need.pk}/suggestions/").json()
    reason = _seed_reason(body, cast.university_a.pk, fuel_seed.pk)
    assert {"term": "燃料電池", "via": ""} in reason["shared_term_details"]
    assert all(d["via"] == "" for d in reason["shared_term_details"])
    assert "≈" not in reason["text"]
