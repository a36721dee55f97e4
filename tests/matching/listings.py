"""Seeds and needs for the seeds/needs tests, tied to the named cast (tests/cast.py).

Import the fixtures into a test module: `from tests.matching.listings import *  # noqa: F403`."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from renkei.matching.choices import ListingVisibility
from renkei.matching.models import Need, Seed
from tests.cast import Cast

__all__ = [
    "FUEL_SEED",
    "Listings",
    "fuel_seed",
    "index_env",
    "listings",
    "make_english_fuel_need",
    "make_need",
    "make_seed",
    "publish_seed",
]

# A Japanese seed on fuel-cell catalysts, for English needs to reach through a translation.
FUEL_SEED = {
    "title_ja": "白金使用量を半減する燃料電池触媒",
    "summary_ja": "固体高分子形燃料電池の電極触媒で白金の使用量を半分に減らす。",
}


def make_seed(organisation, *, clusters=(), researchers=(), **fields) -> Seed:
    if not fields.get("title_en"):
        fields.setdefault("title_ja", "燃料電池の電極触媒")
    if not fields.get("summary_en"):
        fields.setdefault("summary_ja", "固体高分子形燃料電池の白金使用量を減らす電極触媒。")
    seed = Seed.objects.create(organisation=organisation, **fields)
    seed.clusters.set(clusters)
    seed.researchers.set(researchers)
    return seed


def make_need(organisation, *, clusters=(), **fields) -> Need:
    fields.setdefault("title_ja", "燃料電池のコスト削減")
    fields.setdefault("description_ja", "燃料電池の電極に使う白金を減らしたい。")
    need = Need.objects.create(organisation=organisation, **fields)
    need.clusters.set(clusters)
    return need


def publish_seed(cast: Cast, **fields) -> Seed:
    """A public seed of university A saved by its HQ through the service, as the site does
    (the index update runs on commit: wrap it in ``django_capture_on_commit_callbacks``)."""
    from renkei.matching import services

    fields.setdefault("visibility", ListingVisibility.PUBLIC)
    return services.do_save_seed(cast.hq_a, Seed(organisation=cast.university_a, **fields))


def make_english_fuel_need(cast: Cast) -> Need:
    """Company A's public need in English only, on what ``FUEL_SEED`` offers."""
    return make_need(
        cast.company_a,
        lang="en",
        title_ja="",
        description_ja="",
        title_en="Cheaper fuel cell catalysts",
        description_en="We want a fuel cell electrode catalyst that needs less platinum.",
        visibility=ListingVisibility.PUBLIC,
    )


@dataclass
class Listings:
    public_seed: Seed  # university A, public
    cluster_seed: Seed  # university A, cluster A members
    coordinators_seed: Seed  # university A, coordinators of cluster A only
    anonymous_seed: Seed  # university A, public but anonymised
    b_cluster_seed: Seed  # company B, cluster B members
    public_need: Need  # company A, public
    cluster_need: Need  # company A, cluster A members
    b_coordinators_need: Need  # company B, coordinators of cluster B only


@pytest.fixture
def listings(cast: Cast) -> Listings:
    a, b = [cast.cluster_a], [cast.cluster_b]
    uni = cast.university_a
    return Listings(
        public_seed=make_seed(
            uni,
            clusters=a,
            researchers=[cast.researcher_a],
            title_ja="糖鎖工学による診断薬",
            title_en="Glycotechnology diagnostics",
            summary_ja="糖鎖工学を用いた早期がん診断薬の開発。",
            keywords="糖鎖工学, 診断薬",
            visibility=ListingVisibility.PUBLIC,
        ),
        cluster_seed=make_seed(uni, clusters=a, title_ja="クラスター内シーズ", visibility=ListingVisibility.CLUSTER),
        coordinators_seed=make_seed(
            uni, clusters=a, title_ja="コーディネータ限定シーズ", visibility=ListingVisibility.COORDINATORS
        ),
        anonymous_seed=make_seed(
            uni, clusters=a, title_ja="匿名シーズ", visibility=ListingVisibility.PUBLIC, anonymised=True
        ),
        b_cluster_seed=make_seed(
            cast.public_company_b, clusters=b, title_ja="Bクラスターのシーズ", visibility=ListingVisibility.CLUSTER
        ),
        public_need=make_need(cast.company_a, clusters=a, visibility=ListingVisibility.PUBLIC),
        cluster_need=make_need(
            cast.company_a, clusters=a, title_ja="クラスター内ニーズ", visibility=ListingVisibility.CLUSTER
        ),
        b_coordinators_need=make_need(
            cast.secret_company_b, clusters=b, title_ja="B限定ニーズ", visibility=ListingVisibility.COORDINATORS
        ),
    )


@pytest.fixture
def index_env(settings, tmp_path, embedder):
    """A private data directory for the platform index and the session's embedder."""
    from renkei.matching import indexing

    settings.DATA_DIR = tmp_path
    indexing.set_embedder(embedder)
    indexing._pending.ids.clear()
    indexing._pending.after.clear()
    yield tmp_path
    indexing._cache.clear()


@pytest.fixture
def fuel_seed(cast: Cast, index_env) -> Seed:
    """University A's public ``FUEL_SEED`` by researcher A, indexed."""
    from renkei.matching import indexing

    seed = make_seed(
        cast.university_a,
        clusters=[cast.cluster_a],
        researchers=[cast.researcher_a],
        visibility=ListingVisibility.PUBLIC,
        **FUEL_SEED,
    )
    indexing.rebuild()
    return seed
