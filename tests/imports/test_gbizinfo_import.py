"""gBizINFO: the basic-information file updates organisations by corporate number (and creates
them only when asked), the patent file is read as a patent list, the other files are refused by
name; bad rows are rejected with line and column; re-imports change nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from renkei.core.models import Visibility
from renkei.directory.models import Organisation
from renkei.imports.choices import ImportSource, ImportStatus
from renkei.imports.files import ImportFileError
from renkei.imports.gbizinfo import GbizinfoSource
from renkei.imports.models import CorporateProfile, ImportRun, Patent, ReviewItem
from renkei.imports.records import do_import_records
from renkei.jobs.choices import JobStatus
from renkei.jobs.models import Job

from .helpers import DATA

pytestmark = pytest.mark.django_db

KIHON = DATA / "gbizinfo_kihon.csv"
LINES = KIHON.read_text(encoding="utf-8").splitlines()
HEADER = LINES[0]
MIRAI = "4010001234567"
HOKURIKU = "8120101098765"
KYUSHU = "2080005011223"


def run_import(path, user=None, create_missing=False) -> ImportRun:
    return do_import_records(GbizinfoSource(create_missing=create_missing), path, user=user)


def write(tmp_path, *lines: str, encoding: str = "utf-8", name: str = "kihon.csv"):
    path = tmp_path / name
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def with_cell(line: str, header: str, value: str) -> str:
    """LINE (of the sample, whose cells before 事業概要 hold no quoted comma) with the cell under
    HEADER replaced; only for the first row, whose English name is quoted."""
    import csv
    import io

    cells = next(csv.reader([line]))
    cells[HEADER.split(",").index(header)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(cells)
    return out.getvalue()


@pytest.fixture
def directory(cast):
    mirai = Organisation.objects.create(kind="sme", name_ja="株式会社みらい精工", corporate_number=MIRAI)
    kyushu = Organisation.objects.create(
        kind="support_org", name_ja="一般社団法人九州半導体ネット", corporate_number=KYUSHU
    )
    return mirai, kyushu


def test_basic_information_updates_the_organisations_holding_the_numbers(directory):
    mirai, kyushu = directory

    run = run_import(KIHON)

    assert run.source == ImportSource.GBIZINFO and run.status == ImportStatus.SUCCEEDED
    assert (run.rows_read, run.created, run.updated, run.skipped, run.rejected) == (5, 0, 2, 3, 0)
    mirai.refresh_from_db()
    assert (mirai.capital_yen, mirai.employees, mirai.founded_on, mirai.website) == (
        30_000_000,
        85,
        dt.date(1998, 4, 1),
        "https://example.jp/mirai",
    )
    profile = mirai.corporate_profile
    assert profile.business_summary == "精密部品の設計・製造" and profile.business_items == "115 118"
    assert (profile.employees_male, profile.employees_female, profile.founding_year) == (60, 25, 1972)
    assert profile.qualification_grade == "C" and profile.source_updated_on == dt.date(2024, 6, 1)
    assert not profile.is_closed
    closed = CorporateProfile.objects.get(organisation=kyushu)
    assert closed.is_closed and closed.closed_on == dt.date(2024, 3, 25) and closed.close_cause == "01"
    assert closed.status == "閉鎖"
    # Nothing is created for corporations the directory does not hold, and nothing is queued.
    assert not Organisation.objects.filter(corporate_number=HOKURIKU).exists()
    assert not ReviewItem.objects.exists()
    # The change is in the organisation's history.
    assert mirai.history.first().history_change_reason == "gBizINFO import"


def test_re_importing_the_same_file_changes_nothing(directory):
    mirai, _ = directory
    run_import(KIHON)
    stamps = (
        Organisation.objects.get(pk=mirai.pk).updated_at,
        CorporateProfile.objects.get(organisation=mirai).updated_at,
    )
    history = mirai.history.count()

    again = run_import(KIHON)

    assert (again.created, again.updated, again.unchanged, again.skipped) == (0, 0, 2, 3)
    assert (
        Organisation.objects.get(pk=mirai.pk).updated_at,
        CorporateProfile.objects.get(organisation=mirai).updated_at,
    ) == stamps
    assert mirai.history.count() == history


def test_create_missing_makes_restricted_companies(cast):
    run = run_import(KIHON, create_missing=True)

    assert (run.created, run.rejected) == (5, 0)
    hokuriku = Organisation.objects.get(corporate_number=HOKURIKU)
    assert hokuriku.visibility == Visibility.RESTRICTED and hokuriku.kind == "sme"
    assert (hokuriku.name_ja, hokuriku.name_kana, hokuriku.postal_code) == (
        "株式会社ほくりく医工ラボ",
        "ほくりくいこうらぼ",
        "930-8555",
    )
    assert hokuriku.source == "import"
    assert Organisation.objects.get(corporate_number=MIRAI).prefecture_id == "13"  # from the address
    assert Organisation.objects.get(corporate_number=KYUSHU).kind == "other"  # 一般社団法人 is no company
    assert (run_import(KIHON, create_missing=True).unchanged, Organisation.objects.count()) == (
        5,
        Organisation.objects.count(),
    )


def test_hq_staff_cannot_update_another_clusters_organisation(cast):
    cast.secret_company_b.corporate_number = MIRAI
    cast.secret_company_b.save()

    run = run_import(KIHON, user=cast.hq_a)

    rejection = run.rejections.get()
    assert rejection.line_number == 2 and "another cluster" in rejection.reason
    assert Organisation.objects.get(pk=cast.secret_company_b.pk).capital_yen is None


@pytest.mark.parametrize(
    ("header", "value", "reason"),
    [
        ("法人番号", "4010001234568", "check digit"),
        ("資本金", "三千万", "whole number"),
        ("従業員数", "-5", "whole number"),
        ("設立年月日", "1998-02-30", "not a date"),
        ("企業ホームページ", "javascript:alert(1)", "web address"),
        ("登記記録の閉鎖等の事由", "99", "closing reason"),
        ("創業年", "12", "not a year"),
    ],
)
def test_bad_cells_are_rejected_with_line_and_column(directory, tmp_path, header, value, reason):
    path = write(tmp_path, HEADER, with_cell(LINES[1], header, value), LINES[4])

    run = run_import(path)

    rejection = run.rejections.get()
    assert (rejection.line_number, rejection.field) == (2, header) and reason in rejection.reason
    assert run.updated == 1  # the good row after it is imported


def test_formula_like_cells_are_stored_as_text(directory, tmp_path):
    path = write(tmp_path, HEADER, with_cell(LINES[1], "事業概要", '=HYPERLINK("http://x")'))

    run_import(path)

    assert CorporateProfile.objects.get().business_summary == '=HYPERLINK("http://x")'


def test_shift_jis_and_a_bom_are_read(directory, tmp_path):
    sjis = run_import(write(tmp_path, *LINES, encoding="cp932", name="sjis.csv"))
    bom = run_import(write(tmp_path, *LINES, encoding="utf-8-sig", name="bom.csv"))

    assert sjis.encoding == "cp932" and sjis.updated == 2
    assert bom.unchanged == 2 and CorporateProfile.objects.get(corporate_number=MIRAI).business_summary


def test_columns_are_found_by_name_in_the_newer_layout(directory, tmp_path):
    header = "処理区分,訂正区分," + HEADER + ",組織種別,事業種目"
    rows = ["01,0," + line + ",株式会社,製造業" for line in LINES[1:]]

    run = run_import(write(tmp_path, header, *rows))

    assert (run.updated, run.rejected) == (2, 0)
    assert Organisation.objects.get(corporate_number=MIRAI).employees == 85


def test_the_patent_file_is_read_as_a_patent_list(directory):
    run = run_import(DATA / "gbizinfo_tokkyo.csv")

    assert run.status == ImportStatus.SUCCEEDED and (run.created, run.skipped) == (3, 2)
    assert Patent.objects.get(application_number="JP2021123456").applicants.get().organisation == directory[0]


@pytest.mark.parametrize(
    ("sample", "named"),
    [
        ("gbizinfo_hojokin.csv", "補助金"),
        ("gbizinfo_chotatsu.csv", "調達"),
        ("gbizinfo_todokede_nintei.csv", "届出認定"),
    ],
)
def test_the_other_gbizinfo_files_are_refused_by_name(directory, sample, named):
    with pytest.raises(ImportFileError, match=f"gBizINFO {named}.*does not import yet"):
        run_import(DATA / sample)

    assert ImportRun.objects.get().status == ImportStatus.FAILED
    assert CorporateProfile.objects.count() == 0


@pytest.mark.parametrize("sample", ["nta_houjin_zenken_unicode.csv", "researchmap_researcher.json"])
def test_another_layout_is_refused_with_a_clear_message(directory, sample):
    with pytest.raises(ImportFileError, match="not a gBizINFO basic-information file"):
        run_import(DATA / sample)


def test_the_command_takes_create_missing(cast, capsys):
    call_command("import", "gbizinfo", str(KIHON), "--no-progress")
    created_before = Organisation.objects.filter(corporate_number=HOKURIKU).exists()

    call_command("import", "gbizinfo", str(KIHON), "--no-progress", "--create-missing")

    assert not created_before and Organisation.objects.filter(corporate_number=HOKURIKU).exists()
    with pytest.raises(CommandError, match="補助金"):
        call_command("import", "gbizinfo", str(DATA / "gbizinfo_hojokin.csv"), "--no-progress")


def test_the_upload_page_imports_gbizinfo_as_a_job(cast, client_for, django_capture_on_commit_callbacks, settings):
    settings.JOBS_BROKER_URL = ""
    cast.company_a.corporate_number = MIRAI
    cast.company_a.save()
    client = client_for(cast.hq_a)
    upload = SimpleUploadedFile("Kihonjoho_UTF-8.csv", KIHON.read_bytes())

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/imports/new/", {"source": "gbizinfo", "file": upload})

    job = Job.objects.get()
    assert response.status_code == 302 and job.kind == "imports.gbizinfo"
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.result["updated"] == 1 and ImportRun.objects.get().started_by == cast.hq_a
    assert Organisation.objects.get(pk=cast.company_a.pk).employees == 85
