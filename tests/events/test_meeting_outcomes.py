"""After a business-matching event the organiser (HQ of its clusters) records which announced
meetings were held and which were no-shows (and which side missed them), one by one or in bulk
from the check-in after a preview. Held meetings become network ties; every change is kept in
the history; coordinators read the outcomes; participants and other clusters' staff cannot
record them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from renkei.events import meetings, outcomes
from renkei.events.choices import EventKind, MeetingRequestStatus, MeetingStatus, MissedBy
from renkei.events.models import Meeting, MeetingRequest, Registration, Table, TimeSlot
from renkei.network.builder import build_platform_network, org_id, person_id
from tests.events.meeting_helpers import participant
from tests.events.test_event_pages import make_event, url

# The assertions read English messages.
pytestmark = pytest.mark.usefixtures("english")


class Day:
    """A business-matching event that started `hours_ago` hours ago (three hours long), with
    three 20-minute slots from its start and one table. The participant (Alpha Precision) and a
    researcher user (Alpha University) are registered; `meeting()` places a meeting between
    them, announced unless told otherwise."""

    def __init__(self, cast, *, hours_ago: float = 24) -> None:
        self.cast = cast
        self.event = make_event(cast.cluster_a, kind=EventKind.BUSINESS_MATCHING, days=-hours_ago / 24)
        start = self.event.starts_at
        self.slots = [
            TimeSlot.objects.create(
                event=self.event,
                starts_at=start + timedelta(minutes=20 * n),
                ends_at=start + timedelta(minutes=20 * (n + 1)),
            )
            for n in range(3)
        ]
        self.table = Table.objects.create(event=self.event, name="T1")
        self.researcher_user = participant("kimura", organisation=cast.university_a)
        self.company = Registration.objects.create(event=self.event, person=cast.participant_person)
        self.researcher = Registration.objects.create(event=self.event, person=self.researcher_user.person)

    def meeting(self, requester=None, others=(), slot: int = 0, status=MeetingStatus.ANNOUNCED) -> Meeting:
        request = MeetingRequest.objects.create(
            event=self.event, requester=requester or self.company, status=MeetingRequestStatus.ACCEPTED
        )
        request.recipients.add(*(others or [self.researcher]))
        return Meeting.objects.create(request=request, slot=self.slots[slot], table=self.table, status=status)


@pytest.fixture
def day(cast):
    return Day(cast)


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


# --- one meeting --------------------------------------------------------------------------------


def test_the_organiser_marks_a_meeting_held_and_it_becomes_a_network_tie(day, cast, client_for):
    meeting = day.meeting()
    response = client_for(cast.hq_a).post(url("meeting_outcome", meeting.pk), {"outcome": "held"}, follow=True)
    assert "The meeting's outcome was recorded." in _messages(response)
    meeting.refresh_from_db()
    assert (meeting.status, meeting.missed_by) == (MeetingStatus.HELD, "")
    last = meeting.history.first()
    assert (last.history_user, last.history_change_reason) == (cast.hq_a, "held")

    network = build_platform_network([cast.cluster_a])
    kind = network.types.index("event_meeting")
    ties = {
        frozenset((network.ids[s], network.ids[t]))
        for s, t, c in zip(network.source, network.target, network.type_code, strict=True)
        if c == kind
    }
    assert frozenset({person_id(cast.participant_person.pk), person_id(day.researcher.person_id)}) in ties
    assert frozenset({org_id(cast.company_a.pk), org_id(cast.university_a.pk)}) in ties


def test_a_no_show_names_the_side_that_missed_and_can_be_corrected(day, cast, client_for):
    meeting = day.meeting()
    client = client_for(cast.hq_a)
    client.post(url("meeting_outcome", meeting.pk), {"outcome": "other_side"})
    meeting.refresh_from_db()
    assert (meeting.status, meeting.missed_by) == (MeetingStatus.NO_SHOW, MissedBy.OTHER_SIDE)
    assert day.researcher.display_name in client.get(url("event_meetings", day.event.pk)).content.decode()

    client.post(url("meeting_outcome", meeting.pk), {"outcome": "held"})
    meeting.refresh_from_db()
    assert (meeting.status, meeting.missed_by) == (MeetingStatus.HELD, "")
    assert meeting.history.first().history_change_reason == "corrected: held"
    assert meeting.history.count() == 3  # created, no-show, corrected


def test_recording_the_same_outcome_twice_changes_nothing(day, cast):
    meeting = day.meeting()
    outcomes.do_record_outcome(cast.hq_a, meeting, held=False, missed_by=MissedBy.BOTH)
    outcomes.do_record_outcome(cast.hq_a, meeting, held=False, missed_by=MissedBy.BOTH)
    assert meeting.history.count() == 2


def test_a_no_show_must_say_which_side_missed(day, cast, client_for):
    meeting = day.meeting()
    with pytest.raises(ValidationError) as error:
        outcomes.do_record_outcome(cast.hq_a, meeting, held=False, missed_by="")
    assert "missed_by" in error.value.message_dict
    response = client_for(cast.hq_a).post(url("meeting_outcome", meeting.pk), {"outcome": "nobody"}, follow=True)
    assert "Choose the meeting's outcome." in _messages(response)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.ANNOUNCED


@pytest.mark.parametrize("status", [MeetingStatus.SCHEDULED, MeetingStatus.CANCELLED])
def test_only_announced_meetings_have_an_outcome(day, cast, status):
    meeting = day.meeting(status=status)
    with pytest.raises(ValidationError, match="Only announced meetings"):
        outcomes.do_record_outcome(cast.hq_a, meeting, held=True)
    meeting.refresh_from_db()
    assert meeting.status == status


def test_outcomes_wait_until_the_event_has_started(cast):
    future = Day(cast, hours_ago=-48)
    meeting = future.meeting()
    with pytest.raises(ValidationError, match="once the event has started"):
        outcomes.do_record_outcome(cast.hq_a, meeting, held=True)


def test_a_meeting_in_a_later_slot_cannot_be_marked_before_it_starts(cast):
    today = Day(cast, hours_ago=0.5)  # slots at -30, -10 and +10 minutes
    with pytest.raises(ValidationError, match="has not started yet"):
        outcomes.do_record_outcome(cast.hq_a, today.meeting(slot=2), held=True)
    started = today.meeting(slot=0, requester=today.researcher, others=[today.company])
    assert outcomes.do_record_outcome(cast.hq_a, started, held=True).status == MeetingStatus.HELD


@pytest.mark.parametrize("status", [MeetingStatus.HELD, MeetingStatus.NO_SHOW])
def test_a_meeting_with_an_outcome_can_no_longer_be_cancelled(day, cast, status):
    meeting = day.meeting(status=status)
    with pytest.raises(ValidationError, match="already taken place"):
        meetings.do_cancel_request(cast.hq_a, meeting.request)
    meeting.refresh_from_db()
    assert meeting.status == status


# --- who may ------------------------------------------------------------------------------------


def test_a_participant_of_the_meeting_cannot_record_its_outcome(day, cast, client_for):
    meeting = day.meeting()
    response = client_for(cast.participant).post(url("meeting_outcome", meeting.pk), {"outcome": "held"})
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        outcomes.do_record_outcome(cast.participant, meeting, held=True)
    assert client_for(cast.participant).get(url("event_attendance", day.event.pk)).status_code == 403
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.ANNOUNCED


def test_another_clusters_staff_do_not_even_see_the_meeting(day, cast, client_for):
    meeting = day.meeting()
    client = client_for(cast.hq_b)
    assert client.post(url("meeting_outcome", meeting.pk), {"outcome": "held"}).status_code == 404
    assert client.get(url("event_attendance", day.event.pk)).status_code == 403
    assert client.post(url("event_attendance", day.event.pk), {"meeting": [meeting.pk]}).status_code == 403
    with pytest.raises(PermissionDenied):
        outcomes.bulk_record_attendance(cast.hq_b, day.event, [meeting.pk])
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.ANNOUNCED


def test_the_clusters_coordinator_reads_the_outcomes_but_cannot_record_them(day, cast, client_for):
    meeting = day.meeting(status=MeetingStatus.NO_SHOW)
    Meeting.objects.filter(pk=meeting.pk).update(missed_by=MissedBy.REQUESTER)
    client = client_for(cast.coordinator_a)
    page = client.get(url("event_meetings", day.event.pk)).content.decode()
    assert 'id="outcomes"' in page and "No-show" in page and "The requester" in page
    assert url("meeting_outcome", meeting.pk) not in page  # no controls
    assert url("event_attendance", day.event.pk) not in page
    assert client.post(url("meeting_outcome", meeting.pk), {"outcome": "held"}).status_code == 403
    assert client.get(url("event_attendance", day.event.pk)).status_code == 403


def test_the_organisers_page_offers_the_controls_only_once_the_event_has_started(cast, client_for):
    future = Day(cast, hours_ago=-48)
    future.meeting()
    page = client_for(cast.hq_a).get(url("event_meetings", future.event.pk)).content.decode()
    assert 'id="outcomes"' not in page


# --- in bulk, from the check-in -----------------------------------------------------------------


def _check_in(*registrations: Registration) -> None:
    Registration.objects.filter(pk__in=[r.pk for r in registrations]).update(checked_in_at=timezone.now())


def test_the_bulk_action_previews_then_marks_from_the_check_in(day, cast, client_for):
    visitor = Registration.objects.create(event=day.event, visitor_name="Misaki Tanaka", visitor_email="m@example.jp")
    both_came = day.meeting(slot=0)
    visitor_missing = day.meeting(requester=day.researcher, others=[visitor], slot=1)
    nobody = day.meeting(requester=visitor, others=[day.company], slot=2)
    already = day.meeting(slot=2, status=MeetingStatus.HELD, requester=day.researcher, others=[day.company])
    _check_in(day.company, day.researcher)
    client = client_for(cast.hq_a)

    preview = client.get(url("event_attendance", day.event.pk))
    assert preview.status_code == 200
    changes = {c.meeting.pk: (c.held, c.missed_by) for c in preview.context["changes"]}
    assert changes == {
        both_came.pk: (True, ""),
        visitor_missing.pk: (False, MissedBy.OTHER_SIDE),
        nobody.pk: (False, MissedBy.REQUESTER),
    }
    assert Meeting.objects.filter(status=MeetingStatus.ANNOUNCED).count() == 3  # a preview changes nothing

    response = client.post(url("event_attendance", day.event.pk), {"meeting": list(changes)}, follow=True)
    assert "3 meetings recorded: 1 held, 2 no-show." in _messages(response)
    statuses = {m.pk: (m.status, m.missed_by) for m in Meeting.objects.all()}
    assert statuses == {
        both_came.pk: (MeetingStatus.HELD, ""),
        visitor_missing.pk: (MeetingStatus.NO_SHOW, MissedBy.OTHER_SIDE),
        nobody.pk: (MeetingStatus.NO_SHOW, MissedBy.REQUESTER),
        already.pk: (MeetingStatus.HELD, ""),
    }
    assert both_came.history.first().history_user == cast.hq_a

    again = client.post(url("event_attendance", day.event.pk), {"meeting": list(changes)}, follow=True)
    assert "0 meetings recorded" in _messages(again)  # idempotent
    assert client.get(url("event_attendance", day.event.pk)).context["changes"] == []


def test_the_bulk_action_applies_only_what_the_preview_showed(day, cast):
    shown = day.meeting(slot=0)
    later = day.meeting(slot=1, requester=day.researcher, others=[day.company])
    _check_in(day.company)  # the researcher has not checked in
    assert [c.meeting.pk for c in outcomes.compute_attendance_changes(cast.hq_a, day.event)] == [shown.pk, later.pk]
    _check_in(day.researcher)  # arrives before the organiser confirms: judged as it stands now
    done = outcomes.bulk_record_attendance(cast.hq_a, day.event, [shown.pk])
    assert [(c.meeting.pk, c.held) for c in done] == [(shown.pk, True)]
    later.refresh_from_db()
    assert later.status == MeetingStatus.ANNOUNCED


def test_the_bulk_action_leaves_meetings_whose_slot_has_not_ended(cast):
    today = Day(cast, hours_ago=0.5)  # the second slot ends in ten minutes
    running = today.meeting(slot=1)
    ended = today.meeting(slot=0, requester=today.researcher, others=[today.company])
    _check_in(today.company, today.researcher)
    changes = outcomes.compute_attendance_changes(cast.hq_a, today.event)
    assert [c.meeting.pk for c in changes] == [ended.pk]
    outcomes.bulk_record_attendance(cast.hq_a, today.event, [running.pk, ended.pk])
    running.refresh_from_db()
    assert running.status == MeetingStatus.ANNOUNCED
