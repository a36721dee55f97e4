"""Who may see and change directory records. Views, the API and services fetch organisations and
people only through these helpers, so each rule lives in one place and the permission matrix
test can prove it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from renkei.accounts.scope import Scope, scope_for
from renkei.core.models import Visibility
from renkei.directory.models import Affiliation, Organisation, Person

SIGNED_IN_LEVELS = [Visibility.PUBLIC, Visibility.MEMBERS]


def _organisation_visibility_q(scope: Scope, prefix: str = "") -> Q | None:
    """None means no restriction (the user reads everything)."""
    if scope.reads_all:
        return None
    if not scope.authenticated:
        return Q(**{f"{prefix}visibility": Visibility.PUBLIC})
    return (
        Q(**{f"{prefix}visibility__in": SIGNED_IN_LEVELS})
        | scope.staff_organisations_q(prefix)
        | Q(**{f"{prefix}pk__in": scope.own_organisation_ids})
    )


def visible_organisations(user) -> QuerySet[Organisation]:
    rule = _organisation_visibility_q(scope_for(user))
    qs = Organisation.objects.all()
    return qs if rule is None else qs.filter(rule)


def access_organisation(user, pk: int) -> Organisation:
    """The organisation if the user may see it; 404 otherwise (never reveal that it exists)."""
    try:
        return visible_organisations(user).get(pk=pk)
    except (Organisation.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such organisation") from exc


def can_create_organisation(user) -> bool:
    scope = scope_for(user)
    return scope.superuser or bool(scope.hq_cluster_ids)


def editable_organisations(user) -> QuerySet[Organisation]:
    scope = scope_for(user)
    if scope.superuser:
        return Organisation.objects.all()
    if not scope.authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(scope.hq_organisations_q() | Q(pk__in=scope.own_organisation_ids))


def can_edit_organisation(user, organisation: Organisation) -> bool:
    if organisation.pk is None:
        return can_create_organisation(user)
    return editable_organisations(user).filter(pk=organisation.pk).exists()


def check_can_edit_organisation(user, organisation: Organisation) -> None:
    if not can_edit_organisation(user, organisation):
        raise PermissionDenied("You may not change this organisation.")


def _people_of_organisations_q(org_q: Q) -> Q:
    return Q(pk__in=Affiliation.objects.filter(org_q).values("person_id"))


def visible_people(user) -> QuerySet[Person]:
    scope = scope_for(user)
    qs = Person.objects.all()
    if scope.reads_all:
        return qs
    if not scope.authenticated:
        return qs.filter(visibility=Visibility.PUBLIC, consent_to_publish=True)
    rule = (
        Q(visibility__in=SIGNED_IN_LEVELS)
        | _people_of_organisations_q(scope.staff_organisations_q("organisation__"))
        | _people_of_organisations_q(Q(organisation_id__in=scope.own_organisation_ids))
        | _people_in_positions_q(scope.staff_cluster_ids)
    )
    if scope.own_person_id:
        rule |= Q(pk=scope.own_person_id)
    return qs.filter(rule)


def _people_in_positions_q(cluster_ids: frozenset[int]) -> Q:
    if not cluster_ids:
        return Q(pk__in=[])
    from renkei.programs.models import HQPosition

    return Q(pk__in=HQPosition.objects.filter(cluster_id__in=cluster_ids).values("person_id"))


def access_person(user, pk: int) -> Person:
    try:
        return visible_people(user).get(pk=pk)
    except (Person.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such person") from exc


def editable_people(user) -> QuerySet[Person]:
    """People whose whole record the user may change: HQ staff for people of their cluster's
    organisations and HQ, participants for themselves and colleagues at their organisation."""
    scope = scope_for(user)
    if scope.superuser:
        return Person.objects.all()
    if not scope.authenticated:
        return Person.objects.none()
    rule = (
        _people_of_organisations_q(scope.hq_organisations_q("organisation__"))
        | _people_in_positions_q(scope.hq_cluster_ids)
        | _people_of_organisations_q(Q(organisation_id__in=scope.own_organisation_ids))
    )
    if scope.own_person_id:
        rule |= Q(pk=scope.own_person_id)
    return Person.objects.filter(rule)


def can_edit_person(user, person: Person) -> bool:
    if person.pk is None:
        return can_create_person(user)
    return editable_people(user).filter(pk=person.pk).exists()


def can_create_person(user) -> bool:
    scope = scope_for(user)
    return scope.superuser or bool(scope.hq_cluster_ids) or bool(scope.own_organisation_ids)


def can_edit_person_contact(user, person: Person) -> bool:
    """Coordinators keep the contact details of their cluster's people up to date."""
    if can_edit_person(user, person):
        return True
    scope = scope_for(user)
    if not scope.coordinator_cluster_ids:
        return False
    return (
        Person.objects.filter(pk=person.pk)
        .filter(
            _people_of_organisations_q(scope.coordinator_organisations_q("organisation__"))
            | _people_in_positions_q(scope.coordinator_cluster_ids)
        )
        .exists()
    )


def can_see_contact(user, person: Person) -> bool:
    """E-mail and phone are shown to staff of the person's clusters, national officers, the
    person themselves and colleagues; never to visitors."""
    scope = scope_for(user)
    if not scope.authenticated:
        return False
    if scope.reads_all or can_edit_person_contact(user, person):
        return True
    return (
        Person.objects.filter(pk=person.pk)
        .filter(_people_of_organisations_q(scope.staff_organisations_q("organisation__")))
        .exists()
    )


def people_with_visible_contact(user) -> QuerySet[Person]:
    """The people whose contact details `can_see_contact` shows to the user, as one query, so a
    list can decide for a whole page at once. Must agree with `can_see_contact`."""
    scope = scope_for(user)
    if not scope.authenticated:
        return Person.objects.none()
    if scope.reads_all:
        return Person.objects.all()
    return Person.objects.filter(
        Q(pk__in=editable_people(user).values("pk"))
        | _people_of_organisations_q(scope.staff_organisations_q("organisation__"))
        | _people_in_positions_q(scope.coordinator_cluster_ids)
    )


def can_see_history(user, obj) -> bool:
    """Change history is for the people who look after a record, not for every reader."""
    scope = scope_for(user)
    if scope.reads_all:
        return True
    if isinstance(obj, Organisation):
        return can_edit_organisation(user, obj) or (
            bool(scope.staff_cluster_ids)
            and Organisation.objects.filter(pk=obj.pk).filter(scope.staff_organisations_q()).exists()
        )
    if isinstance(obj, Person):
        return can_edit_person_contact(user, obj)
    return False


def visible_affiliations(user) -> QuerySet[Affiliation]:
    return Affiliation.objects.filter(person__in=visible_people(user), organisation__in=visible_organisations(user))
