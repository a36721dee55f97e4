"""Check-in by QR code: the signed code on the registration page and in the mails, staff opening
its address or scanning/pasting it into the desk's box; refusals for cancelled and waitlisted
registrations, other events, tampered and expired codes, and for anyone but the event's staff."""

from __future__ import annotations

from datetime import timedelta

import pytest
import segno
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from renkei.events import checkin, services
from renkei.events.choices import RegistrationStatus
from renkei.events.models import Registration
from tests.events.test_event_pages import make_event, url


def _english(path: str) -> str:
    """The code's address is in the site's default language; read it in English."""
    return path.replace("/ja/", "/en/", 1)


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


@pytest.fixture
def seat(cast):
    """The participant's confirmed registration for a seminar of cluster A."""
    event = make_event(cast.cluster_a)
    return services.do_register_person(cast.participant, event)


def _visitor(event, email: str, status=RegistrationStatus.CONFIRMED) -> Registration:
    return Registration.objects.create(
        event=event, visitor_name="田中 美咲", visitor_email=email, consent_to_data_use=True, status=status
    )


def test_the_registration_page_shows_the_qr_code_of_the_check_in_address(cast, client_for, seat):
    response = client_for(cast.participant).get(url("registration_detail", seat.pk))
    assert response.status_code == 200
    page = response.content.decode()
    address = checkin.check_in_url(seat)
    assert address.startswith(f"http://localhost:8000/ja/events/{seat.event_id}/check-in/code/")
    expected = segno.make(address, error="m").svg_inline(scale=5, border=2, title="Check-in code")
    assert 'id="check-in-code"' in page
    assert expected.split("<path", 1)[1] in page  # the same modules: the code encodes that address
    assert (
        f'href="{url("registration_detail", seat.pk)}"'
        in client_for(cast.participant).get(seat.event.get_absolute_url()).content.decode()
    )


def test_the_code_is_the_same_everywhere_and_cannot_be_guessed_from_the_ids(seat):
    token = checkin.check_in_token(seat)
    assert token == checkin.check_in_token(Registration.objects.get(pk=seat.pk))
    assert token.count(":") == 1  # no timestamp part: the code does not change over time
    assert len(token.rsplit(":", 1)[1]) >= 40  # a full HMAC-SHA256 signature


def test_a_waitlisted_registration_page_shows_no_code(cast, client_for):
    event = make_event(cast.cluster_a, capacity=1)
    _visitor(event, "first@example.jp")
    registration = services.do_register_person(cast.participant, event)
    assert registration.status == RegistrationStatus.WAITLISTED
    page = client_for(cast.participant).get(url("registration_detail", registration.pk)).content.decode()
    assert 'id="check-in-code"' not in page


@pytest.mark.parametrize("role", ["anonymous", "hq_b"])
def test_others_cannot_open_someone_elses_registration_page(cast, client_for, seat, role):
    response = client_for(getattr(cast, role)).get(url("registration_detail", seat.pk))
    if role == "anonymous":
        assert response.status_code == 302
        assert "/login" in response["Location"]
    else:
        assert response.status_code == 404


def test_staff_open_the_code_address_see_who_it_is_and_check_in_with_one_press(cast, client_for, seat):
    client = client_for(cast.coordinator_a)
    path = checkin.check_in_path(seat)
    page = client.get(path)
    assert page.status_code == 200
    assert "高橋" in page.content.decode() and 'id="check-in-problem"' not in page.content.decode()
    seat.refresh_from_db()
    assert seat.checked_in_at is None  # opening the address alone changes nothing
    response = client.post(path, follow=True)
    seat.refresh_from_db()
    assert seat.checked_in_at is not None
    assert response.redirect_chain[-1][0] == url("event_check_in", seat.event_id)
    assert "高橋" in _messages(response)
    again = client.get(path)
    assert 'id="already-checked-in"' in again.content.decode()


def test_staff_scan_or_paste_the_code_into_the_desk_and_it_is_checked_in(cast, client_for, seat):
    client = client_for(cast.hq_a)
    desk = client.get(url("event_check_in", seat.event_id))
    assert 'name="code"' in desk.content.decode()
    response = client.post(url("event_check_in", seat.event_id), {"code": checkin.check_in_url(seat)}, follow=True)
    seat.refresh_from_db()
    assert seat.checked_in_at is not None
    assert "高橋" in _messages(response)


def test_a_bare_token_is_accepted_too(cast, seat):
    checkin.do_check_in_by_code(cast.hq_a, seat.event, f"  {checkin.check_in_token(seat)}\n")
    seat.refresh_from_db()
    assert seat.checked_in_at is not None


def test_a_second_scan_says_it_is_already_checked_in(cast, seat, english):
    checkin.do_check_in_by_code(cast.hq_a, seat.event, checkin.check_in_url(seat))
    with pytest.raises(ValidationError, match="already checked in"):
        checkin.do_check_in_by_code(cast.hq_a, seat.event, checkin.check_in_url(seat))


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (RegistrationStatus.CANCELLED, "was cancelled; it cannot be checked in"),
        (RegistrationStatus.WAITLISTED, "still on the waiting list; it cannot be checked in"),
    ],
)
def test_cancelled_and_waitlisted_registrations_are_refused_with_a_clear_message(
    cast, client_for, english, status, message
):
    event = make_event(cast.cluster_a)
    registration = _visitor(event, "misaki@example.jp", status=status)
    client = client_for(cast.hq_a)
    path = _english(checkin.check_in_path(registration))
    page = client.get(path)
    assert page.status_code == 400 and message in page.content.decode()
    assert "Mark attended" not in page.content.decode()
    response = client.post(url("event_check_in", event.pk), {"code": path}, follow=True)
    assert message in _messages(response)
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_a_code_of_another_event_is_refused(cast, client_for, seat, english):
    other = make_event(cast.cluster_a, title_en="Another seminar")
    response = client_for(cast.hq_a).post(
        url("event_check_in", other.pk), {"code": checkin.check_in_url(seat)}, follow=True
    )
    assert "belongs to another event" in _messages(response)
    # and the address with the other event's number in it does not work either
    forged = _english(checkin.check_in_path(seat)).replace(f"/events/{seat.event_id}/", f"/events/{other.pk}/")
    page = client_for(cast.hq_a).get(forged)
    assert page.status_code == 400 and "belongs to another event" in page.content.decode()
    seat.refresh_from_db()
    assert seat.checked_in_at is None


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),  # the signature
        lambda token: signing.b64_encode(b"[999,999]").decode() + token[token.index(":") :],  # the payload
        lambda token: "not-a-code",
        lambda token: "",
    ],
)
def test_a_tampered_code_is_refused(cast, seat, english, tamper):
    with pytest.raises(ValidationError, match="not a valid check-in code"):
        checkin.do_check_in_by_code(cast.hq_a, seat.event, tamper(checkin.check_in_token(seat)))
    seat.refresh_from_db()
    assert seat.checked_in_at is None


def test_a_code_is_refused_once_the_event_is_over(cast, client_for, seat, english):
    event = seat.event
    event.starts_at = timezone.now() - timedelta(days=2)
    event.ends_at = event.starts_at + timedelta(hours=3)
    event.save(update_fields=["starts_at", "ends_at"])
    page = client_for(cast.hq_a).get(_english(checkin.check_in_path(seat)))
    assert page.status_code == 400 and "no longer accepted" in page.content.decode()
    with pytest.raises(ValidationError, match="no longer accepted"):
        checkin.do_check_in_by_code(cast.hq_a, event, checkin.check_in_token(seat))


def test_codes_still_work_just_after_the_event_for_late_corrections(cast, seat):
    event = seat.event
    event.starts_at = timezone.now() - timedelta(hours=4)
    event.ends_at = timezone.now() - timedelta(hours=1)
    event.save(update_fields=["starts_at", "ends_at"])
    checkin.do_check_in_by_code(cast.hq_a, event, checkin.check_in_token(seat))


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 302), ("participant", 403), ("hq_b", 403), ("national", 403), ("coordinator_a", 200), ("hq_a", 200)],
)
def test_only_the_events_staff_may_use_the_code_address(cast, client_for, seat, role, expected):
    client = client_for(getattr(cast, role))
    assert client.get(checkin.check_in_path(seat)).status_code == expected
    client.post(checkin.check_in_path(seat))
    seat.refresh_from_db()
    assert (seat.checked_in_at is not None) == (expected == 200)


def test_the_service_refuses_other_clusters_staff_before_reading_the_code(cast, seat):
    with pytest.raises(PermissionDenied):
        checkin.do_check_in_by_code(cast.hq_b, seat.event, "garbage")
    with pytest.raises(PermissionDenied):
        checkin.do_check_in_by_code(cast.participant, seat.event, checkin.check_in_token(seat))


def test_the_confirmation_mail_carries_the_same_code(seat):
    from renkei.events.mails import build_message
    from renkei.events.models import RegistrationMail

    mail = RegistrationMail.objects.get(registration=seat)
    message = build_message(mail)
    [(name, content, mimetype)] = message.attachments
    assert mimetype == "image/png" and name == f"check-in-{seat.pk}.png"
    assert content == checkin.qr_png(seat)
