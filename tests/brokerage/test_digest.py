"""The daily follow-up digest, sent through a real SMTP server listening on localhost."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from renkei.brokerage.models import FollowUpDigest
from tests.brokerage.conftest import make_interaction
from tests.mail_server import free_port

ON = datetime.date(2026, 5, 5)


@pytest.fixture
def due(cast, crm):
    """Besides crm.open_a (coordinator_a, due 2026-05-01): a confidential follow-up in A due on the
    digest's day, one in A due later, one in A already done, and one in B overdue (logged by hq_b)."""
    for user in (cast.coordinator_a, cast.hq_a, cast.hq_b, cast.national, cast.admin, cast.participant):
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])
    crm.confidential_a.next_follow_up_on = ON
    crm.confidential_a.save(update_fields=["next_follow_up_on"])
    make_interaction(cast.coordinator_a, cast.cluster_a, topic="Later call", next_follow_up_on=ON.replace(day=20))
    make_interaction(
        cast.coordinator_a, cast.cluster_a, topic="Done visit", next_follow_up_on=ON.replace(day=2), follow_up_done=True
    )
    make_interaction(
        cast.hq_b, cast.cluster_b, topic="Beta follow-up", notes="Beta secret plan", next_follow_up_on=ON.replace(day=1)
    )
    return crm


def _run(*args: str) -> str:
    out = StringIO()
    call_command("send_followup_digests", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def _body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def test_each_coordinator_and_hq_gets_their_due_follow_ups(smtp, due):
    _run("--date", "2026-05-05", "--base-url", "https://renkei.example.jp")
    recipients = sorted(address for rcpts, _ in smtp.messages for address in rcpts)
    assert recipients == ["coordinator_a@example.org", "hq_a@example.org", "hq_b@example.org"]

    [mail] = smtp.to("coordinator_a@example.org")
    body = _body(mail)
    assert "2026-05-05" in mail["Subject"] and "2" in mail["Subject"]
    assert "Visit to Alpha Precision" in body and "Hidden Alpha financing" in body
    assert f"https://renkei.example.jp/ja/brokerage/interactions/{due.open_a.pk}/" in body
    assert "Later call" not in body and "Done visit" not in body and "Beta follow-up" not in body

    [mail_b] = smtp.to("hq_b@example.org")
    assert "Beta follow-up" in _body(mail_b) and "Alpha" not in _body(mail_b)
    [mail_hq_a] = smtp.to("hq_a@example.org")
    assert "Hidden Alpha financing" in _body(mail_hq_a) and "Beta" not in _body(mail_hq_a)


def test_no_notes_ever_leave_by_mail(smtp, due):
    _run("--date", "2026-05-05")
    for _rcpts, message in smtp.messages:
        body = _body(message)
        for note in ("Cash runs out in March.", "They want a partner", "Beta secret plan"):
            assert note not in body


def test_sending_twice_the_same_day_sends_nothing_new(smtp, due):
    _run("--date", "2026-05-05")
    assert len(smtp.messages) == 3
    output = _run("--date", "2026-05-05")
    assert len(smtp.messages) == 3
    assert "already sent today: coordinator_a" in output
    assert FollowUpDigest.objects.filter(sent_on=ON).count() == 3
    _run("--date", "2026-05-06")
    assert len(smtp.messages) == 6


def test_nobody_with_nothing_due_gets_mail(smtp, due):
    _run("--date", "2026-04-15")
    assert smtp.messages == []
    assert not FollowUpDigest.objects.exists()


def test_marking_done_removes_it_from_the_next_digest(smtp, due, cast):
    from renkei.brokerage.services import do_mark_follow_up_done

    do_mark_follow_up_done(cast.coordinator_a, due.open_a)
    _run("--date", "2026-05-05")
    [mail] = smtp.to("coordinator_a@example.org")
    assert "Visit to Alpha Precision" not in _body(mail) and "Hidden Alpha financing" in _body(mail)


def test_dry_run_sends_and_records_nothing(smtp, due):
    output = _run("--date", "2026-05-05", "--dry-run")
    assert "would send: coordinator_a (2 follow-ups)" in output
    assert smtp.messages == []
    assert not FollowUpDigest.objects.exists()


def test_users_without_address_are_reported_not_mailed(smtp, due, cast):
    cast.hq_b.email = ""
    cast.hq_b.save(update_fields=["email"])
    output = _run("--date", "2026-05-05")
    assert "no e-mail address: hq_b" in output
    assert len(smtp.messages) == 2


def test_an_unreachable_server_is_reported_and_nothing_recorded(settings, due):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    with pytest.raises(CommandError, match="mail server"):
        _run("--date", "2026-05-05")
    assert not FollowUpDigest.objects.exists()


@pytest.mark.parametrize(
    ("args", "field"), [(["--date", "2026-13-01"], "--date"), (["--base-url", "renkei.example"], "--base-url")]
)
def test_bad_options_name_the_option(db, args, field):
    with pytest.raises(CommandError, match=field):
        _run(*args)
