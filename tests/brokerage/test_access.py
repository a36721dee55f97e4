"""Who sees which CRM records and notes, straight from the access helpers."""

from __future__ import annotations

import pytest

from renkei.brokerage import access

pytestmark = pytest.mark.django_db

# role -> the interactions they see
SEES = {
    "anonymous": set(),
    "participant": set(),
    "coordinator_a": {"open_a", "confidential_a"},
    "hq_a": {"open_a", "confidential_a"},
    "hq_b": {"interaction_b"},
    "national": {"open_a", "confidential_a", "interaction_b"},
    "admin": {"open_a", "confidential_a", "interaction_b"},
}


@pytest.mark.parametrize(("role", "expected"), SEES.items())
def test_each_role_sees_the_interactions_of_its_clusters(cast, crm, role, expected):
    user = getattr(cast, role)
    names = {
        n for n in ("open_a", "confidential_a", "interaction_b") if getattr(crm, n) in access.visible_interactions(user)
    }
    assert names == expected


@pytest.mark.parametrize(
    ("role", "introductions"),
    [
        ("anonymous", set()),
        ("participant", set()),
        ("coordinator_a", {"introduction_a"}),
        ("hq_b", {"introduction_b"}),
        ("national", {"introduction_a", "introduction_b"}),
    ],
)
def test_each_role_sees_the_introductions_of_its_clusters(cast, crm, role, introductions):
    user = getattr(cast, role)
    seen = {n for n in ("introduction_a", "introduction_b") if getattr(crm, n) in access.visible_introductions(user)}
    assert seen == introductions


@pytest.mark.parametrize(
    ("role", "reads"),
    [("coordinator_a", True), ("hq_a", True), ("admin", True), ("national", False), ("hq_b", False)],
)
def test_confidential_notes_are_for_the_author_and_hq_only(cast, crm, role, reads):
    assert access.can_see_notes(getattr(cast, role), crm.confidential_a) is reads


def test_another_coordinator_of_the_cluster_does_not_read_confidential_notes(cast, crm):
    from renkei.accounts.models import Role, RoleKind
    from tests.cast import _user

    colleague = _user("coordinator_a2")
    Role.objects.create(user=colleague, kind=RoleKind.COORDINATOR, cluster=cast.cluster_a)
    assert crm.confidential_a in access.visible_interactions(colleague)
    assert access.can_see_notes(colleague, crm.open_a)
    assert not access.can_see_notes(colleague, crm.confidential_a)
    assert not access.can_edit_interaction(colleague, crm.open_a)


def test_participant_reads_no_notes_even_about_their_own_organisation(cast, crm):
    assert cast.company_a in crm.open_a.organisations.all()
    assert not access.can_see_notes(cast.participant, crm.open_a)
    assert not access.can_use_crm(cast.participant)
