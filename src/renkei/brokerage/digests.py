"""The daily follow-up digest: one mail per coordinator and HQ staff member listing the follow-ups
due up to a day and not done (`renkei send_followup_digests`, run from cron once a day).

Who gets what:
- a coordinator: the follow-ups of the interactions where they are the coordinator, in the
  clusters where they still hold a staff role;
- HQ staff: every follow-up of their clusters (their coordinators' workload included);
- nobody with nothing due gets a mail, and nobody gets two digests for the same day.
The mail names the topic, the cluster, the coordinator and the due date, and links to the record;
it never carries notes, so confidential notes cannot leave the CRM by mail.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from renkei.accounts.models import CLUSTER_SCOPED, Role, RoleKind
from renkei.brokerage.models import FollowUpDigest, Interaction


@dataclass
class DigestOutcome:
    """What one run did: who got a mail (with how many items), who was skipped and why."""

    sent: list[tuple[str, int]] = field(default_factory=list)
    already_sent: list[str] = field(default_factory=list)
    without_address: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


def digest_recipients() -> QuerySet:
    """Active users holding a coordinator or HQ role in some cluster."""
    users = Role.objects.filter(kind__in=CLUSTER_SCOPED, cluster__isnull=False).values("user_id")
    return get_user_model().objects.filter(pk__in=users, is_active=True).order_by("username")


def due_follow_ups_for(user, on: datetime.date) -> QuerySet[Interaction]:
    """Follow-ups due on or before `on` and not done that belong in the user's digest."""
    roles = Role.objects.filter(user=user, kind__in=CLUSTER_SCOPED, cluster__isnull=False)
    hq_clusters = [r.cluster_id for r in roles if r.kind == RoleKind.HQ_STAFF]
    staff_clusters = [r.cluster_id for r in roles]
    return (
        Interaction.objects.filter(next_follow_up_on__isnull=False, next_follow_up_on__lte=on, follow_up_done=False)
        .filter(Q(cluster_id__in=hq_clusters) | Q(cluster_id__in=staff_clusters, coordinator=user))
        .select_related("cluster", "coordinator")
        .order_by("next_follow_up_on", "pk")
    )


def build_digest(user, items: list[Interaction], on: datetime.date, base_url: str) -> EmailMessage:
    language = settings.LANGUAGE_CODE
    with translation.override(language):
        rows = [
            {
                "due": item.next_follow_up_on,
                "days_overdue": (on - item.next_follow_up_on).days,
                "topic": item.topic,
                "cluster": str(item.cluster.name),
                "coordinator": item.coordinator.get_full_name() or item.coordinator.get_username(),
                "url": base_url.rstrip("/") + item.get_absolute_url(),
            }
            for item in items
        ]
        body = render_to_string(
            "brokerage/email/followup_digest.txt",
            {
                "user": user,
                "on": on,
                "rows": rows,
                "follow_ups_url": base_url.rstrip("/") + reverse("brokerage:follow_ups"),
            },
        )
        subject = _("[renkei] %(count)d follow-ups due by %(date)s") % {
            "count": len(rows),
            "date": f"{on:%Y-%m-%d}",
        }
    return EmailMessage(subject=subject, body=body, to=[user.email])


def do_send_followup_digests(
    on: datetime.date, *, base_url: str, dry_run: bool = False, connection=None
) -> DigestOutcome:
    """Send the day's digests. Each mail is recorded right after it is sent, so a run that stops
    half-way (or fails for one address) is finished by running it again the same day."""
    outcome = DigestOutcome()
    already = set(FollowUpDigest.objects.filter(sent_on=on).values_list("user_id", flat=True))
    pending: list[tuple[object, list[Interaction]]] = []
    for user in digest_recipients():
        items = list(due_follow_ups_for(user, on))
        if not items:
            continue
        if user.pk in already:
            outcome.already_sent.append(user.get_username())
        elif not user.email:
            outcome.without_address.append(user.get_username())
        else:
            pending.append((user, items))
    if dry_run:
        outcome.sent = [(user.get_username(), len(items)) for user, items in pending]
        return outcome
    if not pending:
        return outcome
    connection = connection or get_connection()
    with connection:
        for user, items in pending:
            message = build_digest(user, items, on, base_url)
            message.connection = connection
            try:
                message.send()
            except OSError as error:  # SMTP refusals and network errors; the others still get theirs
                outcome.failed.append((user.get_username(), str(error)))
                continue
            with transaction.atomic():
                FollowUpDigest.objects.create(user=user, sent_on=on, item_count=len(items))
            outcome.sent.append((user.get_username(), len(items)))
    return outcome
