"""A scheduling instance from JSON: every bad entry is named, extra keys are ignored."""

from __future__ import annotations

import json

import pytest

from renkei.events.scheduling import Instance, InstanceError, Meeting, check_instance, load_instance, parse_instance

VALID = {
    "slots": ["09:00", "09:20"],
    "tables": [{"id": "T1", "capacity": 2}, {"id": "T2"}],
    "participants": [
        {"id": "p1", "available": ["09:00", "09:20"], "name": "Kyushu Semiconductor"},
        {"id": "p2", "available": ["09:00"]},
        {"id": "p3", "available": ["09:20"]},
    ],
    "requests": [{"id": "r1", "participants": ["p1", "p2"], "priority": 3}, {"id": "r2", "participants": ["p1", "p3"]}],
    "event": "Kyushu business matching 2025",
}


def with_changes(**changes) -> dict:
    data = json.loads(json.dumps(VALID))
    data.update(changes)
    return data


def errors_of(data) -> list[str]:
    with pytest.raises(InstanceError) as caught:
        parse_instance(data)
    return caught.value.errors


def test_a_valid_instance_parses_with_defaults_and_ignores_extra_keys():
    instance = parse_instance(VALID)

    assert isinstance(instance, Instance)
    assert instance.slots == ("09:00", "09:20")
    assert [(t.id, t.capacity) for t in instance.tables] == [("T1", 2), ("T2", 1)]
    assert instance.requests[1].priority == 1
    assert instance.fixed == ()
    assert instance.allow_moves is False


def test_fixed_meetings_and_allow_moves_are_read():
    instance = parse_instance(with_changes(fixed=[{"request": "r1", "slot": "09:00", "table": "T1"}], allow_moves=True))
    assert instance.fixed == (Meeting(request="r1", slot="09:00", table="T1"),)
    assert instance.allow_moves is True


def test_unknown_ids_are_named():
    data = with_changes(
        participants=[{"id": "p1", "available": ["09:00", "10:00"]}, {"id": "p2", "available": []}],
        requests=[{"id": "r1", "participants": ["p1", "p9"]}],
        fixed=[{"request": "r1", "slot": "11:00", "table": "T1"}, {"request": "r1", "slot": "09:00", "table": "T7"}],
    )
    errors = errors_of(data)
    assert 'participants[0] (id "p1"): available slot "10:00" is not one of the slots' in errors
    assert 'requests[0] (id "r1"): participant "p9" is unknown' in errors


def test_unknown_slot_or_table_of_an_announced_meeting_is_named():
    data = with_changes(fixed=[{"request": "r1", "slot": "11:00", "table": "T1"}])
    assert errors_of(data) == ['fixed[0] (request "r1"): slot "11:00" is unknown']
    data = with_changes(fixed=[{"request": "r1", "slot": "09:00", "table": "T7"}])
    assert errors_of(data) == ['fixed[0] (request "r1"): table "T7" is unknown']


def test_duplicate_ids_are_named():
    data = with_changes(
        slots=["09:00", "09:00"],
        tables=[{"id": "T1"}, {"id": "T1"}],
        participants=[{"id": "p1", "available": []}, {"id": "p1", "available": []}, {"id": "p2", "available": []}],
        requests=[{"id": "r1", "participants": ["p1", "p2"]}, {"id": "r1", "participants": ["p1", "p2"]}],
    )
    assert errors_of(data) == [
        'slots[1]: duplicate id "09:00"',
        'tables[1]: duplicate id "T1"',
        'participants[1]: duplicate id "p1"',
        'requests[1]: duplicate id "r1"',
    ]


def test_a_request_needs_two_different_participants():
    data = with_changes(
        requests=[
            {"id": "alone", "participants": ["p1"]},
            {"id": "self", "participants": ["p1", "p1"]},
            {"id": "colleague-twice", "participants": ["p1", "p2", "p2"]},
        ]
    )
    assert errors_of(data) == [
        'requests[0] (id "alone"): a meeting needs at least two different participants',
        'requests[1] (id "self"): a meeting needs at least two different participants',
        'requests[2] (id "colleague-twice"): a participant is listed twice',
    ]


def test_wrong_types_are_named():
    data = with_changes(
        slots=["09:00", 920],
        tables=[{"id": 1, "capacity": "2"}, "T2"],
        participants=[{"id": "p1", "available": "09:00"}],
        requests=[
            {"id": "r1", "participants": ["p1", "p2"], "priority": 2.5},
            {"id": "r2", "participants": ["p1", "p2"], "priority": True},
        ],
        fixed={"request": "r1"},
        allow_moves="yes",
    )
    assert errors_of(data) == [
        "slots[1]: must be a string id, not a number",
        "tables[0].id: must be a string, not a number",
        "tables[0].capacity: must be an integer, not a string",
        "tables[1]: must be an object, not a string",
        "participants[0].available: must be a list, not a string",
        "requests[0].priority: must be an integer, not a number",
        "requests[1].priority: must be an integer, not true/false",
        "fixed: must be a list, not an object",
        "allow_moves: must be true or false, not a string",
    ]


def test_missing_keys_are_named():
    assert errors_of({"slots": ["09:00"], "tables": [{"capacity": 1}], "participants": [{"id": "p1"}]}) == [
        'tables[0]: missing key "id"',
        'participants[0]: missing key "available"',
        'the instance: missing key "requests"',
    ]


def test_values_out_of_range_are_named():
    data = with_changes(
        tables=[{"id": "T1", "capacity": 0}],
        requests=[{"id": "r1", "participants": ["p1", "p2"], "priority": 0}],
    )
    assert errors_of(data) == [
        'tables[0] (id "T1"): capacity must be at least 1, not 0',
        'requests[0] (id "r1"): priority must be between 1 and 1000, not 0',
    ]
    assert errors_of(with_changes(slots=[], tables=[])) == [
        "slots: the event needs at least one slot",
        "tables: the event needs at least one table",
        'participants[0] (id "p1"): available slot "09:00" is not one of the slots',
        'participants[0] (id "p1"): available slot "09:20" is not one of the slots',
        'participants[1] (id "p2"): available slot "09:00" is not one of the slots',
        'participants[2] (id "p3"): available slot "09:20" is not one of the slots',
    ]


def test_announced_meetings_that_clash_are_refused():
    data = with_changes(
        tables=[{"id": "T1", "capacity": 1}],
        participants=[{"id": p, "available": ["09:00", "09:20"]} for p in ("p1", "p2", "p3", "p4")],
        requests=[
            {"id": "r1", "participants": ["p1", "p2"]},
            {"id": "r2", "participants": ["p1", "p3"]},
            {"id": "r3", "participants": ["p3", "p4"]},
        ],
        fixed=[
            {"request": "r1", "slot": "09:00", "table": "T1"},
            {"request": "r1", "slot": "09:20", "table": "T1"},
            {"request": "r2", "slot": "09:20", "table": "T1"},
            {"request": "r3", "slot": "09:20", "table": "T1"},
        ],
    )
    assert errors_of(data) == [
        'fixed[1] (request "r1"): the request is announced twice',
        'fixed[3] (request "r3"): table "T1" is already full at 09:20',
        'fixed[3] (request "r3"): participant "p3" already meets at 09:20 (request "r2")',
    ]


def test_an_announced_meeting_of_a_cancelled_request_drops_out():
    instance = parse_instance(
        with_changes(
            fixed=[
                {"request": "gone", "slot": "09:00", "table": "T1"},
                {"request": "r1", "slot": "09:00", "table": "T1"},
            ]
        )
    )
    assert [m.request for m in instance.fixed] == ["gone", "r1"]
    assert [m.request for m in check_instance(instance).fixed] == ["r1"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (b'{"slots": [', "not valid JSON: Expecting value at line 1, column 12"),
        (b"[1, 2]", "the instance must be a JSON object, not a list"),
        (b'{"slots": ["\x82\xa0"]}', "the file is not UTF-8 (byte 13); save it as UTF-8 JSON"),
    ],
)
def test_malformed_files_get_a_clear_message(text, message):
    with pytest.raises(InstanceError) as caught:
        load_instance(text)
    assert caught.value.errors == [message]


def test_a_utf8_file_with_japanese_ids_and_a_bom_loads():
    data = with_changes(tables=[{"id": "会議室A"}])
    instance = load_instance(b"\xef\xbb\xbf" + json.dumps(data, ensure_ascii=False).encode("utf-8"))
    assert instance.tables[0].id == "会議室A"


def test_the_message_lists_problems_one_per_line():
    with pytest.raises(InstanceError) as caught:
        parse_instance(with_changes(requests=[{"id": "r1", "participants": ["p1", "p8", "p9"]}]))
    assert str(caught.value) == (
        "invalid instance (2 problems):\n"
        '  - requests[0] (id "r1"): participant "p8" is unknown\n'
        '  - requests[0] (id "r1"): participant "p9" is unknown'
    )
