"""Every change to seeds, needs, feedback, alerts, interests and challenges goes through these
functions; each checks the actor's permission and validates before writing, in one transaction.
Index updates and alert deliveries run after the commit (indexing.schedule)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from renkei.accounts.models import RoleKind
from renkei.accounts.scope import scope_for
from renkei.core.models import TechField
from renkei.core.services import save_validated
from renkei.directory.access import visible_organisations, visible_people
from renkei.directory.models import Organisation, Person
from renkei.matching import access, indexing
from renkei.matching.choices import (
    DeclineReason,
    InboxKind,
    InterestStatus,
    NeedStatus,
    ProposalStatus,
    TargetKind,
    Verdict,
)
from renkei.matching.models import (
    Alert,
    Challenge,
    Feedback,
    InboxItem,
    Interest,
    Need,
    Proposal,
    Seed,
)
from renkei.matching.search import is_relevant, mask_allows, seed_mask
from renkei.programs.models import Cluster, Membership

# ---- seeds and needs ----------------------------------------------------------------------


def usable_organisations(actor):
    """Organisations the actor may publish a listing for: their own, their HQ clusters' members."""
    scope = scope_for(actor)
    if scope.superuser:
        return Organisation.objects.all()
    return Organisation.objects.filter(Q(pk__in=scope.own_organisation_ids) | scope.hq_organisations_q())


def organisation_clusters(organisation: Organisation) -> list[Cluster]:
    ids = set(Membership.objects.filter(organisation=organisation).values_list("cluster_id", flat=True))
    ids |= set(Cluster.objects.filter(promotion_organisation=organisation).values_list("pk", flat=True))
    return list(Cluster.objects.filter(pk__in=ids))


def _check_listing(actor, listing: Seed | Need, clusters: list[Cluster] | None) -> list[Cluster]:
    if listing.organisation_id is None:
        raise ValidationError({"organisation": _("Choose the organisation.")})
    if not usable_organisations(actor).filter(pk=listing.organisation_id).exists():
        raise ValidationError({"organisation": _("You may not publish listings for this organisation.")})
    allowed = organisation_clusters(listing.organisation)
    if clusters is None or not list(clusters):
        return allowed
    scope = scope_for(actor)
    allowed_ids = {c.pk for c in allowed} | set(scope.staff_cluster_ids)
    if not scope.superuser:
        outside = [c for c in clusters if c.pk not in allowed_ids]
        if outside:
            raise ValidationError(
                {
                    "clusters": _("Not a cluster of this organisation: %(names)s")
                    % {"names": ", ".join(map(str, outside))}
                }
            )
    return list(clusters)


def do_save_seed(
    actor,
    seed: Seed,
    *,
    fields: Iterable[TechField] | None = None,
    researchers: Iterable[Person] | None = None,
    clusters: Iterable[Cluster] | None = None,
) -> Seed:
    """Create or update a seed; its clusters default to those of the owning organisation."""
    access.check_can_edit(actor, seed)
    cluster_list = _check_listing(actor, seed, list(clusters) if clusters is not None else None)
    m2m: dict[str, list] = {"clusters": cluster_list}
    if fields is not None:
        m2m["fields"] = list(fields)
    if researchers is not None:
        researchers = list(researchers)
        hidden = [p for p in researchers if not visible_people(actor).filter(pk=p.pk).exists()]
        if hidden:
            raise ValidationError({"researchers": _("Choose researchers from the directory.")})
        m2m["researchers"] = researchers
    if seed.pk is None and actor is not None and actor.is_authenticated:
        seed.created_by = actor
    with transaction.atomic():
        save_validated(seed, actor=actor, m2m=m2m)
        indexing.schedule(seed, after=deliver_alerts)
    return seed


def do_save_need(
    actor,
    need: Need,
    *,
    fields: Iterable[TechField] | None = None,
    clusters: Iterable[Cluster] | None = None,
) -> Need:
    access.check_can_edit(actor, need)
    cluster_list = _check_listing(actor, need, list(clusters) if clusters is not None else None)
    if need.contact_id and not visible_people(actor).filter(pk=need.contact_id).exists():
        raise ValidationError({"contact": _("Choose the contact person from the directory.")})
    m2m: dict[str, list] = {"clusters": cluster_list}
    if fields is not None:
        m2m["fields"] = list(fields)
    if need.pk is None and actor is not None and actor.is_authenticated:
        need.created_by = actor
    with transaction.atomic():
        save_validated(need, actor=actor, m2m=m2m)
        indexing.schedule(need)
    return need


def do_delete_listing(actor, listing: Seed | Need) -> None:
    access.check_can_edit(actor, listing)
    with transaction.atomic():
        listing._history_user = actor
        indexing.schedule(listing)  # the id is taken before the row goes
        listing.delete()


# ---- feedback ------------------------------------------------------------------------------


def do_give_feedback(
    actor,
    need: Need,
    target_kind: str,
    target_id: int,
    verdict: str,
    *,
    decline_reason: str = "",
    note: str = "",
) -> Feedback:
    """Record (or change) a coordinator's verdict on one suggestion of a need."""
    if not access.can_give_feedback(actor, need):
        raise PermissionDenied("Only the coordinators of the need's clusters give feedback.")
    if target_kind not in TargetKind.values:
        raise ValidationError({"target_kind": _("Unknown suggestion kind.")})
    if verdict not in Verdict.values:
        raise ValidationError({"verdict": _("Choose useful, not useful or introduced.")})
    if decline_reason and decline_reason not in DeclineReason.values:
        raise ValidationError({"decline_reason": _("Unknown reason.")})
    target_model = {"seed": access.visible_seeds(actor), "organisation": visible_organisations(actor)}.get(
        target_kind, visible_people(actor)
    )
    if not target_model.filter(pk=target_id).exists():
        raise ValidationError({"target_id": _("No such suggestion.")})
    feedback = Feedback.objects.filter(
        need=need, target_kind=target_kind, target_id=target_id, author=actor
    ).first() or Feedback(need=need, target_kind=target_kind, target_id=target_id, author=actor)
    feedback.verdict = verdict
    feedback.decline_reason = decline_reason if verdict == Verdict.NOT_USEFUL else ""
    feedback.note = note
    return save_validated(feedback, actor=actor)


# ---- alerts and inbox ----------------------------------------------------------------------

ALERT_TOP = 20


def do_save_alert(actor, *, name: str, query: str = "", need: Need | None = None) -> Alert:
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied("Sign in to save an alert.")
    query = (query or "").strip()
    if need is not None:
        access.access_need(actor, need.pk)
    elif not query:
        raise ValidationError({"query": _("Give the search text for the alert.")})
    if len(query) > 5000:
        raise ValidationError({"query": _("The search text is too long (at most 5,000 characters).")})
    name = (name or "").strip() or (str(need) if need is not None else query)[:200]
    alert = Alert(user=actor, name=name[:200], query=query, need=need)
    return save_validated(alert, actor=actor)


def do_delete_alert(actor, alert: Alert) -> None:
    if alert.user_id != actor.pk:
        raise PermissionDenied("Not your alert.")
    alert.delete()


@indexing.after_update
def deliver_alerts(seed_doc_ids: Iterable[str]) -> int:
    """Put the seeds among `seed_doc_ids` that match a user's active alert into their inbox.

    1. Keep the seed ids; load the index.
    2. For each active alert, rank the seeds its user may see (search.seed_mask, the new seeds
       checked against the database) for the alert's text.
    3. A new seed counts when it is in that user's top ALERT_TOP and is relevant (shares a
       term with the text, or is close in meaning: search.is_relevant).
    4. One inbox item per alert and seed, ever.
    """
    seed_pks = [pk for kind, pk in map(indexing.parse_doc_id, seed_doc_ids) if kind == "seed"]
    if not seed_pks:
        return 0
    index = indexing.get_index()
    if index is None:
        return 0
    delivered = 0
    alerts = Alert.objects.filter(active=True).exclude(need__status=NeedStatus.CLOSED).select_related("user", "need")
    for alert in alerts:
        # The seeds the user may see as a mask over the index's fields; the new seeds are
        # checked against the database too (the index may only hide, never show).
        allow = seed_mask(index, alert.user)
        fresh = [pk for pk in seed_pks if mask_allows(index, allow, f"seed-{pk}")]
        if fresh:
            fresh = list(access.visible_seeds(alert.user).filter(pk__in=fresh).values_list("pk", flat=True))
        if not fresh:
            continue
        matches = index.search(alert.search_text(), top=ALERT_TOP, allow=allow)
        for match in matches:
            kind, pk = indexing.parse_doc_id(match.id)
            if pk not in fresh:
                continue
            if not is_relevant(match):
                continue
            labels = match.explanation.labels if match.explanation else []
            reason = ", ".join(labels[:8])
            _, created = InboxItem.objects.get_or_create(
                user=alert.user,
                alert=alert,
                seed_id=pk,
                kind=InboxKind.ALERT_MATCH,
                defaults={"reason": reason[:500]},
            )
            delivered += created
    return delivered


def do_mark_read(actor, item: InboxItem) -> None:
    if item.user_id != actor.pk:
        raise PermissionDenied("Not your inbox.")
    item.read = True
    item.save(update_fields=["read", "updated_at"])


# ---- expressions of interest ---------------------------------------------------------------


def owner_users(listing: Seed | Need) -> list:
    """Users who speak for a listing: its creator and the participants of its organisation."""
    User = get_user_model()
    return list(
        User.objects.filter(
            Q(pk=listing.created_by_id)
            | Q(roles__kind=RoleKind.PARTICIPANT, roles__organisation_id=listing.organisation_id)
        )
        .filter(is_active=True)
        .distinct()
    )


def coordinator_users(listing: Seed | Need) -> list:
    User = get_user_model()
    cluster_ids = list(listing.clusters.values_list("pk", flat=True))
    return list(
        User.objects.filter(roles__kind=RoleKind.COORDINATOR, roles__cluster_id__in=cluster_ids, is_active=True)
        .distinct()
        .order_by("pk")
    )


def hq_users(listing: Seed | Need) -> list:
    User = get_user_model()
    cluster_ids = list(listing.clusters.values_list("pk", flat=True))
    return list(
        User.objects.filter(roles__kind=RoleKind.HQ_STAFF, roles__cluster_id__in=cluster_ids, is_active=True)
        .distinct()
        .order_by("pk")
    )


def interest_recipients(listing: Seed | Need) -> tuple[list, bool]:
    """Who receives an expression of interest, and whether it went to the cluster's staff.

    Anonymised listings go to the coordinators of their clusters (brokered contact). A message
    nobody would read is worse than one passed on: with no owner account, or no coordinator,
    it falls back to the coordinators, then to the HQ staff of the listing's clusters.
    """
    owners = [] if listing.anonymised else owner_users(listing)
    if owners:
        return owners, False
    staff = coordinator_users(listing) or hq_users(listing)
    if staff:
        return staff, True
    return owner_users(listing), False


INTEREST_DAILY_LIMIT = 10


def check_interest_allowed(interest: Interest) -> None:
    """Anyone may write, so the same sender may not repeat a pending message about one listing,
    nor send more than INTEREST_DAILY_LIMIT messages a day (by e-mail address or account)."""
    sender = Q(sender_email__iexact=interest.sender_email)
    if interest.sender_id:
        sender |= Q(sender_id=interest.sender_id)
    mine = Interest.objects.filter(sender)
    if mine.filter(seed=interest.seed, need=interest.need, status=InterestStatus.SENT).exists():
        raise ValidationError(
            {"message": _("You have already written about this listing; please wait for the answer.")}
        )
    if mine.filter(created_at__gte=timezone.now() - dt.timedelta(days=1)).count() >= INTEREST_DAILY_LIMIT:
        raise ValidationError({"message": _("Too many messages today; please try again tomorrow.")})


def do_express_interest(
    actor,
    listing: Seed | Need,
    *,
    sender_name: str,
    sender_email: str,
    message: str,
    sender_organisation: str = "",
) -> Interest:
    """Send an expression of interest; it is logged and lands in the recipients' inbox."""
    model = Seed if isinstance(listing, Seed) else Need
    visible = access.visible_seeds(actor) if model is Seed else access.visible_needs(actor)
    if not visible.filter(pk=listing.pk).exists():
        raise PermissionDenied("You may not see this listing.")
    if isinstance(listing, Need) and listing.status != NeedStatus.OPEN:
        raise ValidationError({"message": _("This need is closed.")})
    interest = Interest(
        seed=listing if model is Seed else None,
        need=listing if model is Need else None,
        sender=actor if getattr(actor, "is_authenticated", False) else None,
        sender_name=(sender_name or "").strip(),
        sender_organisation=(sender_organisation or "").strip(),
        sender_email=(sender_email or "").strip(),
        message=(message or "").strip(),
    )
    check_interest_allowed(interest)
    recipients, routed = interest_recipients(listing)
    interest.routed_to_coordinator = routed
    with transaction.atomic():
        save_validated(interest, actor=actor)
        for user in recipients:
            InboxItem.objects.create(
                user=user,
                kind=InboxKind.INTEREST,
                interest=interest,
                seed=interest.seed,
                need=interest.need,
                reason=interest.message[:500],
            )
    return interest


def do_decline_interest(actor, interest: Interest, reason: str, text: str = "") -> Interest:
    listing = interest.listing
    if not access.can_answer_interest(actor, listing):
        raise PermissionDenied("You may not answer this expression of interest.")
    if reason not in DeclineReason.values:
        raise ValidationError({"decline_reason": _("Choose a reason.")})
    if reason == DeclineReason.OTHER and not (text or "").strip():
        raise ValidationError({"decline_text": _("Say why, when the reason is “other”.")})
    if interest.status == InterestStatus.DECLINED:
        raise ValidationError({"decline_reason": _("This expression of interest was already declined.")})
    interest.status = InterestStatus.DECLINED
    interest.decline_reason = reason
    interest.decline_text = (text or "").strip()
    with transaction.atomic():
        save_validated(interest, actor=actor)
        if interest.sender_id:
            InboxItem.objects.create(
                user_id=interest.sender_id,
                kind=InboxKind.DECLINE,
                interest=interest,
                seed=interest.seed,
                need=interest.need,
                reason=str(DeclineReason(reason).label),
            )
    return interest


def decline_summary(listing: Seed | Need) -> list[tuple[str, int]]:
    """How often each coded reason was given against the listing (interests declined, and for
    seeds, suggestions judged not useful), most frequent first. No names: owners see only counts."""
    counts: dict[str, int] = {}
    if isinstance(listing, Seed):
        interests = Interest.objects.filter(seed=listing)
        feedback = Feedback.objects.filter(target_kind=TargetKind.SEED, target_id=listing.pk).exclude(decline_reason="")
        for reason in feedback.values_list("decline_reason", flat=True):
            counts[reason] = counts.get(reason, 0) + 1
    else:
        interests = Interest.objects.filter(need=listing)
    for reason in interests.filter(status=InterestStatus.DECLINED).values_list("decline_reason", flat=True):
        counts[reason] = counts.get(reason, 0) + 1
    return sorted(((str(DeclineReason(k).label), v) for k, v in counts.items()), key=lambda kv: (-kv[1], kv[0]))


# ---- challenges ----------------------------------------------------------------------------


def do_open_challenge(actor, need: Need, *, deadline: dt.date | None, brief: str = "") -> Challenge:
    access.check_can_edit(actor, need)
    if deadline is None:
        raise ValidationError({"deadline": _("Give the deadline.")})
    if deadline < timezone.localdate():
        raise ValidationError({"deadline": _("The deadline is in the past.")})
    if need.status != NeedStatus.OPEN:
        raise ValidationError({"deadline": _("Only an open need can be published as a challenge.")})
    challenge = getattr(need, "challenge", None) if Challenge.objects.filter(need=need).exists() else None
    challenge = challenge or Challenge(need=need)
    challenge.deadline = deadline
    challenge.brief = (brief or "").strip()
    return save_validated(challenge, actor=actor)


def challenge_is_open(challenge: Challenge) -> bool:
    return challenge.deadline >= timezone.localdate() and challenge.need.status == NeedStatus.OPEN


def do_submit_proposal(actor, challenge: Challenge, seed: Seed | None, text: str) -> Proposal:
    access.access_challenge(actor, challenge.pk)
    if not challenge_is_open(challenge):
        raise ValidationError({"text": _("The challenge is closed.")})
    if seed is None:
        raise ValidationError({"seed": _("Choose the seed you answer with.")})
    if not access.editable_seeds(actor).filter(pk=seed.pk).exists():
        raise ValidationError({"seed": _("You may answer only with your own seeds.")})
    if Proposal.objects.filter(challenge=challenge, seed=seed).exists():
        raise ValidationError({"seed": _("This seed has already answered the challenge.")})
    proposal = Proposal(challenge=challenge, seed=seed, text=(text or "").strip(), author=actor)
    if not proposal.text:
        raise ValidationError({"text": _("Write the proposal.")})
    with transaction.atomic():
        save_validated(proposal, actor=actor)
        need = challenge.need
        for user in {*owner_users(need), *coordinator_users(need)}:
            InboxItem.objects.create(
                user=user, kind=InboxKind.PROPOSAL, proposal=proposal, seed=seed, need=need, reason=proposal.text[:500]
            )
    return proposal


def do_set_proposal_status(actor, proposal: Proposal, status: str) -> Proposal:
    if not access.can_shortlist(actor, proposal.challenge):
        raise PermissionDenied("Only the company and its coordinators shortlist.")
    if status not in ProposalStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    proposal.status = status
    return save_validated(proposal, actor=actor)
