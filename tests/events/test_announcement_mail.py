"""When the organiser announces the meeting schedule, each participant is mailed their meetings
(time, table, whom) with a link to their agenda, through a real SMTP server: once per
announcement round, and on a re-announcement only those whose meetings changed. A mail the
server refused stays pending and `renkei send-event-reminders` sends it; a round superseded
before it left is dropped, so nobody reads an outdated schedule."""

from __future__ import annotations

from io import StringIO

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from renkei.events import mails, meetings
from renkei.events.choices import EventLanguage, MailState, MeetingStatus, RegistrationMailKind
from renkei.events.models import Meeting, RegistrationMail
from tests.events.meeting_helpers import matching_event, participant, registered
from tests.events.test_event_pages import url
from tests.mail_server import Inbox, body, free_port, use_smtp

Kind = RegistrationMailKind
NAMES = ("aoki", "baba", "chiba", "doi")


@pytest.fixture
def fair(cast, english):
    """Four participants who registered in English for a bilingual event, two accepted meetings
    (aoki–baba, chiba–doi), scheduled on 2 slots × 2 tables and not announced yet."""
    event = matching_event(cast.cluster_a, slots=2, tables=2, language=EventLanguage.BOTH)
    users, regs = {}, {}
    for name in NAMES:
        users[name] = participant(name)
        regs[name] = registered(users[name], event, offer=f"{name}の技術", looking_for="パートナー")
    for requester, other in (("aoki", "baba"), ("chiba", "doi")):
        request = meetings.do_send_request(users[requester], event, [regs[other]])
        meetings.do_accept_request(users[other], request)
    meetings.do_schedule_meetings(cast.hq_a, event)
    return event, users, regs


def _address(name: str) -> str:
    return f"{name}@example.jp"


def _schedule_mails(inbox, name: str | None = None) -> list:
    """The schedule mails the inbox received (for one participant): registration mails aside."""
    found = inbox.to(_address(name)) if name else [m for _r, m in inbox.messages]
    return [m for m in found if m["Subject"].startswith("Your meetings at")]


def _schedule_recipients(inbox) -> list[str]:
    return sorted(a for rcpts, m in inbox.messages if m["Subject"].startswith("Your meetings at") for a in rcpts)


def _announce(client, event, capture):
    with capture(execute=True):
        return client.post(url("event_meetings_announce", event.pk))


def _run() -> str:
    out = StringIO()
    call_command("send_event_reminders", stdout=out, stderr=StringIO())
    return out.getvalue()


def test_each_participant_gets_their_meetings_with_time_table_and_agenda_link(
    fair, cast, client_for, smtp, django_capture_on_commit_callbacks
):
    event, users, regs = fair
    _announce(client_for(cast.hq_a), event, django_capture_on_commit_callbacks)
    assert _schedule_recipients(smtp) == sorted(map(_address, NAMES))
    [mail] = smtp.to(_address("aoki"))
    assert mail["Subject"] == "Your meetings at Business matching day"  # in the language they registered in
    text = body(mail)
    meeting = Meeting.objects.get(request__requester=regs["aoki"])
    start = meeting.slot.starts_at.astimezone().strftime("%H:%M")
    assert meeting.table.name in text and "Baba" in text
    assert f"{meeting.slot.starts_at:%Y-%m-%d}" in text or start in text
    assert f"/events/registrations/{regs['aoki'].pk}/agenda/" in text
    assert "Chiba" not in text  # only their own meetings
    row = RegistrationMail.objects.get(registration=regs["aoki"], kind=Kind.SCHEDULE)
    assert (row.state, row.sequence) == (MailState.SENT, 1)


def test_announcing_again_without_changes_sends_nothing(
    fair, cast, client_for, smtp, django_capture_on_commit_callbacks
):
    event, _users, _regs = fair
    client = client_for(cast.hq_a)
    _announce(client, event, django_capture_on_commit_callbacks)
    _announce(client, event, django_capture_on_commit_callbacks)
    meetings.do_schedule_meetings(cast.hq_a, event)  # nothing new to place
    _announce(client, event, django_capture_on_commit_callbacks)
    assert len(_schedule_mails(smtp)) == 4
    assert RegistrationMail.objects.filter(kind=Kind.SCHEDULE).count() == 4


def test_a_re_announcement_mails_only_those_whose_meetings_changed(
    fair, cast, client_for, smtp, django_capture_on_commit_callbacks
):
    event, users, regs = fair
    client = client_for(cast.hq_a)
    _announce(client, event, django_capture_on_commit_callbacks)
    smtp.messages.clear()

    # baba leaves the meeting with aoki; endo joins and meets aoki instead
    meetings.do_cancel_request(users["baba"], Meeting.objects.get(request__requester=regs["aoki"]).request)
    users["endo"] = participant("endo")
    regs["endo"] = registered(users["endo"], event, offer="endoの技術", looking_for="パートナー")
    request = meetings.do_send_request(users["endo"], event, [regs["aoki"]])
    meetings.do_accept_request(users["aoki"], request)
    meetings.do_schedule_meetings(cast.hq_a, event)
    _announce(client, event, django_capture_on_commit_callbacks)

    assert _schedule_recipients(smtp) == sorted(map(_address, ("aoki", "baba", "endo")))
    [to_aoki] = _schedule_mails(smtp, "aoki")
    assert "Endo" in body(to_aoki) and "Baba" not in body(to_aoki)
    [to_baba] = _schedule_mails(smtp, "baba")
    assert "you have no meetings in it now" in body(to_baba)
    assert RegistrationMail.objects.get(registration=regs["aoki"], kind=Kind.SCHEDULE, sequence=2).state == "sent"


def test_a_refused_mail_is_sent_later_by_the_reminder_command(
    fair, cast, client_for, smtp_down, django_capture_on_commit_callbacks, settings
):
    event, _users, regs = fair
    response = _announce(client_for(cast.hq_a), event, django_capture_on_commit_callbacks)
    assert response.status_code == 302  # the announcement stands although the server is down
    assert Meeting.objects.filter(status=MeetingStatus.ANNOUNCED).count() == 2
    rows = RegistrationMail.objects.filter(kind=Kind.SCHEDULE)
    assert {(r.state, r.attempts) for r in rows} == {(MailState.PENDING, 1)}

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        use_smtp(settings, controller.hostname, controller.port)
        _run()
        _run()
    finally:
        controller.stop()
    assert _schedule_recipients(inbox) == sorted(map(_address, NAMES))
    assert {r.state for r in rows.all()} == {MailState.SENT}


def test_a_round_superseded_before_it_left_is_dropped(fair, cast, smtp):
    event, users, regs = fair
    meetings.do_announce_schedule(cast.hq_a, event)  # no commit hooks run: the mails stay pending
    meetings.do_cancel_request(users["chiba"], Meeting.objects.get(request__requester=regs["chiba"]).request)
    meetings.do_announce_schedule(cast.hq_a, event)
    assert RegistrationMail.objects.filter(registration=regs["doi"], kind=Kind.SCHEDULE).count() == 2
    _run()
    [to_doi] = _schedule_mails(smtp, "doi")  # only the latest schedule
    assert "you have no meetings in it now" in body(to_doi)
    assert len(_schedule_mails(smtp, "aoki")) == 1
    states = dict(
        RegistrationMail.objects.filter(registration=regs["doi"], kind=Kind.SCHEDULE).values_list("sequence", "state")
    )
    assert states == {1: MailState.DROPPED, 2: MailState.SENT}


def test_participants_cannot_announce(fair, cast, client_for, smtp, django_capture_on_commit_callbacks):
    event, users, _regs = fair
    for user in (users["aoki"], cast.coordinator_a, cast.hq_b):
        assert _announce(client_for(user), event, django_capture_on_commit_callbacks).status_code in (403, 404)
    assert _schedule_mails(smtp) == [] and not RegistrationMail.objects.filter(kind=Kind.SCHEDULE).exists()


def test_queueing_the_schedule_mails_reads_the_meetings_once_not_once_per_participant(fair):
    event, _users, _regs = fair
    Meeting.objects.filter(request__event=event).update(status=MeetingStatus.ANNOUNCED)
    with CaptureQueriesContext(connection) as queries:
        queued = mails.queue_schedule_mails(event)
    assert len(queued) == 4
    assert len(queries) <= 4 + 4 * len(queued)  # reads, then queueing each mail; was 30 here (3 reads more each)
