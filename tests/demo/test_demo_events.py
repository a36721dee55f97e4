"""The demo's events: a held business-matching event with attendance and meetings held or
missed, an upcoming one with profiles in both languages and requests in every state that the
organiser can schedule and announce, and other events on the calendar, one of them full."""

from __future__ import annotations

from collections import Counter, defaultdict

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from renkei.demo.events import MATCHING_USER_PREFIX
from renkei.demo.loader import do_delete_demo, do_load_demo
from renkei.demo.users import DEMO_PARTICIPANT, TAMA_CLUSTER
from renkei.events import access, meetings
from renkei.events.choices import (
    EventKind,
    EventLanguage,
    EventStatus,
    MailState,
    MeetingRequestStatus,
    MeetingStatus,
    RegistrationStatus,
)
from renkei.events.models import (
    Event,
    MarketplaceProfile,
    Meeting,
    MeetingRequest,
    Registration,
    RegistrationMail,
)
from tests.demo.conftest import DEMO_SCALE


def user(username):
    return get_user_model().objects.get(username=username)


def matching_events():
    """(past, upcoming) business-matching events of the demo's TAMA cluster."""
    events = Event.objects.filter(kind=EventKind.BUSINESS_MATCHING, clusters__code=TAMA_CLUSTER)
    now = timezone.now()
    return events.get(ends_at__lt=now), events.get(starts_at__gt=now)


def has_kana(text: str) -> bool:
    return any("\u3040" <= ch <= "\u30ff" for ch in text)


# --- the upcoming business-matching event ------------------------------------------------------


def test_the_upcoming_matching_event_is_open_with_slots_tables_and_no_schedule_yet(demo):
    _, event = matching_events()
    assert event.status == EventStatus.PUBLISHED
    assert event.closes_at > timezone.now()
    assert event.time_slots.count() >= 6 and event.tables.count() >= 3
    assert not Meeting.objects.filter(request__event=event).exists()
    assert event.title_ja and event.title_en and event.description_ja and event.description_en


def test_every_participant_has_a_profile_that_reads_in_its_language(demo):
    _, event = matching_events()
    confirmed = event.registrations.filter(status=RegistrationStatus.CONFIRMED)
    assert confirmed.count() >= 8
    profiles = list(MarketplaceProfile.objects.filter(registration__in=confirmed).prefetch_related("fields"))
    assert len(profiles) == confirmed.count()
    languages = Counter(p.language for p in profiles)
    assert languages[EventLanguage.JAPANESE] and languages[EventLanguage.ENGLISH]
    for profile in profiles:
        assert profile.offer and profile.looking_for and profile.keyword_list and profile.fields.exists()
        text = profile.offer + profile.looking_for
        if profile.language == EventLanguage.ENGLISH:
            assert not has_kana(text), text
        else:
            assert has_kana(text), text
        if profile.language == EventLanguage.BOTH:
            assert any(not has_kana(line) for line in profile.offer.splitlines())


def test_requests_stand_in_every_state_between_participants_of_the_marketplace(demo):
    _, event = matching_events()
    requests = MeetingRequest.objects.filter(event=event).prefetch_related("recipients")
    assert set(requests.values_list("status", flat=True)) == set(MeetingRequestStatus.values)
    assert requests.filter(status=MeetingRequestStatus.ACCEPTED, mutual_interest=True).exists()
    assert requests.filter(status=MeetingRequestStatus.PENDING).count() >= 3
    declined = requests.filter(status=MeetingRequestStatus.DECLINED)
    assert declined.exists() and not declined.filter(decline_reason="").exists()
    assert not requests.filter(status=MeetingRequestStatus.CANCELLED, cancelled_at__isnull=True).exists()
    # Cancelled both while pending and after being accepted.
    cancelled = requests.filter(status=MeetingRequestStatus.CANCELLED)
    assert cancelled.filter(answered_at__isnull=True).exists() and cancelled.filter(answered_at__isnull=False).exists()
    assert not requests.filter(status=MeetingRequestStatus.ACCEPTED, answered_at__isnull=True).exists()
    for request in requests:
        for registration in meetings.participants_of(request):
            assert registration.status == RegistrationStatus.CONFIRMED
            assert MarketplaceProfile.objects.filter(registration=registration).exists()


def test_the_demo_participant_is_registered_with_a_profile_and_has_requests_to_try(demo, client_for):
    _, event = matching_events()
    participant = user(DEMO_PARTICIPANT)
    own = access.own_registration(participant, event)
    assert own is not None and MarketplaceProfile.objects.filter(registration=own).exists()
    incoming, outgoing = meetings.requests_of(own)
    assert incoming.filter(status=MeetingRequestStatus.PENDING).exists()
    assert outgoing.filter(status=MeetingRequestStatus.ACCEPTED).exists()
    client = client_for(participant)
    for language in ("ja", "en"):
        with translation.override(language):
            market = client.get(reverse("events:marketplace", args=[event.pk]))
            assert market.status_code == 200
            assert client.get(reverse("events:meeting_requests", args=[event.pk])).status_code == 200
    other = MarketplaceProfile.objects.filter(registration__event=event).exclude(registration=own).first()
    assert other.offer.splitlines()[0][:20] in market.content.decode()


def test_the_organiser_schedules_and_announces_the_upcoming_event(demo, client_for):
    _, event = matching_events()
    hq = user("demo-hq-tama")
    run = meetings.do_schedule_meetings(hq, event, time_limit=10)
    accepted = MeetingRequest.objects.filter(event=event, status=MeetingRequestStatus.ACCEPTED).count()
    assert run.placed >= 5
    assert run.placed + len(run.unscheduled) == accepted
    placed = list(Meeting.objects.filter(request__event=event).select_related("request"))
    assert len(placed) == run.placed
    busy: dict[int, set[int]] = defaultdict(set)
    per_table: Counter = Counter()
    for meeting in placed:
        per_table[meeting.slot_id, meeting.table_id] += 1
        for registration in meetings.participants_of(meeting.request):
            assert registration.pk not in busy[meeting.slot_id], "double-booked"
            busy[meeting.slot_id].add(registration.pk)
            assert meeting.slot_id in meetings.available_slots_of(registration)
    capacity = dict(event.tables.values_list("pk", "capacity"))
    assert all(n <= capacity[table] for (_, table), n in per_table.items())

    assert meetings.do_announce_schedule(hq, event) == run.placed
    participant = user(DEMO_PARTICIPANT)
    own = access.own_registration(participant, event)
    mine = [m for m in placed if own.pk in {r.pk for r in meetings.participants_of(m.request)}]
    assert mine  # the demo participant's accepted request was placed
    with translation.override("ja"):
        page = client_for(participant).get(reverse("events:own_agenda", args=[event.pk]), follow=True)
    assert page.status_code == 200
    content = page.content.decode()
    for meeting in mine:
        assert escape(meeting.table.name) in content
        for other in meetings.participants_of(meeting.request):
            if other.pk != own.pk:
                assert escape(other.person.name_ja) in content


# --- the held business-matching event ----------------------------------------------------------


def test_the_past_matching_event_was_held_with_attendance_and_meetings_held_or_missed(demo):
    event, _ = matching_events()
    assert event.ends_at < timezone.now()
    registrations = event.registrations.all()
    assert registrations.filter(status=RegistrationStatus.CANCELLED).exists()
    confirmed = registrations.filter(status=RegistrationStatus.CONFIRMED)
    attended = confirmed.filter(checked_in_at__isnull=False)
    assert 0 < attended.count() < confirmed.count()
    assert not registrations.filter(status=RegistrationStatus.CANCELLED, checked_in_at__isnull=False).exists()
    for registration in attended:
        assert abs(registration.checked_in_at - event.starts_at).total_seconds() < 3600
        assert registration.created_at < event.starts_at
    present = set(attended.values_list("pk", flat=True))
    held = Meeting.objects.filter(request__event=event).select_related("request")
    statuses = Counter(held.values_list("status", flat=True))
    assert set(statuses) == {MeetingStatus.HELD, MeetingStatus.NO_SHOW}
    assert statuses[MeetingStatus.HELD] > statuses[MeetingStatus.NO_SHOW]
    for meeting in held:
        people = {r.pk for r in meetings.participants_of(meeting.request)}
        if meeting.status == MeetingStatus.HELD:
            assert people <= present and meeting.missed_by == ""
        else:
            assert meeting.missed_by
        assert meeting.announced_at is not None and meeting.announced_at < event.starts_at
        assert event.starts_at <= meeting.slot.starts_at < event.ends_at
    participant = Registration.objects.get(event=event, person__user__username=DEMO_PARTICIPANT)
    assert participant.checked_in_at is not None


# --- the calendar ------------------------------------------------------------------------------


def test_the_calendar_has_other_kinds_past_and_upcoming_and_a_full_event_with_a_waiting_list(demo, client):
    now = timezone.now()
    others = Event.objects.exclude(kind=EventKind.BUSINESS_MATCHING)
    assert {EventKind.SEMINAR, EventKind.EXCHANGE_MEETING, EventKind.SYMPOSIUM} <= set(
        others.values_list("kind", flat=True)
    )
    assert others.filter(ends_at__lt=now).exists() and others.filter(starts_at__gt=now).exists()
    assert others.filter(clusters__code=TAMA_CLUSTER).exists() and others.exclude(clusters__code=TAMA_CLUSTER).exists()
    assert others.filter(ends_at__lt=now, registrations__checked_in_at__isnull=False).exists()
    full = [
        e
        for e in others.filter(starts_at__gt=now, capacity__isnull=False)
        if e.registrations.filter(status=RegistrationStatus.CONFIRMED).count() == e.capacity
    ]
    assert full and full[0].registrations.filter(status=RegistrationStatus.WAITLISTED).exists()
    upcoming = Event.objects.filter(starts_at__gt=now).order_by("starts_at")
    for language, title in (("ja", "title_ja"), ("en", "title_en")):
        with translation.override(language):
            page = client.get(reverse("events:event_list"))
        assert page.status_code == 200
        assert escape(getattr(upcoming.first(), title)) in page.content.decode()


def test_every_held_event_was_checked_in_on_its_day_not_on_the_day_of_the_load(demo):
    held = Event.objects.filter(ends_at__lt=timezone.now())
    assert held.exclude(kind=EventKind.BUSINESS_MATCHING).count() >= 2
    for event in held:
        checked_in = event.registrations.filter(checked_in_at__isnull=False)
        assert checked_in.exists(), event.title_en
        for registration in checked_in:
            assert registration.created_at < registration.checked_in_at < event.ends_at, event.title_en
            assert timezone.localdate(registration.checked_in_at) == timezone.localdate(event.starts_at)


def test_the_demo_mails_nobody(demo):
    assert RegistrationMail.objects.exists()
    assert not RegistrationMail.objects.filter(state=MailState.PENDING).exists()


def test_reset_removes_the_demo_events_and_the_same_seed_and_day_give_them_again(demo):
    past, upcoming = matching_events()

    def snapshot():
        return sorted(
            (p.registration.event.title_en, p.registration.person.name_en, p.offer, p.looking_for, p.language)
            for p in MarketplaceProfile.objects.select_related("registration__event", "registration__person")
        ), Counter(MeetingRequest.objects.values_list("event__title_en", "status", "mutual_interest"))

    before = snapshot()
    do_delete_demo()
    assert not Event.objects.exists() and not Registration.objects.exists()
    assert not get_user_model().objects.filter(username__startswith=MATCHING_USER_PREFIX).exists()
    do_load_demo(scale=DEMO_SCALE)
    assert snapshot() == before
