"""`renkei import corporate-numbers FILE` as a person runs it: the report, the rejections CSV,
and a clear message with a non-zero exit (never a traceback) for files it cannot use."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from renkei.imports.models import Corporation, ImportRun
from tests.core.test_cli import run_renkei

from .helpers import GOOD_ROW, SABUN_UTF8, ZENKEN_SJIS, with_cell, zip_of


@pytest.mark.django_db
def test_the_command_imports_a_file_and_prints_the_report():
    out = io.StringIO()

    call_command("import", "corporate-numbers", str(ZENKEN_SJIS), stdout=out)

    report = out.getvalue()
    assert Corporation.objects.count() == 5
    for label in ("read", "created", "updated", "unchanged", "rejected"):
        assert label in report
    assert "cp932" in report


@pytest.mark.django_db
def test_the_command_lists_the_first_rejections_and_writes_them_all_to_a_csv(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_text(f"{GOOD_ROW}\n{with_cell(GOOD_ROW, 5, '2015-02-29')}\n", encoding="utf-8")
    out_csv = tmp_path / "rejected.csv"
    out = io.StringIO()

    call_command(
        "import", "corporate-numbers", str(path), "--batch-size", "1", "--rejections-csv", str(out_csv), stdout=out
    )

    report = out.getvalue()
    assert "First rejected rows" in report and "changeDate" in report and "not a real date" in report
    with out_csv.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[1][:2] == ["2", "changeDate"]
    assert ImportRun.objects.get().batches_committed == 2


@pytest.mark.django_db
def test_the_command_refuses_a_batch_size_below_one():
    with pytest.raises(CommandError, match="--batch-size must be at least 1"):
        call_command("import", "corporate-numbers", str(SABUN_UTF8), "--batch-size", "0")


@pytest.mark.django_db
def test_the_command_turns_an_unusable_file_into_a_command_error(tmp_path):
    bomb = zip_of(tmp_path / "bomb.zip", {"x.csv": b"0" * 3_000_000})

    with pytest.raises(CommandError, match="zip bomb"):
        call_command("import", "corporate-numbers", str(bomb))


@pytest.mark.slow
def test_from_the_shell_an_unknown_layout_exits_non_zero_with_a_message_and_no_traceback(tmp_path):
    path = tmp_path / "patents.csv"
    path.write_text("application_number,title\n特願2021-123456,発明\n", encoding="utf-8")
    data_dir = tmp_path / "data"
    assert run_renkei(["migrate", "-v0"], data_dir, timeout=300).returncode == 0

    result = run_renkei(["import", "corporate-numbers", str(path)], data_dir, timeout=120)
    missing = run_renkei(["import", "corporate-numbers", str(tmp_path / "none.zip")], data_dir, timeout=120)
    good = run_renkei(["import", "corporate-numbers", str(SABUN_UTF8), "--no-progress"], data_dir, timeout=120)

    assert result.returncode != 0
    assert "not an NTA corporate number file" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert missing.returncode != 0 and "no such file" in missing.stderr and "Traceback" not in missing.stderr
    assert good.returncode == 0, good.stderr
    assert "created" in good.stdout and "5" in good.stdout
