"""The search's allow mask (rules applied to the index's fields) equals the database's answer
(the access helpers and the filters) for every role and filter, and search results never
outrun the database when the index lags behind a change."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from django.utils import timezone

from renkei.core.models import TechField, Visibility
from renkei.matching import indexing, search
from renkei.matching.choices import ListingVisibility, Stage
from renkei.matching.models import Seed
from renkei.matching.search import SearchFilters, allow_mask, run_search, visible_rows
from tests.matching.listings import *  # noqa: F403

TODAY = timezone.localdate()
FILTERS = {
    "none": SearchFilters(),
    "needs only": SearchFilters(kinds=("need",)),
    "seeds and organisations": SearchFilters(kinds=("seed", "org")),
    "stage": SearchFilters(stage=Stage.PRACTICAL),
    "cluster b": SearchFilters(cluster="cluster-b"),
    "programme": SearchFilters(programme="test-programme"),
    "field": SearchFilters(field="life-science"),
    "university owners": SearchFilters(organisation_kind="university"),
    "tokyo": SearchFilters(prefecture="13"),
    "kanto": SearchFilters(region="kanto"),
    "since today": SearchFilters(since=TODAY),
    "since tomorrow": SearchFilters(since=TODAY + dt.timedelta(days=1)),
}


@pytest.fixture
def indexed(cast, listings, index_env):
    """The cast's listings, one staged seed with a field, one seed created by the participant
    for cluster B's coordinators, capabilities of organisations of every visibility."""
    practical = make_seed(  # noqa: F405
        cast.university_a, clusters=[cast.cluster_a], stage=Stage.PRACTICAL, visibility=ListingVisibility.PUBLIC
    )
    practical.fields.add(TechField.objects.get(code="life-science"))
    participant = cast.users()["participant"]
    make_seed(  # noqa: F405
        cast.secret_company_b,
        clusters=[cast.cluster_b],
        visibility=ListingVisibility.COORDINATORS,
        created_by=participant,
        anonymised=True,
    )
    for organisation in (cast.company_a, cast.secret_company_a, cast.public_company_b, cast.secret_company_b):
        organisation.capability = f"{organisation.name_ja}の精密加工技術"
        organisation.save()
    assert {o.visibility for o in (cast.company_a, cast.secret_company_a, cast.public_company_b)} == {
        Visibility.MEMBERS,
        Visibility.RESTRICTED,
        Visibility.PUBLIC,
    }
    indexing.rebuild()
    return indexing.get_index()


def _mask_ids(index, mask: np.ndarray) -> set[str]:
    return {index.documents[p].id for p in np.flatnonzero(mask)}


def _database_ids(user, filters: SearchFilters) -> set[str]:
    rows = visible_rows(user, filters)
    return {f"{kind}-{pk}" for kind, qs in rows.items() for pk in qs.values_list("pk", flat=True)}


@pytest.mark.parametrize("label", list(FILTERS))
def test_the_mask_equals_the_database_for_every_role(cast, indexed, label):
    filters = FILTERS[label]
    for who, user in {"anonymous": None, **cast.users()}.items():
        expected = _database_ids(user, filters) & set(indexed.ids())
        assert _mask_ids(indexed, allow_mask(indexed, user, filters)) == expected, who


def test_the_cases_are_not_empty(cast, indexed):
    participant = cast.users()["participant"]
    # the participant sees its own coordinators-only seed of cluster B (it created it) ...
    own = Seed.objects.get(created_by=participant)
    assert f"seed-{own.pk}" in _mask_ids(indexed, allow_mask(indexed, participant))
    # ... but an owner filter hides an anonymised listing from a visitor
    visitor = _mask_ids(indexed, allow_mask(indexed, None, FILTERS["tokyo"]))
    assert f"seed-{own.pk}" not in visitor and visitor
    assert _mask_ids(indexed, allow_mask(indexed, cast.national, FILTERS["stage"]))
    assert not allow_mask(indexed, cast.national, FILTERS["since tomorrow"]).any()


def test_a_listing_hidden_after_indexing_is_not_shown(client_for, cast, indexed, listings):
    """The index is a moment behind: the final rows are checked against the database."""
    assert any(r.obj == listings.public_seed for r in run_search(None, "糖鎖工学による診断薬"))
    Seed.objects.filter(pk=listings.public_seed.pk).update(visibility=ListingVisibility.COORDINATORS)
    assert all(r.obj != listings.public_seed for r in run_search(None, "糖鎖工学による診断薬"))


def test_an_index_from_before_the_access_fields_is_reported_missing(cast, indexed):
    from renkei.matching.search import IndexMissing

    for doc in indexed.documents:
        doc.fields.pop("v", None)
    with pytest.raises(IndexMissing):
        run_search(None, "燃料電池")


def test_a_visitors_mask_is_kept_per_index_and_follows_its_changes(cast, indexed, django_capture_on_commit_callbacks):
    first = allow_mask(indexed, None)
    assert _mask_ids(indexed, first) == _database_ids(None, SearchFilters()) & set(indexed.ids())
    cached = search._VISITOR_MASKS[indexed]
    allow_mask(indexed, None, FILTERS["tokyo"])
    assert search._VISITOR_MASKS[indexed] is cached  # the second search reuses it
    assert not cached.flags.writeable  # shared between requests: nobody may change it in place
    signed_in = cast.users()["participant"]
    assert _mask_ids(indexed, allow_mask(indexed, signed_in)) == _database_ids(signed_in, SearchFilters()) & set(
        indexed.ids()
    )

    with django_capture_on_commit_callbacks(execute=True):  # a new public seed: the journal appends it
        seed = publish_seed(cast, title_ja="新しい公開シーズ", summary_ja="燃料電池の新しい触媒。")  # noqa: F405
    index = indexing.get_index()

    assert f"seed-{seed.pk}" in _mask_ids(index, allow_mask(index, None))
    assert search._VISITOR_MASKS[index] is not cached


def test_a_visitors_mask_grows_with_an_index_changed_in_place(cast, indexed):
    """The cached mask is rebuilt when the same index object gains positions (an index changed
    before it serves, e.g. a journal applied in place): the new public seed is visible, and a
    removed one is not, although the mask itself still has its bit (``alive`` masks it)."""
    before = allow_mask(indexed, None)
    cached = search._VISITOR_MASKS[indexed]
    seed = publish_seed(cast, title_ja="その場で加わるシーズ", summary_ja="燃料電池の触媒。")  # noqa: F405
    indexed.add([indexing.seed_document(seed)])

    grown = allow_mask(indexed, None)
    assert len(grown) == len(before) + 1 == len(indexed.documents)
    assert search._VISITOR_MASKS[indexed] is not cached
    assert f"seed-{seed.pk}" in _mask_ids(indexed, grown)
    kept = search._VISITOR_MASKS[indexed]
    allow_mask(indexed, None, FILTERS["tokyo"])
    assert search._VISITOR_MASKS[indexed] is kept  # rebuilt once, then reused again

    indexed.remove([f"seed-{seed.pk}"])
    hits = indexed.search("その場で加わるシーズ 燃料電池", top=50, allow=allow_mask(indexed, None), explain=False)
    assert f"seed-{seed.pk}" not in {m.id for m in hits}
