from __future__ import annotations

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The cast's users get passwords; the default hasher would spend seconds on them."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def japanese_by_default():
    """Pages are requested under /ja/ unless a test says otherwise. A request under /en/
    leaves English active in the thread, which would otherwise leak into the next test."""
    with translation.override("ja"):
        yield
