"""e-Stat Economic Census tables: establishments and employees by municipality × JSIC stored
against the reference tables, symbols as suppressed figures, bad codes rejected with line and
column, the file replacing the figures of its areas, re-imports unchanged; and the list API."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from renkei.core.models import IndustryClass, Municipality
from renkei.core.reference import load_reference
from renkei.imports.choices import ImportSource, ImportStatus, StatisticsMeasure, StatisticsSurvey
from renkei.imports.estat import EstatSource, Layout, _area
from renkei.imports.files import ImportFileError
from renkei.imports.models import ImportRun, RegionalIndustryStatistic
from renkei.imports.records import do_import_records
from tests.api.conftest import SchemaCheckedClient

from .helpers import DATA

pytestmark = pytest.mark.django_db

SAMPLE = DATA / "estat_keizai_census_simple.csv"
LINES = SAMPLE.read_text(encoding="utf-8").splitlines()
HEADER = LINES[0]
HACHIOJI = "132012"


@pytest.fixture
def reference(cast):
    load_reference()
    # The reference list keys designated cities; an installation may add their wards.
    Municipality.objects.create(code="221384", prefecture_id="22", name_ja="浜松市中央区")
    Municipality.objects.create(code="011029", prefecture_id="01", name_ja="札幌市北区")


def run_import(path) -> ImportRun:
    return do_import_records(EstatSource(), path)


def write(tmp_path, *lines: str, encoding: str = "utf-8", name: str = "estat.csv"):
    path = tmp_path / name
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def figures() -> dict:
    return {
        (s.municipality_id, s.industry.code, s.measure): (s.value, s.suppressed, s.symbol)
        for s in RegionalIndustryStatistic.objects.select_related("industry")
    }


def test_the_sample_table_is_stored_against_the_reference_tables(reference):
    run = run_import(SAMPLE)

    assert run.source == ImportSource.ESTAT and run.status == ImportStatus.SUCCEEDED
    assert (run.rows_read, run.created, run.rejected) == (5, 5, 0)
    assert figures() == {
        (HACHIOJI, "E", StatisticsMeasure.ESTABLISHMENTS): (1234, False, ""),
        (HACHIOJI, "E", StatisticsMeasure.EMPLOYEES): (23456, False, ""),
        (HACHIOJI, "26", StatisticsMeasure.ESTABLISHMENTS): (98, False, ""),
        ("221384", "29", StatisticsMeasure.ESTABLISHMENTS): (None, True, "-"),
        ("011029", "39", StatisticsMeasure.EMPLOYEES): (None, True, "X"),
    }
    secret = RegionalIndustryStatistic.objects.get(municipality_id="011029")
    assert (secret.survey, secret.year, secret.annotation) == (StatisticsSurvey.ECONOMIC_CENSUS_ACTIVITY, 2021, "秘匿")
    assert secret.industry.revision == "13"


def test_re_importing_the_same_file_changes_nothing(reference):
    run_import(SAMPLE)
    stamps = dict(RegionalIndustryStatistic.objects.values_list("pk", "updated_at"))

    again = run_import(SAMPLE)

    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    assert dict(RegionalIndustryStatistic.objects.values_list("pk", "updated_at")) == stamps


def test_a_new_table_replaces_the_figures_of_its_areas(reference, tmp_path):
    run_import(SAMPLE)
    # Hachioji again, with the manufacturing total changed and E26 gone; the other areas untouched.
    newer = write(tmp_path, HEADER, LINES[1].replace(",1234,", ",1300,"), LINES[2])

    run = run_import(newer)

    assert (run.updated, run.unchanged) == (1, 1)
    stored = figures()
    assert stored[(HACHIOJI, "E", StatisticsMeasure.ESTABLISHMENTS)] == (1300, False, "")
    assert (HACHIOJI, "26", StatisticsMeasure.ESTABLISHMENTS) not in stored
    assert ("011029", "39", StatisticsMeasure.EMPLOYEES) in stored


@pytest.mark.parametrize(
    ("row", "field", "reason"),
    [
        ("100,事業所数,E26,生産用機械器具製造業,13999,架空市,2021000000,2021年,事業所,5,", "area_code", "139998"),
        ("100,事業所数,E26,生産用機械器具製造業,1320,八王子市,2021000000,2021年,事業所,5,", "area_code", "5 digits"),
        ("100,事業所数,Z99,架空,13201,八王子市,2021000000,2021年,事業所,5,", "cat01_code", "not a JSIC code"),
        ("100,事業所数,G26,架空,13201,八王子市,2021000000,2021年,事業所,5,", "cat01_code", "division E, not G"),
        ("100,事業所数,E266,金属加工機械製造業,13201,八王子市,2021000000,2021年,事業所,5,", "cat01_code", "group"),
        ("100,事業所数,E26,生産用機械器具製造業,13201,八王子市,2020000000,2020年,事業所,5,", "time_code", "2020"),
        ("100,事業所数,E26,生産用機械器具製造業,13201,八王子市,2021000000,2021年,事業所,=1+1,", "value", "=1+1"),
        ("100,事業所数,E26,生産用機械器具製造業,13201,八王子市,2021000000,2021年,事業所", "columns", "9 columns"),
    ],
)
def test_bad_codes_are_rejected_with_line_and_column(reference, tmp_path, row, field, reason):
    run = run_import(write(tmp_path, HEADER, LINES[1], row))

    rejection = run.rejections.get()
    assert (rejection.line_number, rejection.field) == (3, field) and reason in rejection.reason
    assert run.created == 1


def test_totals_other_measures_prefectures_and_the_nation_are_skipped(reference, tmp_path):
    rows = [
        "100,事業所数,AS,全産業,13201,八王子市,2021000000,2021年,事業所,9999,",
        "102,売上金額,E,製造業,13201,八王子市,2021000000,2021年,百万円,5000,",
        "100,事業所数,E,製造業,13000,東京都,2021000000,2021年,事業所,40000,",
        "100,事業所数,E,製造業,00000,全国,2021000000,2021年,事業所,400000,",
    ]

    run = run_import(write(tmp_path, HEADER, *rows))

    assert (run.rows_read, run.skipped, run.created, run.rejected) == (4, 4, 0, 0)


def test_formula_like_annotations_are_stored_as_text(reference, tmp_path):
    row = LINES[1][:-1] + ',"=HYPERLINK(""x"")"'
    run_import(write(tmp_path, HEADER, row))

    assert RegionalIndustryStatistic.objects.get().annotation == '=HYPERLINK("x")'


def test_shift_jis_with_title_rows_before_the_header_is_read(reference, tmp_path):
    titles = ['"統計表ID","0003449718"', '"表題","経済センサス‐活動調査 市区町村別"', ""]
    path = write(tmp_path, *titles, *LINES, encoding="cp932")

    run = run_import(path)

    assert run.encoding == "cp932" and (run.created, run.rejected) == (5, 0)
    assert figures()[("011029", "39", StatisticsMeasure.EMPLOYEES)] == (None, True, "X")


def test_japanese_headers_of_the_site_download_are_read(reference, tmp_path):
    header = (
        "表章項目 コード,表章項目,産業分類(平成25年10月改定) コード,産業分類,地域 コード,地域,"
        "時間軸(年次) コード,時間軸(年次),単位,値,注釈"
    )

    run = run_import(write(tmp_path, header, *LINES[1:]))

    assert (run.created, run.rejected) == (5, 0)


@pytest.mark.parametrize("sample", ["gbizinfo_kihon.csv", "kaken_grantAwards.xml", "nta_houjin_zenken_unicode.csv"])
def test_another_layout_is_refused_with_a_clear_message(reference, sample):
    with pytest.raises(ImportFileError, match="not an e-Stat statistics table"):
        run_import(DATA / sample)

    assert ImportRun.objects.get().status == ImportStatus.FAILED
    assert not RegionalIndustryStatistic.objects.exists()


def test_the_command_imports_and_refuses(reference, tmp_path):
    call_command("import", "estat", str(SAMPLE), "--no-progress")

    assert RegionalIndustryStatistic.objects.count() == 5
    with pytest.raises(CommandError, match="not an e-Stat statistics table"):
        call_command("import", "estat", str(DATA / "gbizinfo_kihon.csv"), "--no-progress")


@pytest.fixture
def api(db):
    def client_for(user=None) -> SchemaCheckedClient:
        client = SchemaCheckedClient()
        if user is not None and user.is_authenticated:
            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return client_for


LIST_URL = "/api/regional-industry-statistics/"


def test_staff_list_the_statistics_with_filters(reference, cast, api):
    run_import(SAMPLE)
    client = api(cast.hq_a)

    everything = client.get(LIST_URL).json()
    tokyo = client.get(LIST_URL, {"prefecture": "13", "industry": "E"}).json()
    major = client.get(LIST_URL, {"industry": "26"}).json()
    sapporo = client.get(LIST_URL, {"municipality": "011029"}).json()

    assert everything["count"] == 5
    assert tokyo["count"] == 3  # the division filter takes its major groups too
    assert major["count"] == 1 and major["results"][0]["value"] == 98
    assert major["results"][0]["municipality_name"] == "八王子市" and major["results"][0]["jsic_revision"] == "13"
    assert sapporo["results"][0]["suppressed"] is True and sapporo["results"][0]["value"] is None
    assert client.get(LIST_URL, {"year": "abc"}).status_code == 400


@pytest.mark.parametrize(("role", "count"), [("participant", 0), ("coordinator_a", 5), ("hq_b", 5), ("admin", 5)])
def test_only_staff_roles_see_the_statistics(reference, cast, api, role, count):
    run_import(SAMPLE)

    assert api(cast.users()[role]).get(LIST_URL).json()["count"] == count
    assert api(None).get(LIST_URL).status_code == 401


def test_the_list_makes_the_same_number_of_queries_for_any_number_of_rows(reference, cast, api, tmp_path):
    client = api(cast.national)
    run_import(SAMPLE)
    with CaptureQueriesContext(connection) as before:
        client.get(LIST_URL)
    more = [line.replace("13201,八王子市", "13101,千代田区") for line in LINES[1:4]]
    run_import(write(tmp_path, HEADER, *more))
    with CaptureQueriesContext(connection) as after:
        assert client.get(LIST_URL).json()["count"] == 8

    assert len(after) == len(before)


def test_area_codes_get_the_check_digit_of_the_soumu_list():
    layout = Layout(HEADER.split(","))
    for line in (DATA / "soumu_dantai_code.csv").read_text(encoding="utf-8").splitlines()[1:]:
        code = line.split(",")[0]
        cells = ["100", "事業所数", "E", "製造業", code[:5], "", "2021000000", "2021年", "事業所", "1", ""]
        assert _area(layout, cells) == (None if code[2:5] == "000" else code)


def test_the_jsic_excerpt_agrees_with_the_reference_table(reference):
    for line in (DATA / "jsic_rev13_excerpt.csv").read_text(encoding="utf-8").splitlines()[1:]:
        level, code, parent, name = line.split(",", 3)
        if level in ("大分類", "中分類"):
            stored = IndustryClass.objects.get(revision="13", code=code)
            assert stored.name_ja == name and (stored.parent.code if stored.parent else "") == parent
