"""The personal agenda: what it shows (announced meetings with whom, the event's slots), its PDF
(Japanese names survive) and .ics file (parsed back: events, times, stable UIDs), and who may
get it (the participant themself and the event's HQ staff only)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from renkei.directory.models import Affiliation, Person
from renkei.events import agenda, meetings
from renkei.events.choices import EventStatus, MeetingStatus
from renkei.events.models import Event, Meeting, TimeSlot
from tests.events.agenda_helpers import build_fair, pdf_text
from tests.events.meeting_helpers import matching_event, registered


def url(name: str, *args) -> str:
    return reverse(f"events:{name}", args=args)


def calendar_events(content: bytes) -> list:
    return Calendar.from_ical(content).walk("VEVENT")


@pytest.fixture
def fair(cast):
    return build_fair(cast)


def test_the_agenda_shows_the_announced_meeting_with_whom_and_where(fair, client_for):
    response = client_for(fair.buyer).get(url("agenda", fair.buyer_registration.pk))
    page = response.content.decode()
    assert response.status_code == 200
    start = timezone.localtime(fair.meeting.slot.starts_at)
    assert f"{start:%H:%M}" in page
    assert fair.meeting.table.name in page
    assert "山田 花子" in page and "アルファ大学" in page
    assert "糖鎖工学の分析技術" in page and "量産パートナー" in page  # her profile summary
    assert page.count("agenda-meeting") == 1  # one slot taken, the others free
    assert "鈴木" not in page


def test_both_sides_see_the_meeting_on_their_agenda(fair, client_for):
    page = client_for(fair.seller).get(url("agenda", fair.seller_registration.pk)).content.decode()
    assert "高橋 三郎" in page and "アルファ精密" in page


def test_my_agenda_link_leads_to_the_own_registration(fair, client_for):
    response = client_for(fair.buyer).get(url("own_agenda", fair.event.pk))
    assert response.status_code == 302
    assert response["Location"] == url("agenda", fair.buyer_registration.pk)


def test_the_event_page_links_the_agendas(fair, cast, client_for):
    event_page = url("event_detail", fair.event.pk)
    assert url("own_agenda", fair.event.pk) in client_for(fair.buyer).get(event_page).content.decode()
    organiser_view = client_for(cast.hq_a).get(event_page).content.decode()
    assert url("agenda", fair.seller_registration.pk) in organiser_view
    assert url("event_report", fair.event.pk) in organiser_view
    assert url("table_cards", fair.event.pk) in organiser_view


def test_someone_not_registered_has_no_agenda(fair, cast, client_for):
    assert client_for(cast.hq_a).get(url("own_agenda", fair.event.pk)).status_code == 404


def test_meetings_not_yet_announced_stay_off_the_agenda(cast, client_for):
    fair = build_fair(cast, announce=False)
    assert fair.meeting.status == MeetingStatus.SCHEDULED
    client = client_for(fair.buyer)
    page = client.get(url("agenda", fair.buyer_registration.pk)).content.decode()
    assert "山田" not in page and 'id="no-meetings"' in page
    events = calendar_events(client.get(url("agenda_ics", fair.buyer_registration.pk)).content)
    assert len(events) == 1  # the event itself only


# --- the calendar file -------------------------------------------------------------------


def test_the_ics_file_parses_back_with_the_event_and_the_meeting(fair, client_for):
    response = client_for(fair.buyer).get(url("agenda_ics", fair.buyer_registration.pk))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Tokyo"]
    events = calendar.walk("VEVENT")
    assert len(events) == 2
    by_uid = {str(e["UID"]): e for e in events}
    whole = by_uid[f"renkei-event-{fair.event.pk}@{agenda.calendar_domain()}"]
    meeting = by_uid[f"renkei-meeting-{fair.meeting.request_id}@{agenda.calendar_domain()}"]
    assert whole.decoded("DTSTART") == fair.event.starts_at
    assert str(whole.decoded("DTSTART").tzinfo) == "Asia/Tokyo"
    assert meeting.decoded("DTSTART") == fair.meeting.slot.starts_at
    assert meeting.decoded("DTEND") == fair.meeting.slot.ends_at
    assert "山田 花子" in str(meeting["SUMMARY"])
    assert fair.meeting.table.name in str(meeting["LOCATION"])
    assert str(meeting["STATUS"]) == "CONFIRMED"


def test_uids_stay_the_same_when_the_meeting_moves_so_a_reimport_updates(fair, client_for):
    client = client_for(fair.buyer)
    before = calendar_events(client.get(url("agenda_ics", fair.buyer_registration.pk)).content)
    other_slot = TimeSlot.objects.filter(event=fair.event).exclude(pk=fair.meeting.slot_id).first()
    Meeting.objects.filter(pk=fair.meeting.pk).update(slot=other_slot, updated_at=timezone.now() + timedelta(seconds=5))
    after = calendar_events(client.get(url("agenda_ics", fair.buyer_registration.pk)).content)
    assert {str(e["UID"]) for e in before} == {str(e["UID"]) for e in after}
    other_address = calendar_events(
        client.get(url("agenda_ics", fair.buyer_registration.pk), HTTP_HOST="localhost").content
    )
    assert {str(e["UID"]) for e in other_address} == {str(e["UID"]) for e in after}
    moved = next(e for e in after if "meeting" in str(e["UID"]))
    old = next(e for e in before if "meeting" in str(e["UID"]))
    assert moved.decoded("DTSTART") == other_slot.starts_at
    assert int(moved["SEQUENCE"]) > int(old["SEQUENCE"])


def test_a_meeting_cancelled_after_its_announcement_is_cancelled_in_the_calendar(fair, client_for):
    meetings.do_cancel_request(fair.buyer, fair.meeting.request)
    client = client_for(fair.buyer)
    events = calendar_events(client.get(url("agenda_ics", fair.buyer_registration.pk)).content)
    cancelled = [e for e in events if "meeting" in str(e["UID"])]
    assert [str(e["STATUS"]) for e in cancelled] == ["CANCELLED"]
    assert "山田" not in client.get(url("agenda", fair.buyer_registration.pk)).content.decode()


# --- the PDF -----------------------------------------------------------------------------


def test_the_pdf_carries_the_japanese_names(fair, client_for):
    response = client_for(fair.buyer).get(url("agenda_pdf", fair.buyer_registration.pk))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for expected in ("ビジネスマッチング商談会", "高橋三郎", "山田花子", "アルファ大学", "糖鎖工学の分析技術"):
        assert expected in text


def test_an_event_without_slots_or_meetings_still_gives_every_format(cast, client_for):
    event = matching_event(cast.cluster_a, slots=0, tables=0)
    registration = registered(cast.participant, event)
    client = client_for(cast.participant)
    page = client.get(url("agenda", registration.pk))
    assert page.status_code == 200 and 'id="no-meetings"' in page.content.decode()
    assert "高橋三郎" in pdf_text(client.get(url("agenda_pdf", registration.pk)).content)
    events = calendar_events(client.get(url("agenda_ics", registration.pk)).content)
    assert [str(e["UID"]) for e in events] == [f"renkei-event-{event.pk}@{agenda.calendar_domain()}"]


# --- who may get it ----------------------------------------------------------------------

ROLES = ["anonymous", "participant", "bystander", "coordinator_a", "hq_a", "hq_b", "national", "admin"]
EXPECTED = {
    "anonymous": "login",
    "participant": 200,  # the agenda's own participant
    "bystander": 404,  # another participant of the same event
    "coordinator_a": 404,
    "hq_a": 200,  # organiser
    "hq_b": 404,  # staff of another cluster
    "national": 404,
    "admin": 200,
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["agenda", "agenda_pdf", "agenda_ics"])
def test_only_the_participant_and_the_organisers_get_the_agenda(fair, cast, client_for, role, name):
    user = fair.bystander if role == "bystander" else cast.users()[role]
    response = client_for(user).get(url(name, fair.buyer_registration.pk))
    if EXPECTED[role] == "login":
        assert response.status_code == 302 and "/login" in response["Location"]
    else:
        assert response.status_code == EXPECTED[role]


def test_a_cancelled_registration_has_no_agenda(fair, client_for):
    from renkei.events import services

    services.do_cancel_registration(fair.bystander, fair.bystander_registration)
    assert client_for(fair.bystander).get(url("agenda", fair.bystander_registration.pk)).status_code == 404


def test_a_meeting_placed_again_after_a_cancellation_is_one_calendar_entry(fair, client_for):
    old = fair.meeting
    Meeting.objects.filter(pk=old.pk).update(status=MeetingStatus.CANCELLED)
    other_slot = TimeSlot.objects.filter(event=fair.event).exclude(pk=old.slot_id).first()
    Meeting.objects.create(
        request=old.request,
        slot=other_slot,
        table=old.table,
        status=MeetingStatus.ANNOUNCED,
        announced_at=timezone.now(),
    )
    events = calendar_events(client_for(fair.buyer).get(url("agenda_ics", fair.buyer_registration.pk)).content)
    [entry] = [e for e in events if "meeting" in str(e["UID"])]
    assert str(entry["STATUS"]) == "CONFIRMED" and entry.decoded("DTSTART") == other_slot.starts_at


# --- review fixes ------------------------------------------------------------------------------


def test_a_cancelled_event_cancels_its_meetings_in_the_calendar(fair, client_for):
    client = client_for(fair.buyer)
    before = calendar_events(client.get(url("agenda_ics", fair.buyer_registration.pk)).content)
    Event.objects.filter(pk=fair.event.pk).update(
        status=EventStatus.CANCELLED, updated_at=timezone.now() + timedelta(seconds=5)
    )

    after = calendar_events(client.get(url("agenda_ics", fair.buyer_registration.pk)).content)

    assert [str(e["STATUS"]) for e in after] == ["CANCELLED", "CANCELLED"]
    old = next(e for e in before if "meeting" in str(e["UID"]))
    new = next(e for e in after if "meeting" in str(e["UID"]))
    assert int(new["SEQUENCE"]) > int(old["SEQUENCE"])  # so a re-import applies the cancellation


def test_the_calendar_sequence_is_never_negative(fair, client_for):
    long_ago = timezone.make_aware(datetime(2020, 4, 1, 9, 0))
    Event.objects.filter(pk=fair.event.pk).update(updated_at=long_ago)
    Meeting.objects.filter(pk=fair.meeting.pk).update(updated_at=long_ago)

    events = calendar_events(client_for(fair.buyer).get(url("agenda_ics", fair.buyer_registration.pk)).content)

    assert len(events) == 2
    assert all(int(e["SEQUENCE"]) >= 0 for e in events)


def test_the_agenda_names_the_current_organisation_not_an_ended_one(fair, cast, client_for):
    # 山田 has been at アルファ大学 since 2010; a secondment to ベータ (2018–2020, marked primary)
    # has ended, so the buyer's agenda, the printouts and the API name アルファ大学.
    seller = Person.objects.get(user=fair.seller)
    seller.affiliations.update(start_on=date(2010, 4, 1))
    Affiliation.objects.create(
        person=seller,
        organisation=cast.public_company_b,
        start_on=date(2018, 4, 1),
        end_on=date(2020, 3, 31),
        is_primary=True,
    )

    built = agenda.build_agenda(fair.buyer, fair.buyer_registration)

    assert [c.organisation for m in built.meetings for c in m.with_whom] == ["アルファ大学"]
    names = agenda.organisation_names(fair.buyer, [fair.seller_registration])
    assert names == {fair.seller_registration.pk: "アルファ大学"}
