"""Quick entry into the CRM from the directory and matching pages: which cluster a record's
"Log an interaction" and "Introduce" buttons write to, and what the create forms prefill.

A button is offered only where the user may create CRM records in one of the record's clusters
(brokerage.access.writable_clusters). Prefilling never names a record the user may not see, nor
the owner of an anonymised listing that is hidden from them (matching.access.shows_owner)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from renkei.brokerage import access
from renkei.directory.models import Organisation, Person
from renkei.programs.models import Cluster


def _organisation_clusters(organisation_ids) -> Q:
    return Q(memberships__organisation_id__in=organisation_ids) | Q(promotion_organisation_id__in=organisation_ids)


def record_clusters(record) -> QuerySet[Cluster]:
    """The clusters a directory record or a listing belongs to."""
    from renkei.matching.models import Need, Seed

    if isinstance(record, Organisation):
        rule = _organisation_clusters([record.pk])
    elif isinstance(record, Person):
        organisation_ids = list(record.affiliations.values_list("organisation_id", flat=True))
        rule = _organisation_clusters(organisation_ids) | Q(positions__person=record)
    elif isinstance(record, (Need, Seed)):
        rule = Q(pk__in=record.clusters.values("pk"))
    else:
        return Cluster.objects.none()
    return Cluster.objects.filter(pk__in=Cluster.objects.filter(rule).values("pk"))


def quick_entry_cluster(user, record) -> Cluster | None:
    """The cluster where the user logs CRM records about the record, or None (no button)."""
    if record is None or not getattr(user, "is_authenticated", False):
        return None
    return access.writable_clusters(user).filter(pk__in=record_clusters(record).values("pk")).order_by("code").first()


def _writable_cluster(user, code: str) -> Cluster | None:
    if not code:
        return None
    return access.writable_clusters(user).filter(code=code).first()


def _shown_owner_id(user, listing) -> int | None:
    """The listing's organisation if the user may see that it owns the listing."""
    from renkei.directory.access import visible_organisations
    from renkei.matching.access import shows_owner

    if not shows_owner(user, listing):
        return None
    if not visible_organisations(user).filter(pk=listing.organisation_id).exists():
        return None
    return listing.organisation_id


def _listing(queryset, value: str):
    if not value.isdigit():
        return None
    return queryset.filter(pk=int(value)).first()


def interaction_initial(user, params) -> dict[str, Any]:
    """?organisation=, ?person=, ?need=, ?seed=, ?cluster= for a new interaction. Records the user
    may not see are ignored, never revealed; owners of listings only where shows_owner allows."""
    from renkei.directory.access import visible_organisations, visible_people
    from renkei.matching.access import visible_needs, visible_seeds

    initial: dict[str, Any] = {}
    for param, queryset, key in (
        ("organisation", visible_organisations(user), "organisations"),
        ("person", visible_people(user), "people"),
    ):
        value = params.get(param, "")
        if value.isdigit() and queryset.filter(pk=int(value)).exists():
            initial[key] = [int(value)]
    need = _listing(visible_needs(user), params.get("need", ""))
    seed = _listing(visible_seeds(user), params.get("seed", ""))
    owners = []
    for key, listing in (("need", need), ("seed", seed)):
        if listing is not None:
            initial[key] = listing.pk
            owner = _shown_owner_id(user, listing)
            if owner is not None:
                owners.append(owner)
    if owners and "organisations" not in initial:
        initial["organisations"] = list(dict.fromkeys(owners))
    cluster = _writable_cluster(user, params.get("cluster", "")) or quick_entry_cluster(user, need)
    if cluster is not None:
        initial["cluster"] = cluster.pk
    return initial


def introduction_initial(user, params) -> dict[str, Any]:
    """?need=&seed= (from a seed suggestion of a need) and ?cluster= for a new introduction: the
    need and seed as its sources, their owners as the two parties where the user may see them."""
    from renkei.matching.access import visible_needs, visible_seeds

    initial: dict[str, Any] = {}
    need = _listing(visible_needs(user), params.get("need", ""))
    seed = _listing(visible_seeds(user), params.get("seed", ""))
    if need is not None:
        initial["source_need"] = need.pk
        initial["topic"] = need.title
        owner = _shown_owner_id(user, need)
        if owner is not None:
            initial["party_a_organisation"] = owner
    if seed is not None:
        initial["source_seed"] = seed.pk
        owner = _shown_owner_id(user, seed)
        if owner is not None and owner != initial.get("party_a_organisation"):
            initial["party_b_organisation"] = owner
    cluster = _writable_cluster(user, params.get("cluster", "")) or quick_entry_cluster(user, need)
    if cluster is not None:
        initial["cluster"] = cluster.pk
    return initial
