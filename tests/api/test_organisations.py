"""Organisations over the API: reads, writes through the services, and the errors they give."""

from __future__ import annotations

import pytest

from renkei.core.validators import corporate_number_check_digit
from renkei.directory.models import Organisation
from renkei.programs.models import Membership

URL = "/api/organisations/"


def corporate_number(base12: str) -> str:
    return f"{corporate_number_check_digit(base12)}{base12}"


def wrong_check_digit(base12: str) -> str:
    return f"{(corporate_number_check_digit(base12) % 9) + 1}{base12}"


def test_it_lists_names_side_by_side(cast, api):
    response = api(cast.national).get(URL, {"ordering": "id"})
    assert response.status_code == 200
    first = response.json()["results"][0]
    assert first["name_ja"] == "Aクラスター推進協議会"
    assert first["name_en"] == "Cluster A Promotion Council"
    assert "name_kana" in first
    assert first["prefecture"] == "13"


def test_it_shows_one_organisation(cast, api):
    response = api(cast.hq_a).get(f"{URL}{cast.company_a.pk}/")
    assert response.status_code == 200
    assert response.json()["name_en"] == "Alpha Precision"
    assert response.json()["sector"] == "industry"


def test_admin_creates_an_organisation(cast, api):
    number = corporate_number("700110005901")
    response = api(cast.admin).post(
        URL,
        {
            "kind": "sme",
            "name_ja": "ガンマ化学",
            "name_en": "Gamma Chemicals",
            "corporate_number": number,
            "prefecture": "13",
            "fields": ["life-science"],
            "employees": 42,
            "visibility": "public",
        },
    )
    assert response.status_code == 201, response.json()
    created = Organisation.objects.get(pk=response.json()["id"])
    assert created.corporate_number == number
    assert [f.code for f in created.fields.all()] == ["life-science"]
    assert created.history.first().history_user == cast.admin


@pytest.mark.parametrize(("language", "words"), [("en", "check digit"), ("ja", "チェックデジット")])
def test_it_rejects_a_bad_check_digit_naming_the_field_in_the_clients_language(cast, api, language, words):
    response = api(cast.admin).post(
        URL,
        {"kind": "sme", "name_ja": "誤番号", "corporate_number": wrong_check_digit("700110005901")},
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 400
    assert list(response.json()) == ["corporate_number"]
    assert words in response.json()["corporate_number"][0]
    assert not Organisation.objects.filter(name_ja="誤番号").exists()


def test_it_rejects_a_duplicate_corporate_number(cast, api):
    number = corporate_number("700110005901")
    cast.company_a.corporate_number = number
    cast.company_a.save()
    response = api(cast.admin).post(URL, {"kind": "sme", "name_ja": "重複", "corporate_number": number})
    assert response.status_code == 400
    assert "corporate_number" in response.json()


def test_blank_corporate_numbers_do_not_collide(cast, api):
    client = api(cast.admin)
    for name in ("一", "二"):
        response = client.post(URL, {"kind": "sme", "name_ja": name, "corporate_number": ""})
        assert response.status_code == 201, response.json()
        assert response.json()["corporate_number"] is None


def test_it_needs_a_name_in_some_language(cast, api):
    response = api(cast.admin).post(URL, {"kind": "sme"})
    assert response.status_code == 400
    assert "name_ja" in response.json()


def test_it_rejects_wrong_types(cast, api):
    response = api(cast.admin).post(
        URL,
        {"kind": "spaceship", "name_ja": "型", "employees": "many", "founded_on": "yesterday", "fields": "life"},
    )
    assert response.status_code == 400
    assert {"kind", "employees", "founded_on", "fields"} <= set(response.json())


def test_it_rejects_unknown_links(cast, api):
    response = api(cast.admin).post(
        URL, {"kind": "sme", "name_ja": "リンク", "prefecture": "99", "industry": 999999, "fields": ["no-such"]}
    )
    assert response.status_code == 400
    assert {"prefecture", "industry", "fields"} <= set(response.json())


def test_it_rejects_a_municipality_outside_the_prefecture(cast, api):
    from renkei.core.models import BureauRegion, Municipality, Prefecture

    region = BureauRegion.objects.get(code="kanto")
    Prefecture.objects.create(code="14", name_ja="神奈川県", name_en="Kanagawa", region=region)
    Municipality.objects.create(code="141003", prefecture_id="14", name_ja="横浜市")
    response = api(cast.admin).patch(f"{URL}{cast.company_a.pk}/", {"municipality": "141003"})
    assert response.status_code == 400
    assert "municipality" in response.json()


def test_unknown_ids_are_not_found(cast, api):
    client = api(cast.admin)
    assert client.get(f"{URL}999999/").status_code == 404
    assert client.get(f"{URL}not-a-number/").status_code == 404
    assert client.patch(f"{URL}999999/", {"name_en": "x"}).status_code == 404


def test_hq_staff_create_a_member_of_their_cluster(cast, api):
    client = api(cast.hq_a)
    response = client.post(URL, {"kind": "sme", "name_ja": "新規会員", "cluster": "cluster-a"})
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert Membership.objects.filter(cluster=cast.cluster_a, organisation_id=pk).exists()
    # …and, being a member of their cluster, they can keep it up to date.
    assert client.patch(f"{URL}{pk}/", {"employees": 12}).status_code == 200


def test_hq_staff_cannot_create_a_member_of_another_cluster(cast, api):
    response = api(cast.hq_a).post(URL, {"kind": "sme", "name_ja": "越境", "cluster": "cluster-b"})
    assert response.status_code == 403
    assert not Organisation.objects.filter(name_ja="越境").exists()


def test_the_cluster_field_is_for_creation_only(cast, api):
    response = api(cast.hq_a).patch(f"{URL}{cast.company_a.pk}/", {"cluster": "cluster-a"})
    assert response.status_code == 400
    assert "cluster" in response.json()


def test_a_participant_updates_their_own_organisation(cast, api):
    response = api(cast.participant).patch(f"{URL}{cast.company_a.pk}/", {"capability": "精密加工"})
    assert response.status_code == 200
    cast.company_a.refresh_from_db()
    assert cast.company_a.capability == "精密加工"


def test_a_full_update_replaces_the_record(cast, api):
    response = api(cast.hq_a).put(
        f"{URL}{cast.company_a.pk}/",
        {"kind": "large_enterprise", "name_ja": "アルファ精密", "name_en": "Alpha Precision Ltd", "fields": []},
    )
    assert response.status_code == 200, response.json()
    assert response.json()["kind"] == "large_enterprise"


def test_organisations_cannot_be_deleted_over_the_api(cast, api):
    assert api(cast.admin).delete(f"{URL}{cast.company_a.pk}/").status_code == 405
