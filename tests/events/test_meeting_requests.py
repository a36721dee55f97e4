"""Meeting requests at a business-matching event: who may send, answer and cancel them, the
refusals (self, duplicates, strangers, after the event), both request modes, mutual interest,
and who sees which request."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from renkei.events import access, meetings, services
from renkei.events.choices import MeetingRequestStatus, RequestMode
from renkei.events.models import MeetingRequest
from tests.events.meeting_helpers import matching_event, participant, registered

pytestmark = pytest.mark.django_db


@pytest.fixture
def fair(cast):
    """An event of cluster A with three participants who filled in their profiles."""
    event = matching_event(cast.cluster_a)
    people = {name: participant(name) for name in ("aoki", "baba", "chiba")}
    regs = {
        "aoki": registered(people["aoki"], event, offer="燃料電池の電極材料", looking_for="量産の委託先"),
        "baba": registered(people["baba"], event, offer="精密加工の量産", looking_for="新素材"),
        "chiba": registered(people["chiba"], event, offer="評価装置", looking_for="共同研究の相手"),
    }
    return event, people, regs


def test_a_participant_sends_a_request_the_other_side_accepts(fair):
    event, people, regs = fair
    request = meetings.do_send_request(people["aoki"], event, [regs["baba"]], message="電極の件でお話しできれば")
    assert request.status == MeetingRequestStatus.PENDING
    assert list(request.recipients.all()) == [regs["baba"]]
    accepted = meetings.do_accept_request(people["baba"], request)
    assert accepted.status == MeetingRequestStatus.ACCEPTED
    assert accepted.answered_by == regs["baba"]
    assert accepted.answered_at is not None


def test_a_request_may_name_colleagues_who_join(fair):
    event, people, regs = fair
    request = meetings.do_send_request(people["aoki"], event, [regs["baba"], regs["chiba"]])
    assert {r.pk for r in meetings.participants_of(request)} == {r.pk for r in regs.values()}


def test_in_automatic_mode_a_request_is_accepted_at_once(cast):
    event = matching_event(cast.cluster_a, request_mode=RequestMode.AUTOMATIC)
    aoki, baba = participant("aoki"), participant("baba")
    registered(aoki, event, offer="電極", looking_for="量産")
    other = registered(baba, event, offer="量産", looking_for="電極")
    request = meetings.do_send_request(aoki, event, [other])
    assert request.status == MeetingRequestStatus.ACCEPTED
    assert request.answered_at is not None


def test_the_declining_side_must_give_a_reason_and_the_requester_reads_it(fair, client_for):
    event, people, regs = fair
    request = meetings.do_send_request(people["aoki"], event, [regs["baba"]])
    with pytest.raises(ValidationError) as error:
        meetings.do_decline_request(people["baba"], request, reason="   ")
    assert "decline_reason" in error.value.message_dict
    meetings.do_decline_request(people["baba"], request, reason="今回は日程が合いません")
    request.refresh_from_db()
    assert request.status == MeetingRequestStatus.DECLINED
    page = client_for(people["aoki"]).get(reverse("events:meeting_requests", args=[event.pk]))
    assert "今回は日程が合いません" in page.content.decode()


def test_nobody_requests_a_meeting_with_themselves(fair):
    event, people, regs = fair
    with pytest.raises(ValidationError) as error:
        meetings.do_send_request(people["aoki"], event, [regs["aoki"]])
    assert "recipients" in error.value.message_dict
    assert not MeetingRequest.objects.exists()


def test_a_second_request_for_the_same_meeting_is_refused(fair):
    event, people, regs = fair
    meetings.do_send_request(people["aoki"], event, [regs["baba"]])
    with pytest.raises(ValidationError) as error:
        meetings.do_send_request(people["aoki"], event, [regs["baba"]])
    assert error.value.code == "duplicate"
    assert MeetingRequest.objects.count() == 1


def test_a_declined_request_may_be_sent_again(fair):
    event, people, regs = fair
    first = meetings.do_send_request(people["aoki"], event, [regs["baba"]])
    meetings.do_decline_request(people["baba"], first, reason="別の日に")
    again = meetings.do_send_request(people["aoki"], event, [regs["baba"]])
    assert again.pk != first.pk and again.status == MeetingRequestStatus.PENDING


def test_asking_someone_who_already_asked_you_accepts_their_request_with_mutual_interest(fair):
    event, people, regs = fair
    theirs = meetings.do_send_request(people["baba"], event, [regs["aoki"]])
    result = meetings.do_send_request(people["aoki"], event, [regs["baba"]])
    assert result.pk == theirs.pk
    assert result.status == MeetingRequestStatus.ACCEPTED
    assert result.mutual_interest is True
    assert result.priority > MeetingRequest(mutual_interest=False).priority
    assert MeetingRequest.objects.count() == 1


def test_only_confirmed_participants_with_a_profile_are_asked(cast, fair):
    event, people, regs = fair
    no_profile = registered(participant("dobashi"), event)
    with pytest.raises(ValidationError) as error:
        meetings.do_send_request(people["aoki"], event, [no_profile])
    assert "recipients" in error.value.message_dict
    services.do_cancel_registration(people["chiba"], regs["chiba"])
    with pytest.raises(ValidationError):
        meetings.do_send_request(people["aoki"], event, [regs["chiba"]])
    assert not MeetingRequest.objects.exists()


def test_a_registration_of_another_event_cannot_be_asked(cast, fair):
    event, people, regs = fair
    other_event = matching_event(cast.cluster_a)
    elsewhere = registered(participant("egawa"), other_event, offer="x", looking_for="y")
    with pytest.raises(ValidationError):
        meetings.do_send_request(people["aoki"], event, [elsewhere])


def test_someone_not_registered_cannot_send_requests(cast, fair):
    event, people, regs = fair
    with pytest.raises(PermissionDenied):
        meetings.do_send_request(cast.participant, event, [regs["baba"]])
    with pytest.raises(PermissionDenied):
        meetings.do_send_request(cast.hq_b, event, [regs["baba"]])


def test_no_request_after_the_event(fair):
    event, people, regs = fair
    event.starts_at = timezone.now() - timedelta(hours=5)
    event.ends_at = timezone.now() - timedelta(hours=1)
    event.save()
    with pytest.raises(ValidationError) as error:
        meetings.do_send_request(people["aoki"], event, [regs["baba"]])
    assert error.value.code == "over"


def test_requests_belong_to_business_matching_events_only(cast):
    from tests.events.test_event_pages import make_event

    seminar = make_event(cast.cluster_a)
    user = participant("fujii")
    services.do_register_person(user, seminar)
    with pytest.raises(ValidationError):
        meetings.do_send_request(user, seminar, [])


def test_only_the_other_side_answers(cast, fair):
    event, people, regs = fair
    request = meetings.do_send_request(people["aoki"], event, [regs["baba"]])
    for outsider in (people["aoki"], people["chiba"], cast.hq_a, cast.hq_b):
        with pytest.raises(PermissionDenied):
            meetings.do_accept_request(outsider, request)
        with pytest.raises(PermissionDenied):
            meetings.do_decline_request(outsider, request, reason="no")
    request.refresh_from_db()
    assert request.status == MeetingRequestStatus.PENDING


def test_an_answered_request_cannot_be_answered_again(fair):
    event, people, regs = fair
    request = meetings.do_send_request(people["aoki"], event, [regs["baba"]])
    meetings.do_accept_request(people["baba"], request)
    with pytest.raises(ValidationError) as error:
        meetings.do_decline_request(people["baba"], request, reason="気が変わった")
    assert error.value.code == "answered"
    with pytest.raises(ValidationError):
        meetings.do_accept_request(people["baba"], request)


def test_the_requester_cancels_and_a_stranger_cannot(cast, fair):
    event, people, regs = fair
    request = meetings.do_send_request(people["aoki"], event, [regs["baba"]])
    for outsider in (people["chiba"], cast.hq_b, cast.coordinator_a):
        with pytest.raises(PermissionDenied):
            meetings.do_cancel_request(outsider, request)
    meetings.do_cancel_request(people["aoki"], request)
    request.refresh_from_db()
    assert request.status == MeetingRequestStatus.CANCELLED
    with pytest.raises(ValidationError):
        meetings.do_cancel_request(people["aoki"], request)


def test_the_organiser_may_cancel_any_request(cast, fair):
    event, people, regs = fair
    request = meetings.do_send_request(people["aoki"], event, [regs["baba"]])
    meetings.do_cancel_request(cast.hq_a, request)
    request.refresh_from_db()
    assert request.status == MeetingRequestStatus.CANCELLED


# --- who sees what -----------------------------------------------------------------------------


def test_participants_see_only_their_own_requests(cast, fair):
    event, people, regs = fair
    mine = meetings.do_send_request(people["aoki"], event, [regs["baba"]])
    assert list(access.visible_meeting_requests(people["chiba"], event)) == []
    assert list(access.visible_meeting_requests(people["baba"], event)) == [mine]
    with pytest.raises(Http404):
        access.access_meeting_request(people["chiba"], mine.pk)
    assert access.access_meeting_request(people["baba"], mine.pk) == mine


def test_organisers_see_all_requests_and_other_clusters_nothing(cast, fair):
    event, people, regs = fair
    mine = meetings.do_send_request(people["aoki"], event, [regs["baba"]])
    assert list(access.visible_meeting_requests(cast.hq_a, event)) == [mine]
    assert list(access.visible_meeting_requests(cast.hq_b, event)) == []
    with pytest.raises(Http404):
        access.access_meeting_request(cast.hq_b, mine.pk)


def test_a_participant_cannot_reach_anothers_request_through_the_pages(fair, client_for):
    event, people, regs = fair
    request = meetings.do_send_request(people["aoki"], event, [regs["baba"]])
    client = client_for(people["chiba"])
    assert client.post(reverse("events:meeting_request_accept", args=[request.pk])).status_code == 404
    assert client.post(reverse("events:meeting_request_cancel", args=[request.pk])).status_code == 404
    assert client.get(reverse("events:meeting_request_decline", args=[request.pk])).status_code == 404
    request.refresh_from_db()
    assert request.status == MeetingRequestStatus.PENDING


def test_another_clusters_staff_get_nothing_from_the_pages(cast, fair, client_for):
    event, people, regs = fair
    request = meetings.do_send_request(people["aoki"], event, [regs["baba"]])
    client = client_for(cast.hq_b)
    assert client.get(reverse("events:event_meetings", args=[event.pk])).status_code == 403
    assert client.get(reverse("events:marketplace", args=[event.pk])).status_code == 403
    assert client.post(reverse("events:meeting_request_cancel", args=[request.pk])).status_code == 404


# --- the pages, as a participant uses them ------------------------------------------------------


def test_request_accept_and_decline_through_the_pages(fair, client_for):
    event, people, regs = fair
    client = client_for(people["aoki"])
    form = client.get(reverse("events:meeting_request_create", args=[event.pk]) + f"?to={regs['baba'].pk}")
    assert form.status_code == 200
    response = client.post(
        reverse("events:meeting_request_create", args=[event.pk]),
        {"recipients": [regs["baba"].pk], "message": "よろしくお願いします"},
    )
    assert response.status_code == 302
    request = MeetingRequest.objects.get()
    again = client.post(
        reverse("events:meeting_request_create", args=[event.pk]), {"recipients": [regs["baba"].pk], "message": ""}
    )
    assert again.status_code == 200
    assert escape(_("There is already a request for this meeting.")) in again.content.decode()
    assert MeetingRequest.objects.count() == 1

    client = client_for(people["baba"])
    page = client.get(reverse("events:meeting_requests", args=[event.pk]))
    assert "よろしくお願いします" in page.content.decode()
    refused = client.post(reverse("events:meeting_request_decline", args=[request.pk]), {"decline_reason": ""})
    assert refused.status_code == 200
    request.refresh_from_db()
    assert request.status == MeetingRequestStatus.PENDING
    client.post(reverse("events:meeting_request_accept", args=[request.pk]))
    request.refresh_from_db()
    assert request.status == MeetingRequestStatus.ACCEPTED


def test_the_request_form_in_english(fair, client_for, english):
    event, people, regs = fair
    page = client_for(people["aoki"]).get(reverse("events:meeting_request_create", args=[event.pk]))
    assert page.status_code == 200
    assert "Meet with" in page.content.decode()


def test_hq_staff_set_the_request_and_scheduling_modes_on_the_event_form(cast, client_for):
    from renkei.events.choices import SchedulingMode
    from renkei.events.models import Event
    from tests.events.test_event_pages import form_data

    data = form_data(cast.cluster_a, request_mode=RequestMode.AUTOMATIC, scheduling_mode=SchedulingMode.SELF_BOOKING)
    response = client_for(cast.hq_a).post(reverse("events:event_create"), data)
    assert response.status_code == 302
    event = Event.objects.get(title_en="Business matching day")
    assert (event.request_mode, event.scheduling_mode) == (RequestMode.AUTOMATIC, SchedulingMode.SELF_BOOKING)
    # Left out of a later submission, the settings keep their value.
    client_for(cast.hq_a).post(reverse("events:event_edit", args=[event.pk]), form_data(cast.cluster_a))
    event.refresh_from_db()
    assert event.request_mode == RequestMode.AUTOMATIC
    bad = client_for(cast.hq_a).post(reverse("events:event_edit", args=[event.pk]), {**data, "request_mode": "maybe"})
    assert bad.status_code == 200 and "request_mode" in bad.content.decode()
