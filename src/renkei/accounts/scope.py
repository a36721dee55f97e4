"""What a user may see and change, computed once per request from their roles.

Every access helper (`visible_organisations`, `can_edit_cluster`, …) asks the Scope, so the
permission rules live here and in the apps' access modules, not in views.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from renkei.accounts.models import RoleKind


@dataclass(frozen=True)
class Scope:
    authenticated: bool = False
    national: bool = False
    superuser: bool = False
    hq_cluster_ids: frozenset[int] = field(default_factory=frozenset)
    coordinator_cluster_ids: frozenset[int] = field(default_factory=frozenset)
    own_organisation_ids: frozenset[int] = field(default_factory=frozenset)
    own_person_id: int | None = None

    @property
    def reads_all(self) -> bool:
        return self.national or self.superuser

    @property
    def staff_cluster_ids(self) -> frozenset[int]:
        """Clusters whose directory the user reads in full (HQ staff and coordinators)."""
        return self.hq_cluster_ids | self.coordinator_cluster_ids

    @property
    def is_staff_role(self) -> bool:
        return self.reads_all or bool(self.staff_cluster_ids)

    def staff_organisations_q(self, prefix: str = "") -> Q:
        """Matches organisations that are members or the promotion organisation of the clusters
        where the user is HQ staff or coordinator. `prefix` points at the organisation from
        another model (e.g. "affiliations__organisation__")."""
        return organisations_of_clusters_q(self.staff_cluster_ids, prefix)

    def hq_organisations_q(self, prefix: str = "") -> Q:
        return organisations_of_clusters_q(self.hq_cluster_ids, prefix)

    def coordinator_organisations_q(self, prefix: str = "") -> Q:
        return organisations_of_clusters_q(self.coordinator_cluster_ids, prefix)


def organisations_of_clusters_q(cluster_ids: frozenset[int], prefix: str = "") -> Q:
    if not cluster_ids:
        return Q(pk__in=[])
    from renkei.programs.models import Cluster, Membership

    members = Membership.objects.filter(cluster_id__in=cluster_ids).values("organisation_id")
    promoters = Cluster.objects.filter(pk__in=cluster_ids).values("promotion_organisation_id")
    return Q(**{f"{prefix}pk__in": members}) | Q(**{f"{prefix}pk__in": promoters})


ANONYMOUS = Scope()


def scope_for(user) -> Scope:
    """The user's Scope, cached on the user object for the rest of the request."""
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    cached = getattr(user, "_renkei_scope", None)
    if cached is not None:
        return cached
    hq: set[int] = set()
    coord: set[int] = set()
    orgs: set[int] = set()
    national = False
    for kind, cluster_id, organisation_id in user.roles.values_list("kind", "cluster_id", "organisation_id"):
        if kind == RoleKind.NATIONAL_OFFICER:
            national = True
        elif kind == RoleKind.HQ_STAFF:
            hq.add(cluster_id)
        elif kind == RoleKind.COORDINATOR:
            coord.add(cluster_id)
        elif kind == RoleKind.PARTICIPANT and organisation_id:
            orgs.add(organisation_id)
    person_id = getattr(getattr(user, "person", None), "pk", None) if _has_person(user) else None
    scope = Scope(
        authenticated=True,
        national=national,
        superuser=user.is_superuser,
        hq_cluster_ids=frozenset(hq),
        coordinator_cluster_ids=frozenset(coord),
        own_organisation_ids=frozenset(orgs),
        own_person_id=person_id,
    )
    user._renkei_scope = scope
    return scope


def _has_person(user) -> bool:
    from renkei.directory.models import Person

    try:
        return user.person is not None
    except Person.DoesNotExist:
        return False
