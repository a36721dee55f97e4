"""The business-matching meeting scheduler on generated events: schedule, bounds and time.

    .venv/bin/python benchmarks/meeting_scheduler.py                      # the sizes below
    .venv/bin/python benchmarks/meeting_scheduler.py --participants 300 --slots 16 --tables 40 --requests 1500

A generated event: participants available in a random 40–90% of the slots each; requests
between two participants (one in ten brings a colleague: three participants) drawn with a
skewed popularity (a few companies are asked by many, as at real events); priority 1 (one
side asked), 2 (the matcher ranks it high) or 3 (mutual interest). Tables hold one meeting.

For each event: the greedy baseline (priority first, then most constrained, first free slot)
and ``compute_schedule`` (LP relaxation, LP-guided CP-SAT, then CP-SAT on the whole model if
needed). Reported: wall and CPU time (including model building), meetings scheduled against
the LP bound on the number of meetings, and the objective (sum of priorities) against the LP
bound on it (``compute_upper_bound``). Then a late-change round: 5% of the scheduled meetings
are cancelled and 5% new requests arrive; the announced schedule is kept (no moves).

First, a small generated event solved by exhaustive search (the first seed from --seed on
where greedy misses the optimum): the scheduler must reach that optimum.

Time limits are wall time, and the machine is shared: the load average is printed at the
start and the end of each event.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import random
import time

from renkei.events.scheduling import (
    Instance,
    Meeting,
    MeetingRequest,
    Participant,
    Table,
    compute_greedy_schedule,
    compute_schedule,
    compute_upper_bound,
)

SIZES = [(300, 16, 40, 1500), (1000, 16, 150, 6000)]
SMALL = (8, 3, 2, 11)  # participants, slots, tables, requests: exhaustive search stays instant


def generate(participants: int, slots: int, tables: int, requests: int, seed: int) -> Instance:
    rng = random.Random(seed)
    slot_ids = [f"{9 + i * 20 // 60:02d}:{i * 20 % 60:02d}" for i in range(slots)]
    people = [f"p{i:04d}" for i in range(participants)]
    available = {}
    for person in people:
        share = rng.uniform(0.4, 0.9)
        available[person] = tuple(slot for slot in slot_ids if rng.random() < share)
    popularity = [1.0 / (rank + 1) ** 0.6 for rank in range(participants)]
    rng.shuffle(popularity)
    made = []
    seen: set[frozenset[str]] = set()
    while len(made) < requests:
        size = 3 if rng.random() < 0.1 else 2
        members = set()
        while len(members) < size:
            members.add(rng.choices(people, weights=popularity)[0])
        key = frozenset(members)
        if key in seen:
            continue
        seen.add(key)
        priority = rng.choices([1, 2, 3], weights=[5, 3, 2])[0]
        made.append(MeetingRequest(id=f"r{len(made):05d}", participants=tuple(sorted(members)), priority=priority))
    return Instance(
        slots=tuple(slot_ids),
        tables=tuple(Table(id=f"T{i + 1:03d}", capacity=1) for i in range(tables)),
        participants=tuple(Participant(id=p, available=available[p]) for p in people),
        requests=tuple(made),
    )


def late_changes(instance: Instance, announced: tuple[Meeting, ...], seed: int) -> Instance:
    rng = random.Random(seed + 1)
    cancelled = {m.request for m in rng.sample(list(announced), len(announced) // 20)}
    fresh = generate(
        len(instance.participants), len(instance.slots), len(instance.tables), len(announced) // 20, seed + 2
    )
    new = [dataclasses.replace(r, id=f"new-{r.id}") for r in fresh.requests]
    requests = tuple(r for r in instance.requests if r.id not in cancelled) + tuple(new)
    return dataclasses.replace(instance, requests=requests, fixed=announced)


def exhaustive_optimum(instance: Instance) -> int:
    """The best total priority by trying every request in every slot or nowhere (tables are
    interchangeable places, so per-slot counting is exact)."""
    available = {p.id: set(p.available) for p in instance.participants}
    places = sum(t.capacity for t in instance.tables)
    requests = sorted(instance.requests, key=lambda r: -r.priority)
    rest = [sum(r.priority for r in requests[i:]) for i in range(len(requests) + 1)]
    best = 0

    def search(index: int, value: int, busy: set[tuple[str, str]], used: dict[str, int]) -> None:
        nonlocal best
        best = max(best, value)
        if index == len(requests) or value + rest[index] <= best:
            return
        request = requests[index]
        for slot in instance.slots:
            people = {(p, slot) for p in request.participants}
            if used[slot] < places and all(p[1] in available[p[0]] for p in people) and not people & busy:
                used[slot] += 1
                search(index + 1, value + request.priority, busy | people, used)
                used[slot] -= 1
        search(index + 1, value, busy, used)

    search(0, 0, set(), dict.fromkeys(instance.slots, 0))
    return best


def run_small(args: argparse.Namespace) -> None:
    seed = args.seed
    while True:
        instance = generate(*SMALL, seed)
        optimum = exhaustive_optimum(instance)
        if compute_greedy_schedule(instance).stats.objective < optimum:
            break
        seed += 1
    schedule = compute_schedule(instance, time_limit=args.time_limit, workers=args.workers)
    greedy = compute_greedy_schedule(instance)
    print(
        f"\n## Known optimum: {SMALL[0]} participants, {SMALL[1]} slots, {SMALL[2]} tables, {SMALL[3]} requests "
        f"(seed {seed})\nexhaustive optimum {optimum}, greedy {greedy.stats.objective}, scheduler "
        f"{schedule.stats.objective} ({schedule.stats.status}, bound {schedule.stats.bound}) — "
        f"{'reached' if schedule.stats.objective == optimum else 'NOT reached'}"
    )


def run(participants: int, slots: int, tables: int, requests: int, args: argparse.Namespace) -> None:
    instance = generate(participants, slots, tables, requests, args.seed)
    print(f"\n## {participants} participants, {slots} slots, {tables} tables, {requests} requests (seed {args.seed})")
    print(f"load average at start {os.getloadavg()[0]:.1f}")
    meeting_bound = compute_upper_bound(instance, objective="meetings")
    rows = []
    for name, solve in [
        ("greedy", compute_greedy_schedule),
        (
            f"LP + CP-SAT ({args.workers} worker)",
            lambda i: compute_schedule(i, time_limit=args.time_limit, workers=args.workers),
        ),
    ]:
        cpu = time.process_time()
        schedule = solve(instance)
        rows.append((name, schedule, time.process_time() - cpu))
    bound = rows[-1][1].stats.bound
    print("| solver | wall s | CPU s | meetings | / bound | priority | / bound | status | variables |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, schedule, cpu in rows:
        stats = schedule.stats
        print(
            f"| {name} | {stats.wall_seconds:.1f} | {cpu:.1f} | {len(schedule.meetings)} of ≤ {meeting_bound} | "
            f"{len(schedule.meetings) / meeting_bound:.4f} | {stats.objective} of ≤ {bound} | "
            f"{stats.objective / bound:.4f} | {stats.status} | {stats.variables or '–'} |"
        )
    best = rows[-1][1]
    late = late_changes(instance, best.meetings, args.seed)
    again = compute_schedule(late, time_limit=args.time_limit, workers=args.workers)
    kept = {m.request: m for m in again.meetings}
    moved = sum(1 for m in late.fixed if m.request in kept and kept[m.request] != m)
    still = {r.id for r in late.requests}
    cancelled = sum(1 for m in late.fixed if m.request not in still)
    print(
        f"\nLate changes: {cancelled} announced meetings cancelled, "
        f"{sum(1 for r in late.requests if r.id.startswith('new-'))} new requests → "
        f"{len(again.meetings)} meetings, {sum(1 for r in again.meetings if r.request.startswith('new-'))} new placed, "
        f"{moved} announced moved, {again.stats.wall_seconds:.1f} s ({again.stats.status}, "
        f"{again.stats.objective}/{again.stats.bound})"
    )
    print(f"load average at end {os.getloadavg()[0]:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--participants", type=int)
    parser.add_argument("--slots", type=int, default=16)
    parser.add_argument("--tables", type=int)
    parser.add_argument("--requests", type=int)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    print(f"time limit {args.time_limit:g} s (wall); {os.cpu_count()} CPUs")
    run_small(args)
    if args.participants:
        run(args.participants, args.slots, args.tables, args.requests, args)
    else:
        for size in SIZES:
            run(*size, args)


if __name__ == "__main__":
    main()
