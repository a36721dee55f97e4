"""Right after a held meeting each participant says on their meeting list whether they want to
follow it up. A "yes" puts one follow-up per side of the meeting into the coordinators' CRM
(an interaction of kind meeting, due at once), owned by the coordinator the rule names, so it
shows in the coordinator's CRM and digest; participants never see the CRM record."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from renkei.accounts.models import Role, RoleKind
from renkei.brokerage import services as brokerage
from renkei.brokerage.choices import InteractionKind
from renkei.brokerage.digests import do_send_followup_digests
from renkei.brokerage.models import Interaction, Introduction
from renkei.events import followups
from renkei.events.choices import MeetingStatus
from renkei.events.models import FollowUpIntention, Registration
from tests.events.meeting_helpers import participant
from tests.events.test_event_pages import url
from tests.events.test_meeting_outcomes import Day
from tests.mail_server import body

# The assertions read English messages.
pytestmark = pytest.mark.usefixtures("english")

TODAY = brokerage.today


@pytest.fixture
def day(cast):
    return Day(cast)


def _say(client, meeting, answer: str, note: str = ""):
    return client.post(url("meeting_followup", meeting.pk), {"wants_follow_up": answer, "note": note}, follow=True)


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_a_yes_becomes_a_follow_up_on_the_coordinators_desk_and_digest(day, cast, client_for, smtp):
    meeting = day.meeting(status=MeetingStatus.HELD)
    client = client_for(cast.participant)
    page = client.get(url("meeting_requests", day.event.pk)).content.decode()
    assert 'id="held"' in page and url("meeting_followup", meeting.pk) in page

    response = _say(client, meeting, "yes", "Sample glycan sensors next month")
    assert "your answer was saved" in _messages(response)
    intention = FollowUpIntention.objects.get(meeting=meeting, registration=day.company)
    assert intention.wants_follow_up and intention.note == "Sample glycan sensors next month"
    crm = intention.interaction
    assert crm.kind == InteractionKind.MEETING and crm.cluster == cast.cluster_a
    assert crm.coordinator == cast.coordinator_a  # the cluster's only coordinator
    assert crm.date == timezone.localdate(meeting.slot.starts_at)
    assert crm.next_follow_up_on == TODAY() and not crm.follow_up_done
    assert set(crm.organisations.all()) == {cast.company_a, cast.university_a}
    assert set(crm.people.all()) == {cast.participant_person, day.researcher.person}
    assert "Takahashi" in crm.topic or "高橋" in crm.topic

    # the coordinator's CRM list and due follow-ups, and the day's digest
    listing = client_for(cast.coordinator_a).get(reverse("brokerage:interaction_list")).content.decode()
    assert crm.topic in listing
    assert crm in brokerage.overdue_follow_ups(cast.coordinator_a, on=TODAY() + timedelta(days=1))
    cast.coordinator_a.email = "coordinator@cluster-a.example"
    cast.coordinator_a.save(update_fields=["email"])
    outcome = do_send_followup_digests(TODAY(), base_url="http://localhost:8000")
    assert ("coordinator_a", 1) in outcome.sent
    [digest] = smtp.to("coordinator@cluster-a.example")
    assert crm.topic in body(digest).replace("\n", " ")
    assert "Sample glycan sensors" not in body(digest)  # notes never leave by mail


def test_stating_yes_again_or_a_colleague_on_the_same_side_adds_no_second_follow_up(day, cast, client_for):
    colleague_user = participant("mori", organisation=cast.university_a)
    colleague = Registration.objects.create(event=day.event, person=colleague_user.person)
    meeting = day.meeting(others=[day.researcher, colleague], status=MeetingStatus.HELD)
    _say(client_for(day.researcher_user), meeting, "yes", "first")
    _say(client_for(day.researcher_user), meeting, "yes", "changed my note")
    _say(client_for(colleague_user), meeting, "yes")
    assert Interaction.objects.count() == 1  # one follow-up for the other side
    shared = {i.interaction_id for i in FollowUpIntention.objects.filter(meeting=meeting)}
    assert len(shared) == 1 and FollowUpIntention.objects.count() == 2
    assert FollowUpIntention.objects.get(registration=day.researcher).note == "changed my note"

    _say(client_for(cast.participant), meeting, "yes")
    assert Interaction.objects.count() == 2  # the requester's side has its own


def test_a_no_writes_nothing_to_the_crm_and_a_later_yes_does(day, cast, client_for):
    meeting = day.meeting(status=MeetingStatus.HELD)
    client = client_for(cast.participant)
    _say(client, meeting, "no", "ignored note")
    intention = FollowUpIntention.objects.get(meeting=meeting)
    assert (intention.wants_follow_up, intention.note, intention.interaction) == (False, "", None)
    assert Interaction.objects.count() == 0
    assert "No follow-up." in client.get(url("meeting_requests", day.event.pk)).content.decode()
    _say(client, meeting, "yes")
    assert Interaction.objects.count() == 1
    _say(client, meeting, "no")  # changing one's mind leaves the coordinator's record alone
    assert Interaction.objects.count() == 1


def test_participants_never_see_the_crm_notes(day, cast, client_for):
    meeting = day.meeting(status=MeetingStatus.HELD)
    client = client_for(cast.participant)
    _say(client, meeting, "yes", "Looking for a pilot line")
    crm = FollowUpIntention.objects.get(meeting=meeting).interaction
    crm.notes = "Coordinator only: budget is tight"
    brokerage.do_save_interaction(cast.coordinator_a, crm)
    page = client.get(url("meeting_requests", day.event.pk)).content.decode()
    assert "Looking for a pilot line" in page
    assert "budget is tight" not in page and crm.topic not in page


@pytest.mark.parametrize("status", [MeetingStatus.ANNOUNCED, MeetingStatus.NO_SHOW])
def test_only_held_meetings_take_an_intention(day, cast, client_for, status):
    meeting = day.meeting(status=status)
    response = _say(client_for(cast.participant), meeting, "yes")
    assert "only about a meeting that was held" in _messages(response)
    assert not FollowUpIntention.objects.exists() and not Interaction.objects.exists()


def test_a_note_that_is_too_long_is_refused_and_nothing_saved(day, cast, client_for):
    meeting = day.meeting(status=MeetingStatus.HELD)
    response = _say(client_for(cast.participant), meeting, "yes", "x" * 1001)
    assert "1000" in _messages(response) or "1,000" in _messages(response)
    with pytest.raises(ValidationError) as error:
        followups.do_state_intention(cast.participant, meeting, wants_follow_up=True, note="x" * 1001)
    assert "note" in error.value.message_dict
    assert not FollowUpIntention.objects.exists() and not Interaction.objects.exists()


def test_only_the_meetings_own_participants_answer(day, cast, client_for):
    meeting = day.meeting(status=MeetingStatus.HELD)
    outsider = participant("ono", organisation=cast.company_a)
    Registration.objects.create(event=day.event, person=outsider.person)
    assert _say(client_for(outsider), meeting, "yes").status_code == 404
    assert _say(client_for(cast.hq_b), meeting, "yes").status_code == 404
    response = client_for(cast.hq_a).post(url("meeting_followup", meeting.pk), {"wants_follow_up": "yes"})
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        followups.do_state_intention(cast.hq_a, meeting, wants_follow_up=True)
    assert not FollowUpIntention.objects.exists()


# --- whose follow-up ----------------------------------------------------------------------------


def _second_coordinator(cast):
    user = participant("coordinator_a2")
    Role.objects.create(user=user, kind=RoleKind.COORDINATOR, cluster=cast.cluster_a)
    return user


def test_the_coordinator_of_an_open_introduction_between_the_two_sides_gets_it(day, cast):
    other = _second_coordinator(cast)
    brokerage.do_save_introduction(
        cast.hq_a,
        Introduction(
            cluster=cast.cluster_a,
            coordinator=other,
            topic="Glycan sensor",
            introduced_on=TODAY(),
            party_a_organisation=cast.university_a,
            party_b_organisation=cast.company_a,
        ),
    )
    meeting = day.meeting(status=MeetingStatus.HELD)
    intention = followups.do_state_intention(cast.participant, meeting, wants_follow_up=True)
    assert intention.interaction.coordinator == other


def test_otherwise_the_least_loaded_coordinator_of_the_cluster_gets_it(day, cast):
    other = _second_coordinator(cast)
    brokerage.do_save_interaction(
        cast.coordinator_a,
        Interaction(
            kind=InteractionKind.CALL, date=TODAY(), cluster=cast.cluster_a, topic="Busy", next_follow_up_on=TODAY()
        ),
    )
    meeting = day.meeting(status=MeetingStatus.HELD)
    intention = followups.do_state_intention(cast.participant, meeting, wants_follow_up=True)
    assert intention.interaction.coordinator == other
