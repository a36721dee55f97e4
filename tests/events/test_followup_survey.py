"""The follow-up survey months after a business-matching event: the idempotent command mails
both sides of every held meeting a link of their own; the answer page needs no sign-in, takes
one answer per link and may be changed until the cutoff; answers move the CRM introduction
between the two organisations forward, never back."""

from __future__ import annotations

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from renkei.brokerage import services as brokerage
from renkei.brokerage.choices import IntroductionStage
from renkei.brokerage.models import Introduction
from renkei.events import survey
from renkei.events.choices import EventKind, FollowUpAnswer, MeetingRequestStatus, MeetingStatus
from renkei.events.models import Meeting, MeetingOutcome, MeetingRequest, Registration, Table, TimeSlot
from tests.events.test_event_pages import make_event
from tests.mail_server import body

Stage = IntroductionStage


class Setting:
    """A business-matching event that ended about seven months ago, with three meetings: one
    held between the participant (Alpha Precision) and the researcher (Alpha University), one
    held between the researcher and a visitor, and one the participant did not turn up to."""

    def __init__(self, cast, days_ago: int = 210) -> None:
        self.event = make_event(cast.cluster_a, kind=EventKind.BUSINESS_MATCHING, days=-days_ago)
        start = self.event.starts_at
        self.slots = [
            TimeSlot.objects.create(
                event=self.event,
                starts_at=start + timedelta(minutes=20 * n),
                ends_at=start + timedelta(minutes=20 * (n + 1)),
            )
            for n in range(3)
        ]
        self.table = Table.objects.create(event=self.event, name="T1")
        self.company = Registration.objects.create(event=self.event, person=cast.participant_person, language="en")
        self.researcher = Registration.objects.create(event=self.event, person=cast.researcher_a)
        self.visitor = Registration.objects.create(
            event=self.event, visitor_name="Misaki Tanaka", visitor_email="misaki@example.jp"
        )
        self.held = self.meeting(self.company, self.researcher, 0)
        self.with_visitor = self.meeting(self.visitor, self.researcher, 1)
        self.missed = self.meeting(self.company, self.visitor, 2, status=MeetingStatus.NO_SHOW)

    def meeting(self, requester, recipient, slot: int, status=MeetingStatus.HELD) -> Meeting:
        request = MeetingRequest.objects.create(
            event=self.event, requester=requester, status=MeetingRequestStatus.ACCEPTED
        )
        request.recipients.add(recipient)
        return Meeting.objects.create(request=request, slot=self.slots[slot], table=self.table, status=status)


@pytest.fixture
def setting(cast):
    return Setting(cast)


def _run(*args: str) -> str:
    out = StringIO()
    call_command("send_followup_surveys", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def _link(message) -> str:
    return re.search(r"https?://\S+/follow-up/\S+/", body(message)).group(0)


def _path(message) -> str:
    return _link(message).replace("http://localhost:8000", "")


def _outcome(meeting, registration) -> MeetingOutcome:
    return MeetingOutcome.objects.get(meeting=meeting, respondent=registration)


# --- sending ----------------------------------------------------------------------------------


def test_both_sides_of_each_held_meeting_get_their_own_link_once(setting, smtp):
    output = _run()
    recipients = sorted(address for rcpts, _ in smtp.messages for address in rcpts)
    # the researcher met two people (two mails); the no-show meeting asks nobody
    assert recipients == [
        "hanako@alpha-u.example",
        "hanako@alpha-u.example",
        "misaki@example.jp",
        "takahashi@alpha.example",
    ]
    assert "4 survey mail(s) sent." in output
    [company_mail] = smtp.to("takahashi@alpha.example")
    assert "Glycotechnology seminar" in company_mail["Subject"]  # the participant registered in English
    assert "Yamada Hanako" in body(company_mail) or "Hanako Yamada" in body(company_mail)
    links = {_link(m) for _r, m in smtp.messages}
    assert len(links) == 4  # one link per person and meeting
    assert not MeetingOutcome.objects.filter(meeting=setting.missed).exists()

    _run()
    assert len(smtp.messages) == 4  # idempotent
    assert MeetingOutcome.objects.filter(sent_at__isnull=False).count() == 4


def test_nothing_is_sent_before_the_survey_is_due(cast, smtp):
    setting = Setting(cast, days_ago=90)
    _run()
    assert smtp.messages == []
    setting.event.followup_survey_months = 2
    setting.event.save(update_fields=["followup_survey_months"])
    _run()
    assert len(smtp.messages) == 4


def test_an_event_without_a_survey_sends_none(setting, smtp):
    setting.event.followup_survey_months = 0
    setting.event.save(update_fields=["followup_survey_months"])
    _run()
    assert smtp.messages == []


def test_dry_run_sends_and_records_nothing(setting, smtp):
    output = _run("--dry-run")
    assert "would ask: " in output and "4 survey mail(s) would be sent." in output
    assert smtp.messages == []
    assert not MeetingOutcome.objects.exists()


def test_a_mail_server_that_is_down_leaves_the_survey_for_the_next_run(setting, settings, smtp_down):
    with pytest.raises(CommandError):
        _run()
    assert not MeetingOutcome.objects.filter(sent_at__isnull=False).exists()
    assert set(MeetingOutcome.objects.values_list("send_attempts", flat=True)) == {1}


# --- answering --------------------------------------------------------------------------------


def test_the_link_opens_the_answer_page_without_signing_in(setting, smtp, client):
    _run()
    [mail] = smtp.to("takahashi@alpha.example")
    page = client.get(_path(mail))
    assert page.status_code == 200
    text = page.content.decode()
    assert "山田 花子" in text or "Yamada" in text
    for value in FollowUpAnswer.values:
        assert f'value="{value}"' in text


def test_an_answer_is_recorded_and_opens_an_introduction_at_met(setting, smtp, client, cast):
    _run()
    [mail] = smtp.to("takahashi@alpha.example")
    response = client.post(_path(mail), {"answer": FollowUpAnswer.IN_DISCUSSION, "comment": "次回は工場見学"})
    assert response.status_code == 302
    outcome = _outcome(setting.held, setting.company)
    assert (outcome.answer, outcome.comment) == (FollowUpAnswer.IN_DISCUSSION, "次回は工場見学")
    assert outcome.answered_at is not None
    [introduction] = Introduction.objects.all()
    assert {introduction.party_a_organisation, introduction.party_b_organisation} == {cast.company_a, cast.university_a}
    assert {introduction.party_a_person, introduction.party_b_person} == {cast.participant_person, cast.researcher_a}
    assert introduction.stage == Stage.MET
    assert introduction.cluster == cast.cluster_a and introduction.coordinator == cast.hq_a
    assert introduction.introduced_on == timezone.localdate(setting.held.slot.starts_at)
    assert list(introduction.stage_changes.values_list("to_stage", flat=True).order_by("pk")) == [
        Stage.INTRODUCED,
        Stage.MET,
    ]


def test_answers_move_the_introduction_forward_and_never_back(setting, smtp, client):
    _run()
    company = _outcome(setting.held, setting.company)
    researcher = _outcome(setting.held, setting.researcher)
    survey.do_answer(company, answer=FollowUpAnswer.NEGOTIATING, comment="")
    assert Introduction.objects.get().stage == Stage.NDA
    survey.do_answer(researcher, answer=FollowUpAnswer.AGREEMENT, comment="")
    assert Introduction.objects.get().stage == Stage.JOINT_RESEARCH
    # The company changes its answer to something earlier: the answer changes, the stage stays.
    survey.do_answer(company, answer=FollowUpAnswer.IN_DISCUSSION, comment="")
    company.refresh_from_db()
    assert company.answer == FollowUpAnswer.IN_DISCUSSION
    assert Introduction.objects.get().stage == Stage.JOINT_RESEARCH
    assert Introduction.objects.count() == 1


def test_a_joint_project_is_joint_research_not_commercialised(setting, smtp):
    _run()
    survey.do_answer(_outcome(setting.held, setting.company), answer=FollowUpAnswer.JOINT_PROJECT, comment="")
    assert Introduction.objects.get().stage == Stage.JOINT_RESEARCH


def test_no_further_contact_creates_no_introduction(setting, smtp):
    _run()
    survey.do_answer(_outcome(setting.held, setting.company), answer=FollowUpAnswer.NO_FURTHER_CONTACT, comment="")
    assert not Introduction.objects.exists()


def test_an_existing_introduction_further_along_is_left_as_it_is(setting, smtp, cast):
    intro = brokerage.do_save_introduction(
        cast.coordinator_a,
        Introduction(
            cluster=cast.cluster_a,
            party_a_organisation=cast.university_a,
            party_b_organisation=cast.company_a,
            topic="Glycan sensor",
            introduced_on=timezone.localdate() - timedelta(days=400),
        ),
    )
    brokerage.do_move_stage(cast.coordinator_a, intro, Stage.NDA, on=timezone.localdate() - timedelta(days=300))
    _run()
    survey.do_answer(_outcome(setting.held, setting.company), answer=FollowUpAnswer.IN_DISCUSSION, comment="")
    assert Introduction.objects.count() == 1
    intro.refresh_from_db()
    assert intro.stage == Stage.NDA
    survey.do_answer(_outcome(setting.held, setting.researcher), answer=FollowUpAnswer.AGREEMENT, comment="")
    intro.refresh_from_db()
    assert intro.stage == Stage.JOINT_RESEARCH and intro.coordinator == cast.coordinator_a


def test_a_visitors_answer_is_recorded_but_names_no_crm_party(setting, smtp, client):
    _run()
    [mail] = smtp.to("misaki@example.jp")
    client.post(_path(mail), {"answer": FollowUpAnswer.AGREEMENT})
    assert _outcome(setting.with_visitor, setting.visitor).answer == FollowUpAnswer.AGREEMENT
    assert not Introduction.objects.exists()


def test_a_bad_answer_names_the_field_and_saves_nothing(setting, smtp, client, english):
    _run()
    [mail] = smtp.to("takahashi@alpha.example")
    path = _path(mail).replace("/ja/", "/en/")
    response = client.post(path, {"answer": "best_ever"})
    assert response.status_code == 200
    assert 'id="field-answer"' in response.content.decode() and "has-error" in response.content.decode()
    assert _outcome(setting.held, setting.company).answer == ""
    response = client.post(path, {"answer": FollowUpAnswer.NEGOTIATING, "comment": "x" * 2001})
    assert "has-error" in response.content.decode()
    assert _outcome(setting.held, setting.company).answer == ""


def test_answers_cannot_be_changed_after_the_cutoff(setting, smtp, client, english):
    _run()
    outcome = _outcome(setting.held, setting.company)
    survey.do_answer(outcome, answer=FollowUpAnswer.NEGOTIATING, comment="")
    MeetingOutcome.objects.filter(pk=outcome.pk).update(editable_until=timezone.now() - timedelta(minutes=1))
    path = reverse("events:followup_answer", args=[outcome.token])
    page = client.get(path)
    assert 'id="survey-closed"' in page.content.decode() and "Negotiating" in page.content.decode()
    response = client.post(path, {"answer": FollowUpAnswer.NO_FURTHER_CONTACT})
    assert response.status_code == 409
    outcome.refresh_from_db()
    assert outcome.answer == FollowUpAnswer.NEGOTIATING


def test_the_cutoff_is_a_setting_counted_from_the_mail(setting, smtp, settings):
    settings.EVENT_FOLLOWUP_ANSWER_DAYS = 10
    _run()
    outcome = _outcome(setting.held, setting.company)
    assert timedelta(days=9) < outcome.editable_until - outcome.sent_at <= timedelta(days=10)


@pytest.mark.parametrize("token", ["nope", "x" * 32])
def test_an_unknown_token_is_not_found(setting, client, token):
    assert client.get(reverse("events:followup_answer", args=[token])).status_code == 404


def test_a_token_of_a_survey_not_sent_yet_opens_nothing(setting, client):
    outcome = MeetingOutcome.objects.create(meeting=setting.held, respondent=setting.company, token="unsent-token-123")
    assert client.get(reverse("events:followup_answer", args=[outcome.token])).status_code == 404


def test_a_token_opens_only_its_own_answer(setting, smtp, client):
    _run()
    [mail] = smtp.to("takahashi@alpha.example")
    client.post(_path(mail), {"answer": FollowUpAnswer.AGREEMENT})
    others = MeetingOutcome.objects.exclude(respondent=setting.company)
    assert set(others.values_list("answer", flat=True)) == {""}


def test_outcome_counts_for_the_report(setting, smtp):
    _run()
    survey.do_answer(_outcome(setting.held, setting.company), answer=FollowUpAnswer.AGREEMENT, comment="")
    counts = survey.outcome_counts(setting.event)
    assert counts["asked"] == 4 and counts["answered"] == 1 and counts[FollowUpAnswer.AGREEMENT] == 1


# --- the event setting ------------------------------------------------------------------------


def test_hq_staff_set_the_survey_months_on_the_event_form(cast, client_for):
    from tests.events.test_event_pages import form_data, url

    event = make_event(cast.cluster_a)
    client = client_for(cast.hq_a)
    edit = url("event_edit", event.pk)
    assert 'name="followup_survey_months"' in client.get(edit).content.decode()
    response = client.post(edit, form_data(cast.cluster_a, status="published", followup_survey_months="3"))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.followup_survey_months == 3
    # left out, it keeps its value; out of range, the field is named and nothing is saved
    client.post(edit, form_data(cast.cluster_a, status="published"))
    event.refresh_from_db()
    assert event.followup_survey_months == 3
    response = client.post(edit, form_data(cast.cluster_a, status="published", followup_survey_months="40"))
    assert response.status_code == 200 and "followup_survey_months" in response.context["form"].errors
    event.refresh_from_db()
    assert event.followup_survey_months == 3


def test_a_run_reads_the_existing_survey_rows_in_one_query_not_one_per_participant(setting, smtp):
    _run()
    for n in range(5):  # more held meetings must not mean more queries for the rows already sent
        setting.meeting(setting.company, setting.researcher, n % 3)
    MeetingOutcome.objects.filter(meeting__request__event=setting.event).update(sent_at=None)
    with CaptureQueriesContext(connection) as queries:
        run = survey.do_send_followup_surveys(timezone.now(), dry_run=True)
    assert len(run.due) == 2 * 7
    assert len(queries) <= 5  # was 25: one query per participant of each meeting
