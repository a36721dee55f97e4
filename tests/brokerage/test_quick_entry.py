"""Quick entry into the CRM from the directory and matching pages: "Log an interaction" and
"Introduce" buttons for the staff who may write in the record's cluster, and an introduction
started from a need's seed suggestion, with its sources set and hidden owners never prefilled."""

from __future__ import annotations

import pytest
from django.urls import reverse

from renkei.brokerage.models import Introduction
from renkei.directory.models import Organisation
from renkei.matching import indexing
from renkei.matching.choices import ListingVisibility
from tests.matching.conftest import embedder  # noqa: F401  (fixture)
from tests.matching.listings import index_env, make_need, make_seed  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

# The pages render in Japanese: the buttons are found by their links.
LOG = 'id="crm-log-interaction"'


def crm_url(name: str) -> str:
    return reverse(f"brokerage:{name}")


@pytest.fixture
def need_a(cast):
    """Company A's need in cluster A, seen by the cluster's members."""
    return make_need(cast.company_a, clusters=[cast.cluster_a], visibility=ListingVisibility.CLUSTER)


@pytest.fixture
def seed_b(cast):
    """An anonymised public seed of cluster B: its owner is hidden from cluster A's staff."""
    return make_seed(
        cast.public_company_b,
        clusters=[cast.cluster_b],
        title_ja="燃料電池の白金削減触媒",
        visibility=ListingVisibility.PUBLIC,
        anonymised=True,
    )


@pytest.fixture
def seed_a(cast):
    return make_seed(cast.university_a, clusters=[cast.cluster_a], visibility=ListingVisibility.PUBLIC)


def page(client_for, user, path: str) -> str:
    response = client_for(user).get(path)
    assert response.status_code == 200
    return response.content.decode()


# --- buttons on the record pages ---------------------------------------------------------


@pytest.mark.parametrize("who", ["coordinator_a", "hq_a", "admin"])
def test_staff_of_the_cluster_see_log_buttons_with_the_record_preselected(cast, client_for, need_a, who):
    user = getattr(cast, who)
    org_page = page(client_for, user, cast.company_a.get_absolute_url())
    assert f"{crm_url('interaction_create')}?organisation={cast.company_a.pk}&amp;cluster=cluster-a" in org_page
    person_page = page(client_for, user, cast.researcher_a.get_absolute_url())
    assert f"{crm_url('interaction_create')}?person={cast.researcher_a.pk}&amp;cluster=cluster-a" in person_page
    need_page = page(client_for, user, need_a.get_absolute_url())
    assert f"{crm_url('interaction_create')}?need={need_a.pk}&amp;cluster=cluster-a" in need_page
    assert f"{crm_url('introduction_create')}?need={need_a.pk}&amp;cluster=cluster-a" in need_page


@pytest.mark.parametrize("who", ["participant", "anonymous", "hq_b", "national"])
def test_others_get_no_crm_buttons(cast, client_for, need_a, who):
    user = getattr(cast, who)
    for path in (
        cast.university_a.get_absolute_url(),
        cast.researcher_a.get_absolute_url(),
    ):
        response = client_for(user).get(path)
        body = response.content.decode()
        assert crm_url("interaction_create") not in body and LOG not in body, path
    response = client_for(user).get(need_a.get_absolute_url())
    body = response.content.decode()
    assert crm_url("interaction_create") not in body and crm_url("introduction_create") not in body


def test_staff_of_the_other_cluster_see_buttons_only_on_their_own_records(cast, client_for):
    assert LOG in page(client_for, cast.hq_b, cast.public_company_b.get_absolute_url())
    assert LOG not in page(client_for, cast.coordinator_a, cast.public_company_b.get_absolute_url())


def test_the_promotion_organisation_and_an_hq_position_count_as_the_cluster(cast, client_for):
    assert LOG in page(client_for, cast.coordinator_a, cast.hq_org_a.get_absolute_url())
    cast.researcher_a.affiliations.all().delete()  # left: the research director position in A
    assert LOG in page(client_for, cast.coordinator_a, cast.researcher_a.get_absolute_url())


def test_an_organisation_outside_every_cluster_has_no_button(cast, client_for):
    loner = Organisation.objects.create(kind=cast.university_a.kind, name_en="Lone Lab", name_ja="孤立研究所")
    assert LOG not in page(client_for, cast.admin, loner.get_absolute_url())


# --- the introduction prefilled from a suggestion ----------------------------------------


def test_an_introduction_from_a_suggestion_prefills_both_parties_and_saves_its_sources(
    cast, client_for, need_a, seed_a
):
    client = client_for(cast.coordinator_a)
    path = crm_url("introduction_create") + f"?need={need_a.pk}&seed={seed_a.pk}&cluster=cluster-a"
    response = client.get(path)
    initial = response.context["form"].initial
    assert initial["party_a_organisation"] == cast.company_a.pk
    assert initial["party_b_organisation"] == cast.university_a.pk
    assert (initial["source_need"], initial["source_seed"], initial["cluster"]) == (
        need_a.pk,
        seed_a.pk,
        cast.cluster_a.pk,
    )
    form = response.context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() not in (None, "")}
    data["introduced_on"] = "2026-04-12"
    response = client.post(path, data)
    introduction = Introduction.objects.get()
    assert response.status_code == 302 and response["Location"] == introduction.get_absolute_url()
    assert introduction.source_need == need_a and introduction.source_seed == seed_a
    assert (introduction.party_a_organisation, introduction.party_b_organisation) == (
        cast.company_a,
        cast.university_a,
    )
    assert introduction.coordinator == cast.coordinator_a and introduction.cluster == cast.cluster_a


def test_the_hidden_owner_of_an_anonymised_seed_is_not_prefilled(cast, client_for, need_a, seed_b):
    response = client_for(cast.coordinator_a).get(
        crm_url("introduction_create") + f"?need={need_a.pk}&seed={seed_b.pk}"
    )
    initial = response.context["form"].initial
    assert initial["source_seed"] == seed_b.pk and initial["party_a_organisation"] == cast.company_a.pk
    assert initial.get("party_b_organisation") is None
    assert f'value="{cast.public_company_b.pk}" selected' not in response.content.decode()
    # the same through the interaction form
    response = client_for(cast.coordinator_a).get(crm_url("interaction_create") + f"?need={need_a.pk}&seed={seed_b.pk}")
    initial = response.context["form"].initial
    assert initial["seed"] == seed_b.pk and initial["organisations"] == [cast.company_a.pk]


def test_staff_of_the_seeds_cluster_get_its_owner_prefilled(cast, client_for, seed_b):
    need_b = make_need(cast.secret_company_b, clusters=[cast.cluster_b], visibility=ListingVisibility.CLUSTER)
    response = client_for(cast.hq_b).get(crm_url("introduction_create") + f"?need={need_b.pk}&seed={seed_b.pk}")
    initial = response.context["form"].initial
    assert initial["party_b_organisation"] == cast.public_company_b.pk
    assert initial["cluster"] == cast.cluster_b.pk


def test_an_anonymised_need_of_another_cluster_keeps_its_owner_hidden(cast, client_for, seed_a):
    need_b = make_need(
        cast.public_company_b, clusters=[cast.cluster_b], visibility=ListingVisibility.PUBLIC, anonymised=True
    )
    client = client_for(cast.coordinator_a)
    initial = client.get(crm_url("introduction_create") + f"?need={need_b.pk}&seed={seed_a.pk}").context["form"].initial
    assert initial["source_need"] == need_b.pk and initial.get("party_a_organisation") is None
    assert initial["party_b_organisation"] == cast.university_a.pk
    initial = client.get(crm_url("interaction_create") + f"?need={need_b.pk}").context["form"].initial
    assert not initial.get("organisations")


def test_listings_and_clusters_the_user_may_not_reach_are_ignored(cast, client_for, seed_a):
    hidden_need = make_need(cast.secret_company_b, clusters=[cast.cluster_b], visibility=ListingVisibility.COORDINATORS)
    response = client_for(cast.coordinator_a).get(
        crm_url("introduction_create") + f"?need={hidden_need.pk}&seed=abc&cluster=cluster-b"
    )
    assert response.status_code == 200
    initial = response.context["form"].initial
    for field in ("source_need", "source_seed", "party_a_organisation", "party_b_organisation"):
        assert initial.get(field) is None, field
    assert initial["cluster"] == cast.cluster_a.pk  # their only cluster, not the one asked for


def test_the_introduction_form_stays_closed_to_participants(cast, client_for, need_a, seed_a):
    path = crm_url("introduction_create") + f"?need={need_a.pk}&seed={seed_a.pk}"
    assert client_for(cast.participant).get(path).status_code == 403
    assert client_for(None).get(path).status_code == 302


# --- the buttons on each seed suggestion -------------------------------------------------


@pytest.mark.usefixtures("index_env")
def test_each_suggestion_offers_interaction_and_introduction_to_cluster_staff(cast, client_for):
    need = make_need(cast.company_a, clusters=[cast.cluster_a], visibility=ListingVisibility.PUBLIC)
    seed = make_seed(cast.university_a, clusters=[cast.cluster_a], visibility=ListingVisibility.PUBLIC)
    indexing.rebuild()
    response = client_for(cast.coordinator_a).get(need.get_absolute_url())
    assert seed in [r.obj for r in response.context["suggestions"]]
    body = response.content.decode()
    query = f"?need={need.pk}&amp;seed={seed.pk}&amp;cluster=cluster-a"
    assert crm_url("introduction_create") + query in body and crm_url("interaction_create") + query in body
    body = client_for(cast.participant).get(need.get_absolute_url()).content.decode()
    assert f"seed={seed.pk}" not in body
