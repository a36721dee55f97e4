"""e-Stat Economic Census tables: establishments and employees by municipality × JSIC stored
against the reference tables, symbols as suppressed figures, bad codes rejected with line and
column, the file replacing the figures of its areas, re-imports unchanged; and the list API."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from renkei.core.models import IndustryClass
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
    # The reference list holds every municipality and the wards of designated cities.
    load_reference()


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

    assert (run.updated, run.unchanged, run.deleted) == (1, 1, 1)
    stored = figures()
    assert stored[(HACHIOJI, "E", StatisticsMeasure.ESTABLISHMENTS)] == (1300, False, "")
    assert (HACHIOJI, "26", StatisticsMeasure.ESTABLISHMENTS) not in stored
    assert ("011029", "39", StatisticsMeasure.EMPLOYEES) in stored


def test_the_deleted_figures_are_counted_on_the_report_page_the_command_and_the_api(
    reference, tmp_path, cast, api, client_for, settings
):
    run_import(SAMPLE)
    newer = write(tmp_path, HEADER, LINES[1])  # Hachioji keeps one of its three figures
    out = io.StringIO()

    call_command("import", "estat", str(newer), "--no-progress", stdout=out)

    run = ImportRun.objects.latest("pk")
    assert (run.unchanged, run.deleted) == (1, 2)
    assert RegionalIndustryStatistic.objects.filter(municipality_id=HACHIOJI).count() == 1
    assert re.search(r"deleted \(replaced by the file\)\s*│\s*2\b", out.getvalue())
    assert api(cast.national).get(f"/api/import-runs/{run.pk}/").json()["deleted"] == 2
    page = client_for(cast.national).get(run.get_absolute_url())
    assert re.search(r"<dt>削除（ファイルで置き換え）</dt><dd>2</dd>", page.content.decode())


def test_ward_rows_of_designated_cities_are_stored_against_the_ward(reference, tmp_path):
    rows = [
        "100,事業所数,E,製造業,01100,札幌市,2021000000,2021年,事業所,5000,",
        "100,事業所数,E,製造業,01101,札幌市中央区,2021000000,2021年,事業所,800,",
        "100,事業所数,E,製造業,14131,川崎市川崎区,2021000000,2021年,事業所,300,",
        "100,事業所数,E,製造業,22131,浜松市中区,2016000000,2016年,事業所,700,",
    ]

    run = run_import(write(tmp_path, HEADER, *rows))

    assert (run.created, run.rejected) == (4, 0)
    stored = {s.municipality_id: s for s in RegionalIndustryStatistic.objects.select_related("municipality")}
    assert set(stored) == {"011002", "011011", "141313", "221317"}
    assert stored["011011"].municipality.parent_id == "011002"
    assert stored["221317"].municipality.valid_until is not None  # an abolished ward keeps its figures


def test_tables_of_2009_and_2012_use_jsic_rev12_and_later_ones_rev13(reference, tmp_path):
    rows = [
        "100,事業所数,E26,生産用機械器具製造業,13201,八王子市,2012000000,2012年,事業所,90,",
        "100,事業所数,E,製造業,13201,八王子市,2009000000,2009年,事業所,1500,",
        LINES[3],
    ]

    run = run_import(write(tmp_path, HEADER, *rows))

    assert (run.created, run.rejected) == (3, 0)
    revisions = {
        (s.year, s.industry.code): (s.industry.revision, s.survey)
        for s in RegionalIndustryStatistic.objects.select_related("industry")
    }
    assert revisions == {
        (2012, "26"): ("12", StatisticsSurvey.ECONOMIC_CENSUS_ACTIVITY),
        (2009, "E"): ("12", StatisticsSurvey.ECONOMIC_CENSUS_BASIC),
        (2021, "26"): ("13", StatisticsSurvey.ECONOMIC_CENSUS_ACTIVITY),
    }


def test_a_header_naming_the_classification_revision_is_followed(reference, tmp_path):
    header = HEADER.replace("cat01_code", "産業分類(平成19年11月改定) コード")
    row = "100,事業所数,E26,生産用機械器具製造業,13201,八王子市,2012000000,2012年,事業所,90,"

    run_import(write(tmp_path, header, row))

    assert RegionalIndustryStatistic.objects.get().industry.revision == "12"
    assert Layout(header.split(",")).jsic_revision == "12"
    assert Layout(HEADER.split(",")).jsic_revision == ""
    assert Layout(HEADER.replace("cat01_code", "産業分類(平成25年10月改定) コード").split(",")).jsic_revision == "13"


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    ("header", "row"),
    [
        (HEADER, "100,事業所数,E26,生産用機械器具製造業,13201,八王子市,2024000000,2024年,事業所,90,"),
        (
            HEADER.replace("cat01_code", "産業分類(令和5年7月改定) コード"),
            "100,事業所数,E26,生産用機械器具製造業,13201,八王子市,2021000000,2021年,事業所,90,",
        ),
    ],
)
def test_a_table_in_jsic_rev14_is_rejected_naming_the_revision(reference, tmp_path, header, row):
    run = run_import(write(tmp_path, header, row))

    rejection = run.rejections.get()
    assert rejection.line_number == 2 and "JSIC Rev.14" in rejection.reason
    assert "loaded: Rev.12, Rev.13" in rejection.reason
    assert not RegionalIndustryStatistic.objects.exists()


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


@pytest.mark.parametrize("role", ["coordinator_a", "hq_b", "national", "admin"])
def test_staff_roles_see_every_statistic(reference, cast, api, role):
    run_import(SAMPLE)
    figure = RegionalIndustryStatistic.objects.first()

    client = api(cast.users()[role])
    assert client.get(LIST_URL).json()["count"] == 5
    assert client.get(f"{LIST_URL}{figure.pk}/").status_code == 200


def test_other_signed_in_users_are_refused_with_403_and_visitors_with_401(reference, cast, api):
    run_import(SAMPLE)
    figure = RegionalIndustryStatistic.objects.first()

    for url in (LIST_URL, f"{LIST_URL}{figure.pk}/"):
        refused = api(cast.participant).get(url)
        assert refused.status_code == 403, url
        assert refused.json()["detail"]
        assert api(None).get(url).status_code == 401, url


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
