"""Mails to registrants through a real SMTP server: confirmation or waiting list, promotion,
cancellation and the reminder; registration survives a mail server that is down, and
`renkei send-event-reminders` sends what is pending, once."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from renkei.directory.models import Person
from renkei.events import services
from renkei.events.choices import EventLanguage, EventStatus, MailState, RegistrationMailKind
from renkei.events.models import Registration, RegistrationMail
from tests.events.test_event_pages import make_event, url
from tests.events.test_registration import visitor_form
from tests.mail_server import attachments, body

Kind = RegistrationMailKind
TITLE_JA, TITLE_EN = "糖鎖工学セミナー", "Glycotechnology seminar"


def _register_visitor(event, n: int) -> Registration:
    return services.do_register_visitor(
        event, name=f"Visitor {n}", email=f"visitor{n}@example.jp", organisation="Example KK", consent=True
    )


def _run(*args: str) -> str:
    out = StringIO()
    call_command("send_event_reminders", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def _png_attachments(message) -> list[bytes]:
    return [content for _name, kind, content in attachments(message) if kind == "image/png"]


def test_a_participant_gets_a_confirmation_with_the_qr_code(cast, smtp, django_capture_on_commit_callbacks):
    event = make_event(cast.cluster_a)
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.do_register_person(cast.participant, event)
    [mail] = smtp.to("takahashi@alpha.example")
    assert TITLE_JA in mail["Subject"]  # a Japanese event: the registrant's mail is in Japanese
    text = body(mail)
    assert "高橋 三郎" in text or "高橋三郎" in text
    assert f"http://localhost:8000/ja/events/registrations/{registration.pk}/" in text
    [png] = _png_attachments(mail)
    assert png.startswith(b"\x89PNG")
    row = RegistrationMail.objects.get(registration=registration)
    assert (row.kind, row.state, row.attempts) == (Kind.CONFIRMATION, MailState.SENT, 1)
    assert row.sent_at is not None


def test_a_visitor_on_the_english_form_of_a_bilingual_event_gets_english(
    cast, client, smtp, english, django_capture_on_commit_callbacks
):
    event = make_event(cast.cluster_a, language=EventLanguage.BOTH)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("event_register", event.pk), visitor_form())
    assert response.status_code == 302
    [mail] = smtp.to("misaki@example.jp")
    assert TITLE_EN in mail["Subject"] and "Registration confirmed" in mail["Subject"]
    assert "Please show the attached QR code" in body(mail)
    assert Registration.objects.get(event=event).language == "en"


def test_an_english_event_mails_in_english_whatever_the_page(cast, smtp, django_capture_on_commit_callbacks):
    event = make_event(cast.cluster_a, language=EventLanguage.ENGLISH)
    with django_capture_on_commit_callbacks(execute=True):
        _register_visitor(event, 1)
    [mail] = smtp.to("visitor1@example.jp")
    assert TITLE_EN in mail["Subject"]


def test_the_waiting_list_then_the_move_up_then_the_cancellation(cast, smtp, django_capture_on_commit_callbacks):
    event = make_event(cast.cluster_a, capacity=1, language=EventLanguage.ENGLISH)
    with django_capture_on_commit_callbacks(execute=True):
        first = _register_visitor(event, 1)
        _register_visitor(event, 2)
    [waitlisted] = smtp.to("visitor2@example.jp")
    assert "waiting list" in waitlisted["Subject"]
    assert _png_attachments(waitlisted) == []  # no seat, no check-in code

    with django_capture_on_commit_callbacks(execute=True):
        services.do_cancel_registration(cast.hq_a, first)
    [confirmed, cancelled] = smtp.to("visitor1@example.jp")
    assert "Registration cancelled" in cancelled["Subject"] and _png_attachments(cancelled) == []
    promoted = smtp.to("visitor2@example.jp")[-1]
    assert "A seat is free for you" in promoted["Subject"]
    assert len(_png_attachments(promoted)) == 1
    kinds = sorted(RegistrationMail.objects.filter(state=MailState.SENT).values_list("kind", flat=True))
    assert kinds == sorted([Kind.CONFIRMATION, Kind.WAITLISTED, Kind.CANCELLATION, Kind.PROMOTION])


def test_registration_succeeds_when_the_mail_server_is_down_and_the_command_sends_later(
    cast, settings, smtp_down, django_capture_on_commit_callbacks, caplog
):
    event = make_event(cast.cluster_a)
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.do_register_person(cast.participant, event)
    assert registration.pk is not None and Registration.objects.filter(pk=registration.pk).exists()
    row = RegistrationMail.objects.get(registration=registration)
    assert (row.state, row.attempts, row.sent_at) == (MailState.PENDING, 1, None)
    assert row.last_error
    assert "left for the next run" in caplog.text

    # The command reports the server down and keeps the mail pending.
    with pytest.raises(CommandError, match="mail server"):
        _run()
    row.refresh_from_db()
    assert row.state == MailState.PENDING


def test_the_command_sends_pending_mails_once(cast, smtp, django_capture_on_commit_callbacks):
    event = make_event(cast.cluster_a)
    registration = services.do_register_person(cast.participant, event)  # on_commit never ran: pending
    row = RegistrationMail.objects.get(registration=registration)
    assert row.state == MailState.PENDING
    output = _run()
    assert "sent: 1" in output
    assert len(smtp.to("takahashi@alpha.example")) == 1
    _run()
    assert len(smtp.to("takahashi@alpha.example")) == 1
    row.refresh_from_db()
    assert row.state == MailState.SENT


def test_a_pending_confirmation_of_a_cancelled_registration_is_dropped_not_sent(cast, smtp):
    event = make_event(cast.cluster_a)
    registration = services.do_register_person(cast.participant, event)
    services.do_cancel_registration(cast.participant, registration)
    _run()
    [mail] = smtp.to("takahashi@alpha.example")  # the cancellation only
    assert "取り消" in mail["Subject"] or "cancelled" in mail["Subject"].lower()
    states = dict(RegistrationMail.objects.values_list("kind", "state"))
    assert states == {Kind.CONFIRMATION: MailState.DROPPED, Kind.CANCELLATION: MailState.SENT}


def test_reminders_go_to_confirmed_registrants_of_events_starting_within_a_day_once(cast, smtp):
    soon = make_event(cast.cluster_a, capacity=1, days=0.5, language=EventLanguage.ENGLISH)
    later = make_event(cast.cluster_a, days=3)
    confirmed = _register_visitor(soon, 1)
    waitlisted = _register_visitor(soon, 2)
    _register_visitor(later, 3)
    RegistrationMail.objects.update(state=MailState.SENT, sent_at=timezone.now())  # confirmations went out

    _run()
    reminders = [m for _r, m in smtp.messages if m["Subject"].startswith("Reminder")]
    assert [m["To"] for m in reminders] == ["visitor1@example.jp"]
    assert len(_png_attachments(reminders[0])) == 1
    assert RegistrationMail.objects.filter(kind=Kind.REMINDER, state=MailState.SENT).get().registration == confirmed
    assert not RegistrationMail.objects.filter(registration=waitlisted, kind=Kind.REMINDER).exists()

    _run()
    assert len(smtp.messages) == 1  # never twice to the same registration


def test_the_reminder_period_is_a_setting(cast, smtp, settings):
    settings.EVENT_REMINDER_DAYS_BEFORE = 4
    event = make_event(cast.cluster_a, days=3)
    _register_visitor(event, 1)
    RegistrationMail.objects.update(state=MailState.SENT, sent_at=timezone.now())
    _run()
    assert len(smtp.to("visitor1@example.jp")) == 1


def test_no_reminder_for_drafts_cancelled_or_past_events(cast, smtp):
    event = make_event(cast.cluster_a, days=0.5)
    _register_visitor(event, 1)
    RegistrationMail.objects.update(state=MailState.SENT, sent_at=timezone.now())
    event.status = EventStatus.CANCELLED
    event.save(update_fields=["status"])
    past = make_event(cast.cluster_a, days=-1)
    Registration.objects.create(event=past, visitor_name="Late", visitor_email="late@example.jp")
    _run()
    assert smtp.messages == []


def test_dry_run_sends_and_records_nothing(cast, smtp):
    event = make_event(cast.cluster_a, days=0.5)
    services.do_register_person(cast.participant, event)
    output = _run("--dry-run")
    assert "would send: confirmation" in output and "would send: reminder" in output
    assert smtp.messages == []
    assert not RegistrationMail.objects.filter(kind=Kind.REMINDER).exists()
    assert RegistrationMail.objects.get().state == MailState.PENDING


def test_a_registrant_without_an_address_gets_no_mail_row(cast, smtp, django_capture_on_commit_callbacks):
    Person.objects.filter(pk=cast.participant_person.pk).update(email="")
    event = make_event(cast.cluster_a, days=0.5)
    with django_capture_on_commit_callbacks(execute=True):
        services.do_register_person(cast.participant, event)
    _run()
    assert smtp.messages == []
    assert not RegistrationMail.objects.exists()


def test_mails_of_an_event_that_has_ended_are_dropped(cast, smtp):
    event = make_event(cast.cluster_a)
    services.do_register_person(cast.participant, event)
    event.starts_at -= timedelta(days=20)
    event.ends_at -= timedelta(days=20)
    event.save(update_fields=["starts_at", "ends_at"])
    _run()
    assert smtp.messages == []
    assert RegistrationMail.objects.get().state == MailState.DROPPED
