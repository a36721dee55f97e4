"""The need page shows, under each suggested partner, who can introduce the need's company, with
the people and organisations on the path as links, and only what the reader may see."""

from __future__ import annotations

import pytest
from django.urls import reverse

from renkei.matching import indexing
from renkei.matching.choices import ListingVisibility
from tests.matching.conftest import embedder  # noqa: F401  (the session's embedder)
from tests.matching.listings import index_env, make_need, make_seed  # noqa: F401
from tests.network.test_paths import met_introduction  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def fuel_need(cast, index_env):  # noqa: F811
    """Alpha Precision needs fuel-cell catalysts; Alpha University has the seed (Prof. Yamada)."""
    make_seed(
        cast.university_a,
        clusters=[cast.cluster_a],
        researchers=[cast.researcher_a],
        title_ja="白金を減らした燃料電池電極触媒",
        summary_ja="固体高分子形燃料電池の電極触媒で白金の使用量を大幅に減らす。",
        keywords="燃料電池, 電極触媒",
        visibility=ListingVisibility.PUBLIC,
    )
    cast.public_company_b.capability = "燃料電池セパレータの精密プレス加工"
    cast.public_company_b.save()
    need = make_need(cast.company_a, clusters=[cast.cluster_a], visibility=ListingVisibility.PUBLIC)
    indexing.rebuild()
    return need


def page_of(client, need) -> str:
    response = client.get(reverse("matching:need_detail", args=[need.pk]))
    assert response.status_code == 200
    return response.content.decode()


def section(page: str, element_id: str) -> str:
    start = page.index(f'id="{element_id}"')
    return page[start : page.index("</details>", start)]


def test_a_suggested_partner_shows_who_can_introduce_the_company(cast, client_for, fuel_need):
    page = page_of(client_for(cast.participant), fuel_need)
    university = section(page, f"partner-org-{cast.university_a.pk}")
    assert "introduction-path" in university
    # Alpha Precision → the promotion council → Prof. Yamada (research director) → Alpha University
    assert f'href="{reverse("directory:person_detail", args=[cast.researcher_a.pk])}"' in university
    assert f'href="{reverse("directory:organisation_detail", args=[cast.hq_org_a.pk])}"' in university
    assert "山田 花子" in university


def test_the_coordinator_sees_crm_paths_the_participant_does_not(cast, client_for, fuel_need, met_introduction):  # noqa: F811
    coordinator_page = page_of(client_for(cast.coordinator_a), fuel_need)
    assert f'id="paths-organisation-{cast.public_company_b.pk}"' in coordinator_page
    beta = section(coordinator_page, f"partner-org-{cast.public_company_b.pk}")
    assert "coordinator_a" in beta  # the coordinator who knows both (their account, no page)

    participant_page = page_of(client_for(cast.participant), fuel_need)
    assert f'id="partner-org-{cast.public_company_b.pk}"' in participant_page  # still suggested
    assert f'id="paths-organisation-{cast.public_company_b.pk}"' not in participant_page  # but no CRM path
    assert "coordinator_a" not in participant_page


def test_an_anonymised_need_shows_no_paths_to_outsiders(cast, client_for, fuel_need):
    fuel_need.anonymised = True
    fuel_need.save()
    page = page_of(client_for(cast.hq_b), fuel_need)
    assert "introduction-paths" not in page
