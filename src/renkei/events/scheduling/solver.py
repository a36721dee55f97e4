"""Place accepted meeting requests into time slots and tables: CP-SAT, with a greedy baseline.

The model (``formulation="table"``, the literal one):
  1. one boolean x[r, s, t] per request r, slot s where every participant of r is available,
     and table t;
  2. each request at most once: Σ_{s,t} x[r, s, t] ≤ 1;
  3. nobody double-booked: for each participant p and slot s, Σ x[r, s, t] over r ∋ p ≤ 1;
  4. table capacity: for each slot s and table t, Σ_r x[r, s, t] ≤ capacity(t);
  5. maximise Σ priority(r) · x[r, s, t].

The default (``formulation="slot"``) is the same model with the table index summed out:
y[r, s] = Σ_t x[r, s, t] and one capacity row per slot, Σ_r y[r, s] ≤ Σ_t capacity(t). The two
have the same optimum: a meeting takes one place at one table and any table will do, so a slot
holding k ≤ Σ capacity meetings can always be seated, which the table assignment after the
solve does (announced meetings first, at their own table). It has |tables| times fewer
variables, which is what makes a 150-table event solve in seconds; the tests check both
formulations against exhaustive search.

Announced meetings ("fixed"): without moves each is pinned to its slot and table. With moves
each must still happen, anywhere valid (it was announced), and keeping it where it was counts
as a tie-breaker below one unit of priority, so a meeting moves only to make room for more.

After the solve, requests still unplaced are offered any free place (nothing when the solver
proved optimality; useful when it stopped at the time limit), so every unscheduled request has
a true reason: a participant without slots, no common slot, or every common slot taken.
The solver runs single-threaded with a fixed seed by default: the same instance gives the same
schedule whenever it is solved to optimality within the time limit.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from ortools.sat.python import cp_model

from .instance import (
    CONFLICT,
    NO_AVAILABLE_SLOT,
    NO_COMMON_SLOT,
    Instance,
    Meeting,
    MeetingRequest,
    Schedule,
    SolveStats,
    Unscheduled,
    check_instance,
    dropped_fixed,
)

Formulation = Literal["slot", "table"]
DEFAULT_TIME_LIMIT = 30.0
MAX_SLOTS_IN_REASON = 4


# --- the board: who is where, and how full each table is -----------------------------------


class Board:
    """Occupancy of a (partial) schedule: participants' slots and tables' remaining places."""

    def __init__(self, instance: Instance) -> None:
        self.instance = instance
        self.requests = {request.id: request for request in instance.requests}
        self.busy: dict[tuple[str, str], str] = {}  # (participant, slot) -> request id
        self.free: dict[str, dict[str, int]] = {
            slot: {table.id: table.capacity for table in instance.tables} for slot in instance.slots
        }
        self.placed: dict[str, Meeting] = {}

    def slot_has_room(self, slot: str) -> bool:
        return any(self.free[slot].values())

    def people_free(self, request: MeetingRequest, slot: str) -> bool:
        return all((person, slot) not in self.busy for person in request.participants)

    def can_place(self, request: MeetingRequest, slot: str, table: str | None = None) -> bool:
        room = self.free[slot].get(table, 0) > 0 if table is not None else self.slot_has_room(slot)
        return room and self.people_free(request, slot)

    def place(self, request: MeetingRequest, slot: str, table: str | None = None) -> Meeting:
        """Seat the request at ``table`` (or the first table with room) in ``slot``."""
        if table is None:
            table = next(table_id for table_id, left in self.free[slot].items() if left > 0)
        self.free[slot][table] -= 1
        for person in request.participants:
            self.busy[(person, slot)] = request.id
        meeting = Meeting(request=request.id, slot=slot, table=table)
        self.placed[request.id] = meeting
        return meeting

    def sorted_meetings(self) -> tuple[Meeting, ...]:
        slot_order = {slot: index for index, slot in enumerate(self.instance.slots)}
        table_order = {table.id: index for index, table in enumerate(self.instance.tables)}
        return tuple(sorted(self.placed.values(), key=lambda m: (slot_order[m.slot], table_order[m.table], m.request)))


@dataclass(frozen=True, slots=True)
class _Prepared:
    instance: Instance
    common: dict[str, tuple[str, ...]]  # request id -> slots where all its participants are available
    fixed: dict[str, Meeting]  # request id -> announced meeting

    @classmethod
    def of(cls, instance: Instance) -> _Prepared:
        available = {person.id: set(person.available) for person in instance.participants}
        common = {
            request.id: tuple(
                slot for slot in instance.slots if all(slot in available[p] for p in request.participants)
            )
            for request in instance.requests
        }
        return cls(instance=instance, common=common, fixed={m.request: m for m in instance.fixed})

    def pinned(self, request_id: str) -> bool:
        return request_id in self.fixed and not self.instance.allow_moves

    def stays_valid(self, request_id: str) -> bool:
        """An announced meeting whose place is still allowed by everyone's availability."""
        meeting = self.fixed.get(request_id)
        return meeting is not None and meeting.slot in self.common[request_id]

    def greedy_order(self) -> list[MeetingRequest]:
        """Higher priority first, then the most constrained (fewest common slots), then input order."""
        order = {request.id: index for index, request in enumerate(self.instance.requests)}
        return sorted(self.instance.requests, key=lambda r: (-r.priority, len(self.common[r.id]), order[r.id]))


def _seat_announced(prepared: _Prepared, board: Board, keep: Iterable[str]) -> None:
    """Put the announced meetings of ``keep`` back at their own slot and table."""
    requests = board.requests
    for request_id in keep:
        meeting = prepared.fixed[request_id]
        board.place(requests[request_id], meeting.slot, meeting.table)


def _fill_greedily(prepared: _Prepared, board: Board) -> None:
    for request in prepared.greedy_order():
        if request.id in board.placed:
            continue
        for slot in prepared.common[request.id]:
            if board.can_place(request, slot):
                board.place(request, slot)
                break


# --- entry points ----------------------------------------------------------------------------


def compute_greedy_schedule(instance: Instance) -> Schedule:
    """The baseline: announced meetings kept in place, then requests by priority into the first free slot."""
    started = time.perf_counter()
    cancelled = dropped_fixed(instance)
    instance = check_instance(instance)
    prepared = _Prepared.of(instance)
    board = Board(instance)
    _seat_announced(prepared, board, [r for r in prepared.fixed if prepared.pinned(r) or prepared.stays_valid(r)])
    _fill_greedily(prepared, board)
    objective = _objective(board)
    stats = SolveStats(
        status="greedy",
        objective=objective,
        bound=_simple_bound(prepared),
        wall_seconds=time.perf_counter() - started,
    )
    return _finish(prepared, board, stats, cancelled)


def compute_schedule(
    instance: Instance,
    *,
    time_limit: float = DEFAULT_TIME_LIMIT,
    seed: int = 0,
    workers: int = 1,
    formulation: Formulation = "slot",
) -> Schedule:
    """Schedule as many meetings as possible, weighted by priority (CP-SAT).

    ``time_limit`` is in seconds of wall time; when it is reached the best schedule found so
    far is returned with ``stats.status == "feasible"`` and the proven ``stats.bound``.
    ``workers`` > 1 lets CP-SAT search in parallel (faster on big events, no longer reproducible).
    """
    started = time.perf_counter()
    cancelled = dropped_fixed(instance)
    instance = check_instance(instance)
    prepared = _Prepared.of(instance)
    requests = {request.id: request for request in instance.requests}

    # 1. The options of each request: (slot, table or None) places it may take.
    options: dict[str, list[tuple[str, str | None]]] = {}
    for request in instance.requests:
        if prepared.pinned(request.id):
            meeting = prepared.fixed[request.id]
            options[request.id] = [(meeting.slot, meeting.table if formulation == "table" else None)]
        elif formulation == "table":
            options[request.id] = [(s, t.id) for s in prepared.common[request.id] for t in instance.tables]
        else:
            options[request.id] = [(s, None) for s in prepared.common[request.id]]

    model = cp_model.CpModel()
    x: dict[tuple[str, str, str | None], cp_model.IntVar] = {}
    for request_id, places in options.items():
        for slot, table in places:
            x[(request_id, slot, table)] = model.new_bool_var(f"x[{request_id},{slot},{table}]")

    # 2. Each request at most once; announced ones exactly once.
    by_request: dict[str, list[cp_model.IntVar]] = {request_id: [] for request_id in options}
    by_person_slot: dict[tuple[str, str], list[cp_model.IntVar]] = {}
    by_place: dict[tuple[str, str | None], list[cp_model.IntVar]] = {}
    for (request_id, slot, table), var in x.items():
        by_request[request_id].append(var)
        by_place.setdefault((slot, table), []).append(var)
        for person in requests[request_id].participants:
            by_person_slot.setdefault((person, slot), []).append(var)
    for request_id, variables in by_request.items():
        if not variables:
            continue
        if prepared.pinned(request_id) or (request_id in prepared.fixed and prepared.stays_valid(request_id)):
            # Its announced place is free of clashes (checked with the instance), so this holds.
            model.add_exactly_one(variables)
        else:
            model.add_at_most_one(variables)
    # 3. Nobody in two meetings of one slot.
    for variables in by_person_slot.values():
        if len(variables) > 1:
            model.add_at_most_one(variables)
    # 4. Capacity per table (or per slot, all tables together).
    capacity = {table.id: table.capacity for table in instance.tables}
    slot_capacity = sum(capacity.values())
    for (_, table), variables in by_place.items():
        limit = capacity[table] if table is not None else slot_capacity
        if len(variables) > limit:
            model.add(cp_model.LinearExpr.sum(variables) <= limit)

    # 5. Objective: priority; keeping an announced meeting in place breaks ties (< 1 priority unit).
    movable = [r for r in prepared.fixed if instance.allow_moves and prepared.stays_valid(r)]
    scale = len(movable) + 1
    weights = {key: requests[key[0]].priority * scale for key in x}
    for request_id in movable:
        meeting = prepared.fixed[request_id]
        weights[(request_id, meeting.slot, meeting.table if formulation == "table" else None)] += 1
    model.maximize(cp_model.LinearExpr.weighted_sum([x[key] for key in weights], list(weights.values())))

    # A starting point: the greedy schedule (announced meetings in place).
    hint = Board(instance)
    _seat_announced(prepared, hint, [r for r in prepared.fixed if prepared.pinned(r) or prepared.stays_valid(r)])
    _fill_greedily(prepared, hint)
    for (request_id, slot, table), var in x.items():
        meeting = hint.placed.get(request_id)
        chosen = meeting is not None and meeting.slot == slot and (table is None or meeting.table == table)
        model.add_hint(var, chosen)

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.01, float(time_limit))
    solver.parameters.num_workers = max(1, int(workers))
    solver.parameters.random_seed = int(seed)
    status = solver.solve(model)

    board = Board(instance)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        chosen_places = {request_id: (slot, table) for (request_id, slot, table), var in x.items() if solver.value(var)}
        _seat_solution(prepared, board, chosen_places)
        bound = min(int(solver.best_objective_bound + 1e-6) // scale, _simple_bound(prepared))
        status_name = "optimal" if status == cp_model.OPTIMAL else "feasible"
    else:  # no solution within the time limit (not seen in practice: the hint is one)
        board = hint
        bound = _simple_bound(prepared)
        status_name = "greedy"
    _fill_greedily(prepared, board)
    objective = _objective(board)
    stats = SolveStats(
        status=status_name,
        objective=objective,
        bound=max(bound, objective),
        wall_seconds=time.perf_counter() - started,
        variables=len(x),
    )
    return _finish(prepared, board, stats, cancelled)


def _seat_solution(prepared: _Prepared, board: Board, chosen: dict[str, tuple[str, str | None]]) -> None:
    """Seat the solver's choice: announced meetings staying in their slot first, at their own table."""
    requests = board.requests
    staying = [
        request_id
        for request_id, (slot, _) in chosen.items()
        if request_id in prepared.fixed and prepared.fixed[request_id].slot == slot
    ]
    for request_id in staying:
        slot, table = chosen[request_id]
        board.place(requests[request_id], slot, table or prepared.fixed[request_id].table)
    for request in prepared.instance.requests:
        if request.id in chosen and request.id not in board.placed:
            slot, table = chosen[request.id]
            board.place(request, slot, table)


def _objective(board: Board) -> int:
    return sum(board.requests[request_id].priority for request_id in board.placed)


def _simple_bound(prepared: _Prepared) -> int:
    """A bound without the solver: the highest priorities among requests with a common slot, as many
    as there are places (slots × Σ table capacity)."""
    places = len(prepared.instance.slots) * sum(table.capacity for table in prepared.instance.tables)
    priorities = sorted((r.priority for r in prepared.instance.requests if prepared.common[r.id]), reverse=True)
    return sum(priorities[:places])


# --- why a request is not in the schedule ------------------------------------------------------


def _finish(prepared: _Prepared, board: Board, stats: SolveStats, cancelled: tuple[str, ...]) -> Schedule:
    unscheduled = tuple(
        _reason(prepared, board, request) for request in prepared.instance.requests if request.id not in board.placed
    )
    return Schedule(meetings=board.sorted_meetings(), unscheduled=unscheduled, stats=stats, dropped_fixed=cancelled)


def _quoted(ids: Iterable[str]) -> str:
    names = [f'"{value}"' for value in ids]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _reason(prepared: _Prepared, board: Board, request: MeetingRequest) -> Unscheduled:
    available = {person.id: person.available for person in prepared.instance.participants}
    without = [person for person in request.participants if not available[person]]
    if without:
        verb = "has" if len(without) == 1 else "have"
        return Unscheduled(
            request=request.id,
            code=NO_AVAILABLE_SLOT,
            reason=f"participant {_quoted(without)} {verb} no available slot",
        )
    common = prepared.common[request.id]
    if not common:
        return Unscheduled(
            request=request.id,
            code=NO_COMMON_SLOT,
            reason=f"participants {_quoted(request.participants)} have no available slot in common",
        )
    blocked = []
    for slot in common:
        busy = [(person, board.busy[(person, slot)]) for person in request.participants if (person, slot) in board.busy]
        if busy:
            blocked.append(f'{slot}: "{busy[0][0]}" meets in request "{busy[0][1]}"')
        else:
            blocked.append(f"{slot}: all tables are full")
    shown = blocked[:MAX_SLOTS_IN_REASON]
    if len(blocked) > len(shown):
        shown.append(f"{len(blocked) - len(shown)} more")
    noun = "slot is" if len(common) == 1 else f"{len(common)} common slots are"
    lead = "the only common" if len(common) == 1 else "all"
    return Unscheduled(
        request=request.id,
        code=CONFLICT,
        reason=f"lost to other meetings: {lead} {noun} taken ({'; '.join(shown)})",
    )
