"""The job kinds: which function runs for a kind, and what the pages call it.

A kind is declared once, in the `tasks.py` of the app it belongs to:

    @job_kind("imports.corporate_numbers", label=_("Corporate number import"))
    def import_corporate_numbers(context: JobContext, *, path: str) -> dict:
        ...
        context.progress(_("Reading the file"), done, total)
        return {"imported": 1200, "rejected": 3}

The function receives a `JobContext` and the job's parameters as keyword arguments, and returns
a small JSON-serialisable dict, the result summary shown on the job's page (or None).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise

if TYPE_CHECKING:
    pass

TaskFunction = Callable[..., "dict[str, Any] | None"]


@dataclass(frozen=True)
class JobKind:
    name: str
    function: TaskFunction
    label: str | Promise
    result_labels: dict[str, str | Promise]


_kinds: dict[str, JobKind] = {}


def job_kind(
    name: str, *, label: str | Promise, result_labels: dict[str, str | Promise] | None = None
) -> Callable[[TaskFunction], TaskFunction]:
    """Register the decorated function as the task of job kind `name` ("app.what", e.g.
    "imports.corporate_numbers"). `result_labels` names the keys of the returned summary on the
    job's page (keys without a label are shown as they are)."""

    def register(function: TaskFunction) -> TaskFunction:
        existing = _kinds.get(name)
        if existing is not None and existing.function.__qualname__ != function.__qualname__:
            raise ValueError(f"job kind {name!r} is already registered by {existing.function.__module__}")
        _kinds[name] = JobKind(name=name, function=function, label=label, result_labels=dict(result_labels or {}))
        return function

    return register


def get_kind(name: str) -> JobKind | None:
    return _kinds.get(name)


def kinds() -> dict[str, JobKind]:
    return dict(_kinds)
