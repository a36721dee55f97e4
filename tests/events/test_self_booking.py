"""Self-booking mode: a participant's chosen slot and table obey the scheduler's rules."""

from __future__ import annotations

import pytest

from renkei.events.scheduling import InstanceError, Meeting, check_booking, compute_free_placements

from .scheduling_helpers import make_instance

SLOTS = ["09:00", "09:20", "09:40"]
INSTANCE = make_instance(
    SLOTS,
    {"T1": 1, "T2": 2},
    {"a": SLOTS, "b": ["09:00", "09:20"], "c": SLOTS, "d": ["09:40"]},
    [("ab", ["a", "b"], 1), ("ac", ["a", "c"], 1), ("cd", ["c", "d"], 1), ("bc", ["b", "c"], 1)],
)


def test_a_free_common_slot_can_be_booked():
    assert check_booking(INSTANCE, [], Meeting("ab", "09:00", "T1")) == []


def test_a_slot_where_a_participant_is_unavailable_is_refused():
    assert check_booking(INSTANCE, [], Meeting("ab", "09:40", "T1")) == ['participant "b" is not available at 09:40']


def test_double_booking_is_refused_and_names_the_other_meeting():
    booked = [Meeting("ab", "09:00", "T1")]
    assert check_booking(INSTANCE, booked, Meeting("ac", "09:00", "T2")) == [
        'participant "a" already meets at 09:00 (request "ab")'
    ]


def test_a_full_table_is_refused_but_another_table_is_fine():
    booked = [Meeting("ab", "09:00", "T1")]
    assert check_booking(INSTANCE, booked, Meeting("cd", "09:40", "T1")) == []
    booked.append(Meeting("cd", "09:40", "T1"))
    assert check_booking(INSTANCE, booked, Meeting("ac", "09:40", "T1")) == [
        'participant "c" already meets at 09:40 (request "cd")',
        'table "T1" is full at 09:40',
    ]


def test_booking_again_moves_the_request_instead_of_clashing_with_itself():
    booked = [Meeting("ab", "09:00", "T1")]
    assert check_booking(INSTANCE, booked, Meeting("ab", "09:20", "T1")) == []
    assert check_booking(INSTANCE, booked, Meeting("ab", "09:00", "T1")) == []


def test_unknown_request_slot_and_table_are_named():
    assert check_booking(INSTANCE, [], Meeting("zz", "10:00", "T9")) == [
        'request "zz" is unknown',
        'slot "10:00" is unknown',
        'table "T9" is unknown',
    ]


def test_free_placements_list_every_valid_slot_and_table():
    booked = [Meeting("ab", "09:00", "T1"), Meeting("cd", "09:40", "T2")]
    places = compute_free_placements(INSTANCE, booked, "ac")

    assert [(m.slot, m.table) for m in places] == [("09:20", "T1"), ("09:20", "T2")]
    for meeting in places:
        assert check_booking(INSTANCE, booked, meeting) == []


def test_free_placements_of_an_unknown_request_is_an_error():
    with pytest.raises(InstanceError, match='request "nope" is unknown'):
        compute_free_placements(INSTANCE, [], "nope")
