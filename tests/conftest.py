from __future__ import annotations

import pytest

from tests.cast import Cast, build_cast


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
