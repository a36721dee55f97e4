"""Who sees which seed and need, who edits them, and who learns the owner of an anonymised one."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from renkei.matching import access
from tests.matching.listings import *  # noqa: F403

SEEDS = {
    "anonymous": {"public_seed", "anonymous_seed"},
    "participant": {"public_seed", "anonymous_seed", "cluster_seed"},
    "coordinator_a": {"public_seed", "anonymous_seed", "cluster_seed", "coordinators_seed"},
    "hq_a": {"public_seed", "anonymous_seed", "cluster_seed", "coordinators_seed"},
    "hq_b": {"public_seed", "anonymous_seed", "b_cluster_seed"},
    "national": {"public_seed", "anonymous_seed", "cluster_seed", "coordinators_seed", "b_cluster_seed"},
    "admin": {"public_seed", "anonymous_seed", "cluster_seed", "coordinators_seed", "b_cluster_seed"},
}
NEEDS = {
    "anonymous": {"public_need"},
    "participant": {"public_need", "cluster_need"},
    "coordinator_a": {"public_need", "cluster_need"},
    "hq_a": {"public_need", "cluster_need"},
    "hq_b": {"public_need", "b_coordinators_need"},
    "national": {"public_need", "cluster_need", "b_coordinators_need"},
    "admin": {"public_need", "cluster_need", "b_coordinators_need"},
}


def _names(listings, rows) -> set[str]:
    by_pk = {(type(v).__name__, v.pk): k for k, v in vars(listings).items()}
    return {by_pk[(type(r).__name__, r.pk)] for r in rows}


@pytest.mark.parametrize("who", list(SEEDS))
def test_each_role_sees_exactly_its_seeds(cast, listings, who):
    user = cast.users()[who]
    assert _names(listings, access.visible_seeds(user)) == SEEDS[who]


@pytest.mark.parametrize("who", list(NEEDS))
def test_each_role_sees_exactly_its_needs(cast, listings, who):
    user = cast.users()[who]
    assert _names(listings, access.visible_needs(user)) == NEEDS[who]


def test_a_seed_in_two_clusters_is_listed_once(cast, listings):
    listings.cluster_seed.clusters.add(cast.cluster_b)
    rows = list(access.visible_seeds(cast.national))
    assert len(rows) == len({r.pk for r in rows})


def test_staff_of_another_cluster_cannot_reach_a_coordinator_only_seed(cast, listings):
    with pytest.raises(Http404):
        access.access_seed(cast.hq_b, listings.coordinators_seed.pk)
    with pytest.raises(Http404):
        access.access_need(cast.coordinator_a, listings.b_coordinators_need.pk)
    with pytest.raises(Http404):
        access.access_seed(cast.anonymous, "not-a-number")


def test_owners_and_the_clusters_hq_edit_others_do_not(cast, listings):
    need = listings.cluster_need  # company A's
    assert access.can_edit(cast.participant, need)
    assert access.can_edit(cast.hq_a, need)
    assert access.can_edit(cast.admin, need)
    assert not access.can_edit(cast.coordinator_a, need)
    assert not access.can_edit(cast.hq_b, need)
    assert not access.can_edit(cast.national, need)
    assert not access.can_edit(cast.anonymous, need)
    assert not access.can_edit(cast.participant, listings.public_seed)  # university A's seed
    with pytest.raises(PermissionDenied):
        access.check_can_edit(cast.hq_b, listings.public_seed)


def test_anonymised_owner_is_shown_only_to_owners_cluster_staff_and_national(cast, listings):
    seed = listings.anonymous_seed
    assert not access.shows_owner(cast.anonymous, seed)
    assert not access.shows_owner(cast.participant, seed)
    assert not access.shows_owner(cast.hq_b, seed)
    assert access.shows_owner(cast.coordinator_a, seed)
    assert access.shows_owner(cast.hq_a, seed)
    assert access.shows_owner(cast.national, seed)
    assert access.shows_owner(cast.anonymous, listings.public_seed)  # not anonymised
    assert access.anonymised_hidden_from(cast.participant, type(seed)) == {seed.pk}
    assert access.anonymised_hidden_from(cast.coordinator_a, type(seed)) == set()


def test_only_the_needs_cluster_staff_give_feedback(cast, listings):
    need = listings.cluster_need
    assert access.can_give_feedback(cast.coordinator_a, need)
    assert not access.can_give_feedback(cast.hq_b, need)
    assert not access.can_give_feedback(cast.participant, need)
    assert access.can_see_feedback(cast.participant, need)  # the company sees the verdicts
