"""Self-booking: participants pick a free common slot themselves, under the scheduler's rules.

In the "participants book" scheduling mode the web asks ``compute_free_placements`` for the
places a request may take, and checks the chosen one with ``check_booking`` (inside the
transaction that saves it) so two people racing for the last seat cannot both win. The rules
are the solver's: every participant available, nobody in two meetings of one slot, no table
over capacity.
"""

from __future__ import annotations

from collections.abc import Iterable

from .instance import Instance, InstanceError, Meeting, check_instance
from .solver import Board


def _board(instance: Instance, booked: Iterable[Meeting], except_request: str) -> Board:
    """Occupancy of the booked meetings, leaving out ``except_request`` (a re-booking moves it)."""
    board = Board(instance)
    tables = {table.id for table in instance.tables}
    errors = []
    for meeting in booked:
        if meeting.request == except_request:
            continue
        request = board.requests.get(meeting.request)
        if request is None or meeting.slot not in board.free or meeting.table not in tables:
            errors.append(f'booked meeting of request "{meeting.request}" names an unknown request, slot or table')
            continue
        board.place(request, meeting.slot, meeting.table)
    if errors:
        raise InstanceError(errors)
    return board


def check_booking(instance: Instance, booked: Iterable[Meeting], meeting: Meeting) -> list[str]:
    """Why ``meeting`` cannot be booked next to ``booked`` (empty list: it can).

    A booked meeting of the same request is ignored: booking again moves it.
    Raises ``InstanceError`` when the instance itself (or a booked meeting) is invalid.
    """
    instance = check_instance(instance)
    board = _board(instance, booked, except_request=meeting.request)
    request = board.requests.get(meeting.request)
    problems = []
    if request is None:
        problems.append(f'request "{meeting.request}" is unknown')
    if meeting.slot not in board.free:
        problems.append(f'slot "{meeting.slot}" is unknown')
    tables = {table.id: table for table in instance.tables}
    if meeting.table not in tables:
        problems.append(f'table "{meeting.table}" is unknown')
    if problems or request is None:
        return problems
    available = {person.id: set(person.available) for person in instance.participants}
    for person in request.participants:
        if meeting.slot not in available[person]:
            problems.append(f'participant "{person}" is not available at {meeting.slot}')
        elif (person, meeting.slot) in board.busy:
            other = board.busy[(person, meeting.slot)]
            problems.append(f'participant "{person}" already meets at {meeting.slot} (request "{other}")')
    if board.free[meeting.slot][meeting.table] <= 0:
        problems.append(f'table "{meeting.table}" is full at {meeting.slot}')
    return problems


def compute_free_placements(instance: Instance, booked: Iterable[Meeting], request_id: str) -> list[Meeting]:
    """Every (slot, table) the request could be booked at now, in slot and table order."""
    instance = check_instance(instance)
    board = _board(instance, booked, except_request=request_id)
    request = board.requests.get(request_id)
    if request is None:
        raise InstanceError([f'request "{request_id}" is unknown'])
    available = {person.id: set(person.available) for person in instance.participants}
    places = []
    for slot in instance.slots:
        if not all(slot in available[person] for person in request.participants):
            continue
        if not board.people_free(request, slot):
            continue
        places.extend(
            Meeting(request=request_id, slot=slot, table=table_id)
            for table_id, left in board.free[slot].items()
            if left > 0
        )
    return places
