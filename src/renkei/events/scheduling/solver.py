"""Place accepted meeting requests into time slots and tables: LP relaxation and CP-SAT.

The model (``model.build_model``): a 0–1 variable per request and slot where every
participant of the request is available; each request at most once (announced meetings
exactly once); nobody in two meetings of one slot; per slot at most Σ table capacity
meetings; maximise Σ priority. Tables are interchangeable places, so any set of meetings
within a slot's total capacity can be seated, which ``_seat_solution`` does after the solve
(announced meetings first, at their own table). ``formulation="table"`` keeps the literal
model with one variable per request, slot *and* table (same optimum, |tables| times larger).

The default solve, in four steps within ``time_limit`` seconds of wall time:
  1. the greedy schedule (priority first, most constrained first, first free slot);
  2. the LP relaxation (GLOP, ``relaxation``): a proven upper bound ``stats.bound``, and its
     solution rounded (if the simplex cannot finish in time, PDLP gives bound and rounding);
  3. an LP-guided CP-SAT solve (relaxation-induced neighbourhood search): options at 1 in the
     LP are fixed, options at 0 dropped, and CP-SAT with its own LP (linearization level 2)
     solves the small remaining problem over the fractional options;
  4. when that schedule does not reach the bound (or announced meetings may move, where the
     tie-break needs a proof), CP-SAT on the whole model, started from the best schedule so
     far, for the time left.
A schedule whose total priority equals the bound is optimal. After each solve, requests still
unplaced are offered any free place, so every unscheduled request has a true reason.

Announced meetings ("fixed"): without moves each is pinned to its slot and table. With moves
each must still happen, anywhere valid (it was announced), and keeping it where it was counts
as a tie-breaker below one unit of priority, so a meeting moves only to make room for more.

With one worker (the default) and the fixed seed every step is deterministic, so the same
instance gives the same schedule unless the wall-time limit cuts a step short.
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
from .model import Formulation, Model, Prepared, build_model
from .relaxation import integral_bound, solve_relaxation

DEFAULT_TIME_LIMIT = 30.0
MAX_SLOTS_IN_REASON = 4
# LP values within this distance of 0 or 1 count as integral for the guided solve.
INTEGRALITY_TOLERANCE = 1e-6
# Below this many seconds left, a solver step is not started.
MIN_STEP_SECONDS = 0.05
# Time kept back from the simplex LP for the first-order LP if the simplex cannot finish.
LP_RESERVE_SECONDS = 5.0
LP_RESERVE_SHARE = 0.2
# Share of the time limit left for seating the solution and writing the reasons.
FINISH_SHARE = 0.03


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

    def remove(self, request_id: str) -> None:
        meeting = self.placed.pop(request_id)
        self.free[meeting.slot][meeting.table] += 1
        for person in self.requests[request_id].participants:
            del self.busy[(person, meeting.slot)]

    def sorted_meetings(self) -> tuple[Meeting, ...]:
        slot_order = {slot: index for index, slot in enumerate(self.instance.slots)}
        table_order = {table.id: index for index, table in enumerate(self.instance.tables)}
        return tuple(sorted(self.placed.values(), key=lambda m: (slot_order[m.slot], table_order[m.table], m.request)))


def _seat_announced(prepared: Prepared, board: Board, keep: Iterable[str]) -> None:
    """Put the announced meetings of ``keep`` back at their own slot and table."""
    requests = board.requests
    for request_id in keep:
        meeting = prepared.fixed[request_id]
        board.place(requests[request_id], meeting.slot, meeting.table)


def _fill_greedily(prepared: Prepared, board: Board) -> None:
    for request in prepared.greedy_order():
        if request.id in board.placed:
            continue
        for slot in prepared.common[request.id]:
            if board.can_place(request, slot):
                board.place(request, slot)
                break


def _round(prepared: Prepared, model: Model, values: tuple[float, ...], keep: Iterable[int]) -> Board:
    """Announced meetings, then the LP's options from the highest value down, wherever they still fit.

    Options at 1 come first and never clash (they satisfy every row together), so the result
    agrees with the LP-guided solve's fixings and serves as its starting point."""
    board = Board(prepared.instance)
    _seat_announced(prepared, board, [r for r in prepared.fixed if prepared.must_happen(r)])
    for index in sorted(keep, key=lambda i: (-values[i], -model.weights[i], i)):
        request_id, slot, table = model.options[index]
        request = board.requests[request_id]
        if request_id not in board.placed and board.can_place(request, slot, table):
            board.place(request, slot, table)
    return board


def _move_back(prepared: Prepared, board: Board) -> None:
    """Return moved announced meetings to their announced place wherever it is still free.

    Costs no priority, so it only undoes moves a solve stopped by the time limit left in."""
    for request_id in prepared.movable():
        meeting = board.placed.get(request_id)
        announced = prepared.fixed[request_id]
        if meeting is None or meeting == announced:
            continue
        board.remove(request_id)
        if board.can_place(board.requests[request_id], announced.slot, announced.table):
            board.place(board.requests[request_id], announced.slot, announced.table)
        else:
            board.place(board.requests[request_id], meeting.slot, meeting.table)


def _copy(board: Board) -> Board:
    copy = Board(board.instance)
    copy.busy = dict(board.busy)
    copy.free = {slot: dict(tables) for slot, tables in board.free.items()}
    copy.placed = dict(board.placed)
    return copy


def _greedy_board(prepared: Prepared) -> Board:
    board = Board(prepared.instance)
    _seat_announced(prepared, board, [r for r in prepared.fixed if prepared.must_happen(r)])
    _fill_greedily(prepared, board)
    return board


# --- entry points ----------------------------------------------------------------------------


def compute_greedy_schedule(instance: Instance) -> Schedule:
    """The baseline: announced meetings kept in place, then requests by priority into the first free slot."""
    started = time.perf_counter()
    cancelled = dropped_fixed(instance)
    instance = check_instance(instance)
    prepared = Prepared.of(instance)
    board = _greedy_board(prepared)
    stats = SolveStats(
        status="greedy",
        objective=_objective(board),
        bound=_simple_bound(prepared),
        wall_seconds=time.perf_counter() - started,
    )
    return _finish(prepared, board, stats, cancelled)


def compute_upper_bound(
    instance: Instance,
    *,
    objective: Literal["priority", "meetings"] = "priority",
    time_limit: float = DEFAULT_TIME_LIMIT,
) -> int:
    """A proven upper bound on the total priority (or the number of meetings) of any valid schedule.

    The LP relaxation of the slot model (announced meetings as the scheduler treats them),
    or, if GLOP cannot solve it within ``time_limit`` seconds, "the highest priorities, as
    many as there are places". ``compute_schedule`` reports the priority bound in its stats.
    """
    instance = check_instance(instance)
    prepared = Prepared.of(instance)
    priorities = {request.id: 1 for request in instance.requests} if objective == "meetings" else None
    simple = _simple_bound(prepared, priorities)
    model = build_model(prepared, "slot", priorities)
    if not model.options:
        return 0
    relaxation = solve_relaxation(model, time_limit)
    return simple if relaxation is None else min(simple, integral_bound(relaxation.bound))


@dataclass
class _Search:
    """The best schedule so far and what is proven about it."""

    prepared: Prepared
    model: Model
    board: Board
    bound: int
    deadline: float
    reserve: float = 0.0  # seconds kept back from the simplex LP for a fallback
    simplex_limit: float | None = None  # at most this many seconds for the simplex LP
    relaxation: str = ""  # which LP was solved (SolveStats.relaxation)
    solved: bool = False  # a solver produced a schedule (or proved the greedy one optimal)
    proven: bool = False
    variables: int = 0

    def left(self) -> float:
        return self.deadline - time.perf_counter()

    def offer(self, chosen: dict[str, tuple[str, str | None]]) -> None:
        board = Board(self.prepared.instance)
        _seat_solution(self.prepared, board, chosen)
        self.offer_board(board)

    def offer_board(self, board: Board) -> None:
        """Keep ``board`` (completed greedily) if it beats the best so far."""
        board = _copy(board)
        _move_back(self.prepared, board)
        _fill_greedily(self.prepared, board)
        self.solved = True
        if _rank(self.prepared, board) > _rank(self.prepared, self.board):
            self.board = board

    def reaches_bound(self) -> bool:
        # With movable announced meetings the bound says nothing about the stay tie-break.
        return _objective(self.board) >= self.bound and not self.prepared.movable()


def compute_schedule(
    instance: Instance,
    *,
    time_limit: float = DEFAULT_TIME_LIMIT,
    seed: int = 0,
    workers: int = 1,
    formulation: Formulation = "slot",
    simplex_time_limit: float | None = None,
) -> Schedule:
    """Schedule as many meetings as possible, weighted by priority (LP relaxation + CP-SAT).

    ``time_limit`` is in seconds of wall time for the whole solve; when it is reached the best
    schedule found so far is returned with ``stats.status == "feasible"`` and the proven
    ``stats.bound``. ``workers`` > 1 lets CP-SAT search in parallel (no longer reproducible).
    ``simplex_time_limit`` caps the seconds of the simplex LP (by default it may use the time
    left less the reserve for the first-order LP); when the simplex cannot finish within it, the
    first-order LP gives the bound and the rounded schedule (``stats.relaxation``).
    """
    started = time.perf_counter()
    cancelled = dropped_fixed(instance)
    instance = check_instance(instance)
    prepared = Prepared.of(instance)
    model = build_model(prepared, formulation)
    search = _Search(
        prepared=prepared,
        model=model,
        board=_greedy_board(prepared),
        bound=_simple_bound(prepared),
        # The solver steps stop a little early, so seating and reasons fit in the time limit too.
        deadline=started + max(0.01, float(time_limit)) * (1 - FINISH_SHARE),
        reserve=min(LP_RESERVE_SECONDS, LP_RESERVE_SHARE * max(0.01, float(time_limit))),
        simplex_limit=None if simplex_time_limit is None else float(simplex_time_limit),
        variables=len(model.options),
    )
    settings = {"seed": int(seed), "workers": max(1, int(workers))}

    if search.reaches_bound():
        search.solved = search.proven = True
    if formulation == "slot" and not search.proven and search.left() > MIN_STEP_SECONDS:
        _guided_by_relaxation(search, settings)
    if not search.proven and search.left() > MIN_STEP_SECONDS:
        result = _solve_cp(model, search.left(), hint=search.board, **settings)
        if result.chosen is not None:
            search.offer(result.chosen)
            if result.optimal:
                search.proven = True
                search.bound = _objective(search.board)
            else:
                search.bound = min(search.bound, model.priority_bound(result.bound))
        search.proven = search.proven or search.reaches_bound()

    objective = _objective(search.board)
    # "greedy": no solver produced a schedule within the time limit, so the greedy one is returned.
    status = "optimal" if search.proven else "feasible" if search.solved else "greedy"
    stats = SolveStats(
        status=status,
        objective=objective,
        bound=max(search.bound, objective),
        wall_seconds=time.perf_counter() - started,
        variables=search.variables,
        relaxation=search.relaxation,
    )
    return _finish(prepared, search.board, stats, cancelled)


def _guided_by_relaxation(search: _Search, settings: dict[str, int]) -> None:
    """Steps 2 and 3: the LP bound, the LP rounded, and CP-SAT over the LP's fractional options."""
    model = search.model
    simplex_seconds = search.left() - search.reserve
    if search.simplex_limit is not None:
        simplex_seconds = min(simplex_seconds, search.simplex_limit)
    relaxation = solve_relaxation(model, simplex_seconds)
    if relaxation is None:
        # Simplex too slow for the time limit (a big event on a busy machine): the first-order
        # LP still gives the bound and a rounded schedule in the time kept in reserve.
        fallback = solve_relaxation(model, search.left(), vertex=False)
        if fallback is not None:
            search.relaxation = "first-order"
            search.bound = min(search.bound, integral_bound(fallback.bound))
            search.offer_board(_round(search.prepared, model, fallback.values, range(len(model.options))))
            search.proven = search.reaches_bound()
        return
    search.relaxation = "simplex"
    search.bound = min(search.bound, integral_bound(relaxation.bound))
    # Announced meetings that may move are never fixed, and may always stay where they are:
    # the LP ignores that tie-break.
    movable = set(search.prepared.movable())
    ones = [
        i
        for i, value in enumerate(relaxation.values)
        if value > 1 - INTEGRALITY_TOLERANCE and model.options[i][0] not in movable
    ]
    stays = set(model.stays)
    keep = [i for i, value in enumerate(relaxation.values) if value > INTEGRALITY_TOLERANCE or i in stays]
    rounded = _round(search.prepared, model, relaxation.values, keep)
    search.offer_board(rounded)
    search.proven = search.reaches_bound()
    if search.proven or search.left() <= MIN_STEP_SECONDS:
        return
    result = _solve_cp(model, search.left(), keep=keep, ones=ones, hint=rounded, lp_guided=True, **settings)
    if result.chosen is not None:
        search.offer(result.chosen)
    search.proven = search.reaches_bound()


# --- CP-SAT --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _CpResult:
    chosen: dict[str, tuple[str, str | None]] | None  # request id -> (slot, table or None); None: no solution
    optimal: bool = False
    bound: float = float("inf")  # on the scaled objective


def _solve_cp(
    model: Model,
    time_limit: float,
    *,
    seed: int,
    workers: int,
    keep: list[int] | None = None,
    ones: list[int] = (),  # type: ignore[assignment]
    hint: Board | None = None,
    lp_guided: bool = False,
) -> _CpResult:
    """CP-SAT on ``model`` restricted to the options ``keep`` (all by default), ``ones`` fixed to 1.

    ``optimal`` and ``bound`` refer to the restricted problem, so only a solve of the whole
    model proves anything about the instance. ``lp_guided``: the search leans on CP-SAT's own
    LP with every at-most-one row in it and no cut rounds, which closes the small problems left
    by the LP-guided step in a fraction of a second (measured, docs/benchmarks.md).
    """
    indices = range(len(model.options)) if keep is None else keep
    cp = cp_model.CpModel()
    x = {index: cp.new_bool_var(f"x{index}") for index in indices}
    for row in model.rows:
        members = [x[index] for index in row.members if index in x]
        if row.equal:
            if not members:
                return _CpResult(chosen=None)  # an announced meeting has no option left here
            cp.add_exactly_one(members)
        elif row.limit == 1:
            if len(members) > 1:
                cp.add_at_most_one(members)
        elif len(members) > row.limit:
            cp.add(cp_model.LinearExpr.sum(members) <= row.limit)
    for index in ones:
        cp.add(x[index] == 1)
    cp.maximize(cp_model.LinearExpr.weighted_sum(list(x.values()), [model.weights[index] for index in x]))
    if hint is not None:
        for index, variable in x.items():
            request_id, slot, table = model.options[index]
            meeting = hint.placed.get(request_id)
            chosen = meeting is not None and meeting.slot == slot and (table is None or meeting.table == table)
            cp.add_hint(variable, chosen)

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.01, time_limit)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    if lp_guided:
        solver.parameters.linearization_level = 2
        solver.parameters.cut_level = 0
        solver.parameters.add_lp_constraints_lazily = False
    status = solver.solve(cp)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return _CpResult(chosen=None)
    chosen = {}
    for index, variable in x.items():
        if solver.value(variable):
            request_id, slot, table = model.options[index]
            chosen[request_id] = (slot, table)
    return _CpResult(chosen=chosen, optimal=status == cp_model.OPTIMAL, bound=solver.best_objective_bound)


def _seat_solution(prepared: Prepared, board: Board, chosen: dict[str, tuple[str, str | None]]) -> None:
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


def _rank(prepared: Prepared, board: Board) -> tuple[int, int]:
    """Total priority, then announced meetings kept in place (the tie-break)."""
    stays = sum(1 for request_id, meeting in prepared.fixed.items() if board.placed.get(request_id) == meeting)
    return _objective(board), stays


def _simple_bound(prepared: Prepared, priorities: dict[str, int] | None = None) -> int:
    """A bound without a solver: the highest priorities among requests with a common slot, as many
    as there are places (slots × Σ table capacity)."""
    places = len(prepared.instance.slots) * sum(table.capacity for table in prepared.instance.tables)
    weight = priorities or {r.id: r.priority for r in prepared.instance.requests}
    best = sorted((weight[r.id] for r in prepared.instance.requests if prepared.common[r.id]), reverse=True)
    return sum(best[:places])


# --- why a request is not in the schedule ------------------------------------------------------


def _finish(prepared: Prepared, board: Board, stats: SolveStats, cancelled: tuple[str, ...]) -> Schedule:
    available = {person.id: person.available for person in prepared.instance.participants}
    unscheduled = tuple(
        _reason(prepared, board, request, available)
        for request in prepared.instance.requests
        if request.id not in board.placed
    )
    return Schedule(meetings=board.sorted_meetings(), unscheduled=unscheduled, stats=stats, dropped_fixed=cancelled)


def _quoted(ids: Iterable[str]) -> str:
    names = [f'"{value}"' for value in ids]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _reason(
    prepared: Prepared, board: Board, request: MeetingRequest, available: dict[str, tuple[str, ...]]
) -> Unscheduled:
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
