"""Two registrations for the last seat at the same moment: exactly one is confirmed.

Runs on PostgreSQL, where each thread has its own connection and `select_for_update` really
locks the event's row. SQLite (the in-memory test database) cannot hold two writers apart
across threads, and serialises every write transaction anyway (BEGIN IMMEDIATE)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from renkei.events import services
from renkei.events.choices import RegistrationStatus
from renkei.events.models import Registration
from tests.events.test_event_pages import make_event

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a server database"),
]


def test_two_registrations_for_the_last_seat_confirm_exactly_one(cast):
    event = make_event(cast.cluster_a, capacity=3)
    for n in range(2):
        services.do_register_visitor(
            event, name=f"Early {n}", email=f"early{n}@example.jp", organisation="", consent=True
        )
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def register(n: int) -> None:
        try:
            start.wait(timeout=10)
            services.do_register_visitor(
                event, name=f"Last {n}", email=f"last{n}@example.jp", organisation="", consent=True
            )
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    last = Registration.objects.filter(event=event, visitor_name__startswith="Last")
    assert sorted(last.values_list("status", flat=True)) == [
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.WAITLISTED,
    ]
    assert Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED).count() == 3
