"""Independent checks of a schedule, and an exhaustive solver for small instances.

Written apart from the scheduler on purpose: they share no code with it, so a bug there
cannot hide itself here.
"""

from __future__ import annotations

from collections import Counter

from renkei.events.scheduling import Instance, Meeting, MeetingRequest, Participant, Schedule, Table


def make_instance(
    slots: list[str],
    tables: dict[str, int],
    available: dict[str, list[str]],
    requests: list[tuple[str, list[str], int]],
    fixed: list[tuple[str, str, str]] = (),  # type: ignore[assignment]
    allow_moves: bool = False,
) -> Instance:
    return Instance(
        slots=tuple(slots),
        tables=tuple(Table(id=table_id, capacity=capacity) for table_id, capacity in tables.items()),
        participants=tuple(Participant(id=person, available=tuple(slots_)) for person, slots_ in available.items()),
        requests=tuple(
            MeetingRequest(id=request_id, participants=tuple(people), priority=priority)
            for request_id, people, priority in requests
        ),
        fixed=tuple(Meeting(request=r, slot=s, table=t) for r, s, t in fixed),
        allow_moves=allow_moves,
    )


def assert_valid_schedule(instance: Instance, schedule: Schedule) -> None:
    """Every rule, checked from scratch: availability, no double booking, capacity, once per request."""
    requests = {request.id: request for request in instance.requests}
    available = {person.id: set(person.available) for person in instance.participants}
    capacity = {table.id: table.capacity for table in instance.tables}
    placed = Counter(meeting.request for meeting in schedule.meetings)
    assert all(count == 1 for count in placed.values()), placed
    seats = Counter((meeting.slot, meeting.table) for meeting in schedule.meetings)
    for (slot, table), used in seats.items():
        assert slot in instance.slots
        assert used <= capacity[table], f"table {table} holds {used} meetings at {slot}"
    booked: set[tuple[str, str]] = set()
    for meeting in schedule.meetings:
        for person in requests[meeting.request].participants:
            assert meeting.slot in available[person], f"{person} is not available at {meeting.slot}"
            assert (person, meeting.slot) not in booked, f"{person} is double-booked at {meeting.slot}"
            booked.add((person, meeting.slot))
    unscheduled = [entry.request for entry in schedule.unscheduled]
    assert len(unscheduled) == len(set(unscheduled))
    assert set(unscheduled) | set(placed) == set(requests)
    assert not set(unscheduled) & set(placed)
    assert schedule.stats.objective == sum(requests[request_id].priority for request_id in placed)
    assert schedule.stats.objective <= schedule.stats.bound


def brute_force_optimum(instance: Instance) -> int:
    """The best total priority over every assignment of every request to a (slot, table) or nothing."""
    available = {person.id: set(person.available) for person in instance.participants}
    requests = list(instance.requests)
    best = 0

    def search(index: int, value: int, busy: set[tuple[str, str]], used: Counter[tuple[str, str]]) -> None:
        nonlocal best
        if value + sum(request.priority for request in requests[index:]) <= best:
            return
        if index == len(requests):
            best = value
            return
        request = requests[index]
        for slot in instance.slots:
            if not all(slot in available[person] for person in request.participants):
                continue
            if any((person, slot) in busy for person in request.participants):
                continue
            for table in instance.tables:
                if used[(slot, table.id)] >= table.capacity:
                    continue
                used[(slot, table.id)] += 1
                people = {(person, slot) for person in request.participants}
                search(index + 1, value + request.priority, busy | people, used)
                used[(slot, table.id)] -= 1
        search(index + 1, value, busy, used)

    search(0, 0, set(), Counter())
    return best
