"""Reasons outside the search page name a term shared through a translation with both wordings,
"document's wording ≈ query's wording": a partner's evidence on a need, an alert's inbox reason."""

from __future__ import annotations

import pytest
from django.urls import reverse

from renkei.matching import indexing, partners, services
from renkei.matching.choices import ListingVisibility
from renkei.matching.engine import Explanation, SharedTerm
from renkei.matching.models import InboxItem, Seed
from tests.matching.listings import *  # noqa: F403
from tests.matching.listings import FUEL_SEED


def _seed_evidence(partner: partners.Partner, seed: Seed) -> partners.Evidence:
    return next(e for e in partner.evidence if e.seed == seed)


# --- the label -------------------------------------------------------------------------------


def test_a_label_is_the_term_or_both_wordings():
    direct = SharedTerm("白金", "白金", 4.0)
    translated = SharedTerm("燃料電池", "燃料電池", 6.0, via="fuel cell")
    assert (direct.label, translated.label) == ("白金", "燃料電池 ≈ fuel cell")
    explanation = Explanation((translated, direct))
    assert explanation.labels == ["燃料電池 ≈ fuel cell", "白金"]
    assert explanation.terms == ["燃料電池", "白金"]  # the terms keep the document's wording only
    assert Explanation().labels == []


# --- partners --------------------------------------------------------------------------------


def test_a_japanese_seed_behind_an_english_need_partner_shows_the_translation(client_for, cast, fuel_seed):
    need = make_english_fuel_need(cast)  # noqa: F405
    organisations, people = partners.recommend(cast.coordinator_a, need)
    university = next(p for p in organisations if p.obj == cast.university_a)
    evidence = _seed_evidence(university, fuel_seed)
    assert ("燃料電池", "fuel cell") in [(t.term, t.via) for t in evidence.shared_terms]
    assert "燃料電池" in evidence.terms  # the plain list keeps the seed's wording
    assert f"{FUEL_SEED['title_ja']} (" in str(evidence)
    assert "燃料電池 ≈ fuel cell" in str(evidence)
    researcher = next(p for p in people if p.obj == cast.researcher_a)
    assert "燃料電池 ≈ fuel cell" in str(_seed_evidence(researcher, fuel_seed))

    page = client_for(cast.coordinator_a).get(reverse("matching:need_detail", args=[need.pk])).content.decode()
    assert "燃料電池 ≈ fuel cell" in page


def test_a_japanese_need_partner_through_a_japanese_seed_shows_plain_terms(cast, fuel_seed):
    need = make_need(cast.company_a, visibility=ListingVisibility.PUBLIC)  # noqa: F405 - 燃料電池のコスト削減
    organisations, _ = partners.recommend(cast.coordinator_a, need)
    evidence = _seed_evidence(next(p for p in organisations if p.obj == cast.university_a), fuel_seed)
    assert "燃料電池" in evidence.terms
    assert all(not t.via for t in evidence.shared_terms)
    assert "燃料電池" in str(evidence) and "≈" not in str(evidence)


def test_evidence_without_shared_terms_has_no_term_list(cast):
    keyword = partners.Evidence("keyword", "燃料電池", partners.KEYWORD_WEIGHT)
    assert (keyword.terms, keyword.shared_terms) == ([], ())
    assert "(" not in str(keyword) and "燃料電池" in str(keyword)


# --- alerts ----------------------------------------------------------------------------------


def _publish(cast, django_capture_on_commit_callbacks, **fields) -> Seed:
    with django_capture_on_commit_callbacks(execute=True):
        return publish_seed(cast, **fields)  # noqa: F405


@pytest.fixture
def indexed(cast, listings, index_env):
    indexing.rebuild()
    return listings


def test_an_english_alert_on_a_japanese_seed_gives_both_wordings(cast, indexed, django_capture_on_commit_callbacks):
    alert = services.do_save_alert(cast.participant, name="fuel cells", query="fuel cell catalyst with less platinum")
    seed = _publish(cast, django_capture_on_commit_callbacks, **FUEL_SEED)
    item = InboxItem.objects.get(user=cast.participant, alert=alert, seed=seed)
    assert "燃料電池 ≈ fuel cell" in item.reason.split(", ")


def test_a_japanese_alert_on_an_english_seed_gives_both_wordings(cast, indexed, django_capture_on_commit_callbacks):
    alert = services.do_save_alert(cast.participant, name="", need=indexed.public_need)  # 燃料電池のコスト削減
    seed = _publish(
        cast,
        django_capture_on_commit_callbacks,
        lang="en",
        title_en="Low-platinum fuel cell catalyst",
        summary_en="A fuel cell electrode catalyst that cuts the platinum needed in polymer electrolyte fuel cells.",
    )
    item = InboxItem.objects.get(user=cast.participant, alert=alert, seed=seed)
    assert any(label.endswith(" ≈ 燃料電池") and "fuel cell" in label for label in item.reason.split(", "))


def test_a_same_language_alert_reason_stays_plain(cast, indexed, django_capture_on_commit_callbacks):
    alert = services.do_save_alert(cast.participant, name="溶接", query="超音波溶接")
    seed = _publish(
        cast,
        django_capture_on_commit_callbacks,
        title_ja="樹脂の超音波溶接",
        summary_ja="自動車の樹脂部品を超音波溶接で接合する。",
    )
    item = InboxItem.objects.get(user=cast.participant, alert=alert, seed=seed)
    assert "超音波溶接" in item.reason.split(", ")
    assert "≈" not in item.reason
