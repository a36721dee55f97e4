"""People and affiliations over the API."""

from __future__ import annotations

import pytest

from renkei.directory.models import Affiliation, Person


def test_a_person_has_names_in_three_scripts(cast, api):
    body = api(None).get(f"/api/people/{cast.researcher_a.pk}/").json()
    assert (body["name_ja"], body["name_en"], body["name_kana"]) == ("山田 花子", "Hanako Yamada", "ヤマダ ハナコ")
    assert body["fields"] == []
    assert "email" not in body


def test_an_administrator_adds_a_person(cast, api):
    response = api(cast.admin).post(
        "/api/people/",
        {"family_name_ja": "田中", "given_name_ja": "四郎", "email": "tanaka@example.com", "fields": ["life-science"]},
    )
    assert response.status_code == 201, response.json()
    person = Person.objects.get(pk=response.json()["id"])
    assert person.email == "tanaka@example.com"
    assert response.json()["email"] == "tanaka@example.com"


def test_a_person_needs_a_family_name(cast, api):
    response = api(cast.admin).post("/api/people/", {"given_name_en": "Nobody"})
    assert response.status_code == 400
    assert "family_name_ja" in response.json()


def test_a_person_is_public_only_with_consent(cast, api):
    response = api(cast.hq_a).patch(f"/api/people/{cast.engineer_a.pk}/", {"visibility": "public"})
    assert response.status_code == 400
    assert "visibility" in response.json()


def test_it_rejects_a_malformed_email(cast, api):
    response = api(cast.hq_a).patch(f"/api/people/{cast.engineer_a.pk}/", {"email": "not an address"})
    assert response.status_code == 400
    assert "email" in response.json()


def test_a_coordinator_updates_a_contact(cast, api):
    response = api(cast.coordinator_a).patch(f"/api/people/{cast.engineer_a.pk}/", {"phone": "03-1234-5678"})
    assert response.status_code == 200
    assert response.json()["phone"] == "03-1234-5678"
    cast.engineer_a.refresh_from_db()
    assert cast.engineer_a.phone == "03-1234-5678"
    assert cast.engineer_a.history.first().history_user == cast.coordinator_a


def test_an_affiliation_cannot_end_before_it_starts(cast, api):
    response = api(cast.hq_a).post(
        "/api/affiliations/",
        {
            "person": cast.engineer_a.pk,
            "organisation": cast.company_a.pk,
            "start_on": "2005-04-01",
            "end_on": "2004-03-31",
        },
    )
    assert response.status_code == 400
    assert "end_on" in response.json()
    assert not Affiliation.objects.filter(person=cast.engineer_a, organisation=cast.company_a).exists()


def test_an_affiliation_links_visible_records_only(cast, api):
    response = api(cast.participant).post(
        "/api/affiliations/", {"person": cast.participant_person.pk, "organisation": cast.secret_company_a.pk}
    )
    assert response.status_code == 400
    assert "organisation" in response.json()


def test_affiliations_filter_by_person(cast, api):
    results = api(cast.national).get("/api/affiliations/", {"person": cast.researcher_a.pk}).json()["results"]
    assert [(row["person"], row["organisation"], row["title_en"]) for row in results] == [
        (cast.researcher_a.pk, cast.university_a.pk, "Professor")
    ]


def test_an_affiliation_is_deleted_through_the_service(cast, api):
    affiliation = cast.participant_person.affiliations.get()
    assert api(cast.participant).delete(f"/api/affiliations/{affiliation.pk}/").status_code == 204
    assert not Affiliation.objects.filter(pk=affiliation.pk).exists()
    assert Affiliation.history.filter(id=affiliation.pk, history_type="-").get().history_user == cast.participant


def test_an_affiliation_cannot_move_to_a_person_the_user_may_not_change(cast, api):
    # hq_b looks after engineer_b; moving engineer_b's affiliation onto the participant (whom
    # hq_b may see but not change) is refused, as is the other way round.
    affiliation = cast.engineer_b.affiliations.get()
    response = api(cast.hq_b).patch(f"/api/affiliations/{affiliation.pk}/", {"person": cast.participant_person.pk})
    assert response.status_code == 403
    own = cast.participant_person.affiliations.get()
    response = api(cast.hq_b).patch(f"/api/affiliations/{own.pk}/", {"person": cast.engineer_b.pk})
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/api/affiliations/", "person=99999999999999999999999"),
        ("/api/affiliations/", "organisation=1.5"),
        ("/api/affiliations/", "person=0"),
        ("/api/people/", "organisation=-3"),
        ("/api/memberships/", "organisation=9223372036854775808"),
        ("/api/hq-positions/", "person=abc"),
    ],
)
def test_id_filters_outside_the_key_range_are_a_clear_400(cast, api, path, query):
    response = api(cast.national).get(f"{path}?{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    field = query.split("=")[0]
    assert field in response.json()
