"""The 0–1 model of a scheduling instance, shared by the LP relaxation and CP-SAT.

One variable per *option*: a request placed in a slot where all its participants are
available (``table`` is None, the slot model) or at a slot and a table (the literal model).
Rows are the constraints, each "Σ x over ``members`` ≤ ``limit``" or, for announced meetings
that must take place, "= 1". Both solvers read the same rows, so the bound the LP proves is
a bound on exactly the problem CP-SAT solves.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from .instance import Instance, Meeting, MeetingRequest

Formulation = Literal["slot", "table"]
Option = tuple[str, str, str | None]  # (request id, slot, table or None)


@dataclass(frozen=True, slots=True)
class Prepared:
    """An instance with what every solver step needs: common slots and announced meetings."""

    instance: Instance
    common: dict[str, tuple[str, ...]]  # request id -> slots where all its participants are available
    fixed: dict[str, Meeting]  # request id -> announced meeting

    @classmethod
    def of(cls, instance: Instance) -> Prepared:
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

    def must_happen(self, request_id: str) -> bool:
        """Announced and still possible: it takes place (pinned, or moved when moves are allowed)."""
        return self.pinned(request_id) or self.stays_valid(request_id)

    def movable(self) -> list[str]:
        """Announced meetings that may move (moves allowed) and could stay where they are."""
        if not self.instance.allow_moves:
            return []
        return [request_id for request_id in self.fixed if self.stays_valid(request_id)]

    def greedy_order(self) -> list[MeetingRequest]:
        """Higher priority first, then the most constrained (fewest common slots), then input order."""
        order = {request.id: index for index, request in enumerate(self.instance.requests)}
        return sorted(self.instance.requests, key=lambda r: (-r.priority, len(self.common[r.id]), order[r.id]))


@dataclass(frozen=True, slots=True)
class Row:
    members: tuple[int, ...]  # option indices
    limit: int
    equal: bool = False  # "= limit" instead of "≤ limit"


@dataclass(frozen=True, slots=True)
class Model:
    options: tuple[Option, ...]
    weights: tuple[int, ...]  # per option, in units of priority × scale (CP-SAT's objective)
    scale: int  # priority units are worth ``scale``; keeping an announced meeting in place is worth 1
    rows: tuple[Row, ...]
    priorities: tuple[int, ...]  # per option, the plain priority (the LP's objective)
    stays: tuple[int, ...] = ()  # options keeping a movable announced meeting where it was

    def priority_bound(self, scaled_bound: float) -> int:
        """A bound in priority units from a bound on the scaled objective.

        The tie-breaks add less than one ``scale`` in total, so the floor is still a bound; the
        small tolerance only ever raises it (a bound stays a bound)."""
        return integral_bound(scaled_bound / self.scale)


def integral_bound(bound: float) -> int:
    """Priorities are integers, so the floor of a bound is one; the tolerance only ever raises it."""
    return math.floor(bound + 1e-6)


def build_model(
    prepared: Prepared, formulation: Formulation = "slot", priorities: dict[str, int] | None = None
) -> Model:
    """The options, weights and rows of ``prepared``.

    ``priorities`` replaces the requests' priorities (e.g. all 1 to bound the number of meetings).
    """
    instance = prepared.instance
    requests = {request.id: request for request in instance.requests}
    weight_of = priorities or {request.id: request.priority for request in instance.requests}
    movable = prepared.movable()
    scale = len(movable) + 1

    options: list[Option] = []
    for request in instance.requests:
        if prepared.pinned(request.id):
            meeting = prepared.fixed[request.id]
            options.append((request.id, meeting.slot, meeting.table if formulation == "table" else None))
        elif formulation == "table":
            options.extend((request.id, s, t.id) for s in prepared.common[request.id] for t in instance.tables)
        else:
            options.extend((request.id, s, None) for s in prepared.common[request.id])
    priorities = tuple(weight_of[request_id] for request_id, _, _ in options)
    weights = [priority * scale for priority in priorities]
    stay = {
        (
            request_id,
            prepared.fixed[request_id].slot,
            prepared.fixed[request_id].table if formulation == "table" else None,
        )
        for request_id in movable
    }
    stays = tuple(index for index, option in enumerate(options) if option in stay)
    for index in stays:
        weights[index] += 1

    by_request: dict[str, list[int]] = {}
    by_person_slot: dict[tuple[str, str], list[int]] = {}
    by_place: dict[tuple[str, str | None], list[int]] = {}
    for index, (request_id, slot, table) in enumerate(options):
        by_request.setdefault(request_id, []).append(index)
        by_place.setdefault((slot, table), []).append(index)
        for person in requests[request_id].participants:
            by_person_slot.setdefault((person, slot), []).append(index)
    rows = [
        # Its announced place is free of clashes (checked with the instance), so "= 1" holds.
        Row(tuple(members), 1, equal=prepared.must_happen(request_id))
        for request_id, members in by_request.items()
    ]
    rows.extend(Row(tuple(members), 1) for members in by_person_slot.values() if len(members) > 1)
    capacity = {table.id: table.capacity for table in instance.tables}
    slot_capacity = sum(capacity.values())
    for (_, table), members in by_place.items():
        limit = capacity[table] if table is not None else slot_capacity
        if len(members) > limit:
            rows.append(Row(tuple(members), limit))
    return Model(
        options=tuple(options),
        weights=tuple(weights),
        scale=scale,
        rows=tuple(rows),
        priorities=priorities,
        stays=stays,
    )
