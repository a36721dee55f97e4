"""The CRM over the API: interactions and introductions read and written by the rules of the pages
(confidential notes withheld, other clusters not found, participants refused), stage moves under
the pipeline's rules, follow-ups, and the filters. Every response is checked against the schema."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model

from renkei.accounts.models import Role, RoleKind
from renkei.brokerage import services
from renkei.brokerage.models import Interaction, Introduction, StageChange
from tests.brokerage.conftest import DAY, Crm, build_crm, make_interaction, make_introduction

pytestmark = pytest.mark.django_db

INTERACTIONS = "/api/crm/interactions/"
INTRODUCTIONS = "/api/crm/introductions/"
FOLLOW_UPS = "/api/crm/follow-ups/"


def topics(response) -> set[str]:
    return {row["topic"] for row in response.json()["results"]}


@pytest.fixture
def crm(cast) -> Crm:
    return build_crm(cast)


@pytest.fixture
def coordinator_a2(cast):
    user = get_user_model().objects.create_user(username="coordinator_a2", password="x")
    Role.objects.create(user=user, kind=RoleKind.COORDINATOR, cluster=cast.cluster_a)
    return user


# --- reading ------------------------------------------------------------------------------------

LISTED = {
    "coordinator_a": {"Visit to Alpha Precision", "Hidden Alpha financing"},
    "hq_a": {"Visit to Alpha Precision", "Hidden Alpha financing"},
    "hq_b": {"Beta Devices call"},
    "national": {"Visit to Alpha Precision", "Hidden Alpha financing", "Beta Devices call"},
    "admin": {"Visit to Alpha Precision", "Hidden Alpha financing", "Beta Devices call"},
}


@pytest.mark.parametrize(("role", "expected"), LISTED.items())
def test_each_crm_role_lists_the_interactions_of_its_clusters(cast, crm, api, role, expected):
    assert topics(api(getattr(cast, role)).get(INTERACTIONS)) == expected


@pytest.mark.parametrize(("role", "status"), [("anonymous", 401), ("participant", 403)])
def test_participants_and_visitors_get_no_crm_at_all(cast, crm, api, role, status):
    client = api(getattr(cast, role))
    for url in (INTERACTIONS, INTRODUCTIONS, f"{INTERACTIONS}{crm.open_a.pk}/", FOLLOW_UPS):
        assert client.get(url).status_code == status, url


def test_another_clusters_records_are_not_found(cast, crm, api):
    client = api(cast.hq_b)
    assert client.get(f"{INTERACTIONS}{crm.open_a.pk}/").status_code == 404
    assert client.get(f"{INTRODUCTIONS}{crm.introduction_a.pk}/").status_code == 404
    assert client.patch(f"{INTERACTIONS}{crm.open_a.pk}/", {"topic": "taken"}).status_code == 404


NOTES = {
    "coordinator_a": "Cash runs out in March.",
    "hq_a": "Cash runs out in March.",
    "national": None,
    "admin": "Cash runs out in March.",
}


@pytest.mark.parametrize(("role", "notes"), NOTES.items())
def test_confidential_notes_go_only_to_the_author_and_hq(cast, crm, api, role, notes):
    detail = api(getattr(cast, role)).get(f"{INTERACTIONS}{crm.confidential_a.pk}/").json()
    assert detail["notes"] == notes
    assert detail["notes_hidden"] is (notes is None)
    listed = {row["id"]: row for row in api(getattr(cast, role)).get(INTERACTIONS).json()["results"]}
    assert listed[crm.confidential_a.pk]["notes"] == notes


def test_a_colleague_reads_open_notes_but_not_confidential_ones(cast, crm, api, coordinator_a2):
    client = api(coordinator_a2)
    assert client.get(f"{INTERACTIONS}{crm.open_a.pk}/").json()["notes"] == "They want a partner for surface coating."
    assert client.get(f"{INTERACTIONS}{crm.confidential_a.pk}/").json()["notes"] is None


def test_notes_are_never_searched(cast, crm, api):
    client = api(cast.national)
    assert topics(client.get(INTERACTIONS, {"q": "March"})) == set()
    assert topics(client.get(INTERACTIONS, {"q": "financing"})) == {"Hidden Alpha financing"}


def test_organisations_the_reader_may_not_see_are_left_out(cast, crm, api):
    interaction = make_interaction(
        cast.hq_b, cast.cluster_b, topic="Both", organisations=[cast.public_company_b, cast.secret_company_b]
    )
    # National officers see both; a coordinator of A sees neither record; check the list for hq_b's view.
    row = api(cast.national).get(f"{INTERACTIONS}{interaction.pk}/").json()
    assert set(row["organisations"]) == {cast.public_company_b.pk, cast.secret_company_b.pk}
    interaction.organisations.add(cast.secret_company_a)  # restricted to cluster A's staff
    row = api(cast.hq_b).get(f"{INTERACTIONS}{interaction.pk}/").json()
    assert cast.secret_company_a.pk not in row["organisations"]


# --- filters ------------------------------------------------------------------------------------


def test_interactions_filter_by_cluster_coordinator_kind_and_date(cast, crm, api):
    client = api(cast.national)
    make_interaction(cast.hq_a, cast.cluster_a, topic="Later call", kind="call", date=datetime.date(2026, 6, 1))
    assert topics(client.get(INTERACTIONS, {"cluster": "cluster-b"})) == {"Beta Devices call"}
    assert topics(client.get(INTERACTIONS, {"coordinator": cast.hq_a.pk})) == {"Later call"}
    assert topics(client.get(INTERACTIONS, {"kind": "call"})) == {"Later call"}
    assert topics(client.get(INTERACTIONS, {"date_from": "2026-05-01"})) == {"Later call"}
    assert topics(client.get(INTERACTIONS, {"date_to": "2026-05-01", "cluster": "cluster-a"})) == {
        "Visit to Alpha Precision",
        "Hidden Alpha financing",
    }


def test_a_bad_filter_value_is_a_400_naming_it(cast, crm, api):
    response = api(cast.national).get(INTERACTIONS, {"date_from": "soon", "cluster": "nowhere"})
    assert response.status_code == 400
    assert {"date_from", "cluster"} <= set(response.json())


def test_a_coordinator_cannot_filter_into_another_cluster(cast, crm, api):
    response = api(cast.coordinator_a).get(INTRODUCTIONS, {"cluster": "cluster-b"})
    assert response.status_code == 400
    assert "cluster" in response.json()


def test_introductions_filter_by_stage_coordinator_and_period(cast, crm, api):
    services.do_move_stage(cast.coordinator_a, crm.introduction_a, "met", on=DAY)
    client = api(cast.national)
    ids = lambda response: {row["id"] for row in response.json()["results"]}  # noqa: E731
    assert ids(client.get(INTRODUCTIONS, {"stage": "met"})) == {crm.introduction_a.pk}
    assert ids(client.get(INTRODUCTIONS, {"stage": ["met", "introduced"]})) == {
        crm.introduction_a.pk,
        crm.introduction_b.pk,
    }
    assert ids(client.get(INTRODUCTIONS, {"coordinator": cast.hq_b.pk})) == {crm.introduction_b.pk}
    assert ids(client.get(INTRODUCTIONS, {"date_from": "2026-04-11"})) == set()
    assert ids(client.get(INTRODUCTIONS, {"cluster": "cluster-a", "date_to": "2026-04-10"})) == {crm.introduction_a.pk}


# --- writing interactions -----------------------------------------------------------------------


def test_a_coordinator_logs_an_interaction_and_becomes_its_coordinator(cast, api):
    body = {
        "kind": "visit",
        "date": "2026-04-01",
        "cluster": "cluster-a",
        "topic": "工場見学",
        "organisations": [cast.company_a.pk],
        "people": [cast.participant_person.pk],
        "notes": "資金調達の相談",
        "confidential": True,
        "next_follow_up_on": "2026-04-20",
    }
    response = api(cast.coordinator_a).post(INTERACTIONS, body)
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["coordinator"], data["created_by"], data["notes"]) == (
        cast.coordinator_a.pk,
        cast.coordinator_a.pk,
        "資金調達の相談",
    )
    interaction = Interaction.objects.get(pk=data["id"])
    assert list(interaction.organisations.all()) == [cast.company_a]
    assert interaction.history.count() == 1


def test_a_bad_interaction_is_refused_naming_the_fields_and_nothing_is_saved(cast, api):
    body = {
        "kind": "visit",
        "date": "2026-04-10",
        "cluster": "cluster-a",
        "topic": "  ",
        "organisations": [cast.secret_company_b.pk],
        "next_follow_up_on": "2026-04-01",
    }
    response = api(cast.coordinator_a).post(INTERACTIONS, body)
    assert response.status_code == 400
    assert "organisations" in response.json()
    body["organisations"] = []
    response = api(cast.coordinator_a).post(INTERACTIONS, body)
    assert response.status_code == 400
    assert "topic" in response.json()
    body["topic"] = "工場訪問"
    response = api(cast.coordinator_a).post(INTERACTIONS, body)
    assert response.status_code == 400
    assert set(response.json()) == {"next_follow_up_on"}
    assert not Interaction.objects.exists()


def test_a_coordinator_cannot_log_in_another_cluster_or_name_an_outsider(cast, api, coordinator_a2):
    body = {"kind": "call", "date": "2026-04-01", "cluster": "cluster-b", "topic": "x"}
    assert api(cast.coordinator_a).post(INTERACTIONS, body).status_code == 403
    body.update(cluster="cluster-a", coordinator=cast.hq_b.pk)
    response = api(cast.coordinator_a).post(INTERACTIONS, body)
    assert response.status_code == 400
    assert "coordinator" in response.json()
    assert not Interaction.objects.exists()


def test_a_partial_update_keeps_the_parties_and_records_history(cast, crm, api):
    response = api(cast.coordinator_a).patch(f"{INTERACTIONS}{crm.open_a.pk}/", {"topic": "Second visit"})
    assert response.status_code == 200, response.json()
    crm.open_a.refresh_from_db()
    assert crm.open_a.topic == "Second visit"
    assert list(crm.open_a.organisations.all()) == [cast.company_a]
    assert crm.open_a.history.first().history_user == cast.coordinator_a


def test_an_edit_keeps_parties_the_editor_may_not_see(cast, crm, api):
    # cluster B's HQ logs a call naming a restricted company of B and, wrongly or not, one of A.
    interaction = make_interaction(cast.hq_b, cast.cluster_b, topic="Call", organisations=[cast.secret_company_b])
    interaction.organisations.add(cast.secret_company_a)
    response = api(cast.hq_b).patch(f"{INTERACTIONS}{interaction.pk}/", {"topic": "Second call"})
    assert response.status_code == 200, response.json()
    assert cast.secret_company_a.pk not in response.json()["organisations"]
    assert set(interaction.organisations.all()) == {cast.secret_company_a, cast.secret_company_b}
    # Naming a hidden one afresh is still refused.
    other = make_interaction(cast.hq_b, cast.cluster_b, topic="Other")
    refused = api(cast.hq_b).patch(f"{INTERACTIONS}{other.pk}/", {"organisations": [cast.secret_company_a.pk]})
    assert refused.status_code == 400


def test_a_colleague_may_not_change_someone_elses_interaction(cast, crm, api, coordinator_a2):
    assert api(coordinator_a2).patch(f"{INTERACTIONS}{crm.open_a.pk}/", {"topic": "x"}).status_code == 403
    assert api(cast.hq_a).patch(f"{INTERACTIONS}{crm.open_a.pk}/", {"topic": "HQ"}).status_code == 200


def test_a_coordinator_cannot_move_an_interaction_to_another_cluster(cast, crm, api):
    response = api(cast.hq_a).patch(f"{INTERACTIONS}{crm.open_a.pk}/", {"cluster": "cluster-b"})
    assert response.status_code == 403
    crm.open_a.refresh_from_db()
    assert crm.open_a.cluster == cast.cluster_a


# --- follow-ups ---------------------------------------------------------------------------------


def test_follow_ups_list_the_overdue_ones_and_done_clears_them(cast, crm, api):
    client = api(cast.coordinator_a)
    overdue = client.get(FOLLOW_UPS, {"on": "2026-05-02"}).json()["results"]
    assert [row["id"] for row in overdue] == [crm.open_a.pk]
    assert client.get(FOLLOW_UPS, {"on": "2026-05-01"}).json()["results"] == []
    assert api(cast.hq_b).get(FOLLOW_UPS, {"on": "2026-05-02"}).json()["results"] == []
    done = client.post(f"{INTERACTIONS}{crm.open_a.pk}/follow-up-done/")
    assert done.status_code == 200
    assert done.json()["follow_up_done"] is True
    assert client.get(FOLLOW_UPS, {"on": "2026-05-02"}).json()["results"] == []


def test_follow_ups_refuse_a_bad_date(cast, crm, api):
    response = api(cast.coordinator_a).get(FOLLOW_UPS, {"on": "tomorrow"})
    assert response.status_code == 400
    assert "on" in response.json()


def test_national_officers_cannot_mark_follow_ups_done(cast, crm, api):
    assert api(cast.national).post(f"{INTERACTIONS}{crm.open_a.pk}/follow-up-done/").status_code == 403


# --- introductions and their pipeline -------------------------------------------------------------


def _introduction_body(cast, **extra):
    return {
        "cluster": "cluster-a",
        "party_a_organisation": cast.company_a.pk,
        "party_b_person": cast.researcher_a.pk,
        "topic": "糖鎖センサーの共同開発",
        "introduced_on": "2026-04-01",
        **extra,
    }


def test_an_introduction_is_recorded_at_the_first_stage_whatever_the_body_says(cast, api):
    response = api(cast.coordinator_a).post(INTRODUCTIONS, _introduction_body(cast, stage="commercialised"))
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["stage"] == "introduced"
    assert [(c["from_stage"], c["to_stage"]) for c in data["stage_changes"]] == [(None, "introduced")]


def test_an_introduction_needs_two_different_parties(cast, api):
    response = api(cast.coordinator_a).post(
        INTRODUCTIONS, _introduction_body(cast, party_b_person=None, party_b_organisation=None)
    )
    assert response.status_code == 400
    assert "party_b_organisation" in response.json()
    assert not Introduction.objects.exists()


def test_stage_moves_follow_the_pipeline_rules(cast, crm, api):
    client = api(cast.coordinator_a)
    url = f"{INTRODUCTIONS}{crm.introduction_a.pk}/move/"
    moved = client.post(url, {"to_stage": "nda", "on": "2026-04-20"})
    assert moved.status_code == 200, moved.json()
    assert moved.json()["stage"] == "nda"
    back = client.post(url, {"to_stage": "met", "on": "2026-04-21"})
    assert back.status_code == 400
    assert "to_stage" in back.json()
    early = client.post(url, {"to_stage": "joint_research", "on": "2026-04-01"})
    assert early.status_code == 400
    assert "on" in early.json()
    unexplained = client.post(url, {"to_stage": "closed", "on": "2026-04-22"})
    assert set(unexplained.json()) == {"reason"}
    closed = client.post(url, {"to_stage": "closed", "on": "2026-04-22", "reason": "予算がつかず"})
    assert closed.json()["closed_reason"] == "予算がつかず"
    reopened = client.post(url, {"to_stage": "met", "on": "2026-04-23", "reason": "再開"})
    assert reopened.status_code == 400
    assert set(reopened.json()) == {"to_stage"}
    by_hq = api(cast.hq_a).post(url, {"to_stage": "met", "on": "2026-04-23", "reason": "予算確保"})
    assert by_hq.json()["stage"] == "met"
    assert StageChange.objects.filter(introduction=crm.introduction_a).count() == 4


def test_a_move_needs_a_stage_and_a_date(cast, crm, api):
    response = api(cast.coordinator_a).post(f"{INTRODUCTIONS}{crm.introduction_a.pk}/move/", {"to_stage": "nowhere"})
    assert response.status_code == 400
    assert {"to_stage", "on"} <= set(response.json())


@pytest.mark.parametrize(("role", "status"), [("national", 403), ("hq_b", 404), ("participant", 403)])
def test_outsiders_cannot_move_an_introduction(cast, crm, api, role, status):
    response = api(getattr(cast, role)).post(
        f"{INTRODUCTIONS}{crm.introduction_a.pk}/move/", {"to_stage": "met", "on": "2026-04-20"}
    )
    assert response.status_code == status
    crm.introduction_a.refresh_from_db()
    assert crm.introduction_a.stage == "introduced"


def test_editing_an_introduction_never_changes_its_stage_or_cluster(cast, crm, api):
    client = api(cast.hq_a)
    url = f"{INTRODUCTIONS}{crm.introduction_a.pk}/"
    response = client.patch(url, {"topic": "新しい件名", "stage": "commercialised"})
    assert response.status_code == 200
    assert (response.json()["topic"], response.json()["stage"]) == ("新しい件名", "introduced")
    moved = client.patch(url, {"cluster": "cluster-b"})
    assert moved.status_code in (400, 403)
    crm.introduction_a.refresh_from_db()
    assert crm.introduction_a.cluster == cast.cluster_a


def test_hidden_parties_read_as_null(cast, crm, api):
    row = api(cast.hq_b).get(f"{INTRODUCTIONS}{crm.introduction_b.pk}/").json()
    assert row["party_b_organisation"] == cast.secret_company_b.pk
    introduction = Introduction.objects.get(pk=crm.introduction_b.pk)
    Introduction.objects.filter(pk=introduction.pk).update(party_a_organisation=cast.secret_company_a)
    row = api(cast.hq_b).get(f"{INTRODUCTIONS}{crm.introduction_b.pk}/").json()
    assert row["party_a_organisation"] is None


# --- attachments, schema and query counts ---------------------------------------------------------


def test_attachments_are_listed_only_for_readers_of_the_notes(cast, crm, api):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from renkei.brokerage.attachments import do_add_attachment

    do_add_attachment(cast.coordinator_a, crm.confidential_a, SimpleUploadedFile("plan.pdf", b"%PDF"))
    mine = api(cast.coordinator_a).get(f"{INTERACTIONS}{crm.confidential_a.pk}/").json()["attachments"]
    assert [a["name"] for a in mine] == ["plan.pdf"]
    assert mine[0]["download_url"].startswith("/")
    assert api(cast.national).get(f"{INTERACTIONS}{crm.confidential_a.pk}/").json()["attachments"] == []


def test_the_schema_documents_the_crm_endpoints(api):
    paths = api(None).get("/api/schema/", {"format": "json"}).json()["paths"]
    for path in (
        "/api/crm/interactions/",
        "/api/crm/interactions/{id}/",
        "/api/crm/follow-ups/",
        "/api/crm/interactions/{id}/follow-up-done/",
        "/api/crm/introductions/",
        "/api/crm/introductions/{id}/",
        "/api/crm/introductions/{id}/move/",
    ):
        assert path in paths, path
    notes = paths["/api/crm/interactions/{id}/"]["get"]
    assert "403" in notes["responses"]


def test_the_interaction_list_costs_the_same_queries_for_more_rows(cast, crm, api):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api(cast.hq_a)
    with CaptureQueriesContext(connection) as few:
        client.get(INTERACTIONS)
    for n in range(5):
        make_interaction(cast.coordinator_a, cast.cluster_a, topic=f"Extra {n}", organisations=[cast.company_a])
    with CaptureQueriesContext(connection) as more:
        client.get(INTERACTIONS)
    assert len(more) <= len(few) + 1


def test_the_introduction_list_costs_the_same_queries_for_more_rows(cast, crm, api):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api(cast.hq_a)
    with CaptureQueriesContext(connection) as few:
        assert client.get(INTRODUCTIONS).status_code == 200
    for _n in range(5):
        make_introduction(
            cast.coordinator_a, cast.cluster_a, party_a_organisation=cast.company_a, party_b_person=cast.researcher_a
        )
    with CaptureQueriesContext(connection) as more:
        response = client.get(INTRODUCTIONS)
    assert len(response.json()["results"]) == 6
    assert len(more) <= len(few) + 1
