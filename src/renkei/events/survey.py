"""The follow-up survey (フォローアップ調査): some months after a business-matching event (the
event's `followup_survey_months`, default six), each participant of every held meeting is asked
where it led — no further contact, in discussion, negotiating, agreement reached, joint project
started — with an optional comment.

1. `renkei send-followup-surveys` (cron, daily) creates one MeetingOutcome per meeting and
   participant when the event's survey is due and mails its link; a row is marked sent right
   after its mail left, so nobody is asked twice; failed mails are retried by the next run.
2. The link opens the answer page by its token, without signing in; the token opens that one
   answer and nothing else. The answer may be changed for EVENT_FOLLOWUP_ANSWER_DAYS.
3. Each answer feeds the coordinators' CRM through brokerage's own service functions: the
   introduction between the two sides (created when there is none) moves forward to the stage
   the answer implies (ANSWER_STAGE), never back. The write is done in the name of the event's
   organiser (the HQ staff member who created it, else the first HQ staff member of the cluster).
"""

from __future__ import annotations

import datetime
import logging
import secrets
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renkei.accounts.models import Role, RoleKind
from renkei.brokerage import services as brokerage
from renkei.brokerage.choices import PIPELINE, IntroductionStage
from renkei.brokerage.models import Introduction
from renkei.directory.models import Affiliation, Organisation, Person
from renkei.events.choices import EventStatus, FollowUpAnswer, MeetingStatus
from renkei.events.mails import registrant_language
from renkei.events.models import Event, Meeting, MeetingOutcome, Registration

logger = logging.getLogger(__name__)

# The introduction stage each answer stands for. "Joint project started" is joint research:
# the pipeline's "commercialised" means a result on the market, which the survey does not ask.
ANSWER_STAGE = {
    FollowUpAnswer.IN_DISCUSSION: IntroductionStage.MET,
    FollowUpAnswer.NEGOTIATING: IntroductionStage.NDA,
    FollowUpAnswer.AGREEMENT: IntroductionStage.JOINT_RESEARCH,
    FollowUpAnswer.JOINT_PROJECT: IntroductionStage.JOINT_RESEARCH,
}
SUBJECT = gettext_lazy("Where did your meeting at %(title)s lead?")


def survey_due_at(event: Event) -> datetime.datetime | None:
    if not event.followup_survey_months:
        return None
    return event.ends_at + relativedelta(months=event.followup_survey_months)


def participants_of(meeting: Meeting) -> list[Registration]:
    request = meeting.request
    return [request.requester, *request.recipients.all()]


def _new_token() -> str:
    return secrets.token_urlsafe(24)


def answer_url(outcome: MeetingOutcome) -> str:
    with translation.override(registrant_language(outcome.respondent)):
        return settings.RENKEI_BASE_URL + reverse("events:followup_answer", args=[outcome.token])


# --- sending ------------------------------------------------------------------------------------


@dataclass
class SurveyRun:
    sent: list[str] = field(default_factory=list)
    due: list[str] = field(default_factory=list)  # dry run: who would be asked
    without_address: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


def due_events(now: datetime.datetime) -> list[Event]:
    """Events (not cancelled) whose follow-up survey is due by `now`."""
    events = Event.objects.filter(followup_survey_months__gt=0, ends_at__lte=now).exclude(status=EventStatus.CANCELLED)
    return [event for event in events.order_by("ends_at", "pk") if survey_due_at(event) <= now]


def _pending_outcomes(event: Event, *, create: bool) -> list[MeetingOutcome]:
    """The survey rows of the event's held meetings not sent yet (created first when `create`)."""
    meetings = (
        Meeting.objects.filter(request__event=event, status=MeetingStatus.HELD)
        .select_related("request__requester__person", "slot")
        .prefetch_related("request__recipients__person")
        .order_by("slot__starts_at", "pk")
    )
    existing = {
        (outcome.meeting_id, outcome.respondent_id): outcome
        for outcome in MeetingOutcome.objects.filter(meeting__request__event=event)
    }
    rows = []
    for meeting in meetings:
        for respondent in participants_of(meeting):
            outcome = existing.get((meeting.pk, respondent.pk))
            if outcome is None:
                outcome = MeetingOutcome(meeting=meeting, respondent=respondent, token=_new_token())
                if create:
                    outcome.save()
            else:  # reuse the rows already loaded with the meeting
                outcome.meeting, outcome.respondent = meeting, respondent
            respondent.event = event
            if outcome.sent_at is None:
                rows.append(outcome)
    return rows


def build_survey_mail(outcome: MeetingOutcome) -> EmailMessage:
    respondent = outcome.respondent
    event = respondent.event
    with translation.override(registrant_language(respondent)):
        others = [r.display_name for r in participants_of(outcome.meeting) if r.pk != respondent.pk]
        body = render_to_string(
            "events/mail/followup_survey.txt",
            {
                "name": respondent.display_name,
                "title": event.title,
                "met_on": f"{timezone.localtime(outcome.meeting.slot.starts_at):%Y-%m-%d %H:%M}",
                "others": ", ".join(others),
                "url": answer_url(outcome),
                "days": settings.EVENT_FOLLOWUP_ANSWER_DAYS,
            },
        )
        subject = str(SUBJECT) % {"title": event.title}
    return EmailMessage(subject=subject.replace("\n", " "), body=body, to=[respondent.email])


def do_send_followup_surveys(now: datetime.datetime, *, dry_run: bool = False, connection=None) -> SurveyRun:
    """Ask every participant of the held meetings of due events, once each. Idempotent."""
    run = SurveyRun()
    connection = None if dry_run else (connection or get_connection())
    for event in due_events(now):
        for outcome in _pending_outcomes(event, create=not dry_run):
            label = f"{outcome.respondent.display_name} ({event.title})"
            if not outcome.respondent.email:
                run.without_address.append(label)
                continue
            if dry_run:
                run.due.append(label)
                continue
            with transaction.atomic():
                locked = MeetingOutcome.objects.select_for_update().get(pk=outcome.pk)
                if locked.sent_at is not None:  # another run sent it meanwhile
                    continue
                locked.meeting, locked.respondent = outcome.meeting, outcome.respondent
                message = build_survey_mail(locked)
                message.connection = connection
                locked.send_attempts += 1
                try:
                    message.send()
                except OSError as error:
                    locked.save(update_fields=["send_attempts", "updated_at"])
                    run.failed.append((label, str(error)))
                    continue
                locked.sent_at = now
                locked.editable_until = now + datetime.timedelta(days=settings.EVENT_FOLLOWUP_ANSWER_DAYS)
                locked.save(update_fields=["sent_at", "editable_until", "send_attempts", "updated_at"])
            run.sent.append(label)
    return run


# --- answering ----------------------------------------------------------------------------------


def access_outcome_by_token(token: str) -> MeetingOutcome:
    """The survey row the link names; 404 for anything else (never say whether it exists)."""
    outcome = (
        MeetingOutcome.objects.select_related("meeting__slot", "meeting__request", "respondent__event")
        .filter(token=token, sent_at__isnull=False)
        .first()
    )
    if outcome is None:
        raise Http404("No such survey")
    return outcome


def is_open(outcome: MeetingOutcome, now: datetime.datetime | None = None) -> bool:
    return outcome.editable_until is not None and (now or timezone.now()) <= outcome.editable_until


def do_answer(outcome: MeetingOutcome, *, answer: str, comment: str) -> MeetingOutcome:
    """Record (or change) the respondent's answer, then bring the CRM pipeline up to it."""
    if not is_open(outcome):
        raise ValidationError(_("This survey is closed; answers can no longer be changed."), code="closed")
    if answer not in FollowUpAnswer.values:
        raise ValidationError({"answer": _("Choose where the meeting led.")})
    comment = (comment or "").strip()
    if len(comment) > 2000:
        raise ValidationError({"comment": _("Keep the comment to 2,000 characters.")})
    with transaction.atomic():
        locked = MeetingOutcome.objects.select_for_update().get(pk=outcome.pk)
        locked.answer, locked.comment, locked.answered_at = answer, comment, timezone.now()
        locked._change_reason = "follow-up survey answer"
        locked.save(update_fields=["answer", "comment", "answered_at", "updated_at"])
    outcome.answer, outcome.comment, outcome.answered_at = locked.answer, locked.comment, locked.answered_at
    feed_pipeline(outcome)
    return outcome


# --- the CRM ------------------------------------------------------------------------------------


def organiser_of(event: Event):
    """(user, cluster) in whose name survey answers go into the CRM: the event's creator while
    they are HQ staff of one of its clusters, else the first HQ staff member of its first
    cluster that has one; None when the event's clusters have no HQ staff."""
    clusters = list(event.clusters.order_by("pk"))
    first = event.history.order_by("history_date").first()
    creator = first.history_user if first is not None else None
    hq = Role.objects.filter(kind=RoleKind.HQ_STAFF, cluster__in=clusters, user__is_active=True).order_by("pk")
    if creator is not None:
        own = hq.filter(user=creator).first()
        if own is not None:
            return creator, own.cluster
    role = hq.select_related("user", "cluster").first()
    return (role.user, role.cluster) if role is not None else None


def party_of(registration: Registration) -> tuple[Organisation | None, Person | None]:
    """The CRM party a registration stands for: the person and their primary organisation.
    Visitors registered by the public form have no directory record and are no party."""
    if registration.person_id is None:
        return None, None
    affiliation = (
        Affiliation.objects.filter(person_id=registration.person_id, end_on__isnull=True)
        .select_related("organisation")
        .order_by("-is_primary", "-start_on", "pk")
        .first()
    )
    return (affiliation.organisation if affiliation else None), registration.person


def _counterparts(outcome: MeetingOutcome) -> list[Registration]:
    """Whom the respondent met across the table: the requester for one of the other side, the
    other side for the requester."""
    request = outcome.meeting.request
    if outcome.respondent_id == request.requester_id:
        return list(request.recipients.all())
    return [request.requester]


def _between(cluster_ids, mine, theirs) -> Introduction | None:
    """The open introduction between the two parties in the event's clusters, either way round:
    matched by organisations when both sides have one, else by people."""
    (org_a, person_a), (org_b, person_b) = mine, theirs
    if org_a is not None and org_b is not None:
        pair = Q(party_a_organisation=org_a, party_b_organisation=org_b) | Q(
            party_a_organisation=org_b, party_b_organisation=org_a
        )
    else:
        pair = Q(party_a_person=person_a, party_b_person=person_b) | Q(party_a_person=person_b, party_b_person=person_a)
    return (
        Introduction.objects.filter(pair, cluster_id__in=cluster_ids)
        .exclude(stage=IntroductionStage.CLOSED)
        .order_by("-introduced_on", "-pk")
        .first()
    )


def feed_pipeline(outcome: MeetingOutcome) -> list[Introduction]:
    """Bring the introduction between the respondent and each counterpart up to the answer's
    stage, creating it (met at the event) when there is none. Never moves a stage back; a CRM
    refusal (a rule, a permission) is logged and leaves the answer recorded."""
    target = ANSWER_STAGE.get(outcome.answer)
    event = outcome.respondent.event
    organiser = organiser_of(event)
    if target is None or organiser is None:
        return []
    actor, cluster = organiser
    mine = party_of(outcome.respondent)
    if mine == (None, None):
        return []
    fed = []
    cluster_ids = list(event.clusters.values_list("pk", flat=True))
    for counterpart in _counterparts(outcome):
        theirs = party_of(counterpart)
        if theirs == (None, None) or theirs == mine or (mine[0] is not None and mine[0] == theirs[0]):
            continue  # a visitor, or colleagues of one organisation
        try:
            with transaction.atomic():
                fed.append(_advance(actor, cluster, cluster_ids, outcome, mine, theirs, target))
        except (ValidationError, PermissionDenied) as error:
            logger.warning("follow-up answer %s not taken into the CRM: %s", outcome.pk, error)
    return fed


def _advance(actor, cluster, cluster_ids, outcome, mine, theirs, target: str) -> Introduction:
    introduction = _between(cluster_ids, mine, theirs)
    if introduction is None:
        with translation.override(settings.LANGUAGE_CODE):
            topic = _("Business meeting at %(title)s") % {"title": outcome.respondent.event.title}
        introduction = brokerage.do_save_introduction(
            actor,
            Introduction(
                cluster=cluster,
                coordinator=actor,
                party_a_organisation=mine[0],
                party_a_person=mine[1],
                party_b_organisation=theirs[0],
                party_b_person=theirs[1],
                topic=topic[:300],
                introduced_on=timezone.localdate(outcome.meeting.slot.starts_at),
            ),
        )
    current = introduction.stage
    if current in (IntroductionStage.CLOSED, IntroductionStage.COMMERCIALISED):
        return introduction
    if PIPELINE.index(target) > PIPELINE.index(current):
        with translation.override(settings.LANGUAGE_CODE):
            reason = _("Follow-up survey: %(answer)s") % {"answer": FollowUpAnswer(outcome.answer).label}
        brokerage.do_move_stage(actor, introduction, target, on=timezone.localdate(), reason=reason)
    return introduction


def outcome_counts(event: Event) -> dict[str, int]:
    """Answers of the event's survey by answer, plus how many were asked and answered."""
    rows = MeetingOutcome.objects.filter(meeting__request__event=event, sent_at__isnull=False)
    counts = dict.fromkeys(FollowUpAnswer.values, 0)
    for row in rows.exclude(answer="").values("answer").annotate(n=Count("pk")):
        counts[row["answer"]] = row["n"]
    counts["asked"] = rows.count()
    counts["answered"] = rows.exclude(answer="").count()
    return counts
