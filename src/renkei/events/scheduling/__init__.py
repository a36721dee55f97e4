"""The business-matching meeting scheduler (B2B 1:1 meetings in time slots and at tables).

Plain dataclasses in, plain dataclasses out; no Django models, so the events pages, the
``renkei schedule-meetings`` command and the benchmarks all call the same code. See
docs/scheduling.md for the JSON format and the rules.
"""

from __future__ import annotations

from .booking import check_booking, compute_free_placements
from .instance import (
    CONFLICT,
    MAX_PRIORITY,
    NO_AVAILABLE_SLOT,
    NO_COMMON_SLOT,
    Instance,
    InstanceError,
    Meeting,
    MeetingRequest,
    Participant,
    Schedule,
    SolveStats,
    Table,
    Unscheduled,
    check_instance,
    load_instance,
    parse_instance,
    schedule_to_json,
)
from .solver import DEFAULT_TIME_LIMIT, compute_greedy_schedule, compute_schedule, compute_upper_bound

__all__ = [
    "CONFLICT",
    "DEFAULT_TIME_LIMIT",
    "MAX_PRIORITY",
    "NO_AVAILABLE_SLOT",
    "NO_COMMON_SLOT",
    "Instance",
    "InstanceError",
    "Meeting",
    "MeetingRequest",
    "Participant",
    "Schedule",
    "SolveStats",
    "Table",
    "Unscheduled",
    "check_booking",
    "check_instance",
    "compute_free_placements",
    "compute_greedy_schedule",
    "compute_schedule",
    "compute_upper_bound",
    "load_instance",
    "parse_instance",
    "schedule_to_json",
]
