from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import translation

from tests.cast import Cast, build_cast

# The `smtp` and `smtp_down` fixtures: a real SMTP server on localhost for the mail tests.
pytest_plugins = ["tests.mail_server"]


@pytest.fixture(scope="session", autouse=True)
def private_data_dir(tmp_path_factory):
    """Indexes and uploads written during the tests go to a directory of their own, never
    into the data directory of a demo that may sit in the working tree."""
    data_dir = tmp_path_factory.mktemp("data")
    with override_settings(DATA_DIR=data_dir, MEDIA_ROOT=data_dir / "media"):
        yield data_dir


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The cast's users get passwords; the real hasher would spend over a second on them.
    Sign-in tests still go through the real authentication path, only with a cheap hash."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def japanese_by_default():
    """Code outside a request runs in Japanese unless a test says otherwise. A request under
    /en/ leaves English active in the thread, which would otherwise leak into the next test."""
    with translation.override("ja"):
        yield


@pytest.fixture
def english():
    """For tests that read English messages: URLs reverse to /en/… and messages built outside a
    request are English. Japanese is the default everywhere else."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def fresh_cache():
    """Sign-in failure counters and API throttles live in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def cast(db) -> Cast:
    return build_cast()


@pytest.fixture
def client_for(client):
    """Log the test client in as one of the cast (None for an anonymous visitor)."""

    def login(user):
        client.logout()
        if user is not None and getattr(user, "is_authenticated", False):
            client.force_login(user)
        return client

    return login
