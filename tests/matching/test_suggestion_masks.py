"""The masks of a need's suggestions, its partners and the alerts (search.seed_mask,
search.partner_mask: rules applied to the index's fields) equal the database's rules for every
role, and suggestions, partners and alerts never outrun the database when the index lags
behind a change."""

from __future__ import annotations

import pytest

from renkei.directory.access import visible_organisations
from renkei.directory.models import Organisation
from renkei.matching import access, indexing, partners, services
from renkei.matching.choices import ListingVisibility
from renkei.matching.models import InboxItem, Need, Seed
from renkei.matching.search import partner_mask, seed_mask
from renkei.matching.suggestions import suggest_for_need
from tests.matching import test_search_masks
from tests.matching.listings import *  # noqa: F403
from tests.matching.test_search_masks import _mask_ids

# The cast's listings and capabilities, indexed: the fixture `indexed` of test_search_masks.py.
indexed_cast = test_search_masks.indexed

NEEDS = ("public_need", "cluster_need", "b_coordinators_need")


def _database_seeds(user) -> set[str]:
    return {f"seed-{pk}" for pk in access.visible_seeds(user).values_list("pk", flat=True)}


def _database_partners(user, need: Need) -> set[str]:
    """Partner evidence as the database says it: seeds the user may see whose owner they may
    know, capabilities of organisations they may see, the need's own organisation left out."""
    seeds = access.visible_seeds(user).exclude(pk__in=access.anonymised_hidden_from(user, Seed))
    organisations = visible_organisations(user).exclude(capability="").exclude(pk=need.organisation_id)
    return {f"seed-{pk}" for pk in seeds.values_list("pk", flat=True)} | {
        f"org-{pk}" for pk in organisations.values_list("pk", flat=True)
    }


def test_the_seed_mask_equals_the_database_for_every_role(cast, indexed_cast):
    for who, user in {"anonymous": None, **cast.users()}.items():
        expected = _database_seeds(user) & set(indexed_cast.ids())
        assert _mask_ids(indexed_cast, seed_mask(indexed_cast, user)) == expected, who


@pytest.mark.parametrize("name", NEEDS)
def test_the_partner_mask_equals_the_database_for_every_role(cast, listings, indexed_cast, name):
    need = getattr(listings, name)
    for who, user in {"anonymous": None, **cast.users()}.items():
        expected = _database_partners(user, need) & set(indexed_cast.ids())
        assert _mask_ids(indexed_cast, partner_mask(indexed_cast, user, need)) == expected, who


def test_the_partner_cases_are_not_empty(cast, listings, indexed_cast):
    anonymised = f"seed-{listings.anonymous_seed.pk}"
    own = f"org-{cast.company_a.pk}"
    visitor = _mask_ids(indexed_cast, partner_mask(indexed_cast, None, listings.public_need))
    # a visitor sees the anonymised seed but may not know its owner: no partner evidence ...
    assert anonymised in _mask_ids(indexed_cast, seed_mask(indexed_cast, None))
    assert anonymised not in visitor and f"seed-{listings.public_seed.pk}" in visitor
    # ... the coordinator of its cluster may
    assert anonymised in _mask_ids(indexed_cast, partner_mask(indexed_cast, cast.coordinator_a, listings.public_need))
    # the need's own organisation is left out, another need's owner is not
    participant = cast.users()["participant"]
    assert own not in _mask_ids(indexed_cast, partner_mask(indexed_cast, participant, listings.public_need))
    assert own in _mask_ids(indexed_cast, partner_mask(indexed_cast, participant, listings.b_coordinators_need))
    # a restricted organisation's capability: its cluster's staff only
    secret_b = f"org-{cast.secret_company_b.pk}"
    assert secret_b in _mask_ids(indexed_cast, partner_mask(indexed_cast, cast.hq_b, listings.public_need))
    assert secret_b not in _mask_ids(indexed_cast, partner_mask(indexed_cast, cast.hq_a, listings.public_need))


@pytest.fixture
def glyco_need(cast, listings, indexed_cast) -> Need:
    return make_need(  # noqa: F405
        cast.company_a,
        clusters=[cast.cluster_a],
        title_ja="糖鎖工学による診断薬の共同開発",
        description_ja="糖鎖工学を用いた診断薬と精密加工技術を持つ相手を探している。",
        visibility=ListingVisibility.PUBLIC,
    )


def _evidence(found: tuple[list[partners.Partner], list[partners.Partner]]) -> set[tuple[str, str, int]]:
    organisations, people = found
    return {(p.kind, e.kind, e.seed.pk if e.seed else p.obj.pk) for p in organisations + people for e in p.evidence}


def test_a_seed_anonymised_after_indexing_gives_no_partner_evidence(cast, listings, glyco_need):
    """The index is a moment behind: the evidence is checked against the database."""
    seed = listings.public_seed
    before = _evidence(partners.recommend(None, glyco_need))
    assert ("organisation", "seed", seed.pk) in before and ("person", "seed", seed.pk) in before
    Seed.objects.filter(pk=seed.pk).update(anonymised=True)
    after = _evidence(partners.recommend(None, glyco_need))
    assert not {e for e in after if e[2] == seed.pk and e[1] == "seed"}
    # the coordinator of its cluster may still know its owner
    assert ("organisation", "seed", seed.pk) in _evidence(partners.recommend(cast.coordinator_a, glyco_need))


def test_a_capability_removed_after_indexing_gives_no_partner_evidence(cast, glyco_need):
    company = cast.public_company_b
    assert ("organisation", "capability", company.pk) in _evidence(partners.recommend(None, glyco_need))
    Organisation.objects.filter(pk=company.pk).update(capability="")
    assert ("organisation", "capability", company.pk) not in _evidence(partners.recommend(None, glyco_need))


def test_a_seed_hidden_after_indexing_is_not_suggested(cast, listings, glyco_need):
    seed = listings.public_seed
    assert seed in [r.obj for r in suggest_for_need(None, glyco_need).seeds]
    Seed.objects.filter(pk=seed.pk).update(visibility=ListingVisibility.COORDINATORS)
    found = suggest_for_need(None, glyco_need)
    assert seed not in [r.obj for r in found.seeds]
    assert seed.pk not in {e[2] for e in _evidence((found.organisations, found.people))}


def test_an_alert_ignores_a_seed_hidden_after_indexing(cast, listings, indexed_cast):
    seed = listings.public_seed
    services.do_save_alert(cast.participant, name="糖鎖", query="糖鎖工学による診断薬")
    Seed.objects.filter(pk=seed.pk).update(visibility=ListingVisibility.COORDINATORS)
    assert services.deliver_alerts([indexing.doc_id(seed)]) == 0
    Seed.objects.filter(pk=seed.pk).update(visibility=ListingVisibility.PUBLIC)
    assert services.deliver_alerts([indexing.doc_id(seed)]) == 1
    assert InboxItem.objects.get(user=cast.participant).seed == seed
