"""The job pages and API: who may follow a job, the htmx partial, the JSON."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from renkei.jobs.choices import JobStatus
from renkei.jobs.conf import broker_url
from renkei.jobs.models import Job


@pytest.fixture
def job(cast) -> Job:
    from django.utils import timezone

    return Job.objects.create(
        kind="jobs.check",
        started_by=cast.coordinator_a,
        cluster=cast.cluster_a,
        status=JobStatus.RUNNING,
        stage="Counting",
        done=3,
        total=12,
        heartbeat_at=timezone.now(),
    )


@pytest.mark.parametrize(
    ("who", "status"),
    [("coordinator_a", 200), ("hq_a", 200), ("admin", 200), ("hq_b", 404), ("participant", 404), ("national", 404)],
)
def test_only_the_owner_the_clusters_hq_and_admins_see_a_job(cast, client_for, job, who, status):
    response = client_for(getattr(cast, who)).get(reverse("jobs:job_detail", args=[job.pk]))
    assert response.status_code == status


def test_a_visitor_is_sent_to_sign_in(cast, client_for, job):
    response = client_for(None).get(reverse("jobs:job_detail", args=[job.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_page_shows_stage_and_progress_and_polls_while_running(cast, client_for, job, english):
    response = client_for(cast.coordinator_a).get(reverse("jobs:job_detail", args=[job.pk]))
    html = response.content.decode()
    assert "Worker check" in html and "Counting" in html
    assert '<progress max="12" value="3">' in html
    assert "3 of 12 (25%)" in html
    assert 'hx-trigger="every 1s"' in html
    assert "<html" in html


def test_the_htmx_request_gets_the_partial_which_stops_polling_when_finished(cast, client_for, job, english):
    client = client_for(cast.coordinator_a)
    url = reverse("jobs:job_detail", args=[job.pk])
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial and 'id="job-progress"' in partial and "hx-trigger" in partial

    Job.objects.filter(pk=job.pk).update(status=JobStatus.SUCCEEDED, done=12, result={"steps": 12, "worker": "w:1"})
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in partial
    assert "Steps done" in partial and "12" in partial


def test_a_failed_job_shows_its_message_but_never_the_traceback(cast, client_for, job):
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.FAILED, error="Row 3: bad number.", traceback="Traceback (most recent call last): SECRET"
    )
    html = client_for(cast.coordinator_a).get(reverse("jobs:job_detail", args=[job.pk])).content.decode()
    assert "Row 3: bad number." in html
    assert "SECRET" not in html and "Traceback" not in html


def test_the_list_shows_the_users_own_jobs(cast, client_for, job):
    Job.objects.create(kind="jobs.check", started_by=cast.hq_b)
    html = client_for(cast.coordinator_a).get(reverse("jobs:job_list")).content.decode()
    assert f"#{job.pk}" in html
    other = client_for(cast.hq_b).get(reverse("jobs:job_list")).content.decode()
    assert f"#{job.pk}<" not in other and reverse("jobs:job_detail", args=[job.pk]) not in other


def test_the_navigation_links_the_jobs_for_staff_only(cast, client_for):
    url = reverse("jobs:job_list")
    assert url in client_for(cast.hq_a).get(reverse("home")).content.decode()
    assert url not in client_for(cast.participant).get(reverse("home")).content.decode()


def test_the_owner_can_cancel_a_running_job_from_the_page(cast, client_for, job):
    response = client_for(cast.coordinator_a).post(reverse("jobs:job_cancel", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.cancel_requested and job.status == JobStatus.RUNNING  # it stops at its next report


def test_a_visitor_cannot_cancel_the_job(cast, client_for, job):
    response = client_for(None).post(reverse("jobs:job_cancel", args=[job.pk]))
    assert response.status_code == 302 and "login" in response["Location"]
    job.refresh_from_db()
    assert not job.cancel_requested


def test_another_cluster_cannot_cancel_the_job(cast, client_for, job):
    response = client_for(cast.hq_b).post(reverse("jobs:job_cancel", args=[job.pk]))
    assert response.status_code == 404
    job.refresh_from_db()
    assert not job.cancel_requested


# --- API --------------------------------------------------------------------------------


def test_the_api_gives_the_job_as_json(cast, api, job):
    response = api(cast.hq_a).get(f"/api/jobs/{job.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    data = response.json()
    assert data["id"] == job.pk
    assert data["kind"] == "jobs.check" and data["kind_label"] == "Worker check"
    assert data["status"] == "running" and data["finished"] is False
    assert (data["stage"], data["done"], data["total"], data["percent"]) == ("Counting", 3, 12, 25)
    assert data["started_by"] == "coordinator_a" and data["cluster"] == "cluster-a"
    assert "traceback" not in data


def test_the_api_speaks_japanese_by_default(cast, api, job):
    data = api(cast.hq_a).get(f"/api/jobs/{job.pk}/").json()
    assert (data["kind_label"], data["stage"]) == ("ワーカーの動作確認", "カウント中")


def test_the_api_hides_other_peoples_jobs(cast, api, job):
    assert api(cast.hq_b).get(f"/api/jobs/{job.pk}/").status_code == 404
    listed = api(cast.hq_b).get("/api/jobs/").json()
    assert listed["count"] == 0
    assert api(None).get(f"/api/jobs/{job.pk}/").status_code in (401, 403)


def test_the_api_cancels(cast, api, job):
    response = api(cast.coordinator_a).post(f"/api/jobs/{job.pk}/cancel/")
    assert response.status_code == 200
    assert Job.objects.get(pk=job.pk).cancel_requested


def test_the_api_lists_stale_jobs_as_failed(cast, api, job, settings):
    from datetime import timedelta

    Job.objects.filter(pk=job.pk).update(
        heartbeat_at=job.heartbeat_at - timedelta(seconds=settings.JOBS_STALE_SECONDS + 1)
    )
    data = api(cast.coordinator_a).get(f"/api/jobs/{job.pk}/").json()
    assert data["status"] == "failed" and data["finished"] is True and data["error"]


# --- settings ---------------------------------------------------------------------------


def test_the_broker_url_must_be_redis_or_amqp(monkeypatch):
    monkeypatch.setenv("RENKEI_BROKER_URL", "sqs://user:hunter2@queue")
    with pytest.raises(ImproperlyConfigured) as raised:
        broker_url("RENKEI_BROKER_URL")
    assert "RENKEI_BROKER_URL" in str(raised.value) and "hunter2" not in str(raised.value)
    monkeypatch.setenv("RENKEI_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")
    assert broker_url("RENKEI_BROKER_URL").startswith("amqp://")
    monkeypatch.delenv("RENKEI_BROKER_URL")
    assert broker_url("RENKEI_BROKER_URL") == ""
