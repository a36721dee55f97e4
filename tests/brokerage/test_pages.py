"""The CRM pages driven the way a coordinator uses them: quick entry, forms sent back with their
errors, the list and its export, confidential notes on the page, the board and stage moves."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.urls import reverse

from renkei.brokerage import services
from renkei.brokerage.models import Interaction, Introduction
from renkei.matching.models import Need

pytestmark = pytest.mark.django_db


def url(name: str, *args) -> str:
    return reverse(f"brokerage:{name}", args=args)


def form_errors(response, field: str) -> list[str]:
    assert response.status_code in {200, 400}, "an invalid form is shown again, not redirected"
    errors = response.context["form"].errors.get(field)
    assert errors, f"expected a message on {field}, got {response.context['form'].errors!r}"
    assert f'id="field-{field}"' in response.content.decode()
    return errors


def interaction_data(cast, **overrides) -> dict:
    data = {
        "kind": "visit",
        "date": "2026-04-12",
        "cluster": cast.cluster_a.pk,
        "organisations": [cast.company_a.pk],
        "people": [cast.researcher_a.pk],
        "topic": "Dispatch to Alpha Precision",
        "notes": "Coating line visit.",
        "next_follow_up_on": "2026-04-30",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


class TestInteractionPages:
    def test_coordinator_logs_an_interaction(self, cast, client_for):
        response = client_for(cast.coordinator_a).post(url("interaction_create"), interaction_data(cast))
        interaction = Interaction.objects.get()
        assert response.status_code == 302 and response["Location"] == interaction.get_absolute_url()
        assert interaction.coordinator == cast.coordinator_a and interaction.kind == "visit"
        assert set(interaction.organisations.all()) == {cast.company_a}
        page = client_for(cast.coordinator_a).get(interaction.get_absolute_url()).content.decode()
        assert "Coating line visit." in page and "Dispatch to Alpha Precision" in page

    def test_quick_entry_preselects_organisation_person_and_need(self, cast, client_for):
        need = Need.objects.create(
            organisation=cast.company_a, title_en="Coating partner", description_en="A partner for coating."
        )
        need.clusters.add(cast.cluster_a)
        response = client_for(cast.coordinator_a).get(
            url("interaction_create") + f"?person={cast.researcher_a.pk}&need={need.pk}"
        )
        initial = response.context["form"].initial
        assert initial["people"] == [cast.researcher_a.pk]
        assert initial["need"] == need.pk
        assert initial["organisations"] == [cast.company_a.pk]
        assert initial["cluster"] == cast.cluster_a.pk

    def test_quick_entry_ignores_a_record_the_user_may_not_see(self, cast, client_for):
        response = client_for(cast.coordinator_a).get(
            url("interaction_create") + f"?organisation={cast.secret_company_b.pk}&person=abc"
        )
        assert response.status_code == 200
        assert not response.context["form"].initial.get("organisations")
        assert "秘密ベータ工業" not in response.content.decode()

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"topic": ""}, "topic"),
            ({"date": "2026-02-30"}, "date"),
            ({"next_follow_up_on": "2026-04-01"}, "next_follow_up_on"),
            ({"kind": "gossip"}, "kind"),
            ({"cluster": "B"}, "cluster"),
        ],
    )
    def test_a_bad_form_is_sent_back_naming_the_field_and_saves_nothing(self, cast, client_for, overrides, field):
        response = client_for(cast.coordinator_a).post(url("interaction_create"), interaction_data(cast, **overrides))
        form_errors(response, field)
        assert not Interaction.objects.exists()

    def test_another_clusters_organisation_or_cluster_is_refused(self, cast, client_for):
        client = client_for(cast.coordinator_a)
        response = client.post(
            url("interaction_create"), interaction_data(cast, organisations=[cast.secret_company_b.pk])
        )
        form_errors(response, "organisations")
        response = client.post(url("interaction_create"), interaction_data(cast, cluster=cast.cluster_b.pk))
        form_errors(response, "cluster")
        assert not Interaction.objects.exists()

    def test_confidential_notes_are_hidden_on_the_page_and_in_history(self, cast, crm, client_for):
        crm.confidential_a.notes = "Cash runs out in April."
        services.do_save_interaction(cast.hq_a, crm.confidential_a, organisations=[cast.secret_company_a])
        detail = url("interaction_detail", crm.confidential_a.pk)
        for role in ("coordinator_a", "hq_a", "admin"):
            page = client_for(getattr(cast, role)).get(detail).content.decode()
            assert "Cash runs out in April." in page and "Cash runs out in March." in page
        page = client_for(cast.national).get(detail).content.decode()
        assert "Hidden Alpha financing" in page
        assert "Cash runs out" not in page

    def test_list_filters_and_exports_without_notes(self, cast, crm, client_for):
        client = client_for(cast.national)
        response = client.get(url("interaction_list"), {"organisation": cast.company_a.pk})
        assert [obj for obj, _ in response.context["rows"]] == [crm.open_a]
        response = client.get(url("interaction_list"), {"kind": "call"})
        assert response.context["rows"] == []
        response = client.get(url("interaction_list"), {"date_from": "2026-04-11"})
        assert response.context["rows"] == []
        response = client.get(url("interaction_list"), {"coordinator": cast.hq_b.pk, "export": "csv"})
        body = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
        rows = list(csv.reader(io.StringIO(body)))
        assert len(rows) == 2 and rows[1][2] == "Beta Devices call"
        assert "Beta note" not in body

    def test_list_of_a_coordinator_shows_only_their_cluster(self, cast, crm, client_for):
        response = client_for(cast.coordinator_a).get(url("interaction_list"))
        assert {obj for obj, _ in response.context["rows"]} == {crm.open_a, crm.confidential_a}
        response = client_for(cast.coordinator_a).get(url("interaction_list"), {"cluster": cast.cluster_b.code})
        assert response.context["filterset"].errors

    def test_overdue_follow_up_is_listed_and_marked_done(self, cast, crm, client_for):
        client = client_for(cast.coordinator_a)
        page = client.get(url("follow_ups")).content.decode()
        assert f"follow-up-{crm.open_a.pk}" in page
        response = client.post(url("follow_up_done", crm.open_a.pk), {"next": "https://evil.example/"})
        assert response.status_code == 302 and response["Location"] == url("follow_ups")
        crm.open_a.refresh_from_db()
        assert crm.open_a.follow_up_done
        assert f"follow-up-{crm.open_a.pk}" not in client.get(url("follow_ups")).content.decode()


class TestIntroductionPages:
    def test_coordinator_records_an_introduction(self, cast, client_for):
        response = client_for(cast.coordinator_a).post(
            url("introduction_create"),
            {
                "cluster": cast.cluster_a.pk,
                "party_a_organisation": cast.company_a.pk,
                "party_b_person": cast.researcher_a.pk,
                "topic": "Glycan sensor",
                "introduced_on": "2026-04-01",
            },
        )
        intro = Introduction.objects.get()
        assert response.status_code == 302 and intro.stage == "introduced"

    def test_a_bad_introduction_is_sent_back(self, cast, client_for):
        response = client_for(cast.coordinator_a).post(
            url("introduction_create"),
            {
                "cluster": cast.cluster_a.pk,
                "party_a_organisation": cast.company_a.pk,
                "topic": "x",
                "introduced_on": "2026-04-01",
            },
        )
        form_errors(response, "party_b_organisation")
        future = (services.today() + datetime.timedelta(days=3)).isoformat()
        response = client_for(cast.coordinator_a).post(
            url("introduction_create"),
            {
                "cluster": cast.cluster_a.pk,
                "party_a_organisation": cast.company_a.pk,
                "party_b_organisation": cast.university_a.pk,
                "topic": "x",
                "introduced_on": future,
            },
        )
        form_errors(response, "introduced_on")
        assert not Introduction.objects.exists()

    def test_board_shows_introductions_by_stage_with_counts(self, cast, crm, client_for):
        services.do_move_stage(cast.coordinator_a, crm.introduction_a, "met", on=datetime.date(2026, 4, 15))
        response = client_for(cast.hq_a).get(url("board", cast.cluster_a.code))
        columns = {c["stage"]: c for c in response.context["columns"]}
        assert columns["met"]["count"] == 1 and columns["met"]["items"] == [crm.introduction_a]
        assert columns["introduced"]["count"] == 0
        assert [c["stage"] for c in response.context["columns"]][-1] == "closed"
        assert (
            crm.introduction_b.topic not in response.content.decode()
            or crm.introduction_b not in columns["met"]["items"]
        )

    def test_stage_moves_on_the_detail_page(self, cast, crm, client_for):
        detail = url("introduction_detail", crm.introduction_a.pk)
        client = client_for(cast.coordinator_a)
        response = client.post(detail, {"to_stage": "nda", "on": "2026-04-20"})
        assert response.status_code == 302
        response = client.post(detail, {"to_stage": "met", "on": "2026-04-21"})
        assert response.status_code == 400
        form_errors(response, "to_stage")
        response = client.post(detail, {"to_stage": "closed", "on": "2026-04-21"})
        form_errors(response, "reason")
        response = client.post(detail, {"to_stage": "closed", "on": "2026-04-21", "reason": "Partner withdrew"})
        assert response.status_code == 302
        page = client.get(detail).content.decode()
        assert "Partner withdrew" in page and "2026-04-20" in page
        response = client.post(detail, {"to_stage": "met", "on": "2026-04-22", "reason": "Back"})
        form_errors(response, "to_stage")
        response = client_for(cast.hq_a).post(detail, {"to_stage": "met", "on": "2026-04-22", "reason": "Back"})
        assert response.status_code == 302
        crm.introduction_a.refresh_from_db()
        assert crm.introduction_a.stage == "met"
        assert crm.introduction_a.stage_changes.count() == 4

    def test_detail_names_both_parties_and_the_first_stage(self, cast, crm, client_for):
        page = client_for(cast.hq_b).get(url("introduction_detail", crm.introduction_b.pk)).content.decode()
        assert "秘密ベータ工業" in page and "ベータデバイス" in page
        assert "2026-04-10" in page


class TestEditing:
    def test_coordinator_edits_own_interaction_and_the_history_shows_it(self, cast, crm, client_for):
        client = client_for(cast.coordinator_a)
        data = interaction_data(cast, topic="Second visit", date="2026-04-10", next_follow_up_on=None)
        response = client.post(url("interaction_edit", crm.open_a.pk), data)
        assert response.status_code == 302
        crm.open_a.refresh_from_db()
        assert crm.open_a.topic == "Second visit" and crm.open_a.coordinator == cast.coordinator_a
        assert crm.open_a.next_follow_up_on is None
        assert "Second visit" in client.get(url("interaction_detail", crm.open_a.pk)).content.decode()

    def test_an_edit_keeps_the_parties_the_editor_may_not_see(self, cast, crm, client_for):
        crm.interaction_b.organisations.add(cast.secret_company_a)  # hidden from cluster B's HQ
        data = {
            "kind": "call",
            "date": "2026-04-10",
            "cluster": cast.cluster_b.pk,
            "organisations": [cast.public_company_b.pk],
            "topic": "Beta Devices call again",
        }
        response = client_for(cast.hq_b).post(url("interaction_edit", crm.interaction_b.pk), data)
        assert response.status_code == 302
        assert set(crm.interaction_b.organisations.all()) == {cast.public_company_b, cast.secret_company_a}

    def test_posting_an_edit_to_another_clusters_record_changes_nothing(self, cast, crm, client_for):
        response = client_for(cast.hq_b).post(url("interaction_edit", crm.open_a.pk), interaction_data(cast))
        assert response.status_code == 404
        response = client_for(cast.national).post(url("introduction_edit", crm.introduction_a.pk), {"topic": "x"})
        assert response.status_code == 403
        crm.open_a.refresh_from_db()
        crm.introduction_a.refresh_from_db()
        assert crm.open_a.topic == "Visit to Alpha Precision" and crm.introduction_a.topic == "Glycan sensor"

    def test_hq_edits_an_introduction_without_touching_its_stage(self, cast, crm, client_for):
        response = client_for(cast.hq_a).post(
            url("introduction_edit", crm.introduction_a.pk),
            {
                "cluster": cast.cluster_a.pk,
                "party_a_organisation": cast.company_a.pk,
                "party_b_person": cast.researcher_a.pk,
                "topic": "Glycan sensor, phase 2",
                "introduced_on": "2026-04-10",
                "stage": "commercialised",
            },
        )
        assert response.status_code == 302
        crm.introduction_a.refresh_from_db()
        assert crm.introduction_a.topic == "Glycan sensor, phase 2" and crm.introduction_a.stage == "introduced"
        assert crm.introduction_a.coordinator == cast.coordinator_a
