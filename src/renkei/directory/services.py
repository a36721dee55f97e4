"""Every change to organisations, people and affiliations goes through these functions: the
forms, the API and the importers call them, and each checks the actor's permission itself."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction

from renkei.core.models import TechField
from renkei.core.services import save_validated
from renkei.directory import access
from renkei.directory.models import Affiliation, Organisation, Person

PERSON_CONTACT_FIELDS = ("email", "phone")


def do_save_organisation(
    actor, organisation: Organisation, *, fields: Iterable[TechField] | None = None
) -> Organisation:
    """Create or update an organisation. HQ staff who create one become able to edit it once
    they add it to their cluster (see programs.services.do_create_organisation_in_cluster)."""
    if organisation.pk is None:
        if not access.can_create_organisation(actor):
            raise PermissionDenied("You may not create organisations.")
    else:
        access.check_can_edit_organisation(actor, organisation)
    m2m = {"fields": list(fields)} if fields is not None else None
    return save_validated(organisation, actor=actor, m2m=m2m)


def do_save_person(actor, person: Person, *, fields: Iterable[TechField] | None = None) -> Person:
    if not access.can_edit_person(actor, person):
        raise PermissionDenied("You may not change this person.")
    m2m = {"fields": list(fields)} if fields is not None else None
    return save_validated(person, actor=actor, m2m=m2m)


def do_create_person(
    actor,
    person: Person,
    *,
    organisation: Organisation,
    fields: Iterable[TechField] | None = None,
    title_ja: str = "",
    title_en: str = "",
) -> Person:
    """A new person together with their first (primary) affiliation, both rows or neither.

    The person belongs to an organisation the actor looks after, which is what lets HQ staff
    and participants edit the record afterwards; a person with no affiliation would be
    invisible to its own author."""
    if person.pk is not None:
        raise ValueError("do_create_person creates new people only.")
    if not access.can_create_person(actor) or not access.can_edit_organisation(actor, organisation):
        raise PermissionDenied("You may not add people to this organisation.")
    affiliation = Affiliation(organisation=organisation, title_ja=title_ja, title_en=title_en, is_primary=True)
    with transaction.atomic():
        m2m = {"fields": list(fields)} if fields is not None else None
        save_validated(person, actor=actor, m2m=m2m)
        affiliation.person = person
        save_validated(affiliation, actor=actor)
    return person


def do_update_person_contact(actor, person: Person, **contact: str) -> Person:
    """Coordinators may change only the contact fields of their cluster's people."""
    unknown = set(contact) - set(PERSON_CONTACT_FIELDS)
    if unknown:
        raise ValueError(f"Not contact fields: {', '.join(sorted(unknown))}")
    if not access.can_edit_person_contact(actor, person):
        raise PermissionDenied("You may not change this person's contact details.")
    for name, value in contact.items():
        setattr(person, name, value)
    return save_validated(person, actor=actor)


def do_save_affiliation(actor, affiliation: Affiliation) -> Affiliation:
    person = affiliation.person
    if not access.can_edit_person(actor, person):
        raise PermissionDenied("You may not change this person's affiliations.")
    if affiliation.pk is not None:
        # Moving an affiliation away from a person the actor may not edit is a change to that person too.
        original = Affiliation.objects.select_related("person").filter(pk=affiliation.pk).first()
        if original is not None and not access.can_edit_person(actor, original.person):
            raise PermissionDenied("You may not change this person's affiliations.")
    if not access.visible_organisations(actor).filter(pk=affiliation.organisation_id).exists():
        raise PermissionDenied("You may not link to this organisation.")
    return save_validated(affiliation, actor=actor)


def do_delete_affiliation(actor, affiliation: Affiliation) -> None:
    if not access.can_edit_person(actor, affiliation.person):
        raise PermissionDenied("You may not change this person's affiliations.")
    with transaction.atomic():
        affiliation._history_user = actor
        affiliation.delete()
