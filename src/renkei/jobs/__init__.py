"""Background jobs (ジョブ): work that outlives a request, such as file imports and index updates.

The same task code runs inline in the process that starts it (the embedded default, no broker)
or in Celery workers over Redis or RabbitMQ (RENKEI_BROKER_URL set). Public API:

- `renkei.jobs.registry.job_kind` declares a task function (in an app's `tasks.py`);
- `renkei.jobs.services.enqueue` starts one and returns its `Job`;
- inside the task, `context.progress(stage, done, total)` reports how far it has got.

See docs/jobs.md.
"""
