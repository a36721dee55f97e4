"""Every directory page for every role: who gets the page, who is sent to sign in, who gets
403 (may see but not change) and who gets 404 (may not even know the record exists)."""

from __future__ import annotations

import pytest

from tests.directory.helpers import url

ROLES = ["anonymous", "participant", "coordinator_a", "hq_a", "hq_b", "national", "admin"]
LOGIN = "login"

# page -> (url name, record in the cast or None, expected status per role in ROLES order)
PAGES = {
    "organisation list": ("organisation_list", None, [200, 200, 200, 200, 200, 200, 200]),
    "person list": ("person_list", None, [200, 200, 200, 200, 200, 200, 200]),
    "public organisation": ("organisation_detail", "university_a", [200, 200, 200, 200, 200, 200, 200]),
    "restricted organisation of A": ("organisation_detail", "secret_company_a", [404, 404, 200, 200, 404, 200, 200]),
    "restricted organisation of B": ("organisation_detail", "secret_company_b", [404, 404, 404, 404, 200, 200, 200]),
    "add organisation": ("organisation_create", None, [LOGIN, 403, 403, 200, 200, 403, 200]),
    "edit members-only organisation of A": ("organisation_edit", "company_a", [LOGIN, 200, 403, 200, 403, 403, 200]),
    "edit restricted organisation of A": (
        "organisation_edit",
        "secret_company_a",
        [LOGIN, 404, 403, 200, 404, 403, 200],
    ),
    "edit public organisation of B": ("organisation_edit", "public_company_b", [LOGIN, 403, 403, 403, 200, 403, 200]),
    "public person": ("person_detail", "researcher_a", [200, 200, 200, 200, 200, 200, 200]),
    "restricted person of A": ("person_detail", "engineer_a", [404, 404, 200, 200, 404, 200, 200]),
    "participant's own record": ("person_detail", "participant_person", [404, 200, 200, 200, 200, 200, 200]),
    "add person": ("person_create", None, [LOGIN, 200, 403, 200, 200, 403, 200]),
    "edit restricted person of A": ("person_edit", "engineer_a", [LOGIN, 404, 403, 200, 404, 403, 200]),
    "edit own person record": ("person_edit", "participant_person", [LOGIN, 200, 403, 200, 403, 403, 200]),
    "edit contact of person of A": ("person_contact_edit", "engineer_a", [LOGIN, 404, 200, 200, 404, 403, 200]),
    "add affiliation to person of A": ("affiliation_create", "engineer_a", [LOGIN, 404, 403, 200, 404, 403, 200]),
}


def _target(cast, record):
    return () if record is None else (getattr(cast, record).pk,)


CASES = [
    pytest.param(name, record, role, expected, id=f"{page}-{role}")
    for page, (name, record, statuses) in PAGES.items()
    for role, expected in zip(ROLES, statuses, strict=True)
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "record", "role", "expected"), CASES)
def test_page_answers_each_role_as_the_rules_say(cast, client_for, name, record, role, expected):
    response = client_for(getattr(cast, role)).get(url(name, *_target(cast, record)))
    if expected == LOGIN:
        assert response.status_code == 302
        assert "/login/" in response["Location"]
    else:
        assert response.status_code == expected


@pytest.mark.django_db
class TestAffiliationPages:
    @pytest.mark.parametrize(
        ("role", "expected"),
        [("participant", 404), ("coordinator_a", 403), ("hq_a", 200), ("hq_b", 404), ("national", 403)],
    )
    def test_affiliation_edit_follows_the_person_rule(self, cast, client_for, role, expected):
        affiliation = cast.engineer_a.affiliations.get()
        response = client_for(getattr(cast, role)).get(url("affiliation_edit", affiliation.pk))
        assert response.status_code == expected

    def test_visitor_is_sent_to_sign_in_before_editing_an_affiliation(self, cast, client):
        affiliation = cast.researcher_a.affiliations.get()
        response = client.get(url("affiliation_edit", affiliation.pk))
        assert response.status_code == 302 and "/login/" in response["Location"]

    def test_delete_accepts_only_post(self, cast, client_for):
        affiliation = cast.engineer_a.affiliations.get()
        response = client_for(cast.hq_a).get(url("affiliation_delete", affiliation.pk))
        assert response.status_code == 405
        assert cast.engineer_a.affiliations.exists()

    @pytest.mark.parametrize(("role", "expected"), [("coordinator_a", 403), ("hq_b", 404), ("participant", 404)])
    def test_delete_is_refused_to_those_who_may_not_edit_the_person(self, cast, client_for, role, expected):
        affiliation = cast.engineer_a.affiliations.get()
        response = client_for(getattr(cast, role)).post(url("affiliation_delete", affiliation.pk))
        assert response.status_code == expected
        assert cast.engineer_a.affiliations.exists()


@pytest.mark.django_db
class TestOtherClustersRestrictedRecords:
    def test_hq_of_b_cannot_post_changes_to_a_restricted_organisation_of_a(self, cast, client_for):
        response = client_for(cast.hq_b).post(
            url("organisation_edit", cast.secret_company_a.pk), {"kind": "sme", "name_en": "Taken over"}
        )
        assert response.status_code == 404
        cast.secret_company_a.refresh_from_db()
        assert cast.secret_company_a.name_en == "Hidden Alpha Works"

    def test_coordinator_of_a_cannot_post_a_change_to_a_member_organisation(self, cast, client_for):
        response = client_for(cast.coordinator_a).post(
            url("organisation_edit", cast.company_a.pk), {"kind": "sme", "name_en": "Renamed"}
        )
        assert response.status_code == 403
        cast.company_a.refresh_from_db()
        assert cast.company_a.name_en == "Alpha Precision"

    def test_hq_of_b_cannot_see_restricted_person_of_a_in_any_page(self, cast, client_for):
        client = client_for(cast.hq_b)
        for name in ("person_detail", "person_edit", "person_contact_edit", "affiliation_create"):
            assert client.get(url(name, cast.engineer_a.pk)).status_code == 404, name
        assert "Sato" not in client.get(url("person_list")).content.decode()

    def test_unknown_records_are_404(self, cast, client_for):
        client = client_for(cast.admin)
        assert client.get(url("organisation_detail", 999999)).status_code == 404
        assert client.get(url("person_detail", 999999)).status_code == 404
        assert client.get(url("affiliation_edit", 999999)).status_code == 404


@pytest.mark.django_db
def test_pages_render_in_english(cast, client_for):
    from django.utils import translation

    client = client_for(cast.hq_a)
    with translation.override("en"):
        list_url = url("organisation_list")
        detail_url = url("organisation_detail", cast.company_a.pk)
    assert list_url.startswith("/en/")
    assert "Alpha Precision" in client.get(list_url).content.decode()
    assert "Alpha Precision" in client.get(detail_url).content.decode()
