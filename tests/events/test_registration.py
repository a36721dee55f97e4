"""Registration: participants in one step, visitors through the public form with consent;
capacity with a waiting list that moves up on cancellation; deadlines and duplicates."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from renkei.events import services
from renkei.events.choices import EventStatus, RegistrationStatus
from renkei.events.models import Registration
from renkei.events.spam import form_stamp
from tests.events.test_event_pages import make_event, url

CONFIRMED, WAITLISTED, CANCELLED = (
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITLISTED,
    RegistrationStatus.CANCELLED,
)


def visitor(event, n: int):
    return services.do_register_visitor(
        event, name=f"Visitor {n}", email=f"visitor{n}@example.jp", organisation="Example KK", consent=True
    )


def visitor_form(**overrides) -> dict:
    data = {
        "visitor_name": "田中 美咲",
        "visitor_email": "Misaki@Example.jp",
        "visitor_organisation": "北海道バイオ株式会社",
        "consent_to_data_use": "on",
        "website": "",
        "rendered_at": form_stamp(time.time() - 60),  # a person took a minute to fill it in
    }
    data.update(overrides)
    return data


# --- signed-in participants -----------------------------------------------------------


def test_a_participant_registers_in_one_step(cast, client_for):
    event = make_event(cast.cluster_a, capacity=10)
    response = client_for(cast.participant).post(url("event_register", event.pk))
    assert response.status_code == 302
    registration = Registration.objects.get(event=event)
    assert registration.person == cast.participant_person
    assert registration.status == CONFIRMED
    page = client_for(cast.participant).get(url("event_detail", event.pk))
    assert page.context["own_registration"] == registration


def test_a_second_registration_is_refused_with_a_clear_message(cast, client_for, english):
    event = make_event(cast.cluster_a)
    client = client_for(cast.participant)
    client.post(url("event_register", event.pk))
    response = client.post(url("event_register", event.pk), follow=True)
    assert "already registered" in response.content.decode()
    assert Registration.objects.filter(event=event).count() == 1


def test_a_participant_may_register_again_after_cancelling(cast):
    event = make_event(cast.cluster_a)
    first = services.do_register_person(cast.participant, event)
    services.do_cancel_registration(cast.participant, first)
    again = services.do_register_person(cast.participant, event)
    assert again.pk != first.pk and again.status == CONFIRMED


def test_registration_is_closed_after_the_deadline(cast, client_for, english):
    event = make_event(cast.cluster_a, deadline=timezone.now() - timedelta(minutes=1))
    response = client_for(cast.participant).post(url("event_register", event.pk), follow=True)
    assert "has closed" in response.content.decode()
    assert not Registration.objects.exists()
    with pytest.raises(ValidationError):
        visitor(event, 1)
    assert client_for(None).get(url("event_detail", event.pk)).context["is_open"] is False


def test_registration_is_open_until_the_deadline(cast):
    event = make_event(cast.cluster_a, deadline=timezone.now() + timedelta(minutes=5))
    assert visitor(event, 1).status == CONFIRMED


def test_drafts_and_cancelled_events_take_no_registrations(cast):
    draft = make_event(cast.cluster_a, status=EventStatus.DRAFT)
    cancelled = make_event(cast.cluster_a, status=EventStatus.CANCELLED)
    for event in (draft, cancelled):
        with pytest.raises(ValidationError):
            visitor(event, 1)
    assert not Registration.objects.exists()


def test_a_visitor_cannot_reach_a_draft_events_form(cast, client_for):
    draft = make_event(cast.cluster_a, status=EventStatus.DRAFT)
    assert client_for(None).post(url("event_register", draft.pk), visitor_form()).status_code == 404
    assert not Registration.objects.exists()


# --- visitors -------------------------------------------------------------------------


def test_a_visitor_registers_through_the_public_form(cast, client_for):
    event = make_event(cast.cluster_a)
    response = client_for(None).post(url("event_register", event.pk), visitor_form())
    assert response.status_code == 302
    registration = Registration.objects.get(event=event)
    assert registration.person is None
    assert registration.visitor_email == "misaki@example.jp"
    assert registration.visitor_organisation == "北海道バイオ株式会社"
    assert registration.consent_to_data_use is True


def test_the_visitor_form_without_consent_is_refused(cast, client_for):
    event = make_event(cast.cluster_a)
    response = client_for(None).post(url("event_register", event.pk), visitor_form(consent_to_data_use=""))
    assert response.status_code == 200
    assert "consent_to_data_use" in response.context["form"].errors
    assert not Registration.objects.exists()
    with pytest.raises(ValidationError) as error:
        services.do_register_visitor(event, name="A", email="a@example.jp", organisation="", consent=False)
    assert "consent_to_data_use" in error.value.message_dict


def test_the_visitor_form_names_bad_fields(cast, client_for):
    event = make_event(cast.cluster_a)
    response = client_for(None).post(
        url("event_register", event.pk), visitor_form(visitor_name="", visitor_email="nope")
    )
    assert {"visitor_name", "visitor_email"} <= set(response.context["form"].errors)
    assert not Registration.objects.exists()


def test_a_filled_honeypot_is_refused(cast, client_for):
    event = make_event(cast.cluster_a)
    response = client_for(None).post(url("event_register", event.pk), visitor_form(website="http://spam.example"))
    assert response.status_code == 200 and response.context["form"].errors
    assert not Registration.objects.exists()


def test_the_same_visitor_email_twice_is_refused(cast, client_for, english):
    event = make_event(cast.cluster_a)
    client = client_for(None)
    client.post(url("event_register", event.pk), visitor_form())
    response = client.post(url("event_register", event.pk), visitor_form(visitor_email="misaki@example.JP"))
    assert response.status_code == 200
    assert "already registered" in str(response.context["form"].errors["visitor_email"])
    assert Registration.objects.filter(event=event).count() == 1


# --- capacity and the waiting list ----------------------------------------------------


def test_capacity_fills_then_the_waiting_list_keeps_order(cast):
    event = make_event(cast.cluster_a, capacity=2)
    registrations = [visitor(event, n) for n in range(5)]
    assert [r.status for r in registrations] == [CONFIRMED, CONFIRMED, WAITLISTED, WAITLISTED, WAITLISTED]


def test_cancelling_a_confirmed_seat_promotes_the_first_waitlisted(cast):
    event = make_event(cast.cluster_a, capacity=2)
    first, second, third, fourth = (visitor(event, n) for n in range(4))
    promoted = services.do_cancel_registration(cast.hq_a, first)
    assert promoted == third
    statuses = dict(Registration.objects.filter(event=event).values_list("pk", "status"))
    assert statuses == {first.pk: CANCELLED, second.pk: CONFIRMED, third.pk: CONFIRMED, fourth.pk: WAITLISTED}
    assert Registration.objects.get(pk=third.pk).history.first().history_change_reason


def test_cancelling_a_waitlisted_registration_promotes_no_one(cast):
    event = make_event(cast.cluster_a, capacity=1)
    _, waiting, last = (visitor(event, n) for n in range(3))
    assert services.do_cancel_registration(cast.hq_a, waiting) is None
    assert Registration.objects.get(pk=last.pk).status == WAITLISTED


def test_the_waiting_list_moves_up_from_the_event_page(cast, client_for):
    event = make_event(cast.cluster_a, capacity=1)
    client = client_for(cast.participant)
    client.post(url("event_register", event.pk))
    waiting = visitor(event, 1)
    mine = Registration.objects.get(event=event, person=cast.participant_person)
    response = client.post(url("registration_cancel", mine.pk))
    assert response.status_code == 302
    assert Registration.objects.get(pk=waiting.pk).status == CONFIRMED
    assert client_for(None).get(url("event_detail", event.pk)).context["counts"]["confirmed"] == 1


def test_the_last_seat_is_given_once_under_the_row_lock(cast):
    """One after the other; the simultaneous case is test_registration_concurrency.py (PostgreSQL)."""
    event = make_event(cast.cluster_a, capacity=1)
    winner = visitor(event, 1)
    loser = visitor(event, 2)
    assert (winner.status, loser.status) == (CONFIRMED, WAITLISTED)
    assert Registration.objects.filter(event=event, status=CONFIRMED).count() == 1


def test_a_participant_cannot_cancel_someone_elses_registration(cast, client_for):
    event = make_event(cast.cluster_a)
    other = visitor(event, 1)
    assert client_for(cast.participant).post(url("registration_cancel", other.pk)).status_code == 404
    assert client_for(cast.hq_b).post(url("registration_cancel", other.pk)).status_code == 404
    assert Registration.objects.get(pk=other.pk).status == CONFIRMED


def test_a_waitlisted_registration_cannot_be_checked_in(cast):
    event = make_event(cast.cluster_a, capacity=1)
    visitor(event, 1)
    waiting = visitor(event, 2)
    with pytest.raises(ValidationError):
        services.do_check_in(cast.hq_a, waiting)
