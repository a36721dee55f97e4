"""The events API: events (published to anyone signed in, drafts to their clusters' staff),
registrations, meeting requests (sent and answered through the meeting services), meetings and
the personal agenda. Every response is checked against the OpenAPI schema by the client."""

from __future__ import annotations

import pytest

from renkei.events.choices import EventStatus, MeetingRequestStatus
from renkei.events.models import MeetingRequest
from tests.events.agenda_helpers import build_fair
from tests.events.meeting_helpers import matching_event
from tests.events.test_event_pages import make_event


@pytest.fixture
def fair(cast):
    return build_fair(cast)


def _ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


def test_the_events_api_needs_a_signed_in_user(cast, api):
    make_event(cast.cluster_a)
    assert api(None).get("/api/events/").status_code == 401


def test_drafts_are_listed_only_to_their_clusters_staff_and_national_officers(cast, api):
    draft = make_event(cast.cluster_a, status=EventStatus.DRAFT)
    published = make_event(cast.cluster_a)
    for role, sees_draft in [("participant", False), ("hq_b", False), ("coordinator_a", True), ("national", True)]:
        client = api(cast.users()[role])
        listed = _ids(client.get("/api/events/"))
        assert published.pk in listed
        assert (draft.pk in listed) == sees_draft, role
        assert client.get(f"/api/events/{draft.pk}/").status_code == (200 if sees_draft else 404)


def test_an_event_comes_with_its_slots_and_tables(cast, api):
    event = matching_event(cast.cluster_a, slots=2, tables=3)
    body = api(cast.participant).get(f"/api/events/{event.pk}/").json()
    assert body["kind"] == "business_matching" and body["clusters"] == ["cluster-a"]
    assert len(body["time_slots"]) == 2 and [t["name"] for t in body["tables"]] == ["T1", "T2", "T3"]


def test_participants_list_their_own_registrations_and_organisers_all(fair, cast, api):
    own = _ids(api(fair.buyer).get("/api/event-registrations/"))
    assert own == {fair.buyer_registration.pk}
    everyone = {fair.buyer_registration.pk, fair.seller_registration.pk, fair.bystander_registration.pk}
    assert _ids(api(cast.hq_a).get("/api/event-registrations/")) == everyone
    assert _ids(api(cast.national).get("/api/event-registrations/")) == everyone
    assert _ids(api(cast.hq_b).get("/api/event-registrations/")) == set()
    assert api(fair.buyer).get(f"/api/event-registrations/{fair.seller_registration.pk}/").status_code == 404


def test_meeting_requests_are_seen_by_their_sides_and_the_organisers(fair, cast, api):
    request_id = fair.meeting.request_id
    assert _ids(api(fair.buyer).get("/api/meeting-requests/")) == {request_id}
    assert _ids(api(fair.seller).get("/api/meeting-requests/")) == {request_id}
    assert _ids(api(fair.bystander).get("/api/meeting-requests/")) == set()
    assert _ids(api(cast.hq_a).get("/api/meeting-requests/")) == {request_id}
    assert api(cast.hq_b).get(f"/api/meeting-requests/{request_id}/").status_code == 404


def test_a_request_is_sent_and_accepted_through_the_api(fair, api):
    sent = api(fair.bystander).post(
        "/api/meeting-requests/",
        {"event": fair.event.pk, "recipients": [fair.seller_registration.pk], "message": "センサーの件で"},
    )
    assert sent.status_code == 201, sent.json()
    body = sent.json()
    assert body["requester"] == fair.bystander_registration.pk and body["status"] == "pending"
    assert api(fair.bystander).post(f"/api/meeting-requests/{body['id']}/accept/").status_code == 403
    accepted = api(fair.seller).post(f"/api/meeting-requests/{body['id']}/accept/")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"


def test_a_request_is_declined_with_a_reason(fair, api):
    sent = api(fair.bystander).post(
        "/api/meeting-requests/", {"event": fair.event.pk, "recipients": [fair.buyer_registration.pk]}
    )
    request_id = sent.json()["id"]
    assert api(fair.buyer).post(f"/api/meeting-requests/{request_id}/decline/", {}).status_code == 400
    declined = api(fair.buyer).post(f"/api/meeting-requests/{request_id}/decline/", {"reason": "日程が合わない"})
    assert declined.json()["status"] == "declined" and declined.json()["decline_reason"] == "日程が合わない"


def test_bad_requests_name_the_field_and_save_nothing(fair, cast, api):
    client = api(fair.bystander)
    before = MeetingRequest.objects.count()
    other_event = matching_event(cast.cluster_a)
    cases = [
        ({"event": fair.event.pk, "recipients": []}, "recipients"),
        ({"event": 999_999, "recipients": [fair.buyer_registration.pk]}, "event"),
        ({"event": other_event.pk, "recipients": [fair.buyer_registration.pk]}, "recipients"),
        ({"event": fair.event.pk, "recipients": [fair.bystander_registration.pk]}, "recipients"),  # yourself
    ]
    for body, field in cases:
        response = client.post("/api/meeting-requests/", body)
        assert response.status_code == 400, body
        assert field in response.json(), response.json()
    assert MeetingRequest.objects.count() == before


def test_the_requester_cancels_and_the_meeting_goes_with_it(fair, api):
    response = api(fair.buyer).post(f"/api/meeting-requests/{fair.meeting.request_id}/cancel/")
    assert response.status_code == 200 and response.json()["status"] == MeetingRequestStatus.CANCELLED
    assert api(fair.buyer).get("/api/meetings/").json()["results"][0]["status"] == "cancelled"


def test_meetings_are_listed_to_their_sides_once_announced_and_to_organisers_always(cast, api):
    fair = build_fair(cast, announce=False)
    assert _ids(api(fair.buyer).get("/api/meetings/")) == set()
    assert _ids(api(cast.hq_a).get("/api/meetings/")) == {fair.meeting.pk}
    from renkei.events import meetings

    meetings.do_announce_schedule(cast.hq_a, fair.event)
    rows = api(fair.buyer).get("/api/meetings/").json()["results"]
    assert [row["id"] for row in rows] == [fair.meeting.pk]
    assert rows[0]["table_name"] == fair.meeting.table.name
    assert rows[0]["participants"] == [fair.buyer_registration.pk, fair.seller_registration.pk]
    assert _ids(api(fair.bystander).get("/api/meetings/")) == set()
    assert _ids(api(cast.hq_b).get("/api/meetings/")) == set()


def test_the_agenda_as_json(fair, cast, api):
    body = api(fair.buyer).get(f"/api/events/{fair.event.pk}/agenda/").json()
    assert body["participant"] == "高橋 三郎"
    assert len(body["slots"]) == 3
    [meeting] = body["meetings"]
    assert meeting["table"] == fair.meeting.table.name
    assert meeting["with"][0]["name"] == "山田 花子" and meeting["with"][0]["organisation"] == "アルファ大学"
    organiser = api(cast.hq_a).get(f"/api/event-registrations/{fair.buyer_registration.pk}/agenda/")
    assert organiser.status_code == 200 and organiser.json()["meetings"] == body["meetings"]


@pytest.mark.parametrize(("role", "expected"), [("coordinator_a", 404), ("hq_b", 404), ("national", 404)])
def test_nobody_else_gets_someones_agenda(fair, cast, api, role, expected):
    url = f"/api/event-registrations/{fair.buyer_registration.pk}/agenda/"
    assert api(cast.users()[role]).get(url).status_code == expected


def test_an_unregistered_user_has_no_own_agenda(fair, cast, api):
    assert api(cast.hq_a).get(f"/api/events/{fair.event.pk}/agenda/").status_code == 404
