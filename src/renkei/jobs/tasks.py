"""The jobs app's own job kind: `jobs.check`, a harmless job that counts through a number of
steps with progress, for operators to check that workers run jobs (docs/jobs.md) and for the
tests to drive a real worker."""

from __future__ import annotations

import time

from django.utils.translation import gettext_lazy as _

from renkei.jobs.registry import job_kind
from renkei.jobs.runner import JobContext, JobError, worker_name

MAX_STEPS = 10_000
MAX_DELAY_SECONDS = 60.0


@job_kind("jobs.check", label=_("Worker check"), result_labels={"steps": _("Steps done"), "worker": _("Worker")})
def check(context: JobContext, *, steps: int = 5, delay: float = 0.1, fail: str = "") -> dict:
    """Count to `steps`, sleeping `delay` seconds per step and reporting progress after each.
    With `fail`, raise it as the job's error after the last step (to see a failure recorded)."""
    steps = max(0, min(int(steps), MAX_STEPS))
    delay = max(0.0, min(float(delay), MAX_DELAY_SECONDS))
    context.progress(_("Counting"), 0, steps)
    for step in range(1, steps + 1):
        time.sleep(delay)
        context.progress(_("Counting"), step, steps)
    if fail:
        raise JobError(fail)
    return {"steps": steps, "worker": worker_name()}
