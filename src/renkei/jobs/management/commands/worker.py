"""`renkei worker`: run a Celery worker for renkei's background jobs."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from renkei.jobs.runner import check_stale_jobs

POOLS = ("prefork", "solo", "threads")


class Command(BaseCommand):
    help = (
        "Run a Celery worker that runs renkei's background jobs (imports, index updates). Needs "
        "RENKEI_BROKER_URL (redis://… or amqp://…); start as many as you like, on any machine that "
        "reaches the broker and the database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--concurrency",
            type=int,
            default=os.cpu_count() or 1,
            help="Jobs run at once by this worker (processes of the prefork pool). Default: the number of CPUs.",
        )
        parser.add_argument(
            "--queues",
            default=settings.JOBS_QUEUE,
            help="Comma-separated queues to take jobs from. Default: RENKEI_JOBS_QUEUE (renkei).",
        )
        parser.add_argument(
            "--pool",
            choices=POOLS,
            default="prefork",
            help="prefork (default: one process per job), solo (one job at a time in this process), threads.",
        )
        parser.add_argument(
            "--max-tasks-per-child",
            type=int,
            default=100,
            help="Replace a pool process after this many jobs, to return memory. Default: 100.",
        )
        parser.add_argument("--loglevel", default="INFO", help="DEBUG, INFO, WARNING or ERROR. Default: INFO.")
        parser.add_argument("--hostname", default="", help="Worker name, e.g. renkei1@%%h. Default: Celery's.")

    def handle(self, *args, **options) -> None:
        if not settings.JOBS_BROKER_URL:
            raise CommandError(
                "RENKEI_BROKER_URL is not set, so jobs run inline in the web process and no worker is "
                "needed. Set it to redis://… or amqp://… to run jobs in workers (docs/jobs.md)."
            )
        if options["concurrency"] < 1:
            raise CommandError("--concurrency must be at least 1")
        if options["max_tasks_per_child"] < 1:
            raise CommandError("--max-tasks-per-child must be at least 1")
        queues = [q.strip() for q in options["queues"].split(",") if q.strip()]
        if not queues:
            raise CommandError("--queues must name at least one queue")
        lost = check_stale_jobs()
        if lost:
            self.stderr.write(f"Marked {len(lost)} job(s) whose worker was lost as failed.")
        from renkei.celery import app

        argv = [
            "worker",
            f"--concurrency={options['concurrency']}",
            f"--queues={','.join(queues)}",
            f"--pool={options['pool']}",
            f"--max-tasks-per-child={options['max_tasks_per_child']}",
            f"--loglevel={options['loglevel']}",
            "--without-gossip",  # workers need not chat with each other; less broker traffic
            "--without-mingle",
        ]
        if options["hostname"]:
            argv.append(f"--hostname={options['hostname']}")
        app.worker_main(argv)
