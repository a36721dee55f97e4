"""Fixtures of the jobs tests: inline mode, and a real Celery worker over a real Redis broker.

The worker is a separate process, so it must see the test's data: the Celery tests commit
(transactional tests) into a database the worker opens too. On PostgreSQL that is the test
database pytest-django created (its name is read from the live connection). On SQLite, whose
test database lives in memory, the tests switch the connection to a migrated file database in a
temporary directory for their duration, and the worker opens the same file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.db import connections

BROKER_URL = os.environ.get("RENKEI_TEST_BROKER_URL", "redis://127.0.0.1:6379/15")
WORKER_START_TIMEOUT = 90


@pytest.fixture
def inline_jobs(settings):
    """Jobs run in the test's process, after commit (the embedded default)."""
    settings.JOBS_BROKER_URL = ""
    return settings


@pytest.fixture(scope="session")
def redis_broker() -> str:
    """The test broker. Redis down is a failure with a clear message, never a silent skip."""
    import redis

    try:
        redis.Redis.from_url(BROKER_URL, socket_connect_timeout=3, socket_timeout=3).ping()
    except redis.RedisError as exc:
        pytest.fail(
            f"Redis is not reachable at {BROKER_URL} ({exc}). The Celery tests need a real broker: "
            "start redis-server on 127.0.0.1:6379 (CI starts a redis service) or set RENKEI_TEST_BROKER_URL.",
            pytrace=False,
        )
    return BROKER_URL


@dataclass
class WorkerDatabase:
    url: str
    sqlite_path: Path | None


@contextmanager
def _sqlite_file(path: Path):
    """Point the default connection at the SQLite file `path`, keeping the in-memory test
    database's own connection aside (closing it would destroy that database)."""
    conn = connections["default"]
    saved_connection, saved_name = conn.connection, conn.settings_dict["NAME"]
    conn.connection = None
    conn.settings_dict["NAME"] = str(path)
    try:
        yield
    finally:
        conn.close()
        conn.settings_dict["NAME"] = saved_name
        conn.connection = saved_connection


def _postgres_url(settings_dict: dict) -> str:
    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(settings_dict.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or "5432"
    return f"postgres://{credentials}{host}:{port}/{quote(settings_dict['NAME'], safe='')}"


@pytest.fixture(scope="module")
def worker_database(django_db_setup, django_db_blocker, tmp_path_factory) -> WorkerDatabase:
    conn = connections["default"]
    if conn.vendor == "postgresql":
        # pytest-django has created test_<name> (test_<name>_gwN under xdist); this is its name.
        return WorkerDatabase(url=_postgres_url(conn.settings_dict), sqlite_path=None)
    if conn.vendor != "sqlite":
        pytest.fail(f"the Celery tests do not know how to share a {conn.vendor} database with a worker")
    path = tmp_path_factory.mktemp("jobs-db") / "jobs.sqlite3"
    with django_db_blocker.unblock(), _sqlite_file(path):
        call_command("migrate", verbosity=0)
    return WorkerDatabase(url=f"sqlite:///{path}", sqlite_path=path)


@pytest.fixture
def shared_db(worker_database, transactional_db):
    """The test writes (and commits) where the worker reads. Request it before any fixture that
    creates rows."""
    if worker_database.sqlite_path is None:
        yield worker_database
        return
    with _sqlite_file(worker_database.sqlite_path):
        try:
            yield worker_database
        finally:
            call_command("flush", interactive=False, verbosity=0)


class Worker:
    """A real worker process (its own session, so a kill reaches every process it started)."""

    def __init__(self, command: list[str], env: dict[str, str], log_path: Path) -> None:
        self.log_path = log_path
        self._log = open(log_path, "wb")  # noqa: SIM115 (closed in stop())
        self.process = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
            command, env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait_ready(self) -> None:
        deadline = time.monotonic() + WORKER_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"the worker exited with {self.process.returncode} before it was ready:\n{self.log()}")
            if " ready." in self.log():
                return
            time.sleep(0.2)
        self.stop()
        pytest.fail(f"the worker was not ready after {WORKER_START_TIMEOUT} s:\n{self.log()}")

    def kill(self) -> None:
        """Kill the worker without warning (as an out-of-memory kill or a lost machine would)."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self._log.close()


@pytest.fixture
def start_worker(redis_broker, worker_database, tmp_path_factory):
    """Start real worker processes on the given queue; stopped at the end of the test."""
    started: list[Worker] = []

    def start(*, queue: str, use_renkei_command: bool = False, **env_extra: str) -> Worker:
        directory = tmp_path_factory.mktemp("worker")
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "renkei.settings",
            "RENKEI_BROKER_URL": redis_broker,
            "RENKEI_DATABASE_URL": worker_database.url,
            "RENKEI_DATA_DIR": str(directory),
            "RENKEI_JOBS_QUEUE": queue,
            **env_extra,
        }
        if use_renkei_command:
            command = [sys.executable, "-m", "renkei.cli", "worker", "--pool=solo", "--concurrency=1"]
        else:
            command = [sys.executable, "-m", "celery", "-A", "renkei", "worker", "--pool=solo", f"--queues={queue}"]
            command += ["--without-gossip", "--without-mingle", "--loglevel=INFO"]
        worker = Worker(command, env, directory / "worker.log")
        started.append(worker)
        worker.wait_ready()
        return worker

    yield start
    for worker in started:
        worker.stop()


@pytest.fixture
def celery_jobs(settings, redis_broker):
    """Jobs in this test go to the broker, on a queue no other test run shares."""
    settings.JOBS_BROKER_URL = redis_broker
    settings.JOBS_QUEUE = f"renkei-test-{uuid.uuid4().hex[:12]}"
    return settings


@pytest.fixture
def api(db):
    """`api(user)`: an API client with the user's token whose every response is checked against
    the OpenAPI schema (the API tests' client)."""
    from rest_framework.authtoken.models import Token

    from tests.api.conftest import SchemaCheckedClient

    def client_for(user=None) -> SchemaCheckedClient:
        client = SchemaCheckedClient()
        if user is not None and user.is_authenticated:
            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return client_for
