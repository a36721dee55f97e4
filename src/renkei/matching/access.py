"""Who may see and change seeds and needs, and who sees the owner of an anonymised listing.

The rules (one place, proved by tests/matching/test_access.py):
- visitors see public listings only;
- signed-in users also see "cluster" listings of clusters they belong to (their organisation is
  a member, or they are HQ staff or coordinator there) and everything their organisation owns;
- "coordinators only" listings are seen by the HQ staff and coordinators of the listing's clusters;
- national officers and administrators see everything;
- owners (people of the owning organisation, the creator) and the HQ staff of the listing's
  clusters edit a listing;
- an anonymised listing names its owner only to its owners, the staff of its clusters and
  national officers.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from renkei.accounts.scope import Scope, scope_for
from renkei.matching.choices import ListingVisibility
from renkei.matching.models import Challenge, Need, Seed
from renkei.programs.models import Membership


def member_cluster_ids(scope: Scope) -> set[int]:
    """Clusters the user belongs to: as staff, or through their organisation's membership."""
    ids = set(scope.staff_cluster_ids)
    if scope.own_organisation_ids:
        ids |= set(
            Membership.objects.filter(organisation_id__in=scope.own_organisation_ids).values_list(
                "cluster_id", flat=True
            )
        )
    return ids


def _owner_q(scope: Scope, user) -> Q:
    rule = Q(organisation_id__in=scope.own_organisation_ids)
    if user is not None and user.is_authenticated:
        rule |= Q(created_by=user)
    return rule


def _visible_q(user) -> Q | None:
    """None means no restriction."""
    scope = scope_for(user)
    if scope.reads_all:
        return None
    public = Q(visibility=ListingVisibility.PUBLIC)
    if not scope.authenticated:
        return public
    return (
        public
        | Q(visibility=ListingVisibility.CLUSTER, clusters__in=member_cluster_ids(scope))
        | Q(visibility=ListingVisibility.COORDINATORS, clusters__in=scope.staff_cluster_ids)
        | _owner_q(scope, user)
    )


def _visible(model, user) -> QuerySet:
    rule = _visible_q(user)
    if rule is None:
        return model.objects.all()
    # The cluster joins repeat a row once per cluster; a subquery keeps the queryset plain.
    return model.objects.filter(pk__in=model.objects.filter(rule).values("pk"))


def visible_seeds(user) -> QuerySet[Seed]:
    return _visible(Seed, user)


def visible_needs(user) -> QuerySet[Need]:
    return _visible(Need, user)


def access_seed(user, pk) -> Seed:
    """The seed if the user may see it; 404 otherwise (never reveal that it exists)."""
    try:
        return visible_seeds(user).get(pk=pk)
    except (Seed.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such seed") from exc


def access_need(user, pk) -> Need:
    try:
        return visible_needs(user).get(pk=pk)
    except (Need.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such need") from exc


def _listing_cluster_ids(listing: Seed | Need) -> set[int]:
    if listing.pk is None:
        return set()
    return set(listing.clusters.values_list("pk", flat=True))


def is_owner(user, listing: Seed | Need) -> bool:
    scope = scope_for(user)
    if not scope.authenticated:
        return False
    return listing.organisation_id in scope.own_organisation_ids or (
        listing.created_by_id is not None and listing.created_by_id == user.pk
    )


def is_listing_staff(user, listing: Seed | Need) -> bool:
    """HQ staff or coordinator of one of the listing's clusters."""
    scope = scope_for(user)
    return bool(scope.staff_cluster_ids & _listing_cluster_ids(listing))


def can_create_seed(user) -> bool:
    scope = scope_for(user)
    return scope.superuser or bool(scope.own_organisation_ids) or bool(scope.hq_cluster_ids)


can_create_need = can_create_seed


def can_edit(user, listing: Seed | Need) -> bool:
    scope = scope_for(user)
    if scope.superuser:
        return True
    if not scope.authenticated:
        return False
    if listing.pk is None:
        return can_create_seed(user)
    return is_owner(user, listing) or bool(scope.hq_cluster_ids & _listing_cluster_ids(listing))


def check_can_edit(user, listing: Seed | Need) -> None:
    if not can_edit(user, listing):
        raise PermissionDenied("You may not change this listing.")


def shows_owner(user, listing: Seed | Need) -> bool:
    """Whether the page may name the organisation and people behind the listing."""
    if not listing.anonymised:
        return True
    scope = scope_for(user)
    return scope.reads_all or is_owner(user, listing) or is_listing_staff(user, listing)


def anonymised_hidden_from(user, model, among: Iterable[int] | None = None) -> set[int]:
    """Pks of anonymised listings whose owner the user may not see (for lists, in one query);
    with ``among``, only those of these pks."""
    scope = scope_for(user)
    if scope.reads_all:
        return set()
    qs = model.objects.filter(anonymised=True)
    if among is not None:
        qs = qs.filter(pk__in=list(among))
    if scope.authenticated:
        qs = qs.exclude(_owner_q(scope, user)).exclude(clusters__in=scope.staff_cluster_ids)
    return set(qs.values_list("pk", flat=True))


def can_give_feedback(user, need: Need) -> bool:
    """Coordinators (and HQ staff) of the need's clusters judge its suggestions."""
    scope = scope_for(user)
    return scope.superuser or is_listing_staff(user, need)


def can_see_feedback(user, need: Need) -> bool:
    scope = scope_for(user)
    return scope.reads_all or can_give_feedback(user, need) or is_owner(user, need)


def can_answer_interest(user, listing: Seed | Need) -> bool:
    """The owner answers; for an anonymised listing its coordinator may answer too."""
    scope = scope_for(user)
    return scope.superuser or is_owner(user, listing) or (listing.anonymised and is_listing_staff(user, listing))


def visible_challenges(user) -> QuerySet[Challenge]:
    return Challenge.objects.filter(need__in=visible_needs(user))


def access_challenge(user, pk) -> Challenge:
    try:
        return visible_challenges(user).select_related("need").get(pk=pk)
    except (Challenge.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such challenge") from exc


def can_shortlist(user, challenge: Challenge) -> bool:
    """The company behind the need and the coordinators of its clusters shortlist."""
    need = challenge.need
    return can_edit(user, need) or is_listing_staff(user, need)


def editable_seeds(user) -> QuerySet[Seed]:
    """Seeds the user may answer a challenge with."""
    scope = scope_for(user)
    if scope.superuser:
        return Seed.objects.all()
    if not scope.authenticated:
        return Seed.objects.none()
    return Seed.objects.filter(_owner_q(scope, user) | Q(clusters__in=scope.hq_cluster_ids)).distinct()
