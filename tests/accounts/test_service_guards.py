"""The services check the actor themselves, also for updates that move a row between owners:
the forms and the API only offer what a user may pick, but a crafted request may send anything."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from renkei.directory import access as directory_access
from renkei.directory.models import Affiliation, Person
from renkei.directory.services import do_create_person, do_save_affiliation
from renkei.programs.models import Budget, HQPosition, Membership
from renkei.programs.services import do_save_budget, do_save_membership, do_save_position


def test_hq_staff_cannot_pull_another_clusters_membership_into_their_own(cast):
    membership = Membership.objects.get(cluster=cast.cluster_b, organisation=cast.public_company_b)
    membership.cluster = cast.cluster_a

    with pytest.raises(PermissionDenied):
        do_save_membership(cast.hq_a, membership)

    assert Membership.objects.get(pk=membership.pk).cluster == cast.cluster_b


def test_hq_staff_cannot_push_their_budget_into_another_cluster(cast):
    budget = Budget.objects.get(cluster=cast.cluster_a)
    budget.cluster = cast.cluster_b

    with pytest.raises(PermissionDenied):
        do_save_budget(cast.hq_a, budget)

    assert Budget.objects.get(pk=budget.pk).cluster == cast.cluster_a


def test_hq_staff_cannot_take_over_another_clusters_position(cast):
    position = HQPosition.objects.get(cluster=cast.cluster_a)
    position.cluster = cast.cluster_b

    with pytest.raises(PermissionDenied):
        do_save_position(cast.hq_b, position)

    assert HQPosition.objects.get(pk=position.pk).cluster == cast.cluster_a


@pytest.mark.parametrize("role", ["admin", "national"])
def test_those_who_run_the_programmes_may_move_a_membership_between_clusters(cast, role):
    membership = Membership.objects.get(cluster=cast.cluster_b, organisation=cast.public_company_b)
    membership.cluster = cast.cluster_a

    do_save_membership(getattr(cast, role), membership)

    assert Membership.objects.get(pk=membership.pk).cluster == cast.cluster_a


def test_an_affiliation_cannot_be_taken_from_a_person_the_actor_may_not_edit(cast):
    affiliation = Affiliation.objects.get(person=cast.engineer_b)
    affiliation.person = cast.participant_person  # someone the participant may edit: themselves
    affiliation.organisation = cast.company_a

    with pytest.raises(PermissionDenied):
        do_save_affiliation(cast.participant, affiliation)

    assert Affiliation.objects.get(pk=affiliation.pk).person == cast.engineer_b


@pytest.mark.parametrize("role", ["hq_a", "participant"])
def test_a_new_colleague_is_created_with_an_affiliation_and_stays_editable(cast, role):
    actor = getattr(cast, role)
    person = Person(family_name_ja="伊藤", family_name_en="Ito", visibility="members")

    do_create_person(actor, person, organisation=cast.company_a, title_en="Engineer")

    assert person.affiliations.get().organisation == cast.company_a
    assert directory_access.can_edit_person(actor, person)
    assert directory_access.visible_people(actor).filter(pk=person.pk).exists()


@pytest.mark.parametrize(
    ("role", "organisation"),
    [("hq_a", "public_company_b"), ("participant", "university_a"), ("coordinator_a", "company_a")],
)
def test_a_person_cannot_be_added_to_an_organisation_the_actor_does_not_look_after(cast, role, organisation):
    person = Person(family_name_ja="伊藤", family_name_en="Ito", visibility="members")

    with pytest.raises(PermissionDenied):
        do_create_person(getattr(cast, role), person, organisation=getattr(cast, organisation))

    assert not Person.objects.filter(family_name_en="Ito").exists()


def test_an_invalid_person_leaves_neither_person_nor_affiliation(cast):
    from django.core.exceptions import ValidationError

    person = Person(family_name_ja="伊藤", family_name_en="Ito", email="not-an-address", visibility="members")

    with pytest.raises(ValidationError) as error:
        do_create_person(cast.participant, person, organisation=cast.company_a)

    assert "email" in error.value.message_dict
    assert not Person.objects.filter(family_name_en="Ito").exists()
    assert not Affiliation.objects.filter(organisation=cast.company_a, person__family_name_en="Ito").exists()
