"""Organisation look-up in the organisation forms: candidates from the NTA corporate number table,
their codes mapped onto the directory's prefectures and municipalities, the look-up's access rule
and rate limit, odd input, and the form filled and saved — with and without JavaScript."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from renkei.core.models import BureauRegion, Municipality, Prefecture
from renkei.directory.forms import LOOKUP_FILLED_FIELDS, LOOKUP_OFFICIAL_FIELDS
from renkei.directory.lookup import bulk_form_values, get_corporations, get_form_values, municipality_code_for
from renkei.directory.models import Organisation
from renkei.imports.models import Corporation
from renkei.imports.nta import name_key
from tests.directory.helpers import corporate_number, organisation_data, organisation_form_data, url

pytestmark = pytest.mark.django_db
LOOKUP_URL = "/imports/corporations/lookup"

MIRAI = corporate_number("010001234567")
MIRAI_TRADING = corporate_number("010001234568")
SAPPORO_TECH = corporate_number("430001000001")
HACHIOJI = corporate_number("010101000002")


def make_corporation(number: str, name: str, prefecture: str, city: str, **extra) -> Corporation:
    now = timezone.now()
    prefecture_names = {"13": "東京都", "01": "北海道"}
    return Corporation.objects.create(
        corporate_number=number,
        process="01",
        name=name,
        name_key=name_key(name),
        kind="301",
        prefecture_name=prefecture_names.get(prefecture, ""),
        prefecture_code=prefecture,
        city_code=city,
        layout_columns=30,
        created_at=now,
        updated_at=now,
        **extra,
    )


@pytest.fixture
def register(cast):
    region = BureauRegion.objects.create(code="hokkaido", name_ja="北海道", name_en="Hokkaido", sort_order=1)
    hokkaido = Prefecture.objects.create(code="01", name_ja="北海道", name_en="Hokkaido", region=region)
    Municipality.objects.create(code="011002", prefecture=hokkaido, name_ja="札幌市", name_en="Sapporo")
    Municipality.objects.create(code="131016", prefecture_id="13", name_ja="千代田区", name_en="Chiyoda")
    return {
        "mirai": make_corporation(
            MIRAI,
            "株式会社みらい精工",
            "13",
            "101",
            city_name="千代田区",
            street_number="丸の内１－１",
            post_code="1000005",
            name_en="Mirai Seiko Co., Ltd.",
            furigana="ミライセイコウ",
        ),
        "closed": make_corporation(
            MIRAI_TRADING,
            "株式会社みらい精工商事",
            "13",
            "101",
            city_name="千代田区",
            street_number="大手町２－２",
            close_date=dt.date(2020, 3, 31),
            close_cause="01",
        ),
        # A ward of a designated city: the NTA's code is the ward's (01101), the directory keys the city.
        "sapporo": make_corporation(
            SAPPORO_TECH, "札幌テック株式会社", "01", "101", city_name="札幌市中央区", street_number="北一条西２丁目"
        ),
        # A municipality the reference table does not hold (八王子市).
        "hachioji": make_corporation(
            HACHIOJI, "八王子ラボ合同会社", "13", "201", city_name="八王子市", street_number="旭町１２－１"
        ),
    }


# --- mapping NTA codes onto the directory's reference tables ------------------------------------


def test_nta_codes_become_local_government_codes_with_check_digit():
    assert municipality_code_for("13", "101") == "131016"
    assert municipality_code_for("27", "202") == "272027"


def test_a_designated_city_ward_maps_to_its_city():
    assert municipality_code_for("01", "101") == "011002"  # 札幌市中央区 → 札幌市
    assert municipality_code_for("01", "110") == "011002"  # 札幌市清田区
    assert municipality_code_for("14", "135") == "141305"  # 川崎市中原区 → 川崎市, not 横浜市
    assert municipality_code_for("27", "128") == "271004"  # 大阪市中央区 → 大阪市
    assert municipality_code_for("13", "101") == "131016"  # Tokyo's special wards are municipalities


def test_missing_or_malformed_codes_give_no_municipality():
    assert municipality_code_for("", "101") == ""
    assert municipality_code_for("13", "") == ""
    assert municipality_code_for("13", "1a1") == ""


def test_the_fill_helper_maps_prefecture_municipality_and_address(register):
    mirai, sapporo, hachioji = bulk_form_values([register["mirai"], register["sapporo"], register["hachioji"]])

    assert mirai["prefecture"] == "13"
    assert mirai["municipality"] == "131016"
    assert mirai["address"] == "丸の内１－１"  # the municipality has its own field
    assert mirai["postal_code"] == "100-0005"
    assert mirai["name_en"] == "Mirai Seiko Co., Ltd."
    assert mirai["name_kana"] == "ミライセイコウ"
    assert sapporo["prefecture"] == "01"
    assert sapporo["municipality"] == "011002"
    assert sapporo["municipality_label"] == "北海道 札幌市"
    assert hachioji["prefecture"] == "13"
    assert hachioji["municipality"] == ""
    assert hachioji["address"] == "八王子市旭町１２－１"  # the city's name is kept in the address


def test_a_prefecture_missing_from_the_reference_table_stays_in_the_address(register):
    (values,) = bulk_form_values([make_corporation(corporate_number("000012345678"), "沖縄物産株式会社", "47", "201")])
    assert values["prefecture"] == ""
    assert values["municipality"] == ""


def test_get_form_values_by_number(register):
    assert get_form_values(MIRAI)["name_ja"] == "株式会社みらい精工"
    assert get_form_values(MIRAI_TRADING)["closed_on"] == "2020-03-31"
    assert get_form_values(corporate_number("999999999999")) is None
    assert get_form_values("みらい") is None


# --- the JSON look-up ------------------------------------------------------------------------


def test_typing_a_name_offers_open_corporations_before_closed_ones(cast, client_for, register):
    response = client_for(cast.hq_a).get(LOOKUP_URL, {"q": "みらい"})

    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["corporate_number"] for r in results] == [MIRAI, MIRAI_TRADING]
    assert results[0]["form"]["municipality"] == "131016"
    assert results[0]["form"]["closed_on"] is None
    assert results[1]["form"]["closed_on"] == "2020-03-31"


def test_a_corporate_number_finds_its_corporation_with_the_ward_mapped(cast, client_for, register):
    results = client_for(cast.hq_a).get(LOOKUP_URL, {"q": SAPPORO_TECH}).json()["results"]

    assert [r["form"]["municipality"] for r in results] == ["011002"]
    assert results[0]["municipality"] == "011011"  # the NTA's own code is still given


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "みらいMIRAIｱｲｳ株式会社𠮷",
        "%",
        "_",
        "'; DROP TABLE imports_corporation; --",
        "1234567890123",
        "-" * 13,
    ],
)
def test_odd_input_gives_an_answer_not_an_error(cast, client_for, register, query):
    response = client_for(cast.hq_a).get(LOOKUP_URL, {"q": query})
    assert response.status_code == 200
    assert isinstance(response.json()["results"], list)


def test_very_long_input_is_refused_with_a_message(cast, client_for, register):
    response = client_for(cast.hq_a).get(LOOKUP_URL, {"q": "み" * 10_000})
    assert response.status_code == 400
    assert "q" in response.json()


def test_a_nul_character_is_refused(cast, client_for, register):
    response = client_for(cast.hq_a).get(LOOKUP_URL, {"q": "みらい\x00"})
    assert response.status_code == 400


def test_look_ups_are_rate_limited_per_user(cast, client_for, register, settings):
    settings.CORPORATION_LOOKUP_RATE_LIMIT = 3
    client = client_for(cast.hq_a)
    statuses = [client.get(LOOKUP_URL, {"q": "みらい"}).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert "detail" in client.get(LOOKUP_URL, {"q": "みらい"}).json()
    # another user has a count of their own
    assert client_for(cast.hq_b).get(LOOKUP_URL, {"q": "みらい"}).status_code == 200


@pytest.mark.parametrize("who", ["hq_a", "national", "admin", "coordinator_a", "participant"])
def test_those_who_fill_organisation_forms_may_look_up(cast, client_for, register, who):
    # The participant edits their own organisation's record, so they use the form too.
    assert client_for(getattr(cast, who)).get(LOOKUP_URL, {"q": "みらい"}).status_code == 200


def test_visitors_and_signed_in_users_without_a_role_may_not(cast, client_for, register):
    nobody = get_user_model().objects.create_user(username="nobody", password="x")
    assert client_for(None).get(LOOKUP_URL, {"q": "みらい"}).status_code == 403
    assert client_for(nobody).get(LOOKUP_URL, {"q": "みらい"}).status_code == 403


# --- the forms -------------------------------------------------------------------------------


def test_the_create_and_edit_forms_show_an_accessible_look_up_box(cast, client_for, register):
    client = client_for(cast.hq_a)
    for page in (url("organisation_create"), url("organisation_edit", cast.company_a.pk)):
        html = client.get(page).content.decode()
        assert 'role="combobox"' in html
        assert 'aria-controls="id_lookup-listbox"' in html
        assert 'role="listbox"' in html
        assert 'aria-live="polite"' in html
        box = html[html.index('name="lookup"') : html.index("</div>", html.index('name="lookup"'))]
        assert box.count("aria-describedby=") == 1
        assert 'aria-describedby="id_lookup-status' in html
        assert "directory/corporation_lookup.js" in html
        assert "/imports/corporations/lookup" in html
        # The script fills the fields the server fills: it reads the form's lists, not its own.
        assert f'data-filled-fields="{" ".join(LOOKUP_FILLED_FIELDS)}"' in html
        assert f'data-official-fields="{" ".join(LOOKUP_OFFICIAL_FIELDS)}"' in html


def test_an_empty_register_says_so_and_links_staff_to_the_import(cast, client_for, english):
    html = client_for(cast.hq_a).get(url("organisation_create")).content.decode()
    assert "no NTA file has been imported yet" in html
    assert 'href="/imports/new/"' in html
    # a participant editing their own organisation is not sent to a page they may not open
    html = client_for(cast.participant).get(url("organisation_edit", cast.company_a.pk)).content.decode()
    assert "no NTA file has been imported yet" in html
    assert "/imports/new/" not in html


def test_without_javascript_the_look_up_button_lists_candidates_and_saves_nothing(cast, client_for, register):
    data = organisation_data(cluster=cast.cluster_a.pk, name_ja="", lookup="みらい", lookup_fill="search")
    before = Organisation.objects.count()

    response = client_for(cast.hq_a).post(url("organisation_create"), data)

    assert response.status_code == 200
    assert Organisation.objects.count() == before
    html = response.content.decode()
    assert f'name="lookup_fill" value="{MIRAI}"' in html
    assert f'name="lookup_fill" value="{MIRAI_TRADING}"' in html
    assert "2020-03-31" in html  # the closed one is shown as closed
    assert not response.context["form"].errors  # no "required" messages for a look-up


def test_without_javascript_picking_fills_the_form_for_checking(cast, client_for, register):
    data = organisation_data(cluster=cast.cluster_a.pk, name_ja="", lookup="みらい", lookup_fill=MIRAI)

    response = client_for(cast.hq_a).post(url("organisation_create"), data)

    form = response.context["form"]
    assert form["name_ja"].value() == "株式会社みらい精工"
    assert form["corporate_number"].value() == MIRAI
    assert form["prefecture"].value() == "13"
    assert form["municipality"].value() == "131016"
    assert form["address"].value() == "丸の内１－１"
    assert form["kind"].value() == "sme"  # what the user had typed stays
    assert form["lookup"].value() == ""
    html = response.content.decode()
    assert '<option value="131016" selected>' in html


def test_picking_a_closed_corporation_warns(cast, client_for, register, english):
    data = organisation_data(cluster=cast.cluster_a.pk, lookup="", lookup_fill=MIRAI_TRADING)
    html = client_for(cast.hq_a).post(url("organisation_create"), data).content.decode()
    assert "was closed on 2020-03-31" in html


def test_the_picked_record_is_saved(cast, client_for, register):
    client = client_for(cast.hq_a)
    filled = client.post(
        url("organisation_create"), organisation_data(cluster=cast.cluster_a.pk, lookup_fill=SAPPORO_TECH, lookup="x")
    ).context["form"]
    data = {name: filled[name].value() or "" for name in filled.fields if name not in ("fields",)}
    data["fields"] = []

    response = client.post(url("organisation_create"), data)

    assert response.status_code == 302
    saved = Organisation.objects.get(corporate_number=SAPPORO_TECH)
    assert saved.name_ja == "札幌テック株式会社"
    assert saved.prefecture_id == "01"
    assert saved.municipality_id == "011002"
    assert saved.address == "北一条西２丁目"
    assert saved.memberships.filter(cluster=cast.cluster_a).exists()


def test_enter_in_another_field_with_an_empty_box_saves_as_usual(cast, client_for, register):
    data = organisation_data(cluster=cast.cluster_a.pk, name_ja="エンター精工", lookup="", lookup_fill="search")
    response = client_for(cast.hq_a).post(url("organisation_create"), data)
    assert response.status_code == 302
    assert Organisation.objects.filter(name_ja="エンター精工").exists()


def test_the_server_still_checks_what_the_browser_filled(cast, client_for, register):
    client = client_for(cast.hq_a)
    data = organisation_form_data(
        cast.company_a, corporate_number=str((int(MIRAI[0]) + 1) % 10) + MIRAI[1:], municipality="011002"
    )
    response = client.post(url("organisation_edit", cast.company_a.pk), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "corporate_number" in errors
    assert "municipality" in errors  # 札幌市 is not in the chosen prefecture (東京都)


def test_an_unknown_number_says_nothing_matches(cast, client_for, register, english):
    data = organisation_data(cluster=cast.cluster_a.pk, lookup="ありえない名前", lookup_fill="search")
    response = client_for(cast.hq_a).post(url("organisation_create"), data)
    assert "No corporation in the register matches this name or number." in response.content.decode()
    assert Organisation.objects.filter(name_ja="テスト精工").count() == 0


def test_picking_keeps_an_english_name_the_register_does_not_have(cast, client_for, register):
    data = organisation_data(cluster=cast.cluster_a.pk, name_en="Sapporo Tech", lookup_fill=SAPPORO_TECH)
    form = client_for(cast.hq_a).post(url("organisation_create"), data).context["form"]
    assert form["name_ja"].value() == "札幌テック株式会社"
    assert form["name_en"].value() == "Sapporo Tech"


@pytest.mark.parametrize(
    ("text", "pressed"),
    [("み" * 10_000, "search"), ("みらい", "not-a-number"), ("", "1234567890123"), ("%_'", "search")],
)
def test_odd_input_to_the_look_up_button_never_saves_or_fails(cast, client_for, register, text, pressed):
    data = organisation_data(cluster=cast.cluster_a.pk, name_ja="変な入力", lookup=text, lookup_fill=pressed)
    response = client_for(cast.hq_a).post(url("organisation_create"), data)
    assert response.status_code == 200
    assert not Organisation.objects.filter(name_ja="変な入力").exists()


FULL_WIDTH = str.maketrans("0123456789-", "０１２３４５６７８９－")


def test_a_corporate_number_in_full_width_digits_is_found(register):
    # An IME types digits full-width by default: 「０１０００…」 is the same number.
    typed = MIRAI.translate(FULL_WIDTH)
    assert get_form_values(typed)["corporate_number"] == MIRAI
    assert get_form_values(f"{typed[:4]}－{typed[4:]}")["corporate_number"] == MIRAI
    assert [c.corporate_number for c in get_corporations(typed)] == [MIRAI]


def test_without_javascript_a_full_width_number_fills_the_form(cast, client_for, register):
    typed = SAPPORO_TECH.translate(FULL_WIDTH)
    data = organisation_data(cluster=cast.cluster_a.pk, name_ja="", lookup=typed, lookup_fill="search")

    form = client_for(cast.hq_a).post(url("organisation_create"), data).context["form"]

    assert form["corporate_number"].value() == SAPPORO_TECH
    assert form["name_ja"].value() == "札幌テック株式会社"
    assert form["municipality"].value() == "011002"


def test_the_look_up_button_counts_against_the_same_rate_limit(cast, client_for, register, settings, english):
    # Without the script the form looks up on the server: no way round the JSON look-up's limit.
    settings.CORPORATION_LOOKUP_RATE_LIMIT = 3
    client = client_for(cast.participant)
    data = organisation_form_data(cast.company_a, lookup="みらい", lookup_fill="search")
    pages = [client.post(url("organisation_edit", cast.company_a.pk), data).content.decode() for _ in range(3)]
    assert all(f'value="{MIRAI}"' in page for page in pages)
    picked = organisation_form_data(cast.company_a, lookup="", lookup_fill=MIRAI)

    refused = client.post(url("organisation_edit", cast.company_a.pk), picked)

    assert refused.status_code == 200
    html = refused.content.decode()
    assert "Too many look-ups; wait a minute and try again." in html
    assert refused.context["form"]["corporate_number"].value() != MIRAI
    assert client.get(LOOKUP_URL, {"q": "みらい"}).status_code == 429  # one count for both ways
    cast.company_a.refresh_from_db()
    assert cast.company_a.corporate_number != MIRAI
