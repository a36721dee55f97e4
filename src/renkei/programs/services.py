"""Every change to programmes, clusters, memberships, HQ positions and budgets goes through
these functions, each checking the actor's permission itself."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction

from renkei.core.models import Prefecture, TechField
from renkei.core.services import save_validated
from renkei.directory.access import visible_organisations, visible_people
from renkei.programs import access
from renkei.programs.models import Budget, Cluster, HQPosition, Membership, Programme


def do_save_programme(actor, programme: Programme) -> Programme:
    access.check_can_manage_programmes(actor)
    return save_validated(programme, actor=actor)


def do_save_cluster(
    actor,
    cluster: Cluster,
    *,
    prefectures: Iterable[Prefecture] | None = None,
    fields: Iterable[TechField] | None = None,
) -> Cluster:
    if cluster.pk is None:
        access.check_can_manage_programmes(actor)
    else:
        access.check_can_edit_cluster(actor, cluster)
    m2m = {}
    if prefectures is not None:
        m2m["prefectures"] = list(prefectures)
    if fields is not None:
        m2m["fields"] = list(fields)
    return save_validated(cluster, actor=actor, m2m=m2m)


def _check_cluster_child(actor, record) -> None:
    """The actor must be able to edit the record's cluster, and on an update also the cluster it
    is stored under now: otherwise HQ staff could pull another cluster's rows into their own."""
    access.check_can_edit_cluster(actor, record.cluster)
    if record.pk is not None:
        stored_cluster_id = type(record).objects.filter(pk=record.pk).values_list("cluster_id", flat=True).first()
        if stored_cluster_id is not None and stored_cluster_id != record.cluster_id:
            access.check_can_edit_cluster(actor, Cluster.objects.get(pk=stored_cluster_id))


def do_save_membership(actor, membership: Membership) -> Membership:
    _check_cluster_child(actor, membership)
    if not visible_organisations(actor).filter(pk=membership.organisation_id).exists():
        raise PermissionDenied("You may not add this organisation.")
    return save_validated(membership, actor=actor)


def do_delete_membership(actor, membership: Membership) -> None:
    _check_cluster_child(actor, membership)
    with transaction.atomic():
        membership._history_user = actor
        membership.delete()


def do_save_position(actor, position: HQPosition) -> HQPosition:
    _check_cluster_child(actor, position)
    if not visible_people(actor).filter(pk=position.person_id).exists():
        raise PermissionDenied("You may not appoint this person.")
    return save_validated(position, actor=actor)


def do_delete_position(actor, position: HQPosition) -> None:
    _check_cluster_child(actor, position)
    with transaction.atomic():
        position._history_user = actor
        position.delete()


def do_save_budget(actor, budget: Budget) -> Budget:
    _check_cluster_child(actor, budget)
    return save_validated(budget, actor=actor)


def do_delete_budget(actor, budget: Budget) -> None:
    _check_cluster_child(actor, budget)
    with transaction.atomic():
        budget._history_user = actor
        budget.delete()


def do_create_member_organisation(actor, organisation, cluster: Cluster, fields: Iterable[TechField] | None = None):
    """Add a new organisation to the directory as a member of `cluster`, both rows or neither.

    HQ staff look after only their clusters' members, so an organisation they create must join
    one of their clusters in the same transaction, or they could not edit it afterwards."""
    from renkei.directory.services import do_save_organisation
    from renkei.programs.choices import MembershipRole

    if organisation.pk is not None:
        raise ValueError("do_create_member_organisation creates new organisations only.")
    access.check_can_edit_cluster(actor, cluster)
    with transaction.atomic():
        do_save_organisation(actor, organisation, fields=fields)
        save_validated(Membership(cluster=cluster, organisation=organisation, role=MembershipRole.MEMBER), actor=actor)
    return organisation
