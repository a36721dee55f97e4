"""Who may use the imported reference tables, start imports and read their reports."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from renkei.accounts.scope import scope_for
from renkei.imports.models import GrantProject, ImportRun, Patent, RegionalIndustryStatistic


def can_look_up_corporations(user) -> bool:
    """Those who fill in organisation forms: national officers, cluster staff and coordinators,
    and participants (for their own organisation). The NTA data is public, but the look-up is
    not an open search service."""
    scope = scope_for(user)
    return scope.authenticated and (scope.superuser or scope.is_staff_role or bool(scope.own_organisation_ids))


def can_start_imports(user) -> bool:
    """Who may upload files to import: national officers, cluster HQ staff and administrators
    (coordinators and participants may not: an import rewrites shared reference data)."""
    scope = scope_for(user)
    return scope.authenticated and (scope.reads_all or bool(scope.hq_cluster_ids))


def visible_import_runs(user) -> QuerySet[ImportRun]:
    """The import runs the user may see: all for administrators and national officers, the runs
    they started themselves for cluster HQ staff, none for anyone else."""
    scope = scope_for(user)
    if not scope.authenticated:
        return ImportRun.objects.none()
    if scope.reads_all:
        return ImportRun.objects.all()
    if scope.hq_cluster_ids:
        return ImportRun.objects.filter(started_by=user)
    return ImportRun.objects.none()


def access_import_run(user, pk: int) -> ImportRun:
    """The run PK if the user may see it; a 404 otherwise, as for any record they may not see."""
    return get_object_or_404(visible_import_runs(user).select_related("started_by"), pk=pk)


def can_read_statistics(user) -> bool:
    """Who may list the imported regional statistics for now: staff roles (national officers,
    cluster staff and coordinators) and administrators. The figures are public, but the page is
    a working view for the mapping work, not a public one."""
    scope = scope_for(user)
    return scope.authenticated and (scope.superuser or scope.is_staff_role)


def visible_statistics(user) -> QuerySet[RegionalIndustryStatistic]:
    if not can_read_statistics(user):
        return RegionalIndustryStatistic.objects.none()
    return RegionalIndustryStatistic.objects.all()


def visible_grant_projects(user) -> QuerySet[GrantProject]:
    """All grant projects for staff roles (KAKEN publishes them), none for anyone else."""
    return GrantProject.objects.all() if can_read_statistics(user) else GrantProject.objects.none()


def visible_patents(user) -> QuerySet[Patent]:
    """All patent applications for staff roles (they are published), none for anyone else."""
    return Patent.objects.all() if can_read_statistics(user) else Patent.objects.none()
