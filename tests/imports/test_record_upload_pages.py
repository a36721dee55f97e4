"""researchmap, KAKEN and patent files through the web: upload → background job → import report
with its rejected rows and the links queued for review."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from renkei.directory.models import Organisation, Person
from renkei.imports.choices import ImportSource, ImportStatus
from renkei.imports.models import GrantProject, ImportRun, Patent, ReviewItem
from renkei.imports.uploads import upload_dir
from renkei.jobs.choices import JobStatus
from renkei.jobs.models import Job

from .helpers import DATA

pytestmark = pytest.mark.django_db

UPLOAD_URL = "/imports/new/"


@pytest.fixture(autouse=True)
def inline_jobs(settings):
    settings.JOBS_BROKER_URL = ""


@pytest.fixture
def english(english, client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return english


def post_file(client, capture, source: str, name: str, content: bytes):
    data = {"source": source, "file": SimpleUploadedFile(name, content)}
    with capture(execute=True):
        return client.post(UPLOAD_URL, data)


@pytest.mark.parametrize(
    ("source", "sample", "kind", "model"),
    [
        ("researchmap", "researchmap_researcher.json", "imports.researchmap", Person),
        ("kaken", "kaken_grantAwards.xml", "imports.kaken", GrantProject),
        ("patents", "jp_patent_list_canonical.csv", "imports.patents", Patent),
    ],
)
def test_each_source_uploads_as_a_job_and_reports(
    cast, client_for, django_capture_on_commit_callbacks, english, source, sample, kind, model
):
    Organisation.objects.create(kind="university", name_ja="架空大学")
    client = client_for(cast.hq_a)
    before = model.objects.count()

    response = post_file(client, django_capture_on_commit_callbacks, source, sample, (DATA / sample).read_bytes())

    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.kind == kind and job.status == JobStatus.SUCCEEDED, job.error
    run = ImportRun.objects.get()
    assert run.source == source and run.status == ImportStatus.SUCCEEDED and run.started_by == cast.hq_a
    assert job.result["run"] == run.pk and job.result["created"] >= 1
    assert model.objects.count() > before
    assert not list(upload_dir().iterdir())

    report = client.get(run.get_absolute_url()).content.decode()
    assert sample in report and run.sha256 in report
    queued = ReviewItem.objects.filter(run=run).count()
    assert job.result["queued_for_review"] == queued
    if queued:
        assert f"/imports/review/?run={run.pk}" in report


def test_a_file_of_another_layout_fails_the_job_with_the_reason(
    cast, client_for, django_capture_on_commit_callbacks, english
):
    client = client_for(cast.national)

    post_file(
        client,
        django_capture_on_commit_callbacks,
        ImportSource.KAKEN,
        "p.csv",
        (DATA / "gbizinfo_tokkyo.csv").read_bytes(),
    )

    job = Job.objects.get()
    assert job.status == JobStatus.FAILED and "not a KAKEN XML export" in job.error
    assert ImportRun.objects.get().status == ImportStatus.FAILED


def test_rejected_patent_rows_are_listed_and_downloadable_neutralised(
    cast, client_for, django_capture_on_commit_callbacks, english
):
    content = "application_number,title\n特願2021-123456,=cmd|' /C calc'!A0\n=1+1,装置\n".encode()
    client = client_for(cast.national)

    post_file(client, django_capture_on_commit_callbacks, ImportSource.PATENTS, "p.csv", content)

    run = ImportRun.objects.get()
    assert (run.created, run.rejected) == (1, 1)
    assert Patent.objects.get().title == "=cmd|' /C calc'!A0"  # stored as the text it is
    assert "<td>3</td><td>application_number</td>" in client.get(run.get_absolute_url()).content.decode()
    body = b"".join(client.get(f"/imports/runs/{run.pk}/rejections.csv").streaming_content).decode("utf-8-sig")
    assert body.splitlines()[1].endswith(',"\'=1+1,装置"')  # the row as read, neutralised in the export
