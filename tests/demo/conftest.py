from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

DEMO_SCALE = 0.01


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    """The demo loaded once per module at a small scale, rolled back when the module is done.

    Each test runs inside its own savepoint on top (the `db` fixture), so what one test changes
    the next does not see. Returns what `renkei load_demo` printed."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        transaction.atomic(),
    ):
        out = io.StringIO()
        call_command("load_demo", scale=DEMO_SCALE, stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_output, db):
    return demo_output
