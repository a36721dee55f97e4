"""Scheduling the meetings of a business-matching event from its records: the organiser's
scheduler run (priorities, availability, table capacity, reasons for what is left out), late
changes that keep announced meetings in place, the announcement, the organiser's page, and
self-booking with the same rules, including two people racing for the last table on PostgreSQL."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from django.urls import reverse
from django.utils.translation import gettext as _

from renkei.events import marketplace, meetings, scheduling
from renkei.events.choices import MeetingStatus, RequestMode, SchedulingMode
from renkei.events.models import Meeting, MeetingRequest, Table
from tests.events.meeting_helpers import matching_event, participant, registered


def _accepted(event, requester, others, users):
    request = meetings.do_send_request(requester, event, others)
    if request.status != "accepted":
        meetings.do_accept_request(users[others[0].pk], request)
    request.refresh_from_db()
    return request


def _live(event):
    return Meeting.objects.filter(request__event=event).exclude(status=MeetingStatus.CANCELLED)


@pytest.fixture
def fair(cast, db):
    """Four participants at an organiser-scheduled event with 2 slots and one table."""
    event = matching_event(cast.cluster_a, slots=2, tables=1)
    users = {}
    regs = {}
    for name in ("aoki", "baba", "chiba", "doi"):
        user = participant(name)
        regs[name] = registered(user, event, offer=f"{name}の技術", looking_for="パートナー")
        users[regs[name].pk] = user
    return event, users, regs


def _user(users, registration):
    return users[registration.pk]


# --- the organiser's run ----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_scheduler_places_accepted_meetings_without_double_booking(cast, fair):
    event, users, regs = fair
    a, b, c, d = (regs[n] for n in ("aoki", "baba", "chiba", "doi"))
    first = _accepted(event, _user(users, a), [b], users)
    second = _accepted(event, _user(users, c), [d], users)
    third = _accepted(event, _user(users, a), [c], users)
    run = meetings.do_schedule_meetings(cast.hq_a, event)
    # one table, two slots: at most two meetings; nobody twice in a slot.
    assert run.placed == 2 and run.new == 2
    placed = list(_live(event))
    assert len(placed) == 2
    for slot in event.time_slots.all():
        people = [p.pk for m in placed if m.slot_id == slot.pk for p in meetings.participants_of(m.request)]
        assert len(people) == len(set(people))
    assert {item.request.pk for item in run.unscheduled} == {first.pk, second.pk, third.pk} - {
        m.request_id for m in placed
    }
    assert all(item.code == scheduling.CONFLICT for item in run.unscheduled)
    assert all(m.status == MeetingStatus.SCHEDULED for m in placed)


@pytest.mark.django_db
def test_mutual_interest_wins_the_last_place(cast):
    event = matching_event(cast.cluster_a, slots=1, tables=1)
    a, b, c = participant("aoki"), participant("baba"), participant("chiba")
    ra = registered(a, event, offer="x", looking_for="y")
    rb = registered(b, event, offer="y", looking_for="x")
    rc = registered(c, event, offer="z", looking_for="x")
    plain = meetings.do_send_request(c, event, [ra])
    meetings.do_accept_request(a, plain)
    meetings.do_send_request(b, event, [ra])
    mutual = meetings.do_send_request(a, event, [rb])
    assert mutual.mutual_interest
    run = meetings.do_schedule_meetings(cast.hq_a, event)
    assert [m.request_id for m in _live(event)] == [mutual.pk]
    assert [item.request.pk for item in run.unscheduled] == [plain.pk]
    assert rc.pk  # the plain request's requester stays unscheduled


@pytest.mark.django_db
def test_availability_and_the_reason_for_what_is_left_out(cast, fair):
    event, users, regs = fair
    a, b = regs["aoki"], regs["baba"]
    slots = list(event.time_slots.order_by("starts_at"))
    marketplace.do_set_availability(_user(users, a), event, [slots[0]])
    marketplace.do_set_availability(_user(users, b), event, [slots[1]])
    request = _accepted(event, _user(users, a), [b], users)
    run = meetings.do_schedule_meetings(cast.hq_a, event)
    assert run.placed == 0
    (item,) = run.unscheduled
    assert item.request == request and item.code == scheduling.NO_COMMON_SLOT
    assert item.explanation == _("The participants have no available slot in common.")


@pytest.mark.django_db
def test_table_capacity_is_meetings_per_slot(cast, fair):
    event, users, regs = fair
    Table.objects.filter(event=event).update(capacity=2)
    _accepted(event, _user(users, regs["aoki"]), [regs["baba"]], users)
    _accepted(event, _user(users, regs["chiba"]), [regs["doi"]], users)
    marketplace.do_set_availability(_user(users, regs["aoki"]), event, [event.time_slots.first()])
    marketplace.do_set_availability(_user(users, regs["chiba"]), event, [event.time_slots.first()])
    run = meetings.do_schedule_meetings(cast.hq_a, event)
    assert run.placed == 2
    assert {m.slot_id for m in _live(event)} == {event.time_slots.first().pk}


@pytest.mark.django_db
def test_pending_declined_and_cancelled_requests_are_not_scheduled(cast, fair):
    event, users, regs = fair
    meetings.do_send_request(_user(users, regs["aoki"]), event, [regs["baba"]])  # pending
    declined = meetings.do_send_request(_user(users, regs["chiba"]), event, [regs["doi"]])
    meetings.do_decline_request(_user(users, regs["doi"]), declined, reason="no")
    run = meetings.do_schedule_meetings(cast.hq_a, event)
    assert run.placed == 0 and run.unscheduled == []


@pytest.mark.django_db
def test_only_the_events_hq_runs_the_scheduler(cast, fair):
    event, users, regs = fair
    _accepted(event, _user(users, regs["aoki"]), [regs["baba"]], users)
    for outsider in (cast.hq_b, cast.coordinator_a, cast.national, _user(users, regs["aoki"])):
        with pytest.raises(PermissionDenied):
            meetings.do_schedule_meetings(outsider, event)
        with pytest.raises(PermissionDenied):
            meetings.do_announce_schedule(outsider, event)
    assert not Meeting.objects.exists()


@pytest.mark.django_db
def test_an_event_without_tables_is_refused_with_a_clear_message(cast):
    event = matching_event(cast.cluster_a, tables=0)
    with pytest.raises(ValidationError) as error:
        meetings.do_schedule_meetings(cast.hq_a, event)
    assert len(error.value.messages) == 1
    assert error.value.messages == [_("Add the event's tables first.")]


@pytest.mark.django_db
def test_in_self_booking_mode_the_organiser_does_not_run_the_scheduler(cast):
    event = matching_event(cast.cluster_a, scheduling_mode=SchedulingMode.SELF_BOOKING)
    with pytest.raises(ValidationError) as error:
        meetings.do_schedule_meetings(cast.hq_a, event)
    assert error.value.code == "self_booking"


# --- late changes ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_late_request_is_placed_without_moving_announced_meetings(cast, fair):
    event, users, regs = fair
    first = _accepted(event, _user(users, regs["aoki"]), [regs["baba"]], users)
    meetings.do_schedule_meetings(cast.hq_a, event)
    assert meetings.do_announce_schedule(cast.hq_a, event) == 1
    announced = first.meetings.get()
    assert announced.status == MeetingStatus.ANNOUNCED and announced.announced_at is not None
    late = _accepted(event, _user(users, regs["chiba"]), [regs["doi"]], users)
    run = meetings.do_schedule_meetings(cast.hq_a, event)
    assert run.kept == 1 and run.new == 1 and run.moved == 0
    again = first.meetings.get()
    assert (again.slot_id, again.table_id, again.status) == (
        announced.slot_id,
        announced.table_id,
        MeetingStatus.ANNOUNCED,
    )
    assert late.meetings.get().slot_id != announced.slot_id


@pytest.mark.django_db
def test_announced_meetings_move_only_when_the_organiser_allows_it(cast, fair):
    event, users, regs = fair
    slots = list(event.time_slots.order_by("starts_at"))
    first = _accepted(event, _user(users, regs["aoki"]), [regs["baba"]], users)
    meetings.do_schedule_meetings(cast.hq_a, event)
    meetings.do_announce_schedule(cast.hq_a, event)
    announced = first.meetings.get()
    # A late request whose people can meet only in the announced meeting's slot.
    marketplace.do_set_availability(_user(users, regs["chiba"]), event, [announced.slot])
    marketplace.do_set_availability(_user(users, regs["doi"]), event, [announced.slot])
    late = _accepted(event, _user(users, regs["chiba"]), [regs["doi"]], users)
    kept = meetings.do_schedule_meetings(cast.hq_a, event)
    assert [item.request for item in kept.unscheduled] == [late]
    assert first.meetings.get().slot_id == announced.slot_id
    moved = meetings.do_schedule_meetings(cast.hq_a, event, allow_moves=True)
    assert moved.placed == 2 and moved.moved == 1
    after = first.meetings.get()
    assert after.slot_id == next(s.pk for s in slots if s.pk != announced.slot_id)
    assert after.status == MeetingStatus.SCHEDULED  # to be announced again
    assert late.meetings.get().slot_id == announced.slot_id


@pytest.mark.django_db
def test_a_cancellation_frees_the_place_for_the_next_run(cast, cast_event_with_three_requests):
    event, users, requests = cast_event_with_three_requests
    meetings.do_schedule_meetings(cast.hq_a, event)
    meetings.do_announce_schedule(cast.hq_a, event)
    placed = {m.request_id for m in _live(event)}
    left_out = [r for r in requests if r.pk not in placed]
    assert len(left_out) == 1
    cancelled = next(r for r in requests if r.pk in placed)
    meetings.do_cancel_request(users[cancelled.requester_id], cancelled)
    assert cancelled.meetings.get().status == MeetingStatus.CANCELLED
    run = meetings.do_schedule_meetings(cast.hq_a, event)
    assert run.new == 1 and run.moved == 0
    assert left_out[0].meetings.filter(status=MeetingStatus.SCHEDULED).exists()


@pytest.fixture
def cast_event_with_three_requests(cast, db):
    """One slot, two tables, three disjoint accepted requests: one cannot be placed."""
    event = matching_event(cast.cluster_a, slots=1, tables=2)
    users, requests = {}, []
    for n in range(3):
        one, two = participant(f"p{n}a"), participant(f"p{n}b")
        ra = registered(one, event, offer="x", looking_for="y")
        rb = registered(two, event, offer="y", looking_for="x")
        users[ra.pk], users[rb.pk] = one, two
        requests.append(_accepted(event, one, [rb], users))
    return event, users, requests


# --- the organiser's page -------------------------------------------------------------------


@pytest.mark.django_db
def test_the_organiser_runs_the_scheduler_sees_the_grid_and_announces(cast, fair, client_for):
    event, users, regs = fair
    _accepted(event, _user(users, regs["aoki"]), [regs["baba"]], users)
    client = client_for(cast.hq_a)
    url = reverse("events:event_meetings", args=[event.pk])
    page = client.post(url, {"allow_moves": ""})
    body = page.content.decode()
    assert page.status_code == 200 and 'id="run-result"' in body and 'id="announce"' in body
    assert "baba" in body.lower()
    client.post(reverse("events:event_meetings_announce", args=[event.pk]))
    assert _live(event).get().status == MeetingStatus.ANNOUNCED
    participant_page = client_for(_user(users, regs["baba"])).get(reverse("events:meeting_requests", args=[event.pk]))
    assert "T1" in participant_page.content.decode()


@pytest.mark.django_db
def test_staff_of_the_cluster_read_the_grid_but_do_not_run_it(cast, fair, client_for):
    event, users, regs = fair
    _accepted(event, _user(users, regs["aoki"]), [regs["baba"]], users)
    url = reverse("events:event_meetings", args=[event.pk])
    assert client_for(cast.coordinator_a).get(url).status_code == 200
    assert client_for(cast.coordinator_a).post(url, {}).status_code == 403
    assert client_for(cast.hq_b).get(url).status_code == 403
    assert client_for(_user(users, regs["aoki"])).get(url).status_code == 403
    assert not Meeting.objects.exists()


@pytest.mark.django_db
def test_the_organisers_page_in_english(cast, fair, client_for, english):
    event, users, regs = fair
    page = client_for(cast.hq_a).get(reverse("events:event_meetings", args=[event.pk]))
    assert "Run the scheduler" in page.content.decode()


# --- self-booking ------------------------------------------------------------------------------


@pytest.fixture
def booking_fair(cast, db):
    event = matching_event(
        cast.cluster_a,
        slots=2,
        tables=1,
        request_mode=RequestMode.AUTOMATIC,
        scheduling_mode=SchedulingMode.SELF_BOOKING,
    )
    users, regs = {}, {}
    for name in ("aoki", "baba", "chiba", "doi"):
        user = participant(name)
        regs[name] = registered(user, event, offer=f"{name}の技術", looking_for="パートナー")
        users[name] = user
    return event, users, regs


@pytest.mark.django_db
def test_participants_book_a_free_common_slot_and_get_a_table(booking_fair):
    event, users, regs = booking_fair
    request = meetings.do_send_request(users["aoki"], event, [regs["baba"]])
    places = meetings.compute_booking_places(users["baba"], request)
    assert [p.slot for p in places] == list(event.time_slots.order_by("starts_at"))
    meeting = meetings.do_book_meeting(users["baba"], request, places[0].slot)
    assert meeting.table.name == "T1" and meeting.status == MeetingStatus.ANNOUNCED
    # booking again moves the meeting
    moved = meetings.do_book_meeting(users["aoki"], request, places[1].slot)
    assert moved.pk == meeting.pk and _live(event).get().slot == places[1].slot


@pytest.mark.django_db
def test_self_booking_refuses_a_double_booking_and_a_full_table(booking_fair):
    event, users, regs = booking_fair
    slot = event.time_slots.order_by("starts_at").first()
    first = meetings.do_send_request(users["aoki"], event, [regs["baba"]])
    meetings.do_book_meeting(users["aoki"], first, slot)
    with_aoki = meetings.do_send_request(users["chiba"], event, [regs["aoki"]])
    with pytest.raises(ValidationError) as error:
        meetings.do_book_meeting(users["chiba"], with_aoki, slot)
    assert error.value.code == "taken"
    others = meetings.do_send_request(users["chiba"], event, [regs["doi"]])
    with pytest.raises(ValidationError):
        meetings.do_book_meeting(users["doi"], others, slot)  # the only table is taken
    assert _live(event).count() == 1
    assert slot not in [p.slot for p in meetings.compute_booking_places(users["doi"], others)]


@pytest.mark.django_db
def test_self_booking_respects_availability(booking_fair):
    event, users, regs = booking_fair
    first, second = event.time_slots.order_by("starts_at")
    marketplace.do_set_availability(users["baba"], event, [second])
    request = meetings.do_send_request(users["aoki"], event, [regs["baba"]])
    assert [p.slot for p in meetings.compute_booking_places(users["aoki"], request)] == [second]
    with pytest.raises(ValidationError):
        meetings.do_book_meeting(users["aoki"], request, first)
    assert not Meeting.objects.exists()


@pytest.mark.django_db
def test_only_the_meetings_participants_book_and_only_accepted_requests(cast, booking_fair):
    event, users, regs = booking_fair
    slot = event.time_slots.first()
    request = meetings.do_send_request(users["aoki"], event, [regs["baba"]])
    for outsider in (users["chiba"], cast.hq_a):
        with pytest.raises(PermissionDenied):
            meetings.do_book_meeting(outsider, request, slot)
    meetings.do_cancel_request(users["aoki"], request)
    with pytest.raises(ValidationError):
        meetings.do_book_meeting(users["baba"], request, slot)
    assert not Meeting.objects.exists()


@pytest.mark.django_db
def test_organiser_mode_has_no_self_booking(cast, fair):
    event, users, regs = fair
    request = _accepted(event, _user(users, regs["aoki"]), [regs["baba"]], users)
    with pytest.raises(ValidationError) as error:
        meetings.do_book_meeting(_user(users, regs["aoki"]), request, event.time_slots.first())
    assert error.value.code == "organiser_mode"


@pytest.mark.django_db
def test_booking_through_the_page(booking_fair, client_for):
    event, users, regs = booking_fair
    request = meetings.do_send_request(users["aoki"], event, [regs["baba"]])
    client = client_for(users["baba"])
    url = reverse("events:meeting_book", args=[request.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'id="booking-form"' in page.content.decode()
    slot = event.time_slots.order_by("starts_at").last()
    assert client.post(url, {"slot": slot.pk}).status_code == 302
    assert _live(event).get().slot == slot
    assert client_for(users["chiba"]).get(url).status_code == 404


# --- two people racing for the last table (PostgreSQL) ---------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a server database")
def test_two_bookings_for_the_last_table_book_exactly_one(cast):
    event = matching_event(
        cast.cluster_a,
        slots=1,
        tables=1,
        request_mode=RequestMode.AUTOMATIC,
        scheduling_mode=SchedulingMode.SELF_BOOKING,
    )
    users = [participant(name) for name in ("aoki", "baba", "chiba", "doi")]
    regs = [registered(user, event, offer="x", looking_for="y") for user in users]
    requests = [
        meetings.do_send_request(users[0], event, [regs[1]]),
        meetings.do_send_request(users[2], event, [regs[3]]),
    ]
    slot = event.time_slots.get()
    start = threading.Barrier(2)
    outcomes: list[object] = []

    def book(user, request) -> None:
        try:
            start.wait(timeout=10)
            outcomes.append(meetings.do_book_meeting(user, request, slot))
        except ValidationError as error:
            outcomes.append(error)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            outcomes.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=book, args=(users[0], requests[0])),
        threading.Thread(target=book, args=(users[2], requests[1])),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(type(o).__name__ for o in outcomes) == ["Meeting", "ValidationError"]
    assert Meeting.objects.filter(request__event=event).count() == 1
    assert MeetingRequest.objects.filter(event=event).count() == 2
