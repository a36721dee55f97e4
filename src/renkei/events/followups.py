"""Follow-up intentions (フォローアップ希望): right after a held meeting each participant says on
their meeting list whether they want to follow it up (yes, with a short note / no).

A "yes" becomes a follow-up in the coordinators' CRM, written through brokerage's own service
(`do_save_interaction`) in the name of the event's organiser (events.survey.organiser_of):
an interaction of kind "meeting" on the meeting's day between the two sides' organisations and
people, with its next follow-up due the day the participant asked, so it appears at once in the
coordinator's due follow-ups and digest. There is one such follow-up per side of a meeting:
colleagues on the same side share it, and stating "yes" again changes nothing in the CRM.
Changing one's mind to "no" later leaves the CRM record alone (it is the coordinator's now).

Whose follow-up it is (`choose_coordinator`), among the active coordinators of the organiser's
cluster:
1. the coordinator of the latest open introduction between the two sides in that cluster;
2. else the coordinator who last logged an interaction with the participant's organisation
   (or, without one, the participant) in that cluster;
3. else the coordinator with the fewest open follow-ups in that cluster (then the first by id);
4. a cluster without coordinators: the organiser (HQ staff) keeps it.

Participants see only their own answer and note; nothing of the CRM record is shown to them.
A CRM refusal (a party the organiser may not see, say) is logged and leaves the answer stored;
stating "yes" again retries it.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from renkei.accounts.models import Role, RoleKind
from renkei.brokerage import services as brokerage
from renkei.brokerage.choices import InteractionKind, IntroductionStage
from renkei.brokerage.models import Interaction, Introduction
from renkei.events import access
from renkei.events.choices import MeetingStatus
from renkei.events.models import FollowUpIntention, Meeting, Registration
from renkei.events.survey import organiser_of, party_of

logger = logging.getLogger(__name__)

MAX_NOTE = 1000


def _side_of(meeting: Meeting, registration: Registration) -> tuple[list[Registration], list[Registration]]:
    """(the registration's side, the other side) of the meeting; PermissionDenied if not in it."""
    request = meeting.request
    requester_side, other_side = [request.requester], list(request.recipients.all())
    if registration.pk == request.requester_id:
        return requester_side, other_side
    if registration.pk in {r.pk for r in other_side}:
        return other_side, requester_side
    raise PermissionDenied("Only the participants of a meeting state whether they follow it up.")


def intentions_of(registration: Registration) -> dict[int, FollowUpIntention]:
    """The registration's own intentions, by meeting pk."""
    return {i.meeting_id: i for i in FollowUpIntention.objects.filter(registration=registration)}


def held_meetings_of(registration: Registration) -> list[Meeting]:
    """The held meetings the registration took part in, in time order."""
    return list(
        Meeting.objects.filter(status=MeetingStatus.HELD, request__event=registration.event_id)
        .filter(Q(request__requester=registration) | Q(request__recipients=registration))
        .distinct()
        .select_related("slot", "table", "request__requester__person")
        .prefetch_related("request__recipients__person")
        .order_by("slot__starts_at", "pk")
    )


def held_meetings_with_intentions(registration: Registration) -> list[Meeting]:
    """The held meetings of the registration, each with `my_intention` (its own answer or None)."""
    meetings = held_meetings_of(registration)
    intentions = intentions_of(registration)
    for meeting in meetings:
        meeting.my_intention = intentions.get(meeting.pk)
    return meetings


def do_state_intention(actor, meeting: Meeting, *, wants_follow_up: bool, note: str = "") -> FollowUpIntention:
    """The signed-in participant says whether they want to follow up a held meeting."""
    event = meeting.request.event
    own = access.own_registration(actor, event)
    if own is None:
        raise PermissionDenied("Only the participants of a meeting state whether they follow it up.")
    mine, theirs = _side_of(meeting, own)
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise ValidationError({"note": _("Keep the note to %(n)d characters.") % {"n": MAX_NOTE}})
    if not wants_follow_up:
        note = ""
    with transaction.atomic():
        current = Meeting.objects.select_for_update().get(pk=meeting.pk)  # one CRM record per side
        if current.status != MeetingStatus.HELD:
            raise ValidationError(_("You can say this only about a meeting that was held."), code="not_held")
        intention = FollowUpIntention.objects.filter(meeting=current, registration=own).first()
        if intention is None:
            intention = FollowUpIntention(meeting=current, registration=own, wants_follow_up=wants_follow_up)
        intention.wants_follow_up, intention.note = wants_follow_up, note
        if wants_follow_up and intention.interaction_id is None:
            shared = (
                FollowUpIntention.objects.filter(
                    meeting=current, registration__in=[r.pk for r in mine], interaction__isnull=False
                )
                .values_list("interaction_id", flat=True)
                .first()
            )
            intention.interaction_id = shared or _create_follow_up(current, own, theirs, note)
        intention._history_user = actor
        intention._change_reason = "follow-up intention"
        intention.full_clean()
        intention.save()
    return intention


# --- the CRM ------------------------------------------------------------------------------------


def choose_coordinator(cluster, organiser, mine: tuple, theirs: list[tuple]):
    """Whose follow-up it is (the rule in this module's docstring)."""
    coordinators = get_user_model().objects.filter(
        pk__in=Role.objects.filter(kind=RoleKind.COORDINATOR, cluster=cluster).values("user_id"), is_active=True
    )
    if not coordinators.exists():
        return organiser
    my_org, my_person = mine
    pairs = Q()
    for their_org, their_person in theirs:
        if my_org is not None and their_org is not None:
            pairs |= Q(party_a_organisation=my_org, party_b_organisation=their_org)
            pairs |= Q(party_a_organisation=their_org, party_b_organisation=my_org)
        elif their_person is not None:
            pairs |= Q(party_a_person=my_person, party_b_person=their_person)
            pairs |= Q(party_a_person=their_person, party_b_person=my_person)
    if pairs:
        introduction = (
            Introduction.objects.filter(pairs, cluster=cluster, coordinator__in=coordinators)
            .exclude(stage=IntroductionStage.CLOSED)
            .order_by("-introduced_on", "-pk")
            .first()
        )
        if introduction is not None:
            return introduction.coordinator
    party = Q(organisations=my_org) if my_org is not None else Q(people=my_person)
    logged = (
        Interaction.objects.filter(party, cluster=cluster, coordinator__in=coordinators)
        .order_by("-date", "-pk")
        .first()
    )
    if logged is not None:
        return logged.coordinator
    open_follow_ups = Q(
        interactions__cluster=cluster,
        interactions__next_follow_up_on__isnull=False,
        interactions__follow_up_done=False,
    )
    return coordinators.annotate(load=Count("interactions", filter=open_follow_ups)).order_by("load", "pk").first()


def _create_follow_up(meeting: Meeting, own: Registration, theirs: list[Registration], note: str) -> int | None:
    """Write the CRM follow-up for one side of a meeting; None (logged) when the CRM refuses it."""
    event = meeting.request.event
    organiser = organiser_of(event)
    if organiser is None:
        logger.warning("meeting %s: the event's clusters have no HQ staff; no CRM follow-up", meeting.pk)
        return None
    actor, cluster = organiser
    mine = party_of(own)
    parties = [party_of(r) for r in theirs]
    organisations = list(dict.fromkeys(o for o, _p in [mine, *parties] if o is not None))
    people = list(dict.fromkeys(p for _o, p in [mine, *parties] if p is not None))
    with translation.override(settings.LANGUAGE_CODE):
        topic = _("Follow-up wanted by %(name)s after meeting %(others)s at %(title)s") % {
            "name": own.display_name,
            "others": ", ".join(r.display_name for r in theirs),
            "title": event.title,
        }
    interaction = Interaction(
        kind=InteractionKind.MEETING,
        date=timezone.localdate(meeting.slot.starts_at),
        cluster=cluster,
        coordinator=choose_coordinator(cluster, actor, mine, parties),
        topic=topic[:300],
        notes=note,
        next_follow_up_on=timezone.localdate(),
    )
    try:
        with transaction.atomic():
            brokerage.do_save_interaction(actor, interaction, organisations=organisations, people=people)
    except (ValidationError, PermissionDenied) as error:
        logger.warning("follow-up intention for meeting %s not taken into the CRM: %s", meeting.pk, error)
        return None
    return interaction.pk
