"""Importing through the web: upload → background job (inline) → import report, the refusals
(another layout, over the size limit), who may import and see runs, and the rejections CSV."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from renkei.imports.choices import ImportStatus
from renkei.imports.models import Corporation, ImportRun
from renkei.imports.services import do_import_corporations
from renkei.imports.uploads import upload_dir
from renkei.jobs.choices import JobStatus
from renkei.jobs.models import Job

from .helpers import GOOD_ROW, ZENKEN_SJIS, ZENKEN_UTF8, with_cell

pytestmark = pytest.mark.django_db

UPLOAD_URL = "/imports/new/"


@pytest.fixture(autouse=True)
def inline_jobs(settings):
    settings.JOBS_BROKER_URL = ""


@pytest.fixture
def english(english, client):
    """English messages, in the pages too: /imports/ is outside the language-prefixed URLs, so
    its language comes from the browser's (kept when client_for signs in again)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return english


def uploaded_files() -> list:
    directory = upload_dir()
    return sorted(directory.iterdir()) if directory.exists() else []


def mixed_file() -> bytes:
    """The sample full file with a bad check digit on line 2 and a formula-like first cell on line 4."""
    lines = ZENKEN_UTF8.read_text(encoding="utf-8").splitlines()
    lines.insert(1, with_cell(GOOD_ROW, 1, "5010001234567"))
    lines.insert(3, "=cmd|' /C calc'!A0," + GOOD_ROW.split(",", 1)[1])
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def post_file(client, name: str, content: bytes, source: str = "corporate_numbers", capture=None):
    data = {"source": source, "file": SimpleUploadedFile(name, content, content_type="text/csv")}
    if capture is None:
        return client.post(UPLOAD_URL, data)
    with capture(execute=True):
        return client.post(UPLOAD_URL, data)


def test_an_upload_runs_as_a_job_whose_page_links_the_report(
    cast, client_for, django_capture_on_commit_callbacks, english
):
    client = client_for(cast.hq_a)
    assert client.get(UPLOAD_URL).status_code == 200

    response = post_file(
        client, "13_tokyo_all.csv", ZENKEN_SJIS.read_bytes(), capture=django_capture_on_commit_callbacks
    )

    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.kind == "imports.corporate_numbers" and job.started_by == cast.hq_a
    assert job.status == JobStatus.SUCCEEDED, job.error
    run = ImportRun.objects.get()
    assert job.result["run"] == run.pk and job.result["created"] == 5 and job.result["rejected"] == 0
    assert run.status == ImportStatus.SUCCEEDED and run.started_by == cast.hq_a
    assert run.file_name == "13_tokyo_all.csv" and run.encoding == "cp932"
    assert Corporation.objects.count() == 5
    assert uploaded_files() == []  # the job deletes the upload once imported

    page = client.get(job.get_absolute_url()).content.decode()
    assert f'href="{run.get_absolute_url()}"' in page

    report = client.get(run.get_absolute_url())
    assert report.status_code == 200
    text = report.content.decode()
    assert "13_tokyo_all.csv" in text and run.sha256 in text and "No row was rejected." in text


def test_the_report_lists_every_rejected_row_and_downloads_them_neutralised(
    cast, client_for, django_capture_on_commit_callbacks, english
):
    client = client_for(cast.national)
    post_file(client, "mixed.csv", mixed_file(), capture=django_capture_on_commit_callbacks)

    run = ImportRun.objects.get()
    assert (run.rows_read, run.created, run.rejected) == (7, 5, 2)
    text = client.get(run.get_absolute_url()).content.decode()
    assert "<td>2</td><td>corporateNumber</td>" in text
    assert "<td>4</td><td>sequenceNumber</td>" in text
    assert reverse("imports:run_rejections_csv", args=[run.pk]) in text

    response = client.get(reverse("imports:run_rejections_csv", args=[run.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0] == ["Line", "Field", "Reason", "Row as read"]
    assert [(r[0], r[1]) for r in rows[1:]] == [("2", "corporateNumber"), ("4", "sequenceNumber")]
    assert "check digit" in rows[1][2]
    assert rows[2][3].startswith("'=cmd")  # neutralised in the export…
    assert run.rejections.get(line_number=4).raw.startswith("=cmd")  # …stored as read


def test_rejected_rows_are_paginated(cast, client_for, tmp_path, english):
    lines = [with_cell(GOOD_ROW, 1, "5010001234567")] * 130
    path = tmp_path / "bad.csv"
    path.write_text("\n".join([GOOD_ROW, *lines]) + "\n", encoding="utf-8")
    run = do_import_corporations(path, user=cast.national)
    client = client_for(cast.national)

    first = client.get(run.get_absolute_url()).content.decode()
    second = client.get(run.get_absolute_url() + "?page=2").content.decode()

    assert "Page 1 of 2" in first and first.count("<td>corporateNumber</td>") == 100
    assert "Page 2 of 2" in second and second.count("<td>corporateNumber</td>") == 30


def test_a_file_of_another_layout_fails_the_job_with_the_reason_and_no_run_stays_running(
    cast, client_for, django_capture_on_commit_callbacks, english
):
    client = client_for(cast.hq_a)
    content = ("法人番号,法人名\n" + "\n".join(f"{n},名前" for n in range(40))).encode("utf-8")

    post_file(client, "gbizinfo.csv", content, capture=django_capture_on_commit_callbacks)

    job = Job.objects.get()
    assert job.status == JobStatus.FAILED and "not an NTA corporate number file" in job.error
    run = ImportRun.objects.get()
    assert run.status == ImportStatus.FAILED and run.file_name == "gbizinfo.csv"
    assert not ImportRun.objects.filter(status=ImportStatus.RUNNING).exists()
    assert "not an NTA corporate number file" in client.get(job.get_absolute_url()).content.decode()
    assert "not an NTA corporate number file" in client.get(run.get_absolute_url()).content.decode()
    assert uploaded_files() == [] and not Corporation.objects.exists()


@pytest.mark.parametrize("size", [5_000, 200_000], ids=["found-while-streaming", "declared-length"])
def test_a_file_over_the_size_limit_is_refused_and_nothing_is_kept(cast, client_for, settings, english, size):
    settings.IMPORT_MAX_FILE_BYTES = 1_000
    client = client_for(cast.hq_a)

    response = post_file(client, "big.csv", (GOOD_ROW + "\n").encode() * (size // len(GOOD_ROW)))

    assert response.status_code == 413
    assert "larger than the limit of 1000" in response.content.decode().replace("\xa0", " ").replace(",", "")
    assert uploaded_files() == []
    assert not Job.objects.exists() and not ImportRun.objects.exists()


def test_a_missing_file_names_the_field_and_starts_nothing(cast, client_for, english):
    response = client_for(cast.hq_a).post(UPLOAD_URL, {"source": "corporate_numbers"})

    assert response.status_code == 400 and 'id="field-file"' in response.content.decode()
    assert "This field is required." in response.content.decode()
    assert not Job.objects.exists()


def test_an_unknown_source_is_refused_and_the_upload_deleted(cast, client_for, english):
    response = post_file(client_for(cast.hq_a), "x.csv", ZENKEN_UTF8.read_bytes(), source="no-such-source")

    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    assert uploaded_files() == [] and not Job.objects.exists()


def test_the_upload_checks_the_csrf_token(cast, client, english):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(cast.hq_a)
    response = post_file(csrf_client, "x.csv", ZENKEN_UTF8.read_bytes())

    assert response.status_code == 403 and not Job.objects.exists()
    assert uploaded_files() == []


@pytest.mark.parametrize("who", ["participant", "coordinator_a"])
def test_roles_that_do_not_import_are_refused(cast, client_for, who):
    client = client_for(cast.users()[who])
    run = do_import_corporations(ZENKEN_UTF8, user=cast.national)

    assert client.get(UPLOAD_URL).status_code == 403
    assert post_file(client, "x.csv", ZENKEN_UTF8.read_bytes()).status_code == 403
    assert client.get("/imports/").status_code == 403
    assert client.get(run.get_absolute_url()).status_code == 403
    assert not Job.objects.exists() and uploaded_files() == []


def test_a_visitor_is_sent_to_sign_in(cast, client_for):
    client = client_for(None)
    run = do_import_corporations(ZENKEN_UTF8, user=cast.national)

    for url in (UPLOAD_URL, "/imports/", run.get_absolute_url(), reverse("imports:run_rejections_csv", args=[run.pk])):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"], url
    assert post_file(client, "x.csv", ZENKEN_UTF8.read_bytes()).status_code == 302
    assert not Job.objects.exists()


def test_hq_staff_see_their_own_runs_and_national_officers_all(cast, client_for):
    run_a = do_import_corporations(ZENKEN_UTF8, user=cast.hq_a)
    run_b = do_import_corporations(ZENKEN_SJIS, user=cast.hq_b)

    def listed(user) -> set[str]:
        text = client_for(user).get("/imports/").content.decode()
        return {name for name in (run_a.file_name, run_b.file_name) if name in text}

    assert listed(cast.hq_a) == {run_a.file_name}
    assert listed(cast.hq_b) == {run_b.file_name}
    assert listed(cast.national) == listed(cast.admin) == {run_a.file_name, run_b.file_name}


def test_hq_of_another_cluster_cannot_open_the_run(cast, client_for):
    run_a = do_import_corporations(ZENKEN_UTF8, user=cast.hq_a)
    client = client_for(cast.hq_b)

    assert client.get(run_a.get_absolute_url()).status_code == 404
    assert client.get(reverse("imports:run_rejections_csv", args=[run_a.pk])).status_code == 404
    assert client_for(cast.hq_a).get(run_a.get_absolute_url()).status_code == 200


def test_the_navigation_links_imports_for_importing_roles_only(cast, client_for):
    for who, shown in [
        ("hq_a", True),
        ("national", True),
        ("admin", True),
        ("coordinator_a", False),
        ("participant", False),
    ]:
        page = client_for(cast.users()[who]).get("/ja/").content.decode()
        assert ('href="/imports/"' in page) is shown, who
