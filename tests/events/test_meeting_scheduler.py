"""The CP-SAT meeting scheduler: optimal, valid, priority-aware, and gentle with announced meetings."""

from __future__ import annotations

import dataclasses
import random

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from renkei.events.scheduling import (
    CONFLICT,
    NO_AVAILABLE_SLOT,
    NO_COMMON_SLOT,
    InstanceError,
    Meeting,
    compute_greedy_schedule,
    compute_schedule,
    compute_upper_bound,
)
from renkei.events.scheduling.model import Prepared, build_model
from renkei.events.scheduling.relaxation import integral_bound, lagrangian_bound, solve_relaxation

from .scheduling_helpers import assert_valid_schedule, brute_force_optimum, make_instance

SLOTS = ["09:00", "09:20", "09:40"]


def placed(schedule) -> dict[str, tuple[str, str]]:
    return {meeting.request: (meeting.slot, meeting.table) for meeting in schedule.meetings}


def reasons(schedule) -> dict[str, tuple[str, str]]:
    return {entry.request: (entry.code, entry.reason) for entry in schedule.unscheduled}


def test_it_schedules_everyone_when_the_slots_allow_it():
    instance = make_instance(
        SLOTS,
        {"T1": 1},
        {"a": SLOTS, "b": SLOTS, "c": SLOTS},
        [("ab", ["a", "b"], 1), ("bc", ["b", "c"], 1), ("ac", ["a", "c"], 1)],
    )
    schedule = compute_schedule(instance)

    assert_valid_schedule(instance, schedule)
    assert len(schedule.meetings) == 3
    assert {slot for slot, _ in placed(schedule).values()} == set(SLOTS)
    assert schedule.stats.status == "optimal"
    assert schedule.stats.objective == schedule.stats.bound == 3


def test_a_greedy_first_choice_is_not_the_optimum():
    # Greedy puts "x" (most constrained first is not enough: equal slots) at 09:00 and loses "y";
    # the optimum places x at 09:20 so that y fits at 09:00.
    instance = make_instance(
        ["09:00", "09:20"],
        {"T1": 1},
        {"a": ["09:00", "09:20"], "b": ["09:00", "09:20"], "c": ["09:00"], "d": ["09:20"]},
        [("x", ["a", "b"], 1), ("y", ["a", "c"], 1), ("z", ["b", "d"], 1)],
    )
    schedule = compute_schedule(instance)

    assert_valid_schedule(instance, schedule)
    assert schedule.stats.objective == brute_force_optimum(instance) == 2
    assert schedule.stats.status == "optimal"


def test_table_capacity_is_meetings_per_slot():
    people = {f"p{i}": ["09:00"] for i in range(8)}
    requests = [(f"r{i}", [f"p{2 * i}", f"p{2 * i + 1}"], 1) for i in range(4)]
    instance = make_instance(["09:00"], {"T1": 2, "T2": 1}, people, requests)
    schedule = compute_schedule(instance)

    assert_valid_schedule(instance, schedule)
    assert sorted(table for _, table in placed(schedule).values()) == ["T1", "T1", "T2"]
    (lost,) = schedule.unscheduled
    assert lost.code == CONFLICT
    assert "09:00: all tables are full" in lost.reason


def test_higher_priority_wins_a_contested_slot():
    instance = make_instance(
        ["09:00"],
        {"T1": 5},
        {"a": ["09:00"], "b": ["09:00"], "c": ["09:00"]},
        [("low", ["a", "b"], 1), ("high", ["a", "c"], 5)],
    )
    schedule = compute_schedule(instance)

    assert set(placed(schedule)) == {"high"}
    code, reason = reasons(schedule)["low"]
    assert code == CONFLICT
    assert '09:00: "a" meets in request "high"' in reason


def test_one_high_priority_meeting_outweighs_two_low_ones_only_when_it_is_worth_more():
    # "hub" meets both "x" and "y" in the single slot; the pair x-y conflicts with nothing.
    def instance_with(priority: int):
        return make_instance(
            ["09:00"],
            {"T1": 5},
            {"hub": ["09:00"], "x": ["09:00"], "y": ["09:00"], "z": ["09:00"]},
            [("hub-x", ["hub", "x"], priority), ("x-z", ["x", "z"], 1), ("hub-y", ["hub", "y"], 1)],
        )

    assert set(placed(compute_schedule(instance_with(3)))) == {"hub-x"}
    assert set(placed(compute_schedule(instance_with(1)))) == {"x-z", "hub-y"}


def test_group_meetings_block_every_member():
    instance = make_instance(
        ["09:00", "09:20"],
        {"T1": 3},
        {"a": ["09:00"], "b": ["09:00", "09:20"], "c": ["09:00", "09:20"], "d": ["09:20"]},
        [("abc", ["a", "b", "c"], 2), ("cd", ["c", "d"], 1), ("bc", ["b", "c"], 1)],
    )
    schedule = compute_schedule(instance)

    assert_valid_schedule(instance, schedule)
    assert placed(schedule)["abc"][0] == "09:00"
    assert schedule.stats.objective == brute_force_optimum(instance) == 3


def test_unscheduled_requests_say_why():
    instance = make_instance(
        SLOTS,
        {"T1": 1},
        {"busy": [], "a": ["09:00"], "b": ["09:40"], "c": ["09:00"], "d": ["09:00"]},
        [
            ("r-nobody", ["busy", "a"], 1),
            ("r-apart", ["a", "b"], 1),
            ("r-first", ["a", "c"], 2),
            ("r-lost", ["c", "d"], 1),
        ],
    )
    schedule = compute_schedule(instance)

    assert_valid_schedule(instance, schedule)
    why = reasons(schedule)
    assert why["r-nobody"] == (NO_AVAILABLE_SLOT, 'participant "busy" has no available slot')
    assert why["r-apart"] == (NO_COMMON_SLOT, 'participants "a" and "b" have no available slot in common')
    assert why["r-lost"][0] == CONFLICT
    assert (
        why["r-lost"][1]
        == 'lost to other meetings: the only common slot is taken (09:00: "c" meets in request "r-first")'
    )


def test_announced_meetings_stay_where_they_are_and_new_requests_fit_around_them():
    base = {
        "slots": SLOTS,
        "tables": {"T1": 1, "T2": 1},
        "available": {"a": SLOTS, "b": SLOTS, "c": SLOTS, "d": ["09:00"]},
    }
    first = compute_schedule(make_instance(**base, requests=[("ab", ["a", "b"], 1), ("cd", ["c", "d"], 1)]))
    announced = [(m.request, m.slot, m.table) for m in first.meetings]

    # Late changes: "cd" is cancelled, "ac" and "bc" are accepted.
    late = make_instance(
        **base,
        requests=[("ab", ["a", "b"], 1), ("ac", ["a", "c"], 5), ("bc", ["b", "c"], 5)],
        fixed=announced,
    )
    schedule = compute_schedule(late)

    assert_valid_schedule(late, schedule)
    assert placed(schedule)["ab"] == placed(first)["ab"]
    assert set(placed(schedule)) == {"ab", "ac", "bc"}
    assert schedule.dropped_fixed == ("cd",)


def test_announced_meetings_move_only_when_moves_are_allowed():
    # "ab" was announced at 09:00; "ac" (priority 5) can only happen at 09:00.
    kwargs = {
        "slots": ["09:00", "09:20"],
        "tables": {"T1": 1},
        "available": {"a": ["09:00", "09:20"], "b": ["09:00", "09:20"], "c": ["09:00"]},
        "requests": [("ab", ["a", "b"], 1), ("ac", ["a", "c"], 5)],
        "fixed": [("ab", "09:00", "T1")],
    }
    pinned = compute_schedule(make_instance(**kwargs))
    assert placed(pinned) == {"ab": ("09:00", "T1")}
    assert '09:00: "a" meets in request "ab"' in reasons(pinned)["ac"][1]

    moved = compute_schedule(make_instance(**kwargs, allow_moves=True))
    assert placed(moved) == {"ac": ("09:00", "T1"), "ab": ("09:20", "T1")}


def test_with_moves_allowed_an_announced_meeting_still_takes_place_and_moves_only_for_a_gain():
    instance = make_instance(
        ["09:00", "09:20"],
        {"T1": 1, "T2": 1},
        {"a": ["09:00", "09:20"], "b": ["09:00", "09:20"], "c": ["09:00"], "d": ["09:00"]},
        # "ab" could equally sit at 09:00 next to "cd": moving it gains nothing, so it stays.
        [("ab", ["a", "b"], 1), ("cd", ["c", "d"], 9)],
        fixed=[("ab", "09:20", "T2")],
        allow_moves=True,
    )
    schedule = compute_schedule(instance)

    assert_valid_schedule(instance, schedule)
    assert placed(schedule)["ab"] == ("09:20", "T2")  # stayed: moving it would gain nothing
    assert "cd" in placed(schedule)


def test_an_announced_meeting_made_impossible_by_new_availability_is_refused_unless_moves_are_allowed():
    kwargs = {
        "slots": ["09:00", "09:20"],
        "tables": {"T1": 1},
        "available": {"a": ["09:20"], "b": ["09:00", "09:20"]},
        "requests": [("ab", ["a", "b"], 1)],
        "fixed": [("ab", "09:00", "T1")],
    }
    with pytest.raises(InstanceError, match=r'fixed\[0\] \(request "ab"\): participant "a" is not available at 09:00'):
        compute_schedule(make_instance(**kwargs))

    schedule = compute_schedule(make_instance(**kwargs, allow_moves=True))
    assert placed(schedule) == {"ab": ("09:20", "T1")}


def test_the_same_instance_gives_the_same_schedule():
    instance = make_instance(
        SLOTS,
        {"T1": 1, "T2": 2},
        {f"p{i}": SLOTS[i % 3 :] + SLOTS[: i % 2] for i in range(10)},
        [(f"r{i}-{j}", [f"p{i}", f"p{j}"], 1 + (i + j) % 3) for i in range(10) for j in range(i + 1, 10, 3)],
    )
    first, second = compute_schedule(instance), compute_schedule(instance)
    assert first.meetings == second.meetings
    assert first.unscheduled == second.unscheduled


def test_a_time_limit_still_returns_a_valid_schedule_with_a_bound():
    people = [f"p{i}" for i in range(40)]
    instance = make_instance(
        SLOTS,
        {"T1": 2, "T2": 2},
        dict.fromkeys(people, SLOTS),
        [(f"r{i}", [people[i], people[(i * 7 + 3) % 40]], 1 + i % 4) for i in range(40) if i != (i * 7 + 3) % 40],
    )
    schedule = compute_schedule(instance, time_limit=0.01)

    assert_valid_schedule(instance, schedule)
    assert schedule.stats.status in {"optimal", "feasible", "greedy"}


def test_the_greedy_baseline_follows_the_same_rules():
    instance = make_instance(
        ["09:00", "09:20"],
        {"T1": 1},
        {"a": ["09:00", "09:20"], "b": ["09:00", "09:20"], "c": ["09:00"], "d": ["09:20"]},
        [("x", ["a", "b"], 1), ("y", ["a", "c"], 1), ("z", ["b", "d"], 1)],
        fixed=[("x", "09:00", "T1")],
    )
    schedule = compute_greedy_schedule(instance)

    assert_valid_schedule(instance, schedule)
    assert placed(schedule)["x"] == ("09:00", "T1")
    assert schedule.stats.status == "greedy"


# --- exhaustive search on random small instances --------------------------------------------


@st.composite
def small_instances(draw):
    slots = [f"s{i}" for i in range(draw(st.integers(1, 3)))]
    tables = {f"t{i}": draw(st.integers(1, 2)) for i in range(draw(st.integers(1, 2)))}
    people = [f"p{i}" for i in range(draw(st.integers(2, 5)))]
    available = {person: draw(st.lists(st.sampled_from(slots), unique=True)) for person in people}
    requests = []
    for index in range(draw(st.integers(0, 6))):
        members = draw(st.lists(st.sampled_from(people), min_size=2, max_size=3, unique=True))
        requests.append((f"r{index}", members, draw(st.integers(1, 4))))
    return make_instance(slots, tables, available, requests)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_instances())
def test_it_reaches_the_exhaustive_optimum_on_small_instances(instance):
    optimum = brute_force_optimum(instance)
    for formulation in ("slot", "table"):
        schedule = compute_schedule(instance, formulation=formulation)
        assert_valid_schedule(instance, schedule)
        assert schedule.stats.status == "optimal"
        assert schedule.stats.objective == optimum == schedule.stats.bound
        for entry in schedule.unscheduled:
            assert entry.code in {NO_AVAILABLE_SLOT, NO_COMMON_SLOT, CONFLICT}
    greedy = compute_greedy_schedule(instance)
    assert_valid_schedule(instance, greedy)
    assert greedy.stats.objective <= optimum


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_instances(), st.booleans(), st.data())
def test_announced_meetings_are_kept_on_random_late_changes(instance, allow_moves, data):
    first = compute_schedule(instance)
    announced = first.meetings
    if instance.requests:
        # A cancellation: one request disappears.
        cancelled = data.draw(st.sampled_from([r.id for r in instance.requests]))
        late = dataclasses.replace(
            instance,
            requests=tuple(r for r in instance.requests if r.id != cancelled),
            fixed=announced,
            allow_moves=allow_moves,
        )
    else:
        late = dataclasses.replace(instance, fixed=announced, allow_moves=allow_moves)
    schedule = compute_schedule(late)

    assert_valid_schedule(late, schedule)
    still_requested = {r.id for r in late.requests}
    kept = {m.request: m for m in announced if m.request in still_requested}
    now = {m.request: m for m in schedule.meetings}
    assert set(kept) <= set(now), "an announced meeting was dropped"
    if not allow_moves:
        assert all(now[request_id] == meeting for request_id, meeting in kept.items())
    assert schedule.stats.objective >= sum(r.priority for r in late.requests if r.id in kept)


def test_meetings_come_out_in_slot_then_table_order():
    instance = make_instance(
        SLOTS,
        {"T2": 1, "T1": 1},
        dict.fromkeys("abcdef", SLOTS),
        [("ab", ["a", "b"], 1), ("cd", ["c", "d"], 1), ("ef", ["e", "f"], 1), ("ac", ["a", "c"], 1)],
    )
    meetings = compute_schedule(instance).meetings
    order = [(SLOTS.index(m.slot), ["T2", "T1"].index(m.table)) for m in meetings]
    assert order == sorted(order)
    assert all(isinstance(m, Meeting) for m in meetings)


# --- the upper bound (LP relaxation) ----------------------------------------------------------


def with_unit_priorities(instance):
    return dataclasses.replace(instance, requests=tuple(dataclasses.replace(r, priority=1) for r in instance.requests))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_instances())
def test_the_bounds_are_never_below_the_exhaustive_optimum(instance):
    assert compute_upper_bound(instance) >= brute_force_optimum(instance)
    assert compute_upper_bound(instance, objective="meetings") >= brute_force_optimum(with_unit_priorities(instance))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_instances(), st.data())
def test_any_dual_values_give_a_valid_bound(instance, data):
    # The bound is recomputed from the LP's duals, so even wrong duals must not undercut the optimum.
    model = build_model(Prepared.of(instance))
    duals = [data.draw(st.floats(-1, 5, allow_nan=False)) for _ in model.rows]
    assert integral_bound(lagrangian_bound(model, duals)) >= brute_force_optimum(instance)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_instances())
def test_the_first_order_lp_fallback_also_gives_a_valid_bound(instance):
    model = build_model(Prepared.of(instance))
    relaxation = solve_relaxation(model, 10, vertex=False)
    # Not a silent pass: hypothesis fails the test (Unsatisfiable) if PDLP never answers.
    assume(relaxation is not None)
    assert integral_bound(relaxation.bound) >= brute_force_optimum(instance)


@st.composite
def one_slot_bipartite_instances(draw):
    # Companies meet researchers, one slot: the LP of a bipartite matching with a capacity is exact.
    companies = [f"c{i}" for i in range(draw(st.integers(1, 4)))]
    researchers = [f"u{i}" for i in range(draw(st.integers(1, 4)))]
    pairs = draw(st.lists(st.tuples(st.sampled_from(companies), st.sampled_from(researchers)), unique=True, max_size=7))
    tables = {f"t{i}": draw(st.integers(1, 2)) for i in range(draw(st.integers(1, 2)))}
    requests = [(f"r{i}", [c, u], draw(st.integers(1, 5))) for i, (c, u) in enumerate(pairs)]
    return make_instance(["s0"], tables, dict.fromkeys(companies + researchers, ["s0"]), requests)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(one_slot_bipartite_instances())
def test_the_bound_is_exact_where_the_lp_is_integral(instance):
    optimum = brute_force_optimum(instance)
    assert compute_upper_bound(instance) == optimum
    schedule = compute_schedule(instance)
    assert schedule.stats.objective == schedule.stats.bound == optimum
    assert schedule.stats.status == "optimal"


def test_an_odd_cycle_makes_the_lp_bound_loose_and_cp_sat_proves_the_optimum():
    # a-b, b-c, c-a in one slot: the LP takes each half (total 3), but only one meeting fits.
    instance = make_instance(
        ["09:00"],
        {"T1": 3},
        dict.fromkeys("abc", ["09:00"]),
        [("ab", ["a", "b"], 2), ("bc", ["b", "c"], 2), ("ca", ["c", "a"], 2)],
    )
    assert compute_upper_bound(instance) == 3
    assert compute_upper_bound(instance, objective="meetings") == 1  # ⌊1.5⌋
    schedule = compute_schedule(instance)
    assert schedule.stats.status == "optimal"
    assert schedule.stats.objective == schedule.stats.bound == brute_force_optimum(instance) == 2


# --- a known case and a medium event ------------------------------------------------------------

# Nine requests among six people over three slots and two tables: small enough for exhaustive
# search (optimum 13), and the greedy baseline (highest priority first, first free slot) gets 11.
KNOWN_SLOTS = ["09:00", "09:20", "09:40"]
KNOWN = make_instance(
    KNOWN_SLOTS,
    {"T1": 1, "T2": 1},
    {
        "a": KNOWN_SLOTS,
        "b": KNOWN_SLOTS,
        "c": KNOWN_SLOTS,
        "d": ["09:00", "09:40"],
        "e": ["09:20"],
        "f": ["09:20", "09:40"],
    },
    [
        ("bc", ["b", "c"], 2),
        ("ae", ["a", "e"], 3),
        ("be", ["b", "e"], 1),
        ("abf", ["a", "b", "f"], 2),
        ("cf", ["c", "f"], 2),
        ("af", ["a", "f"], 2),
        ("bd", ["b", "d"], 2),
        ("de", ["d", "e"], 2),
        ("ac", ["a", "c"], 2),
    ],
)


def test_the_known_case_reaches_the_exhaustive_optimum():
    optimum = brute_force_optimum(KNOWN)
    assert optimum == 13
    assert compute_greedy_schedule(KNOWN).stats.objective == 11
    schedule = compute_schedule(KNOWN)
    assert_valid_schedule(KNOWN, schedule)
    assert schedule.stats.objective == optimum == schedule.stats.bound
    assert schedule.stats.status == "optimal"


def medium_event(seed: int = 7):
    rng = random.Random(seed)
    slots = [f"s{i:02d}" for i in range(8)]
    people = [f"p{i:03d}" for i in range(80)]
    available = {person: [s for s in slots if rng.random() < rng.uniform(0.4, 0.9)] for person in people}
    requests, seen = [], set()
    while len(requests) < 320:
        members = tuple(
            sorted(rng.sample(people[:30] if rng.random() < 0.4 else people, 3 if rng.random() < 0.1 else 2))
        )
        if members not in seen:
            seen.add(members)
            requests.append((f"r{len(requests):03d}", list(members), rng.choice([1, 1, 1, 2, 2, 3])))
    return make_instance(slots, {f"T{i}": 1 + i % 2 for i in range(10)}, available, requests)


def test_a_medium_event_is_valid_close_to_its_bound_and_keeps_announcements():
    instance = medium_event()
    greedy = compute_greedy_schedule(instance)
    schedule = compute_schedule(instance)

    assert_valid_schedule(instance, schedule)
    assert schedule.stats.objective >= greedy.stats.objective
    assert schedule.stats.bound <= compute_upper_bound(instance)
    assert schedule.stats.objective >= 0.98 * schedule.stats.bound
    assert len(schedule.meetings) <= compute_upper_bound(instance, objective="meetings")

    # Late changes: ten announced meetings cancelled, two new requests; nothing announced moves.
    cancelled = {m.request for m in schedule.meetings[::15][:10]}
    late = dataclasses.replace(
        instance,
        requests=tuple(r for r in instance.requests if r.id not in cancelled)
        + make_instance([], {}, {}, [("new-1", ["p000", "p050"], 3), ("new-2", ["p001", "p060", "p070"], 2)]).requests,
        fixed=schedule.meetings,
    )
    again = compute_schedule(late)
    assert_valid_schedule(late, again)
    now = {m.request: m for m in again.meetings}
    assert all(now[m.request] == m for m in schedule.meetings if m.request not in cancelled)
    assert set(again.dropped_fixed) == cancelled

    # With moves allowed every announced meeting still happens, and nothing is lost by moving.
    moved = compute_schedule(dataclasses.replace(late, allow_moves=True))
    assert_valid_schedule(late, moved)
    assert {m.request for m in schedule.meetings} - cancelled <= {m.request for m in moved.meetings}
    assert moved.stats.objective >= again.stats.objective


def test_the_first_order_lp_takes_over_when_the_simplex_runs_out_of_time():
    # The simplex needs tens of milliseconds on the medium event; one millisecond is too little,
    # so the bound and the rounded starting schedule come from PDLP, and CP-SAT goes on from there.
    instance = medium_event()
    with_simplex = compute_schedule(instance)
    fallback = compute_schedule(instance, simplex_time_limit=0.001)

    assert with_simplex.stats.relaxation == "simplex"
    assert fallback.stats.relaxation == "first-order"
    assert_valid_schedule(instance, fallback)
    assert fallback.stats.objective >= compute_greedy_schedule(instance).stats.objective
    # A proven bound is never below a schedule that exists.
    assert fallback.stats.bound >= with_simplex.stats.objective
    assert fallback.stats.bound >= fallback.stats.objective


def test_the_solver_reports_no_relaxation_when_greedy_is_already_optimal():
    instance = make_instance(["09:00"], {"T1": 1}, {"a": ["09:00"], "b": ["09:00"]}, [("ab", ["a", "b"], 1)])
    schedule = compute_schedule(instance, simplex_time_limit=0.001)
    assert schedule.stats.status == "optimal"
    assert schedule.stats.relaxation == ""
