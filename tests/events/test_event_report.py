"""The event report: registrations, attendance rate, meeting requests and meetings, by
organisation kind and field, its CSV, and who may read it."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from renkei.core.models import TechField
from renkei.events import meetings, report, services
from renkei.events.choices import MeetingStatus
from renkei.events.models import Meeting
from tests.events.agenda_helpers import build_fair
from tests.events.meeting_helpers import matching_event


def url(name: str, *args) -> str:
    return reverse(f"events:{name}", args=args)


@pytest.fixture
def fair(cast):
    fair = build_fair(cast)
    services.do_check_in(cast.hq_a, fair.buyer_registration)
    services.do_check_in(cast.hq_a, fair.seller_registration)
    Meeting.objects.filter(pk=fair.meeting.pk).update(status=MeetingStatus.HELD)
    # The bystander asks the buyer too; the buyer declines.
    declined = meetings.do_send_request(fair.bystander, fair.event, [fair.buyer_registration])
    meetings.do_decline_request(fair.buyer, declined, reason="日程が合わない")
    return fair


def test_the_totals_count_registrations_attendance_and_meetings(fair):
    figures = report.compute_report(fair.event)
    total = figures.total
    assert (total.registrations, total.confirmed, total.attended) == (3, 3, 2)
    assert total.attendance_rate == 66.7
    assert (total.requested, total.accepted, total.placed, total.held) == (2, 1, 1, 1)
    assert (figures.declined, figures.pending) == (1, 0)


def test_figures_by_organisation_kind_count_a_meeting_in_each_side_s_group(fair):
    rows = {row.key: row for row in report.compute_report(fair.event).by_kind}
    # SMEs: the buyer (アルファ精密) and the bystander (ベータデバイス); the university: the seller.
    assert (rows["sme"].registrations, rows["sme"].attended) == (2, 1)
    assert (rows["sme"].requested, rows["sme"].accepted, rows["sme"].held) == (2, 1, 1)
    assert (rows["university"].registrations, rows["university"].held) == (1, 1)
    assert rows["university"].requested == 1


def test_figures_by_field_use_the_marketplace_profile_fields(fair, cast):
    field = TechField.objects.get(code="life-science")
    fair.seller_registration.marketplace_profile.fields.add(field)
    rows = {row.key: row for row in report.compute_report(fair.event).by_field}
    assert rows["life-science"].registrations == 1 and rows["life-science"].held == 1
    assert rows["none"].registrations == 2
    assert list(rows)[-1] == "none"


def test_the_report_page_shows_charts_and_the_csv_has_every_group(fair, cast, client_for):
    client = client_for(cast.hq_a)
    page = client.get(url("event_report", fair.event.pk)).content.decode()
    assert 'id="report-kind-attendance"' in page and 'id="report-kind-meetings"' in page
    assert 'id="attendance-rate">66.7%' in page
    response = client.get(url("event_report_csv", fair.event.pk))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff"))))
    assert rows[1][2:] == ["3", "3", "2", "66.7", "2", "1", "1", "1"]
    assert len(rows) == 1 + 1 + 2 + 1  # header, total, two kinds, one field ("No field")


def test_an_event_without_registrations_reports_zeros(cast, client_for):
    event = matching_event(cast.cluster_a, slots=0, tables=0, days=-5)
    response = client_for(cast.hq_a).get(url("event_report", event.pk))
    assert response.status_code == 200
    assert 'id="attendance-rate">—' in response.content.decode()
    assert report.compute_report(event).total.registrations == 0


def test_follow_up_answers_are_counted(fair):
    from renkei.events.models import MeetingOutcome

    MeetingOutcome.objects.create(
        meeting=fair.meeting,
        respondent=fair.buyer_registration,
        token="t1",
        answer="negotiating",
        answered_at=timezone.now(),
    )
    MeetingOutcome.objects.create(meeting=fair.meeting, respondent=fair.seller_registration, token="t2")
    figures = report.compute_report(fair.event)
    assert {key: n for key, _label, n in figures.outcomes}["negotiating"] == 1
    assert figures.outcomes_unanswered == 1


EXPECTED = {
    "anonymous": "login",
    "participant": 403,
    "coordinator_a": 403,
    "hq_a": 200,
    "hq_b": 403,
    "national": 200,
    "admin": 200,
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_the_organisers_and_national_officers_read_the_report(fair, cast, client_for, role):
    client = client_for(cast.users()[role])
    for name in ("event_report", "event_report_csv"):
        response = client.get(url(name, fair.event.pk))
        if EXPECTED[role] == "login":
            assert response.status_code == 302 and "/login" in response["Location"]
        else:
            assert response.status_code == EXPECTED[role]
