"""Organisation look-up from the NTA table: a name prefix (without the legal form) or a corporate
number gives the values an organisation form fills in; only those who edit organisations ask."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from renkei.imports.models import Corporation
from renkei.imports.nta import name_key
from renkei.imports.services import do_import_corporations, get_corporation_matches

from .helpers import SABUN_UTF8, ZENKEN_UTF8

pytestmark = pytest.mark.django_db
URL = "/imports/corporations/lookup"


@pytest.fixture
def corporations():
    do_import_corporations(ZENKEN_UTF8)


def test_the_url_is_named():
    assert reverse("imports:corporation-lookup") == URL


def test_a_name_prefix_without_the_legal_form_finds_the_corporation_and_its_address(cast, client_for, corporations):
    response = client_for(cast.hq_a).get(URL, {"q": "みらい"})

    assert response.status_code == 200
    (result,) = response.json()["results"]
    assert result["corporate_number"] == "4010001234567"
    assert result["name_ja"] == "株式会社みらい精工"
    assert result["name_en"] == "Mirai Seiko Co., Ltd."
    assert result["name_kana"] == "ミライセイコウ"
    assert result["prefecture"] == "13"
    assert result["municipality"] == "132012"  # 13201 with its check digit, as the directory keys it
    assert result["address"] == "東京都八王子市旭町１２番１号"
    assert result["postal_code"] == "192-0083"
    assert result["closed_on"] is None


def test_the_full_name_and_the_corporate_number_find_it_too(cast, client_for, corporations):
    client = client_for(cast.national)

    by_name = client.get(URL, {"q": "株式会社みらい精"}).json()["results"]
    by_number = client.get(URL, {"q": "4010001234567"}).json()["results"]

    assert [r["corporate_number"] for r in by_name] == ["4010001234567"]
    assert [r["corporate_number"] for r in by_number] == ["4010001234567"]


def test_names_are_matched_without_legal_form_width_case_or_spaces():
    assert name_key("ＭＩＲＡＩ　Ｓｅｉｋｏ（株）") == "miraiseiko"
    assert name_key("一般社団法人九州半導体ネット") == "九州半導体ネット"
    assert name_key("ﾐﾗｲ") == "ミライ"


def test_a_difference_file_makes_new_corporations_findable(corporations):
    do_import_corporations(SABUN_UTF8)

    assert [c.pk for c in get_corporation_matches("さっぽろ")] == ["7010001777001"]
    assert [c.pk for c in get_corporation_matches("ＳＡＰ") + get_corporation_matches("sap")] == []


def test_open_corporations_come_before_closed_ones_and_deleted_ones_are_left_out(corporations):
    do_import_corporations(SABUN_UTF8)

    # 九州半導体ネット is closed; ほくりく医工ラボ was deleted (処理区分 99) by the difference file.
    assert [c.pk for c in get_corporation_matches("九州")] == ["2080005011223"]
    assert get_corporation_matches("ほくりく") == []
    assert get_corporation_matches("8120101098765") == []


def test_nothing_is_found_for_an_empty_or_unknown_text(corporations):
    assert get_corporation_matches("") == []
    assert get_corporation_matches("株式会社") == []
    assert get_corporation_matches("存在しない") == []


@pytest.mark.parametrize("role", ["participant", "coordinator_a", "hq_a", "national", "admin"])
def test_those_who_edit_organisations_may_look_up(cast, client_for, corporations, role):
    assert client_for(getattr(cast, role)).get(URL, {"q": "みらい"}).status_code == 200


def test_a_visitor_or_a_user_without_a_role_may_not(cast, client_for, corporations, django_user_model):
    nobody = django_user_model.objects.create_user("nobody", password="x-unused-1")

    assert client_for(None).get(URL, {"q": "みらい"}).status_code == 403
    response = client_for(nobody).get(URL, {"q": "みらい"})
    assert response.status_code == 403
    assert "results" not in response.json()


@pytest.mark.parametrize(("params", "field"), [({"q": "あ" * 101}, "q"), ({"q": "a", "limit": "x"}, "limit")])
def test_bad_parameters_are_named(cast, client_for, params, field):
    response = client_for(cast.hq_a).get(URL, params)

    assert response.status_code == 400
    assert field in response.json()


def test_only_get_is_allowed(cast, client_for):
    assert client_for(cast.hq_a).post(URL, {"q": "a"}).status_code == 405


@pytest.mark.parametrize("text", ["みらいせいこう", "ミライセイ", "ﾐﾗｲｾｲｺｳ", "みらい　セイコウ"])
def test_kana_in_any_script_or_width_finds_the_corporation_by_its_furigana(corporations, text):
    # 「みらいせ」 is not the start of the name 「みらい精工」: only the furigana matches it.
    assert [c.pk for c in get_corporation_matches(text)] == ["4010001234567"]


def test_small_kana_and_long_vowels_are_matched_as_written(corporations):
    assert [c.pk for c in get_corporation_matches("はままつふぉと")] == ["7100003045678"]
    assert [c.pk for c in get_corporation_matches("きゅうしゅう")] == ["2080005011223"]
    assert get_corporation_matches("はままつふおと") == []  # ォ is not オ


@pytest.mark.parametrize("text", ["mirai seiko", "MIRAI SEIKO CO.", "ｍｉｒａｉ", "Mirai  Seiko"])
def test_latin_letters_in_any_case_or_width_find_the_corporation_by_its_english_name(corporations, text):
    assert [c.pk for c in get_corporation_matches(text)] == ["4010001234567"]


def test_the_english_name_is_matched_from_its_start_only(corporations):
    assert [c.pk for c in get_corporation_matches("kaku")] == ["3000020404004"]
    assert get_corporation_matches("town") == []
    assert get_corporation_matches("seiko") == []


def test_kana_and_english_look_ups_leave_out_hidden_and_deleted_corporations(corporations):
    assert [c.pk for c in get_corporation_matches("ほくりくいこう")] == ["8120101098765"]
    Corporation.objects.filter(pk="4010001234567").update(hidden_from_search=True)
    assert get_corporation_matches("みらいせいこう") == [] and get_corporation_matches("mirai") == []

    do_import_corporations(SABUN_UTF8)
    assert get_corporation_matches("ほくりくいこう") == []  # deleted by the difference file


def test_the_look_up_url_answers_kana_and_english(cast, client_for, corporations):
    client = client_for(cast.hq_a)
    for text in ("ミライセイコウ", "Mirai Seiko"):
        (result,) = client.get(URL, {"q": text}).json()["results"]
        assert result["corporate_number"] == "4010001234567"


@pytest.mark.parametrize(
    ("text", "index"),
    [("みらいせいこう", "imports_corp_furigana_bin_idx"), ("mirai", "imports_corp_name_en_upper_bin_idx")],
)
def test_kana_and_english_look_ups_are_index_range_scans(corporations, text, index):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # the test table is too small to need an index
        with CaptureQueriesContext(connection) as queries:
            get_corporation_matches(text)
        plans = []
        for query in queries.captured_queries:
            explain = "EXPLAIN " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
            cursor.execute(explain + query["sql"])
            plans.append(" ".join(str(part) for row in cursor.fetchall() for part in row))
    assert any(index in plan for plan in plans), plans
