"""The business-matching meeting scheduler on generated events: CP-SAT against greedy and the bound.

    .venv/bin/python benchmarks/meeting_scheduler.py                      # both sizes below
    .venv/bin/python benchmarks/meeting_scheduler.py --participants 300 --slots 16 --tables 40 --requests 1500

A generated event: participants available in a random 40–90% of the slots each; requests
between two participants (one in ten brings a colleague: three participants) drawn with a
skewed popularity (a few companies are asked by many, as at real events); priority 1 (one
side asked), 2 (the matcher ranks it high) or 3 (mutual interest). Tables hold one meeting.

For each event: the greedy baseline (priority first, then most constrained, first free slot),
CP-SAT on the default slot formulation, and optionally the literal slot × table formulation
(--table-formulation). Reported: wall time (including model building), meetings scheduled,
the objective (sum of priorities), CP-SAT's proven upper bound (BestObjectiveBound), and the
ratios CP-SAT / greedy and CP-SAT / bound. Then a late-change round: 5% of the scheduled
meetings are cancelled and 5% new requests arrive; the announced schedule is kept (no moves).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import random

from renkei.events.scheduling import (
    Instance,
    Meeting,
    MeetingRequest,
    Participant,
    Table,
    compute_greedy_schedule,
    compute_schedule,
)

SIZES = [(300, 16, 40, 1500), (1000, 16, 150, 6000)]


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


def run(participants: int, slots: int, tables: int, requests: int, args: argparse.Namespace) -> None:
    instance = generate(participants, slots, tables, requests, args.seed)
    print(f"\n## {participants} participants, {slots} slots, {tables} tables, {requests} requests (seed {args.seed})")
    print("| solver | wall s | meetings | priority | bound | / greedy | / bound | status | variables |")
    print("|---|---|---|---|---|---|---|---|---|")
    greedy = compute_greedy_schedule(instance)
    rows = [("greedy", greedy)]
    best = compute_schedule(instance, time_limit=args.time_limit, workers=args.workers)
    rows.append((f"CP-SAT slot ({args.workers} worker)", best))
    if args.table_formulation:
        rows.append(
            (
                f"CP-SAT slot × table ({args.workers} worker)",
                compute_schedule(instance, time_limit=args.time_limit, workers=args.workers, formulation="table"),
            )
        )
    bound = best.stats.bound
    for name, schedule in rows:
        stats = schedule.stats
        print(
            f"| {name} | {stats.wall_seconds:.1f} | {len(schedule.meetings)} | {stats.objective} | "
            f"{stats.bound if stats.status != 'greedy' else '–'} | {stats.objective / greedy.stats.objective:.3f} | "
            f"{stats.objective / bound:.4f} | {stats.status} | {stats.variables or '–'} |"
        )
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--participants", type=int)
    parser.add_argument("--slots", type=int, default=16)
    parser.add_argument("--tables", type=int)
    parser.add_argument("--requests", type=int)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--table-formulation", action="store_true", help="also solve the slot × table model")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f}; time limit {args.time_limit:g} s")
    if args.participants:
        run(args.participants, args.slots, args.tables, args.requests, args)
    else:
        for size in SIZES:
            run(*size, args)


if __name__ == "__main__":
    main()
