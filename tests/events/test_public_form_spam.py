"""Spam protection of the public registration form: the honeypot, the minimum fill time (a signed
timestamp), the per-address rate limit, and duplicate submissions of one e-mail address."""

from __future__ import annotations

import re
import time

import pytest
from django.core import signing

from renkei.events.models import Registration
from renkei.events.spam import SALT, form_stamp
from tests.events.test_event_pages import make_event, url
from tests.events.test_registration import visitor_form


@pytest.fixture
def event(cast):
    return make_event(cast.cluster_a)


def _post(client, event, address: str = "192.0.2.10", **overrides):
    return client.post(url("event_register", event.pk), visitor_form(**overrides), REMOTE_ADDR=address)


def _stamp_in(page: str) -> str:
    return re.search(r'name="rendered_at" value="([^"]+)"', page).group(1)


def test_a_person_who_took_their_time_is_registered(client, event):
    response = _post(client, event)
    assert response.status_code == 302
    assert Registration.objects.filter(event=event).count() == 1


def test_the_form_carries_a_signed_timestamp_and_a_hidden_honeypot(client, event):
    page = client.get(url("event_register", event.pk)).content.decode()
    shown_at = signing.loads(_stamp_in(page), salt=SALT)
    assert abs(shown_at - time.time()) < 3600
    assert 'name="website"' in page and "hidden" in page


def test_a_filled_honeypot_is_refused_and_nothing_saved(client, event, english):
    response = _post(client, event, website="http://spam.example")
    assert response.status_code == 200
    assert "looks automated" in response.content.decode()
    assert not Registration.objects.exists()


def test_a_form_sent_right_after_it_was_shown_is_refused(client, event, english):
    page = client.get(url("event_register", event.pk)).content.decode()
    stamp = _stamp_in(page)
    response = _post(client, event, rendered_at=stamp)
    assert response.status_code == 200
    text = response.content.decode()
    assert "sent too quickly" in text
    assert not Registration.objects.exists()
    # The entries and the stamp are kept: sent again a moment later, the form goes through.
    assert "misaki@example.jp" in text.lower() and _stamp_in(text) == stamp


@pytest.mark.parametrize(
    "stamp",
    [
        "",  # missing: the form was not loaded from the site
        "1700000000:forged",
        signing.dumps(int(time.time()) - 60, salt="another-salt"),
        signing.dumps("not a time", salt=SALT),
    ],
    ids=["missing", "forged", "other-salt", "not-a-time"],
)
def test_a_missing_or_forged_timestamp_is_refused(client, event, english, stamp):
    response = _post(client, event, rendered_at=stamp)
    assert "looks automated" in response.content.decode()
    assert not Registration.objects.exists()
    assert _stamp_in(response.content.decode()) != stamp  # a fresh stamp for a real person to retry


def test_a_form_left_open_too_long_asks_to_send_it_again_with_a_fresh_stamp(client, event, english):
    old = form_stamp(time.time() - 3 * 24 * 3600)
    response = _post(client, event, rendered_at=old)
    text = response.content.decode()
    assert "open for too long" in text
    assert not Registration.objects.exists()
    fresh = _stamp_in(text)
    assert fresh != old
    assert signing.loads(fresh, salt=SALT) > signing.loads(old, salt=SALT)


def test_too_many_submissions_from_one_address_are_refused(client, event, settings, english):
    settings.EVENT_FORM_RATE_LIMIT = 3
    for n in range(3):
        assert _post(client, event, visitor_email=f"person{n}@example.jp").status_code == 302
    response = _post(client, event, visitor_email="person9@example.jp")
    assert response.status_code == 429
    assert "Too many registrations" in response.content.decode()
    assert "person9@example.jp" in response.content.decode()  # what they typed is kept
    assert Registration.objects.count() == 3
    # Another address is not affected.
    assert _post(client, event, address="198.51.100.7", visitor_email="other@example.jp").status_code == 302


def test_refused_submissions_count_towards_the_limit_too(client, event, settings):
    settings.EVENT_FORM_RATE_LIMIT = 2
    _post(client, event, website="spam")
    _post(client, event, website="spam")
    assert _post(client, event).status_code == 429
    assert not Registration.objects.exists()


def test_the_same_email_twice_for_the_same_event_is_refused_clearly(client, event, english):
    assert _post(client, event).status_code == 302
    response = _post(client, event, visitor_email="MISAKI@example.JP", visitor_name="Misaki Tanaka")
    assert response.status_code == 200
    text = response.content.decode()
    assert "This e-mail address is already registered for this event." in text
    assert 'id="field-visitor_email"' in text and "has-error" in text
    assert Registration.objects.filter(event=event).count() == 1


def test_the_same_email_may_register_for_another_event(client, cast, event):
    other = make_event(cast.cluster_a, title_en="Another seminar")
    assert _post(client, event).status_code == 302
    assert _post(client, other).status_code == 302
    assert Registration.objects.count() == 2
