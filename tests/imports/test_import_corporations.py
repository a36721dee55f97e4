"""`do_import_corporations`: full and difference files into the reference table, idempotent
re-runs, batches, rejections kept with line/field/reason, and every run recorded."""

from __future__ import annotations

import csv

import pytest

from renkei.imports.choices import ImportStatus
from renkei.imports.files import ImportFileError
from renkei.imports.models import Corporation, ImportRejection, ImportRun
from renkei.imports.services import do_import_corporations, write_rejections_csv
from renkei.imports.synthetic import write_corporation_file

from .helpers import GOOD_ROW, SABUN_UTF8, ZENKEN_SJIS, ZENKEN_UTF8, with_cell, zip_of

pytestmark = pytest.mark.django_db


def counts(run: ImportRun) -> tuple[int, int, int, int, int, int]:
    return run.rows_read, run.created, run.updated, run.unchanged, run.skipped, run.rejected


def test_a_full_file_creates_every_corporation_and_records_the_run(cast):
    run = do_import_corporations(ZENKEN_SJIS, user=cast.national)

    assert counts(run) == (5, 5, 0, 0, 0, 0)
    assert run.status == ImportStatus.SUCCEEDED
    assert run.started_by == cast.national
    assert run.encoding == "cp932"
    assert run.file_name == "nta_houjin_zenken_sjis.csv"
    assert len(run.sha256) == 64 and run.file_size == ZENKEN_SJIS.stat().st_size
    assert run.finished_at is not None
    mirai = Corporation.objects.get(pk="4010001234567")
    assert mirai.name == "株式会社みらい精工"
    assert (mirai.prefecture_name, mirai.city_name, mirai.street_number) == ("東京都", "八王子市", "旭町１２番１号")
    assert mirai.municipality_code == "13201"
    assert str(mirai.update_date) == "2023-04-03"
    assert mirai.kind == "301" and mirai.get_kind_display()
    closed = Corporation.objects.get(pk="2080005011223")
    assert str(closed.close_date) == "2024-03-25" and closed.close_cause == "01"


def test_re_importing_the_same_rows_changes_nothing_whatever_the_encoding():
    do_import_corporations(ZENKEN_SJIS)
    before = {c.pk: c.updated_at for c in Corporation.objects.all()}

    again = do_import_corporations(ZENKEN_SJIS)
    other_encoding = do_import_corporations(ZENKEN_UTF8)

    assert counts(again) == (5, 0, 0, 5, 0, 0)
    assert counts(other_encoding) == (5, 0, 0, 5, 0, 0)
    assert {c.pk: c.updated_at for c in Corporation.objects.all()} == before


def test_a_difference_file_applies_new_changed_and_closed_corporations():
    do_import_corporations(ZENKEN_UTF8)

    run = do_import_corporations(SABUN_UTF8)

    assert counts(run) == (5, 2, 3, 0, 0, 0)
    assert Corporation.objects.count() == 7
    renamed = Corporation.objects.get(pk="7100003045678")
    assert renamed.name == "合同会社浜松光試作" and renamed.correction is True
    assert renamed.change_cause == "誤記訂正（例）"
    moved = Corporation.objects.get(pk="4010001234567")
    assert (moved.city_name, moved.process) == ("日野市", "12")
    merged = Corporation.objects.get(pk="1100001555444")
    assert merged.process == "71" and merged.successor_corporate_number == "4010001234567"
    assert Corporation.objects.get(pk="8120101098765").process == "99"
    # Applying it a second time is a no-op.
    assert counts(do_import_corporations(SABUN_UTF8)) == (5, 0, 0, 5, 0, 0)


def test_a_zipped_file_imports_like_the_csv_inside_it(tmp_path):
    archive = zip_of(
        tmp_path / "00_zenkoku_all_20240628.zip", {"00_zenkoku_all_20240628.csv": ZENKEN_UTF8.read_bytes()}
    )

    run = do_import_corporations(archive)

    assert counts(run) == (5, 5, 0, 0, 0, 0)
    assert run.file_name == "00_zenkoku_all_20240628.zip"


def test_bad_rows_are_rejected_with_line_field_and_reason_and_the_rest_is_loaded(tmp_path):
    lines = ZENKEN_UTF8.read_text(encoding="utf-8").splitlines()
    lines.insert(1, with_cell(GOOD_ROW, 1, "5010001234567"))
    lines.insert(3, with_cell(GOOD_ROW, 4, "2024-13-01"))
    path = tmp_path / "mixed.csv"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")

    run = do_import_corporations(path)

    assert counts(run) == (7, 5, 0, 0, 0, 2)
    assert list(run.rejections.values_list("line_number", "field")) == [(2, "corporateNumber"), (4, "updateDate")]
    first = run.rejections.first()
    assert "check digit" in first.reason and first.raw.startswith("1,5010001234567,")
    assert not Corporation.objects.filter(pk="5010001234567").exists()


def test_it_commits_in_batches_of_the_given_size(tmp_path):
    path = write_corporation_file(tmp_path / "rows.csv", 23)

    run = do_import_corporations(path, batch_size=5)

    assert run.batches_committed == 5
    assert counts(run) == (23, 23, 0, 0, 0, 0)
    assert Corporation.objects.count() == 23


def test_the_last_row_of_a_number_wins_and_past_history_rows_are_skipped(tmp_path):
    renamed = with_cell(GOOD_ROW, 6, '"株式会社みらい精工ホールディングス"')
    history = with_cell(with_cell(GOOD_ROW, 6, '"旧商号"'), 23, "0")
    path = tmp_path / "repeats.csv"
    path.write_text(f"{GOOD_ROW}\r\n{renamed}\r\n{history}\r\n", encoding="utf-8")

    run = do_import_corporations(path)

    assert counts(run) == (3, 1, 0, 0, 2, 0)
    assert Corporation.objects.get(pk="4010001234567").name == "株式会社みらい精工ホールディングス"


def test_a_file_of_another_layout_fails_the_run_and_saves_nothing(tmp_path):
    path = tmp_path / "gbizinfo.csv"
    path.write_text("法人番号,法人名\n" + "\n".join(f"{n},名前" for n in range(40)), encoding="utf-8")

    with pytest.raises(ImportFileError, match="not an NTA corporate number file"):
        do_import_corporations(path)

    run = ImportRun.objects.get()
    assert run.status == ImportStatus.FAILED and "not an NTA corporate number file" in run.error
    assert not Corporation.objects.exists() and not ImportRejection.objects.exists()


def test_a_zip_bomb_fails_the_run_with_the_reason(tmp_path):
    bomb = zip_of(tmp_path / "bomb.zip", {"data.csv": b"1" * 5_000_000})

    with pytest.raises(ImportFileError, match="zip bomb"):
        do_import_corporations(bomb)

    assert ImportRun.objects.get().status == ImportStatus.FAILED
    assert not Corporation.objects.exists()


def test_a_file_over_the_size_limit_is_refused_before_any_run_starts(tmp_path, settings):
    settings.IMPORT_MAX_FILE_BYTES = 100

    with pytest.raises(ImportFileError, match="the limit is 100 bytes"):
        do_import_corporations(ZENKEN_UTF8)

    assert not ImportRun.objects.exists()


def test_stored_rejections_are_capped_but_all_counted(tmp_path, settings):
    settings.IMPORT_MAX_STORED_REJECTIONS = 3
    bad = with_cell(GOOD_ROW, 4, "2024-02-30")
    path = tmp_path / "bad.csv"
    path.write_text(GOOD_ROW + "\n" + "\n".join([bad] * 10) + "\n", encoding="utf-8")

    run = do_import_corporations(path, batch_size=4)

    assert run.rejected == 10
    assert run.rejections.count() == 3


def test_formula_text_is_stored_as_text_and_neutralised_in_the_rejections_csv(tmp_path):
    formula = '=HYPERLINK(""http://evil.example"",""x"")'
    stored = with_cell(GOOD_ROW, 6, f'"{formula}"')
    rejected = with_cell(with_cell(GOOD_ROW, 1, "@SUM(1+1)"), 6, '"=1+1"')
    path = tmp_path / "injection.csv"
    path.write_text(f"{stored}\n{rejected}\n", encoding="utf-8")
    out = tmp_path / "rejections.csv"

    run = do_import_corporations(path)
    written = write_rejections_csv(run, out)

    assert Corporation.objects.get(pk="4010001234567").name == '=HYPERLINK("http://evil.example","x")'
    assert written == 1
    with out.open(encoding="utf-8-sig", newline="") as handle:
        header, row = list(csv.reader(handle))
    assert header == ["line", "field", "reason", "row"]
    assert row[0] == "2" and row[1] == "corporateNumber"
    assert "'@SUM(1+1)" in row[2]  # the reason quotes the value; a leading quote would be neutralised too
    assert row[3].startswith("1,@SUM(1+1)")  # starts with a digit, so left as it is


def test_a_rejected_row_that_starts_like_a_formula_is_neutralised_in_the_csv(tmp_path):
    path = tmp_path / "formula.csv"
    path.write_text(GOOD_ROW + "\n" + "=cmd|' /C calc'!A0," + GOOD_ROW.split(",", 1)[1] + "\n", encoding="utf-8")
    out = tmp_path / "rejections.csv"

    run = do_import_corporations(path)
    write_rejections_csv(run, out)

    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[1][3].startswith("'=cmd")
    assert run.rejections.get().raw.startswith("=cmd")  # stored as it was read


def test_a_run_whose_process_died_is_marked_interrupted_when_the_file_is_imported_again():
    first = do_import_corporations(ZENKEN_UTF8)
    ImportRun.objects.filter(pk=first.pk).update(status=ImportStatus.RUNNING, pid=2**22 + 12345, finished_at=None)

    do_import_corporations(ZENKEN_UTF8)

    first.refresh_from_db()
    assert first.status == ImportStatus.INTERRUPTED
