"""Saving seeds and needs through the services: validation naming the field, nothing partial,
permissions, default clusters and change history."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from renkei.matching import services
from renkei.matching.choices import ListingVisibility
from renkei.matching.models import Need, Seed
from tests.matching.listings import *  # noqa: F403


def _seed(cast, **fields) -> Seed:
    data = {"organisation": cast.company_a, "title_ja": "精密加工の新技術", "summary_ja": "微細な金型加工。"}
    data.update(fields)
    return Seed(**data)


def test_a_participant_publishes_a_seed_in_their_organisations_clusters(cast):
    seed = services.do_save_seed(cast.participant, _seed(cast), fields=[], researchers=[cast.participant_person])
    assert list(seed.clusters.all()) == [cast.cluster_a]
    assert seed.created_by == cast.participant
    assert seed.history.count() == 1
    assert seed.history.first().history_user == cast.participant


def test_it_names_the_missing_title_and_saves_nothing(cast):
    with pytest.raises(ValidationError) as error:
        services.do_save_seed(cast.participant, _seed(cast, title_ja="", title_en=""))
    assert "title_ja" in error.value.message_dict
    assert not Seed.objects.exists()


def test_it_refuses_a_trl_outside_1_to_9(cast):
    with pytest.raises(ValidationError) as error:
        services.do_save_seed(cast.participant, _seed(cast, trl=10))
    assert "trl" in error.value.message_dict


def test_it_refuses_a_budget_range_upside_down(cast):
    need = Need(
        organisation=cast.company_a,
        title_ja="ニーズ",
        description_ja="説明",
        budget_min_yen=5_000_000,
        budget_max_yen=1,
    )
    with pytest.raises(ValidationError) as error:
        services.do_save_need(cast.participant, need)
    assert "budget_max_yen" in error.value.message_dict
    assert not Need.objects.exists()


def test_a_participant_cannot_publish_for_another_organisation(cast):
    with pytest.raises(ValidationError) as error:
        services.do_save_seed(cast.participant, _seed(cast, organisation=cast.public_company_b))
    assert "organisation" in error.value.message_dict


def test_a_listing_cannot_be_put_into_a_cluster_its_organisation_is_not_in(cast):
    with pytest.raises(ValidationError) as error:
        services.do_save_seed(cast.participant, _seed(cast), clusters=[cast.cluster_b])
    assert "clusters" in error.value.message_dict
    assert not Seed.objects.exists()


def test_researchers_must_be_visible_to_the_author(cast):
    with pytest.raises(ValidationError) as error:
        services.do_save_seed(cast.participant, _seed(cast), researchers=[cast.engineer_b])
    assert "researchers" in error.value.message_dict


def test_visitors_and_other_clusters_cannot_save(cast, listings):
    with pytest.raises(PermissionDenied):
        services.do_save_seed(cast.anonymous, _seed(cast))
    listings.cluster_need.title_ja = "書き換え"
    with pytest.raises(PermissionDenied):
        services.do_save_need(cast.hq_b, listings.cluster_need)


def test_hq_staff_publish_for_a_member_and_history_records_the_change(cast):
    need = services.do_save_need(
        cast.hq_a,
        Need(organisation=cast.company_a, title_ja="検査の自動化", description_ja="外観検査を自動化したい。"),
    )
    need.visibility = ListingVisibility.PUBLIC
    services.do_save_need(cast.hq_a, need)
    assert need.history.count() == 2
    assert need.history.first().visibility == "public"


def test_deleting_a_listing_needs_edit_rights(cast, listings):
    with pytest.raises(PermissionDenied):
        services.do_delete_listing(cast.coordinator_a, listings.cluster_need)
    services.do_delete_listing(cast.participant, listings.cluster_need)
    assert not Need.objects.filter(pk=listings.cluster_need.pk).exists()


def test_feedback_exports_as_qrels_for_evaluation(cast, listings, tmp_path):
    import json

    from django.core.management import call_command

    need, seed = listings.public_need, listings.public_seed
    services.do_give_feedback(cast.coordinator_a, need, "seed", seed.pk, "useful")
    services.do_give_feedback(cast.hq_a, need, "seed", seed.pk, "introduced")
    services.do_give_feedback(
        cast.coordinator_a, need, "organisation", cast.public_company_b.pk, "not_useful", decline_reason="outside_field"
    )
    services.do_give_feedback(cast.coordinator_a, need, "person", cast.researcher_a.pk, "useful")
    call_command("export_feedback", "--out", tmp_path / "qrels", "--queries", tmp_path / "q.jsonl")
    assert (tmp_path / "qrels").read_text().splitlines() == [
        f"need-{need.pk} 0 org-{cast.public_company_b.pk} 0",
        f"need-{need.pk} 0 seed-{seed.pk} 2",
    ]
    query = json.loads((tmp_path / "q.jsonl").read_text())
    assert query["id"] == f"need-{need.pk}" and "燃料電池" in query["text"]


def test_feedback_names_a_bad_verdict_or_a_hidden_target(cast, listings):
    need = listings.public_need
    with pytest.raises(ValidationError) as error:
        services.do_give_feedback(cast.coordinator_a, need, "seed", listings.public_seed.pk, "great")
    assert "verdict" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.do_give_feedback(cast.coordinator_a, need, "seed", listings.b_cluster_seed.pk, "useful")
    assert "target_id" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.do_give_feedback(cast.participant, need, "seed", listings.public_seed.pk, "useful")
