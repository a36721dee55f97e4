"""The Celery application of renkei's background jobs (used when RENKEI_BROKER_URL is set).

Start workers with `renkei worker` (or `celery -A renkei worker`). Configuration comes from
the Django settings with the CELERY_ prefix (settings.py, "Background jobs"). There is one Celery
task, `renkei.jobs.run`, which runs a recorded Job by id; the job kinds themselves are plain
functions registered in the apps' `tasks.py` (renkei.jobs.registry), so the same code runs
inline and in workers.
"""

from __future__ import annotations

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renkei.settings")

app = Celery("renkei")
app.config_from_object("django.conf:settings", namespace="CELERY")


def _renkei_apps() -> list[str]:
    from django.apps import apps

    return [config.name for config in apps.get_app_configs() if config.name.startswith("renkei.")]


app.autodiscover_tasks(_renkei_apps)


@app.task(name="renkei.jobs.run", ignore_result=True)
def run_job_task(job_id: int) -> None:
    """Run the recorded Job `job_id` (see renkei.jobs.runner.run_job)."""
    from renkei.jobs.runner import run_job

    run_job(job_id)


@signals.worker_ready.connect
def _mark_lost_jobs(**kwargs: object) -> None:
    """A worker that starts reports the jobs whose worker vanished (renkei.jobs.runner)."""
    from renkei.jobs.runner import check_stale_jobs

    check_stale_jobs()
