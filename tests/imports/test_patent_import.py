"""Patent lists: the three layouts told apart by their headers, application numbers normalised,
applicants linked by corporate number (or queued for review), bad rows rejected, re-imports
unchanged."""

from __future__ import annotations

import pytest

from renkei.directory.models import Organisation
from renkei.imports.choices import ImportSource, ImportStatus, LinkKind, PatentRightKind
from renkei.imports.files import ImportFileError
from renkei.imports.models import ImportRun, Patent, PatentApplicant, ReviewItem
from renkei.imports.nta import RowError
from renkei.imports.patents import PatentSource, normalise_application_number
from renkei.imports.records import do_import_records
from renkei.imports.review import do_decide_review_item

from .helpers import DATA

pytestmark = pytest.mark.django_db

CANONICAL = DATA / "jp_patent_list_canonical.csv"
GOOGLE = DATA / "google_patents_publications_flat.csv"
GBIZINFO = DATA / "gbizinfo_tokkyo.csv"
HEADER = CANONICAL.read_text(encoding="utf-8").splitlines()[0]
FIRST = CANONICAL.read_text(encoding="utf-8").splitlines()[1]


def run_import(path, user=None) -> ImportRun:
    return do_import_records(PatentSource(), path, user=user)


def write(tmp_path, *lines: str, encoding: str = "utf-8", name: str = "patents.csv"):
    path = tmp_path / name
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


@pytest.mark.parametrize(
    ("written", "normalised", "kind"),
    [
        ("特願2021-123456", "JP2021123456", PatentRightKind.PATENT),
        ("特願平11-123456", "JP1999123456", PatentRightKind.PATENT),
        ("特願昭63-000123", "JP1988000123", PatentRightKind.PATENT),
        ("特願令和3-5", "JP2021000005", PatentRightKind.PATENT),
        ("実願2020-001234", "JP2020001234", PatentRightKind.UTILITY_MODEL),
        ("２０２１－１２３４５６", "JP2021123456", PatentRightKind.PATENT),
        ("2021-123456", "JP2021123456", PatentRightKind.PATENT),
        ("JP-2021123456-A", "JP2021123456", PatentRightKind.PATENT),
        ("JP2021123456", "JP2021123456", PatentRightKind.PATENT),
    ],
)
def test_application_numbers_are_normalised(written, normalised, kind):
    assert normalise_application_number(written) == (normalised, kind)


@pytest.mark.parametrize("written", ["", "特願", "2021", "特願2021-1234567", "US2021123456", "=1+1", "特願1800-1"])
def test_what_is_not_an_application_number_is_refused(written):
    with pytest.raises(RowError):
        normalise_application_number(written)


def test_the_canonical_list_is_imported_and_applicants_link_by_corporate_number(cast):
    company = Organisation.objects.create(kind="sme", name_ja="株式会社みらい精工", corporate_number="4010001234567")

    run = run_import(CANONICAL)

    assert run.source == ImportSource.PATENTS and run.status == ImportStatus.SUCCEEDED
    assert (run.rows_read, run.created, run.rejected) == (5, 5, 0)
    patent = Patent.objects.get(application_number="JP2021123456")
    assert (patent.title, patent.ipc, patent.fi, patent.fterm_themes) == (
        "精密位置決め装置",
        "B23Q1/00",
        "B23Q1/00@Z",
        "3C048",
    )
    assert patent.publication_number == "特開2023-012345" and str(patent.registration_date) == "2024-09-10"
    assert patent.abstract.startswith("位置決め精度") and patent.inventors == "山田 太郎"
    assert patent.applicants.get().organisation == company
    assert Patent.objects.get(application_number="JP1999123456").applicants.get().organisation == company
    two = Patent.objects.get(application_number="JP2023045678").applicants.all()
    assert [(a.name, a.corporate_number) for a in two] == [
        ("株式会社ほくりく医工ラボ", "8120101098765"),
        ("国立大学法人架空大学", ""),
    ]


def test_re_importing_the_same_file_changes_nothing(cast):
    Organisation.objects.create(kind="sme", name_ja="株式会社みらい精工", corporate_number="4010001234567")
    run_import(CANONICAL)
    stamps = dict(Patent.objects.values_list("pk", "updated_at"))
    applicants = list(PatentApplicant.objects.values_list("pk", "organisation_id"))

    again = run_import(CANONICAL)

    assert (again.created, again.updated, again.unchanged, again.rejected) == (0, 0, 5, 0)
    assert dict(Patent.objects.values_list("pk", "updated_at")) == stamps
    assert list(PatentApplicant.objects.values_list("pk", "organisation_id")) == applicants


def test_a_name_alone_goes_to_review_and_confirming_links_the_applicant(cast):
    university = Organisation.objects.create(kind="university", name_ja="架空大学")
    run_import(CANONICAL)

    item = ReviewItem.objects.get(kind=LinkKind.PATENT_APPLICANT)
    assert item.name == "国立大学法人架空大学" and item.patent_applicant.patent.application_number == "JP2023045678"
    assert item.line_number == 3 and "生体信号計測カテーテル" in item.source_row
    do_decide_review_item(cast.national, item, confirm=item.candidates.get(organisation=university))

    assert PatentApplicant.objects.get(name="国立大学法人架空大学").organisation == university


def test_google_patents_rows_complete_each_other_and_foreign_publications_are_skipped(cast):
    run = run_import(GOOGLE)

    assert (run.rows_read, run.created, run.updated, run.skipped) == (5, 3, 1, 1)
    patent = Patent.objects.get(application_number="JP2021123456")
    assert patent.publication_number == "JP-2023012345-A" and str(patent.publication_date) == "2023-01-26"
    assert patent.registration_number == "JP-7123456-B2" and str(patent.registration_date) == "2024-09-10"
    assert patent.applicants.get().name == "MIRAI SEIKO KK"
    again = run_import(GOOGLE)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)


def test_gbizinfo_patents_link_by_corporate_number_and_by_name_with_address(cast):
    by_number = Organisation.objects.create(kind="sme", name_ja="株式会社みらい精工", corporate_number="4010001234567")
    by_address = Organisation.objects.create(
        kind="sme", name_ja="株式会社ほくりく医工ラボ", address="富山県富山市五福3190番地"
    )

    run = run_import(GBIZINFO)

    assert (run.rows_read, run.created, run.skipped, run.rejected) == (5, 3, 2, 0)  # a design and a trademark
    assert Patent.objects.get(application_number="JP2021123456").applicants.get().organisation == by_number
    hokuriku = Patent.objects.get(application_number="JP2023045678").applicants.get()
    assert hokuriku.organisation == by_address and hokuriku.address == "富山県富山市"


def test_shift_jis_and_japanese_headers_after_a_title_line(cast, tmp_path):
    path = write(
        tmp_path,
        "特許一覧 2024年版",
        "出願番号,出願日,発明の名称,出願人,国際特許分類,要約",
        "特願2021-123456,2021/08/02,精密位置決め装置,株式会社みらい精工,B23Q1/00,要約です",
        encoding="cp932",
    )

    run = run_import(path)

    assert run.encoding == "cp932" and run.created == 1
    assert str(Patent.objects.get().application_date) == "2021-08-02"


def test_bad_rows_are_rejected_with_line_column_and_reason(cast, tmp_path):
    good = FIRST
    cells = good.split(",")

    def row(index: int, value: str) -> str:
        changed = list(cells)
        changed[index] = value
        return ",".join(changed)

    path = write(
        tmp_path,
        HEADER,
        good,
        row(0, "特願XX"),  # line 3
        row(1, "2021-02-30"),  # 4
        row(6, ""),  # 5
        row(8, "4010001234568"),  # 6: bad check digit
        ",".join(cells[:5]),  # 7: too few columns
        row(6, '=HYPERLINK("http://x")').replace("特願2021-123456", "特願2021-999999"),  # 8: stored as text
        row(0, "特願2022-000001").replace("精密位置決め装置", "装\x00置"),  # 9
    )
    with path.open("ab") as handle:
        handle.write("特願2022-000002,2022-01-01,,,,,名称,株式会社\xff,".encode().replace(b"\xc3\xbf", b"\xff"))
        handle.write(b",,,,,,\r\n")

    run = run_import(path)

    rejected = {r.line_number: r.field for r in run.rejections.all()}
    assert rejected == {
        3: "application_number",
        4: "application_date",
        5: "title",
        6: "applicant_corporate_numbers",
        7: "columns",
        9: "title",
        10: "encoding",
    }
    assert all(r.reason for r in run.rejections.all())
    assert (run.rows_read, run.created, run.rejected) == (9, 2, 7)
    assert Patent.objects.get(application_number="JP2021999999").title == '=HYPERLINK("http://x")'


def test_a_quoted_abstract_over_several_lines_is_one_row(cast, tmp_path):
    path = write(
        tmp_path,
        "application_number,title,abstract",
        '特願2021-123456,装置,"一行目\r\n二行目"',
        "特願2021-000001,方法,",
    )

    run = run_import(path)

    assert (run.rows_read, run.created, run.rejected) == (2, 2, 0)
    assert Patent.objects.get(application_number="JP2021123456").abstract == "一行目\r\n二行目"


@pytest.mark.parametrize(
    "content",
    [
        b"",
        "法人番号,法人名\n4010001234567,株式会社\n".encode(),
        b"1,4010001234567,01,0,2024-01-01\n" * 12,
        b'{"application_number": "x"}',
    ],
    ids=["empty", "no-title-column", "nta-layout", "json"],
)
def test_a_file_without_a_patent_header_is_refused_whole(cast, tmp_path, content):
    path = tmp_path / "x.csv"
    path.write_bytes(content)

    with pytest.raises(ImportFileError, match="not a patent list"):
        run_import(path)

    assert ImportRun.objects.get().status == ImportStatus.FAILED and not Patent.objects.exists()
