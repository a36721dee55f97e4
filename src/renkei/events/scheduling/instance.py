"""The scheduling instance and its result as plain dataclasses, and their JSON form.

An instance is what the organiser's scheduler needs to know about one business-matching event:
its time slots, its tables (how many meetings each holds per slot), the participants with the
slots they are available, the accepted meeting requests, and optionally the meetings already
announced ("fixed"). The web builds an ``Instance`` from its models; the command line parses
one from JSON with ``parse_instance``. Both go through ``check_instance``, so the same entry
is refused with the same message whichever way it came in.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

MAX_PRIORITY = 1000
MAX_ERRORS_SHOWN = 20


class InstanceError(ValueError):
    """The instance cannot be scheduled; ``errors`` lists every problem, each naming its entry."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = list(errors)
        shown = self.errors[:MAX_ERRORS_SHOWN]
        more = len(self.errors) - len(shown)
        lines = [f"  - {error}" for error in shown]
        if more:
            lines.append(f"  … and {more} more")
        noun = "problem" if len(self.errors) == 1 else "problems"
        super().__init__(f"invalid instance ({len(self.errors)} {noun}):\n" + "\n".join(lines))


@dataclass(frozen=True, slots=True)
class Table:
    """A table or room; ``capacity`` = how many meetings it holds in one slot."""

    id: str
    capacity: int = 1


@dataclass(frozen=True, slots=True)
class Participant:
    """A person (or a company's delegation) who meets; ``available`` = the slot ids they can attend."""

    id: str
    available: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MeetingRequest:
    """An accepted request for one meeting of two or more participants; higher priority matters more."""

    id: str
    participants: tuple[str, ...]
    priority: int = 1


@dataclass(frozen=True, slots=True)
class Meeting:
    """A request placed at a slot and a table (also the form of an announced, "fixed" meeting)."""

    request: str
    slot: str
    table: str


@dataclass(frozen=True, slots=True)
class Instance:
    slots: tuple[str, ...]
    tables: tuple[Table, ...]
    participants: tuple[Participant, ...]
    requests: tuple[MeetingRequest, ...]
    fixed: tuple[Meeting, ...] = ()
    # False: announced meetings stay exactly where they are; True: they still happen, but may move.
    allow_moves: bool = False


# Why a request could not be placed; the codes are stable (the web translates them), the
# reason text is the English explanation written to the JSON output.
NO_AVAILABLE_SLOT = "no_available_slot"
NO_COMMON_SLOT = "no_common_slot"
CONFLICT = "conflict"


@dataclass(frozen=True, slots=True)
class Unscheduled:
    request: str
    code: str
    reason: str


@dataclass(frozen=True, slots=True)
class SolveStats:
    """How the solver ended. ``objective`` and ``bound`` are in priority units (sum of priorities)."""

    status: str  # "optimal", "feasible" (time limit reached) or "greedy" (baseline, no solver)
    objective: int
    bound: int
    wall_seconds: float
    variables: int = 0
    # Which LP relaxation was solved for a bound and a starting schedule: "simplex" (GLOP),
    # "first-order" (PDLP, when the simplex ran out of time) or "" (none: the greedy schedule was
    # already optimal, no time was left, or the "table" formulation, which skips the LP step).
    relaxation: str = ""


@dataclass(frozen=True, slots=True)
class Schedule:
    meetings: tuple[Meeting, ...]
    unscheduled: tuple[Unscheduled, ...]
    stats: SolveStats
    # Announced meetings whose request is no longer in the instance (a cancellation): dropped.
    dropped_fixed: tuple[str, ...] = field(default=())


# --- checks on the dataclasses -------------------------------------------------------------


def check_instance(instance: Instance) -> Instance:
    """Validate references and rules; return the instance without announced meetings of cancelled requests.

    Raises ``InstanceError`` listing every problem: duplicate ids, unknown slot / table /
    participant / request ids, requests with fewer than two participants, capacities and
    priorities out of range, and announced meetings that clash with each other (or, unless
    moves are allowed, with a participant's availability).
    """
    errors: list[str] = []
    slots = _unique(instance.slots, "slots", lambda slot: slot, errors)
    if not instance.slots:
        errors.append("slots: the event needs at least one slot")
    for index, slot in enumerate(instance.slots):
        if not slot.strip():
            errors.append(f"slots[{index}]: a slot id cannot be empty")
    tables = {table.id: table for table in instance.tables}
    _unique(instance.tables, "tables", lambda table: table.id, errors)
    if not instance.tables:
        errors.append("tables: the event needs at least one table")
    for index, table in enumerate(instance.tables):
        if table.capacity < 1:
            errors.append(f'tables[{index}] (id "{table.id}"): capacity must be at least 1, not {table.capacity}')
    participants = {person.id: person for person in instance.participants}
    _unique(instance.participants, "participants", lambda person: person.id, errors)
    for index, person in enumerate(instance.participants):
        where = f'participants[{index}] (id "{person.id}")'
        for slot in person.available:
            if slot not in slots:
                errors.append(f'{where}: available slot "{slot}" is not one of the slots')
    requests = {request.id: request for request in instance.requests}
    _unique(instance.requests, "requests", lambda request: request.id, errors)
    for index, request in enumerate(instance.requests):
        where = f'requests[{index}] (id "{request.id}")'
        if len(set(request.participants)) < 2:
            errors.append(f"{where}: a meeting needs at least two different participants")
        elif len(set(request.participants)) != len(request.participants):
            errors.append(f"{where}: a participant is listed twice")
        for person in request.participants:
            if person not in participants:
                errors.append(f'{where}: participant "{person}" is unknown')
        if not 1 <= request.priority <= MAX_PRIORITY:
            errors.append(f"{where}: priority must be between 1 and {MAX_PRIORITY}, not {request.priority}")
    if errors:
        raise InstanceError(errors)

    kept = tuple(meeting for meeting in instance.fixed if meeting.request in requests)
    _check_fixed(instance, slots, tables, participants, requests, errors)
    if errors:
        raise InstanceError(errors)
    if len(kept) == len(instance.fixed):
        return instance
    return Instance(
        slots=instance.slots,
        tables=instance.tables,
        participants=instance.participants,
        requests=instance.requests,
        fixed=kept,
        allow_moves=instance.allow_moves,
    )


def dropped_fixed(instance: Instance) -> tuple[str, ...]:
    """Request ids of announced meetings whose request is gone (cancelled)."""
    requests = {request.id for request in instance.requests}
    return tuple(meeting.request for meeting in instance.fixed if meeting.request not in requests)


def _check_fixed(
    instance: Instance,
    slots: set[str],
    tables: dict[str, Table],
    participants: dict[str, Participant],
    requests: dict[str, MeetingRequest],
    errors: list[str],
) -> None:
    seen: set[str] = set()
    table_use: dict[tuple[str, str], int] = {}
    busy: dict[tuple[str, str], str] = {}
    for index, meeting in enumerate(instance.fixed):
        if meeting.request not in requests:
            continue  # a cancelled request: its announced meeting simply drops out
        where = f'fixed[{index}] (request "{meeting.request}")'
        if meeting.request in seen:
            errors.append(f"{where}: the request is announced twice")
            continue
        seen.add(meeting.request)
        if meeting.slot not in slots:
            errors.append(f'{where}: slot "{meeting.slot}" is unknown')
            continue
        if meeting.table not in tables:
            errors.append(f'{where}: table "{meeting.table}" is unknown')
            continue
        key = (meeting.slot, meeting.table)
        table_use[key] = table_use.get(key, 0) + 1
        if table_use[key] > tables[meeting.table].capacity:
            errors.append(f'{where}: table "{meeting.table}" is already full at {meeting.slot}')
        for person in requests[meeting.request].participants:
            other = busy.get((person, meeting.slot))
            if other is not None:
                errors.append(f'{where}: participant "{person}" already meets at {meeting.slot} (request "{other}")')
            busy[(person, meeting.slot)] = meeting.request
            if not instance.allow_moves and meeting.slot not in participants[person].available:
                errors.append(
                    f'{where}: participant "{person}" is not available at {meeting.slot} '
                    "(update the availability, drop the meeting, or allow moves)"
                )


def _unique(items: Any, name: str, key: Any, errors: list[str]) -> set[str]:
    seen: set[str] = set()
    for index, item in enumerate(items):
        value = key(item)
        if value in seen:
            errors.append(f'{name}[{index}]: duplicate id "{value}"')
        seen.add(value)
    return seen


# --- JSON ----------------------------------------------------------------------------------


def parse_instance(data: object) -> Instance:
    """Build and check an ``Instance`` from decoded JSON; unknown keys are ignored.

    Raises ``InstanceError`` naming every bad entry (wrong type, missing key, and all that
    ``check_instance`` refuses)."""
    errors: list[str] = []
    if not isinstance(data, Mapping):
        raise InstanceError([f"the instance must be a JSON object, not {_json_type(data)}"])
    slots = _strings(_get(data, "slots", list, "", errors), "slots", errors)
    tables: list[Table] = []
    for index, item in enumerate(_get(data, "tables", list, "", errors) or []):
        where = f"tables[{index}]"
        if not _is_object(item, where, errors):
            continue
        table_id = _get(item, "id", str, where, errors)
        capacity = _get(item, "capacity", int, where, errors, default=1)
        if table_id is not None and capacity is not None:
            tables.append(Table(id=table_id, capacity=capacity))
    participants: list[Participant] = []
    for index, item in enumerate(_get(data, "participants", list, "", errors) or []):
        where = f"participants[{index}]"
        if not _is_object(item, where, errors):
            continue
        person_id = _get(item, "id", str, where, errors)
        available = _strings(_get(item, "available", list, where, errors), f"{where}.available", errors)
        if person_id is not None and available is not None:
            participants.append(Participant(id=person_id, available=tuple(available)))
    requests: list[MeetingRequest] = []
    for index, item in enumerate(_get(data, "requests", list, "", errors) or []):
        where = f"requests[{index}]"
        if not _is_object(item, where, errors):
            continue
        request_id = _get(item, "id", str, where, errors)
        people = _strings(_get(item, "participants", list, where, errors), f"{where}.participants", errors)
        priority = _get(item, "priority", int, where, errors, default=1)
        if request_id is not None and people is not None and priority is not None:
            requests.append(MeetingRequest(id=request_id, participants=tuple(people), priority=priority))
    fixed: list[Meeting] = []
    for index, item in enumerate(_get(data, "fixed", list, "", errors, default=[]) or []):
        where = f"fixed[{index}]"
        if not _is_object(item, where, errors):
            continue
        values = [_get(item, key, str, where, errors) for key in ("request", "slot", "table")]
        if None not in values:
            fixed.append(Meeting(request=values[0], slot=values[1], table=values[2]))
    allow_moves = _get(data, "allow_moves", bool, "", errors, default=False)
    if errors:
        raise InstanceError(errors)
    instance = Instance(
        slots=tuple(slots or ()),
        tables=tuple(tables),
        participants=tuple(participants),
        requests=tuple(requests),
        fixed=tuple(fixed),
        allow_moves=bool(allow_moves),
    )
    check_instance(instance)
    # Announced meetings of cancelled requests stay in: the scheduler reports them as dropped.
    return instance


def load_instance(text: str | bytes) -> Instance:
    """Parse JSON text into a checked instance; malformed JSON is an ``InstanceError`` too."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InstanceError([f"the file is not UTF-8 (byte {exc.start + 1}); save it as UTF-8 JSON"]) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InstanceError([f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"]) from None
    return parse_instance(data)


def schedule_to_json(schedule: Schedule) -> dict[str, list[dict[str, str]]]:
    """The command line's output: ``{"meetings": […], "unscheduled": […]}``."""
    return {
        "meetings": [{"request": m.request, "slot": m.slot, "table": m.table} for m in schedule.meetings],
        "unscheduled": [{"request": u.request, "reason": u.reason} for u in schedule.unscheduled],
    }


_MISSING = object()
_TYPE_NAMES = {str: "a string", int: "an integer", list: "a list", bool: "true or false"}


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    return {
        str: "a string",
        int: "a number",
        float: "a number",
        list: "a list",
        dict: "an object",
    }.get(type(value), type(value).__name__)


def _get(item: Mapping[str, Any], key: str, kind: type, where: str, errors: list[str], default: Any = _MISSING) -> Any:
    label = f"{where}.{key}" if where else key
    if key not in item:
        if default is _MISSING:
            errors.append(f'{where or "the instance"}: missing key "{key}"')
            return None
        return default
    value = item[key]
    # JSON true/false are Python bools, which are also ints: refuse them where a number is meant.
    wrong = not isinstance(value, kind) or (kind is int and isinstance(value, bool))
    if wrong:
        errors.append(f"{label}: must be {_TYPE_NAMES[kind]}, not {_json_type(value)}")
        return None
    return value


def _is_object(item: object, where: str, errors: list[str]) -> bool:
    if isinstance(item, Mapping):
        return True
    errors.append(f"{where}: must be an object, not {_json_type(item)}")
    return False


def _strings(values: list[Any] | None, where: str, errors: list[str]) -> list[str] | None:
    if values is None:
        return None
    bad = [index for index, value in enumerate(values) if not isinstance(value, str)]
    for index in bad:
        errors.append(f"{where}[{index}]: must be a string id, not {_json_type(values[index])}")
    return None if bad else list(values)
