"""The review queue: links an import could not make with certainty, confirmed or rejected by staff.

`visible_review_items` says who sees which items: administrators and national officers all,
cluster HQ staff those of their office (`ReviewItem.owner`: queued by imports of HQ staff of the
same clusters, see `linking.review_office`) and those of the imports they started themselves; the
candidates offered are only the records the reviewer may see. Each office decides its own items:
another office's item with the same key is neither shown nor decided. `do_decide_review_item`
confirms one candidate — creating the link: the affiliation, the grant's institution, the
member's person, the applicant's organisation, the researchmap profile's person — or rejects them
all, and records who decided and when. Rejecting leaves the link unmade, except for a researchmap profile, which then
becomes a new person (it was held back only because of its namesakes).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from renkei.accounts.scope import scope_for
from renkei.core.services import save_validated
from renkei.directory.access import visible_organisations, visible_people
from renkei.directory.models import Affiliation
from renkei.imports.choices import LinkKind, ReviewStatus
from renkei.imports.linking import review_office
from renkei.imports.models import ReviewCandidate, ReviewItem
from renkei.imports.researchmap import do_apply_reviewed_profile


def visible_review_items(user) -> QuerySet[ReviewItem]:
    scope = scope_for(user)
    if not scope.authenticated:
        return ReviewItem.objects.none()
    if scope.reads_all:
        return ReviewItem.objects.all()
    if scope.hq_cluster_ids:
        return ReviewItem.objects.filter(Q(owner=review_office(user)) | Q(run__started_by=user))
    return ReviewItem.objects.none()


def access_review_item(user, pk: int) -> ReviewItem:
    """The item PK if the user may see it; 404 otherwise."""
    return get_object_or_404(visible_review_items(user).select_related("run", "decided_by"), pk=pk)


def visible_candidates(user, item: ReviewItem) -> QuerySet[ReviewCandidate]:
    """The item's candidates that point at records the user may see."""
    candidates = item.candidates.select_related("organisation", "person")
    return candidates.filter(organisation__in=visible_organisations(user)) | candidates.filter(
        person__in=visible_people(user)
    )


def do_decide_review_item(user, item: ReviewItem, *, confirm: ReviewCandidate | None = None) -> ReviewItem:
    """Confirm CONFIRM (one of the item's candidates) and make the link, or reject the item when
    CONFIRM is None. Either is recorded with the user and the time; a decided item cannot be
    decided again (ValidationError), and nobody decides an item they cannot see (PermissionDenied)."""
    if not visible_review_items(user).filter(pk=item.pk).exists():
        raise PermissionDenied(_("You may not decide this link."))
    with transaction.atomic():
        # Lock the row: two reviewers pressing at once must not both create the link.
        item = ReviewItem.objects.select_for_update().get(pk=item.pk)
        if item.status != ReviewStatus.PENDING:
            raise ValidationError(_("This link has already been decided."))
        if confirm is not None:
            if confirm.item_id != item.pk or not visible_candidates(user, item).filter(pk=confirm.pk).exists():
                raise PermissionDenied(_("This candidate is not one you may choose for this link."))
            _make_link(user, item, confirm)
            item.status = ReviewStatus.CONFIRMED
            item.chosen = confirm
        else:
            if item.kind == LinkKind.RESEARCHER_PROFILE:
                do_apply_reviewed_profile(user, item, None)
            item.status = ReviewStatus.REJECTED
        item.decided_by = user
        item.decided_at = timezone.now()
        item.save(update_fields=["status", "chosen", "decided_by", "decided_at"])
    return item


def _make_link(user, item: ReviewItem, candidate: ReviewCandidate) -> None:
    if item.kind == LinkKind.AFFILIATION:
        person = item.person
        if not person.affiliations.filter(organisation_id=candidate.organisation_id).exists():
            save_validated(
                Affiliation(
                    person=person,
                    organisation_id=candidate.organisation_id,
                    department=item.department,
                    title_ja=item.title_ja,
                    title_en=item.title_en,
                    is_primary=not person.affiliations.exists(),
                ),
                actor=user,
                reason="confirmed in the import review queue",
            )
    elif item.kind == LinkKind.GRANT_INSTITUTION:
        item.grant_project.institution_id = candidate.organisation_id
        item.grant_project.save(update_fields=["institution", "updated_at"])
    elif item.kind == LinkKind.GRANT_MEMBER:
        item.grant_member.person_id = candidate.person_id
        item.grant_member.save(update_fields=["person"])
    elif item.kind == LinkKind.PATENT_APPLICANT:
        item.patent_applicant.organisation_id = candidate.organisation_id
        item.patent_applicant.save(update_fields=["organisation"])
    elif item.kind == LinkKind.RESEARCHER_PROFILE:
        do_apply_reviewed_profile(user, item, candidate.person)
    else:  # pragma: no cover - the choices are closed
        raise ValueError(f"unknown link kind {item.kind!r}")
