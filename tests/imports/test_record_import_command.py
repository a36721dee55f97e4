"""`renkei import researchmap|kaken|patents FILE` as a person runs it: the report with the links
queued for review, the rejections CSV, and a clear message (never a traceback) for unusable files."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from renkei.directory.models import Organisation
from renkei.imports.models import GrantProject, ImportRun, Patent
from tests.core.test_cli import run_renkei

from .helpers import DATA

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("source", "sample"),
    [
        ("researchmap", "researchmap_researcher.json"),
        ("kaken", "kaken_grantAwards.xml"),
        ("patents", "jp_patent_list_canonical.csv"),
    ],
)
def test_the_command_imports_each_source_and_reports_the_review_queue(source, sample):
    Organisation.objects.create(kind="university", name_ja="架空大学")
    out = io.StringIO()

    call_command("import", source, str(DATA / sample), "--no-progress", stdout=out)

    report = out.getvalue()
    run = ImportRun.objects.get()
    assert run.source == source and run.created >= 1
    assert "created" in report and run.sha256 in report
    assert "queued for review" in report


def test_the_command_writes_the_rejected_rows(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("application_number,title,application_date\n特願2021-1,装置,2021-02-30\n", encoding="utf-8")
    out_csv = tmp_path / "rejected.csv"

    call_command("import", "patents", str(path), "--rejections-csv", str(out_csv), stdout=io.StringIO())

    with out_csv.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[1][:2] == ["2", "application_date"] and "not a real date" in rows[1][2]
    assert not Patent.objects.exists()


def test_a_file_of_another_layout_stops_with_a_message(tmp_path):
    with pytest.raises(CommandError, match="not a KAKEN XML export"):
        call_command("import", "kaken", str(DATA / "jp_patent_list_canonical.csv"), stdout=io.StringIO())
    assert not GrantProject.objects.exists()


def test_the_renkei_command_exits_non_zero_without_a_traceback(tmp_path):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    result = run_renkei(["import", "patents", str(tmp_path / "missing.csv")], data_dir, timeout=120)

    assert result.returncode != 0
    assert "no such file" in result.stderr and "Traceback" not in result.stderr
