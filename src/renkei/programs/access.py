"""Who may see and change programmes, clusters, memberships, HQ positions and budgets.

Programmes, clusters and budgets are public record. Memberships and positions are shown where the
organisation or person behind them is visible to the reader."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from renkei.accounts.scope import scope_for
from renkei.directory.access import visible_organisations, visible_people
from renkei.programs.models import Budget, Cluster, HQPosition, Membership, Programme


def visible_programmes(user) -> QuerySet[Programme]:
    return Programme.objects.all()


def visible_clusters(user) -> QuerySet[Cluster]:
    return Cluster.objects.all()


def access_programme(user, code: str) -> Programme:
    try:
        return visible_programmes(user).get(code=code)
    except Programme.DoesNotExist as exc:
        raise Http404("No such programme") from exc


def access_cluster(user, code: str) -> Cluster:
    try:
        return visible_clusters(user).get(code=code)
    except Cluster.DoesNotExist as exc:
        raise Http404("No such cluster") from exc


def can_manage_programmes(user) -> bool:
    """National officers and administrators create programmes and select clusters."""
    scope = scope_for(user)
    return scope.superuser or scope.national


def can_edit_cluster(user, cluster: Cluster) -> bool:
    scope = scope_for(user)
    if scope.superuser or scope.national:
        return True
    return cluster.pk is not None and cluster.pk in scope.hq_cluster_ids


def check_can_edit_cluster(user, cluster: Cluster) -> None:
    if not can_edit_cluster(user, cluster):
        raise PermissionDenied("You may not change this cluster.")


def check_can_manage_programmes(user) -> None:
    if not can_manage_programmes(user):
        raise PermissionDenied("Only national officers may change programmes.")


def editable_clusters(user) -> QuerySet[Cluster]:
    scope = scope_for(user)
    if scope.superuser or scope.national:
        return Cluster.objects.all()
    return Cluster.objects.filter(pk__in=scope.hq_cluster_ids)


def visible_memberships(user) -> QuerySet[Membership]:
    scope = scope_for(user)
    if scope.reads_all:
        return Membership.objects.all()
    return Membership.objects.filter(organisation__in=visible_organisations(user))


def visible_positions(user) -> QuerySet[HQPosition]:
    scope = scope_for(user)
    if scope.reads_all:
        return HQPosition.objects.all()
    return HQPosition.objects.filter(person__in=visible_people(user))


def visible_budgets(user) -> QuerySet[Budget]:
    return Budget.objects.all()


def can_see_cluster_history(user, cluster: Cluster) -> bool:
    scope = scope_for(user)
    return scope.reads_all or cluster.pk in scope.staff_cluster_ids
