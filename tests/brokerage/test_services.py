"""Writes through the CRM services: permission checks, validation, and the pipeline's rules."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from renkei.brokerage import services
from renkei.brokerage.choices import IntroductionStage
from renkei.brokerage.models import Interaction, Introduction, StageChange
from tests.brokerage.conftest import DAY, make_interaction, make_introduction

pytestmark = pytest.mark.django_db
LATER = DAY + datetime.timedelta(days=7)


def _errors(excinfo) -> dict:
    return excinfo.value.message_dict


class TestInteractions:
    def test_the_author_becomes_the_coordinator(self, cast, crm):
        assert crm.open_a.coordinator == cast.coordinator_a
        assert crm.open_a.created_by == cast.coordinator_a
        assert set(crm.open_a.organisations.all()) == {cast.company_a}
        assert crm.open_a.history.count() == 1

    @pytest.mark.parametrize("role", ["participant", "national", "hq_b", "anonymous"])
    def test_only_cluster_staff_log_interactions(self, cast, role):
        with pytest.raises(PermissionDenied):
            make_interaction(getattr(cast, role), cast.cluster_a)
        assert not Interaction.objects.exists()

    def test_an_invisible_organisation_cannot_be_named(self, cast):
        with pytest.raises(ValidationError) as excinfo:
            make_interaction(cast.coordinator_a, cast.cluster_a, organisations=[cast.secret_company_b])
        assert "organisations" in _errors(excinfo)
        assert not Interaction.objects.exists()

    def test_an_invisible_person_cannot_be_named(self, cast):
        with pytest.raises(ValidationError) as excinfo:
            make_interaction(cast.coordinator_a, cast.cluster_a, people=[cast.engineer_b])
        assert "people" in _errors(excinfo)

    def test_the_coordinator_must_work_in_the_cluster(self, cast):
        with pytest.raises(ValidationError) as excinfo:
            make_interaction(cast.hq_a, cast.cluster_a, coordinator=cast.hq_b)
        assert "coordinator" in _errors(excinfo)

    def test_follow_up_cannot_precede_the_interaction(self, cast):
        with pytest.raises(ValidationError) as excinfo:
            make_interaction(cast.coordinator_a, cast.cluster_a, next_follow_up_on=DAY - datetime.timedelta(days=1))
        assert "next_follow_up_on" in _errors(excinfo)

    def test_a_blank_topic_is_refused(self, cast):
        with pytest.raises(ValidationError) as excinfo:
            make_interaction(cast.coordinator_a, cast.cluster_a, topic="  ")
        assert "topic" in _errors(excinfo)

    def test_a_record_cannot_be_moved_into_another_cluster(self, cast, crm):
        crm.open_a.cluster = cast.cluster_b
        with pytest.raises(PermissionDenied):
            services.do_save_interaction(cast.coordinator_a, crm.open_a)
        crm.interaction_b.cluster = cast.cluster_a
        with pytest.raises(PermissionDenied):
            services.do_save_interaction(cast.hq_a, crm.interaction_b)
        assert Interaction.objects.get(pk=crm.interaction_b.pk).cluster == cast.cluster_b

    def test_hq_edits_a_coordinators_interaction_and_history_records_it(self, cast, crm):
        crm.open_a.topic = "Visit to Alpha Precision (second)"
        services.do_save_interaction(cast.hq_a, crm.open_a, organisations=[cast.company_a])
        latest = crm.open_a.history.first()
        assert latest.history_user == cast.hq_a
        assert crm.open_a.history.count() == 2

    def test_overdue_follow_ups_are_the_coordinators_own_and_hq_sees_the_clusters(self, cast, crm):
        after = datetime.date(2026, 5, 2)
        assert list(services.overdue_follow_ups(cast.coordinator_a, on=after)) == [crm.open_a]
        assert list(services.overdue_follow_ups(cast.hq_a, on=after)) == [crm.open_a]
        assert list(services.overdue_follow_ups(cast.hq_b, on=after)) == []
        assert list(services.overdue_follow_ups(cast.coordinator_a, on=datetime.date(2026, 5, 1))) == []
        services.do_mark_follow_up_done(cast.coordinator_a, crm.open_a)
        assert list(services.overdue_follow_ups(cast.coordinator_a, on=after)) == []


class TestIntroductions:
    def test_a_new_introduction_starts_at_introduced_with_its_first_stage_dated(self, cast, crm):
        intro = crm.introduction_a
        assert intro.stage == IntroductionStage.INTRODUCED
        assert [(c.from_stage, c.to_stage, c.on) for c in intro.stage_changes.all()] == [("", "introduced", DAY)]

    def test_each_side_needs_a_party(self, cast):
        with pytest.raises(ValidationError) as excinfo:
            make_introduction(cast.coordinator_a, cast.cluster_a, party_a_organisation=cast.company_a)
        assert "party_b_organisation" in _errors(excinfo)
        assert not Introduction.objects.exists()

    def test_the_two_parties_differ(self, cast):
        with pytest.raises(ValidationError) as excinfo:
            make_introduction(
                cast.coordinator_a,
                cast.cluster_a,
                party_a_organisation=cast.company_a,
                party_b_organisation=cast.company_a,
            )
        assert "party_b_organisation" in _errors(excinfo)

    def test_a_party_must_be_visible_to_the_coordinator(self, cast):
        with pytest.raises(ValidationError) as excinfo:
            make_introduction(
                cast.coordinator_a, cast.cluster_a, party_a_organisation=cast.company_a, party_b_person=cast.engineer_b
            )
        assert "party_b_person" in _errors(excinfo)

    def test_saving_details_never_changes_the_stage(self, cast, crm):
        intro = crm.introduction_a
        intro.stage = IntroductionStage.COMMERCIALISED
        services.do_save_introduction(cast.coordinator_a, intro)
        intro.refresh_from_db()
        assert intro.stage == IntroductionStage.INTRODUCED

    def test_it_moves_forward_and_may_skip_ahead(self, cast, crm):
        intro = crm.introduction_a
        services.do_move_stage(cast.coordinator_a, intro, IntroductionStage.NDA, on=LATER)
        assert intro.stage == IntroductionStage.NDA
        assert intro.stage_changes.last().from_stage == IntroductionStage.INTRODUCED

    def test_it_never_moves_back(self, cast, crm):
        intro = crm.introduction_a
        services.do_move_stage(cast.coordinator_a, intro, IntroductionStage.NDA, on=LATER)
        for user in (cast.coordinator_a, cast.hq_a):
            with pytest.raises(ValidationError) as excinfo:
                services.do_move_stage(user, intro, IntroductionStage.MET, on=LATER, reason="oops")
            assert "to_stage" in _errors(excinfo)
        assert Introduction.objects.get(pk=intro.pk).stage == IntroductionStage.NDA

    def test_the_same_stage_is_refused(self, cast, crm):
        with pytest.raises(ValidationError):
            services.do_move_stage(cast.coordinator_a, crm.introduction_a, IntroductionStage.INTRODUCED, on=LATER)

    def test_closing_needs_a_reason(self, cast, crm):
        with pytest.raises(ValidationError) as excinfo:
            services.do_move_stage(
                cast.coordinator_a, crm.introduction_a, IntroductionStage.CLOSED, on=LATER, reason=" "
            )
        assert "reason" in _errors(excinfo)
        services.do_move_stage(
            cast.coordinator_a, crm.introduction_a, IntroductionStage.CLOSED, on=LATER, reason="No budget"
        )
        assert crm.introduction_a.closed_reason == "No budget"

    def test_only_hq_reopens_a_closed_introduction_with_a_reason(self, cast, crm):
        intro = crm.introduction_a
        services.do_move_stage(cast.coordinator_a, intro, IntroductionStage.CLOSED, on=LATER, reason="No budget")
        with pytest.raises(ValidationError) as excinfo:
            services.do_move_stage(cast.coordinator_a, intro, IntroductionStage.MET, on=LATER, reason="Budget found")
        assert "to_stage" in _errors(excinfo)
        with pytest.raises(ValidationError) as excinfo:
            services.do_move_stage(cast.hq_a, intro, IntroductionStage.MET, on=LATER, reason="")
        assert "reason" in _errors(excinfo)
        services.do_move_stage(cast.hq_a, intro, IntroductionStage.MET, on=LATER, reason="Budget found")
        assert intro.stage == IntroductionStage.MET and intro.closed_reason == ""

    def test_commercialised_is_the_end(self, cast, crm):
        intro = crm.introduction_a
        services.do_move_stage(cast.coordinator_a, intro, IntroductionStage.COMMERCIALISED, on=LATER)
        with pytest.raises(ValidationError):
            services.do_move_stage(cast.hq_a, intro, IntroductionStage.CLOSED, on=LATER, reason="x")

    def test_a_move_is_dated_between_the_last_move_and_today(self, cast, crm):
        intro = crm.introduction_a
        with pytest.raises(ValidationError) as excinfo:
            services.do_move_stage(cast.coordinator_a, intro, IntroductionStage.MET, on=DAY - datetime.timedelta(1))
        assert "on" in _errors(excinfo)
        with pytest.raises(ValidationError) as excinfo:
            services.do_move_stage(
                cast.coordinator_a, intro, IntroductionStage.MET, on=services.today() + datetime.timedelta(1)
            )
        assert "on" in _errors(excinfo)
        with pytest.raises(ValidationError) as excinfo:
            services.do_move_stage(cast.coordinator_a, intro, "finished", on=LATER)
        assert "to_stage" in _errors(excinfo)
        assert StageChange.objects.filter(introduction=intro).count() == 1

    @pytest.mark.parametrize("role", ["hq_b", "national", "participant"])
    def test_outsiders_cannot_move_stages(self, cast, crm, role):
        with pytest.raises(PermissionDenied):
            services.do_move_stage(getattr(cast, role), crm.introduction_a, IntroductionStage.MET, on=LATER)

    def test_stage_counts_cover_every_stage(self, cast, crm):
        from renkei.brokerage.access import visible_introductions

        counts = services.stage_counts(visible_introductions(cast.national))
        assert counts["introduced"] == 2 and counts["closed"] == 0 and len(counts) == 6
