"""Who may list, see, create, change and delete what over the API, role by role, using the cast.

Each table reads as the rule: for an action, the status every member of the cast gets."""

from __future__ import annotations

import datetime

import pytest

from renkei.brokerage import services as brokerage_services
from renkei.brokerage.models import Interaction, Introduction
from renkei.directory import access as directory_access
from renkei.matching import access as matching_access
from renkei.matching.models import Need, Seed
from renkei.programs import access as programs_access
from renkei.programs.models import Budget, HQPosition, Membership

ROLES = ["anonymous", "participant", "coordinator_a", "hq_a", "hq_b", "national", "admin"]


def _user(cast, role):
    return cast.users()[role]


def _all_ids(client, url):
    ids, page = [], 1
    while True:
        body = client.get(url, {"page": page, "page_size": 500}).json()
        ids += [row.get("id", row.get("code")) for row in body["results"]]
        if not body["next"]:
            return ids
        page += 1


# --- reading ----------------------------------------------------------------------------------

ORGANISATIONS_SEEN = {
    "anonymous": {"Alpha University", "Beta Devices"},
    "participant": {"Alpha University", "Beta Devices", "Alpha Precision", "Cluster A Promotion Council"},
    "coordinator_a": {
        "Alpha University",
        "Beta Devices",
        "Alpha Precision",
        "Cluster A Promotion Council",
        "Hidden Alpha Works",
    },
    "hq_a": {
        "Alpha University",
        "Beta Devices",
        "Alpha Precision",
        "Cluster A Promotion Council",
        "Hidden Alpha Works",
    },
    "hq_b": {"Alpha University", "Beta Devices", "Alpha Precision", "Cluster A Promotion Council", "Hidden Beta Works"},
    "national": {
        "Alpha University",
        "Beta Devices",
        "Alpha Precision",
        "Cluster A Promotion Council",
        "Hidden Alpha Works",
        "Hidden Beta Works",
    },
}
ORGANISATIONS_SEEN["admin"] = ORGANISATIONS_SEEN["national"]


@pytest.mark.parametrize("role", ROLES)
def test_each_role_lists_the_organisations_it_may_see(cast, api, role):
    results = api(_user(cast, role)).get("/api/organisations/", {"page_size": 100}).json()["results"]
    assert {row["name_en"] for row in results} == ORGANISATIONS_SEEN[role]


PEOPLE_SEEN = {
    "anonymous": {"Yamada"},
    "participant": {"Yamada", "Takahashi"},
    "coordinator_a": {"Yamada", "Takahashi", "Sato"},
    "hq_a": {"Yamada", "Takahashi", "Sato"},
    "hq_b": {"Yamada", "Takahashi", "Suzuki"},
    "national": {"Yamada", "Takahashi", "Sato", "Suzuki"},
    "admin": {"Yamada", "Takahashi", "Sato", "Suzuki"},
}
CONTACTS_SEEN = {
    "anonymous": set(),
    "participant": {"Takahashi"},
    "coordinator_a": {"Yamada", "Takahashi", "Sato"},
    "hq_a": {"Yamada", "Takahashi", "Sato"},
    "hq_b": {"Suzuki"},
    "national": {"Yamada", "Takahashi", "Sato", "Suzuki"},
    "admin": {"Yamada", "Takahashi", "Sato", "Suzuki"},
}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_lists_the_people_and_contacts_it_may_see(cast, api, role):
    results = api(_user(cast, role)).get("/api/people/").json()["results"]
    assert {row["family_name_en"] for row in results} == PEOPLE_SEEN[role]
    assert {row["family_name_en"] for row in results if "email" in row} == CONTACTS_SEEN[role]
    for row in results:
        assert ("email" in row) == ("phone" in row)


@pytest.mark.parametrize("role", ROLES)
def test_a_person_page_shows_contacts_by_the_same_rule(cast, api, role):
    client = api(_user(cast, role))
    for person in (cast.researcher_a, cast.engineer_a, cast.engineer_b, cast.participant_person):
        response = client.get(f"/api/people/{person.pk}/")
        if person.family_name_en not in PEOPLE_SEEN[role]:
            assert response.status_code == 404
            continue
        assert ("email" in response.json()) == (person.family_name_en in CONTACTS_SEEN[role])


@pytest.mark.parametrize("role", ROLES)
def test_the_contact_rule_for_lists_agrees_with_can_see_contact(cast, role):
    user = _user(cast, role)
    listed = set(directory_access.people_with_visible_contact(user).values_list("pk", flat=True))
    for person in (cast.researcher_a, cast.engineer_a, cast.engineer_b, cast.participant_person):
        assert (person.pk in listed) == directory_access.can_see_contact(user, person), person


LIST_RULES = [
    ("/api/organisations/", directory_access.visible_organisations),
    ("/api/people/", directory_access.visible_people),
    ("/api/affiliations/", directory_access.visible_affiliations),
    ("/api/memberships/", programs_access.visible_memberships),
    ("/api/hq-positions/", programs_access.visible_positions),
    ("/api/budgets/", programs_access.visible_budgets),
    ("/api/programmes/", programs_access.visible_programmes),
    ("/api/clusters/", programs_access.visible_clusters),
    ("/api/seeds/", matching_access.visible_seeds),
    ("/api/needs/", matching_access.visible_needs),
]


@pytest.mark.parametrize("role", ROLES)
def test_every_list_is_exactly_what_the_access_helpers_allow(cast, api, role):
    user = _user(cast, role)
    client = api(user)
    for url, visible in LIST_RULES:
        key = "code" if url in ("/api/programmes/", "/api/clusters/") else "pk"
        expected = set(visible(user).values_list(key, flat=True))
        assert set(_all_ids(client, url) if key == "pk" else _codes(client, url)) == expected, url


def _codes(client, url):
    return [row["code"] for row in client.get(url, {"page_size": 500}).json()["results"]]


def test_coordinator_a_sees_hidden_alpha_works_but_not_hidden_beta_works(cast, api):
    client = api(cast.coordinator_a)
    assert client.get(f"/api/organisations/{cast.secret_company_a.pk}/").status_code == 200
    assert client.get(f"/api/organisations/{cast.secret_company_b.pk}/").status_code == 404


def test_anonymous_sees_only_public_organisations_and_hidden_ones_are_not_found(cast, api):
    client = api(None)
    assert client.get(f"/api/organisations/{cast.university_a.pk}/").status_code == 200
    for hidden in (cast.company_a, cast.secret_company_a, cast.hq_org_a):
        assert client.get(f"/api/organisations/{hidden.pk}/").status_code == 404


def test_memberships_of_hidden_organisations_are_hidden(cast, api):
    seen = {row["organisation"] for row in api(cast.hq_b).get("/api/memberships/").json()["results"]}
    assert cast.secret_company_a.pk not in seen
    assert cast.secret_company_b.pk in seen


# --- changing ---------------------------------------------------------------------------------


def _membership_a(cast):
    return Membership.objects.get(cluster=cast.cluster_a, organisation=cast.company_a)


def _affiliation(cast):
    return cast.participant_person.affiliations.get()


def _seed_a(cast):
    """A public seed of university A in cluster A."""
    seed, created = Seed.objects.get_or_create(
        organisation=cast.university_a, title_ja="糖鎖工学", summary_ja="診断薬", visibility="public"
    )
    if created:
        seed.clusters.set([cast.cluster_a])
    return seed


def _need_a(cast):
    """A public need of company A (the participant's) in cluster A."""
    need, created = Need.objects.get_or_create(
        organisation=cast.company_a, title_ja="外観検査", description_ja="自動化したい", visibility="public"
    )
    if created:
        need.clusters.set([cast.cluster_a])
    return need


def _interaction_a(cast):
    """An interaction coordinator_a logged in cluster A."""
    found = Interaction.objects.filter(cluster=cast.cluster_a).first()
    return found or brokerage_services.do_save_interaction(
        cast.coordinator_a,
        Interaction(kind="visit", date=datetime.date(2026, 4, 1), cluster=cast.cluster_a, topic="工場訪問"),
        organisations=[cast.company_a],
    )


def _introduction_a(cast):
    """An introduction coordinator_a made in cluster A."""
    found = Introduction.objects.filter(cluster=cast.cluster_a).first()
    return found or brokerage_services.do_save_introduction(
        cast.coordinator_a,
        Introduction(
            cluster=cast.cluster_a,
            topic="共同研究の紹介",
            introduced_on=datetime.date(2026, 4, 1),
            party_a_organisation=cast.company_a,
            party_b_organisation=cast.university_a,
        ),
    )


UPDATES = {
    "organisation": (
        lambda cast: f"/api/organisations/{cast.company_a.pk}/",
        {"capability": "精密加工"},
        {
            "anonymous": 401,
            "participant": 200,
            "coordinator_a": 403,
            "hq_a": 200,
            "hq_b": 403,
            "national": 403,
            "admin": 200,
        },
    ),
    "hidden organisation": (
        lambda cast: f"/api/organisations/{cast.secret_company_a.pk}/",
        {"capability": "秘密"},
        {
            "anonymous": 401,
            "participant": 404,
            "coordinator_a": 403,
            "hq_a": 200,
            "hq_b": 404,
            "national": 403,
            "admin": 200,
        },
    ),
    "person": (
        lambda cast: f"/api/people/{cast.engineer_a.pk}/",
        {"research_keywords": "精密加工"},
        {
            "anonymous": 401,
            "participant": 404,
            "coordinator_a": 403,
            "hq_a": 200,
            "hq_b": 404,
            "national": 403,
            "admin": 200,
        },
    ),
    "person's contact": (
        lambda cast: f"/api/people/{cast.engineer_a.pk}/",
        {"email": "new@hidden-alpha.example"},
        {
            "anonymous": 401,
            "participant": 404,
            "coordinator_a": 200,
            "hq_a": 200,
            "hq_b": 404,
            "national": 403,
            "admin": 200,
        },
    ),
    "affiliation": (
        lambda cast: f"/api/affiliations/{_affiliation(cast).pk}/",
        {"title_en": "Engineer"},
        {
            "anonymous": 401,
            "participant": 200,
            "coordinator_a": 403,
            "hq_a": 200,
            "hq_b": 403,
            "national": 403,
            "admin": 200,
        },
    ),
    "programme": (
        lambda cast: f"/api/programmes/{cast.programme.code}/",
        {"phase": "II"},
        {
            "anonymous": 401,
            "participant": 403,
            "coordinator_a": 403,
            "hq_a": 403,
            "hq_b": 403,
            "national": 200,
            "admin": 200,
        },
    ),
    "cluster": (
        lambda cast: f"/api/clusters/{cast.cluster_a.code}/",
        {"theme": "バイオ"},
        {
            "anonymous": 401,
            "participant": 403,
            "coordinator_a": 403,
            "hq_a": 200,
            "hq_b": 403,
            "national": 200,
            "admin": 200,
        },
    ),
    "membership": (
        lambda cast: f"/api/memberships/{_membership_a(cast).pk}/",
        {"note": "中核企業"},
        {
            "anonymous": 401,
            "participant": 403,
            "coordinator_a": 403,
            "hq_a": 200,
            "hq_b": 403,
            "national": 200,
            "admin": 200,
        },
    ),
    "HQ position": (
        lambda cast: f"/api/hq-positions/{HQPosition.objects.get().pk}/",
        {"start_on": "2002-04-01"},
        {
            "anonymous": 401,
            "participant": 403,
            "coordinator_a": 403,
            "hq_a": 200,
            "hq_b": 403,
            "national": 200,
            "admin": 200,
        },
    ),
    "budget": (
        lambda cast: f"/api/budgets/{Budget.objects.get().pk}/",
        {"amount_yen": 450_000_000},
        {
            "anonymous": 401,
            "participant": 403,
            "coordinator_a": 403,
            "hq_a": 200,
            "hq_b": 403,
            "national": 200,
            "admin": 200,
        },
    ),
    "seed": (
        lambda cast: f"/api/seeds/{_seed_a(cast).pk}/",
        {"title_en": "Glycotechnology"},
        {
            "anonymous": 401,
            "participant": 403,
            "coordinator_a": 403,
            "hq_a": 200,
            "hq_b": 403,
            "national": 403,
            "admin": 200,
        },
    ),
    "need": (
        lambda cast: f"/api/needs/{_need_a(cast).pk}/",
        {"status": "closed"},
        {
            "anonymous": 401,
            "participant": 200,
            "coordinator_a": 403,
            "hq_a": 200,
            "hq_b": 403,
            "national": 403,
            "admin": 200,
        },
    ),
    "CRM interaction": (
        lambda cast: f"/api/crm/interactions/{_interaction_a(cast).pk}/",
        {"topic": "再訪問"},
        {
            "anonymous": 401,
            "participant": 403,
            "coordinator_a": 200,
            "hq_a": 200,
            "hq_b": 404,
            "national": 403,
            "admin": 200,
        },
    ),
    "CRM introduction": (
        lambda cast: f"/api/crm/introductions/{_introduction_a(cast).pk}/",
        {"topic": "共同研究の紹介（改）"},
        {
            "anonymous": 401,
            "participant": 403,
            "coordinator_a": 200,
            "hq_a": 200,
            "hq_b": 404,
            "national": 403,
            "admin": 200,
        },
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("record", list(UPDATES))
def test_who_may_update_what(cast, api, record, role):
    url, change, expected = UPDATES[record]
    response = api(_user(cast, role)).patch(url(cast), change)
    assert response.status_code == expected[role], response.json()


CREATES = {
    "organisation": (
        "/api/organisations/",
        lambda cast: {"kind": "sme", "name_ja": "新会社"},
        {
            "anonymous": 401,
            "participant": 403,
            "coordinator_a": 403,
            "hq_a": 201,
            "hq_b": 201,
            "national": 403,
            "admin": 201,
        },
    ),
    "person": (
        "/api/people/",
        lambda cast: {"family_name_ja": "新人"},
        {
            "anonymous": 401,
            "participant": 201,
            "coordinator_a": 403,
            "hq_a": 201,
            "hq_b": 201,
            "national": 403,
            "admin": 201,
        },
    ),
    "affiliation": (
        "/api/affiliations/",
        lambda cast: {"person": cast.participant_person.pk, "organisation": cast.university_a.pk, "is_primary": False},
        {
            "anonymous": 401,
            "participant": 201,
            "coordinator_a": 403,
            "hq_a": 201,
            "hq_b": 403,
            "national": 403,
            "admin": 201,
        },
    ),
    "programme": (
        "/api/programmes/",
        lambda cast: {
            "code": "new-programme",
            "name_ja": "新事業",
            "name_en": "New",
            "ministry": "mext",
            "start_fy": 2002,
        },
        {
            "anonymous": 401,
            "participant": 403,
            "coordinator_a": 403,
            "hq_a": 403,
            "hq_b": 403,
            "national": 201,
            "admin": 201,
        },
    ),
    "cluster": (
        "/api/clusters/",
        lambda cast: {"code": "cluster-c", "programme": cast.programme.code, "name_ja": "Cクラスター"},
        {
            "anonymous": 401,
            "participant": 403,
            "coordinator_a": 403,
            "hq_a": 403,
            "hq_b": 403,
            "national": 201,
            "admin": 201,
        },
    ),
    "membership in A": (
        "/api/memberships/",
        lambda cast: {"cluster": "cluster-a", "organisation": cast.public_company_b.pk, "role": "supporter"},
        {
            "anonymous": 401,
            "participant": 403,
            "coordinator_a": 403,
            "hq_a": 201,
            "hq_b": 403,
            "national": 201,
            "admin": 201,
        },
    ),
    "HQ position in A": (
        "/api/hq-positions/",
        lambda cast: {"cluster": "cluster-a", "person": cast.researcher_a.pk, "kind": "adviser"},
        {
            "anonymous": 401,
            "participant": 403,
            "coordinator_a": 403,
            "hq_a": 201,
            "hq_b": 403,
            "national": 201,
            "admin": 201,
        },
    ),
    "budget of A": (
        "/api/budgets/",
        lambda cast: {"cluster": "cluster-a", "fiscal_year": 2003, "amount_yen": 500_000_000},
        {
            "anonymous": 401,
            "participant": 403,
            "coordinator_a": 403,
            "hq_a": 201,
            "hq_b": 403,
            "national": 201,
            "admin": 201,
        },
    ),
    "seed of company A": (
        "/api/seeds/",
        lambda cast: {"organisation": cast.company_a.pk, "title_ja": "金型加工", "summary_ja": "微細加工"},
        {
            "anonymous": 401,
            "participant": 201,
            "coordinator_a": 403,
            "hq_a": 201,
            "hq_b": 400,  # may publish, but not for cluster A's members
            "national": 403,
            "admin": 201,
        },
    ),
    "need of company A": (
        "/api/needs/",
        lambda cast: {"organisation": cast.company_a.pk, "title_ja": "外観検査", "description_ja": "自動化"},
        {
            "anonymous": 401,
            "participant": 201,
            "coordinator_a": 403,
            "hq_a": 201,
            "hq_b": 400,
            "national": 403,
            "admin": 201,
        },
    ),
    "CRM interaction in A": (
        "/api/crm/interactions/",
        lambda cast: {
            "kind": "consultation",
            "date": "2026-04-01",
            "cluster": "cluster-a",
            "coordinator": cast.coordinator_a.pk,
            "topic": "技術相談",
        },
        {
            "anonymous": 401,
            "participant": 403,
            "coordinator_a": 201,
            "hq_a": 201,
            "hq_b": 403,
            "national": 403,
            "admin": 201,
        },
    ),
    "CRM introduction in A": (
        "/api/crm/introductions/",
        lambda cast: {
            "cluster": "cluster-a",
            "coordinator": cast.coordinator_a.pk,
            "party_a_organisation": cast.company_a.pk,
            "party_b_organisation": cast.university_a.pk,
            "topic": "紹介",
            "introduced_on": "2026-04-01",
        },
        {
            "anonymous": 401,
            "participant": 403,
            "coordinator_a": 201,
            "hq_a": 201,
            "hq_b": 403,
            "national": 403,
            "admin": 201,
        },
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("record", list(CREATES))
def test_who_may_create_what(cast, api, record, role):
    url, body, expected = CREATES[record]
    response = api(_user(cast, role)).post(url, body(cast))
    assert response.status_code == expected[role], response.json()


DELETES = {
    "affiliation": (
        lambda cast: f"/api/affiliations/{_affiliation(cast).pk}/",
        {
            "anonymous": 401,
            "participant": 204,
            "coordinator_a": 403,
            "hq_a": 204,
            "hq_b": 403,
            "national": 403,
            "admin": 204,
        },
    ),
    "membership": (
        lambda cast: f"/api/memberships/{_membership_a(cast).pk}/",
        {
            "anonymous": 401,
            "participant": 403,
            "coordinator_a": 403,
            "hq_a": 204,
            "hq_b": 403,
            "national": 204,
            "admin": 204,
        },
    ),
    "HQ position": (
        lambda cast: f"/api/hq-positions/{HQPosition.objects.get().pk}/",
        {
            "anonymous": 401,
            "participant": 403,
            "coordinator_a": 403,
            "hq_a": 204,
            "hq_b": 403,
            "national": 204,
            "admin": 204,
        },
    ),
    "budget": (
        lambda cast: f"/api/budgets/{Budget.objects.get().pk}/",
        {
            "anonymous": 401,
            "participant": 403,
            "coordinator_a": 403,
            "hq_a": 204,
            "hq_b": 403,
            "national": 204,
            "admin": 204,
        },
    ),
    "seed": (
        lambda cast: f"/api/seeds/{_seed_a(cast).pk}/",
        {
            "anonymous": 401,
            "participant": 403,
            "coordinator_a": 403,
            "hq_a": 204,
            "hq_b": 403,
            "national": 403,
            "admin": 204,
        },
    ),
    "need": (
        lambda cast: f"/api/needs/{_need_a(cast).pk}/",
        {
            "anonymous": 401,
            "participant": 204,
            "coordinator_a": 403,
            "hq_a": 204,
            "hq_b": 403,
            "national": 403,
            "admin": 204,
        },
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("record", list(DELETES))
def test_who_may_delete_what(cast, api, record, role):
    url, expected = DELETES[record]
    response = api(_user(cast, role)).delete(url(cast))
    assert response.status_code == expected[role], response.content


@pytest.mark.parametrize(
    "url",
    [
        "/api/organisations/{org}/",
        "/api/people/{person}/",
        "/api/programmes/test-programme/",
        "/api/clusters/cluster-a/",
    ],
)
def test_records_without_a_delete_service_cannot_be_deleted(cast, api, url):
    url = url.format(org=cast.company_a.pk, person=cast.researcher_a.pk)
    assert api(cast.admin).delete(url).status_code == 405


def test_hq_b_cannot_update_cluster_a_or_its_members(cast, api):
    client = api(cast.hq_b)
    assert client.patch("/api/clusters/cluster-a/", {"theme": "乗っ取り"}).status_code == 403
    assert client.patch(f"/api/organisations/{cast.company_a.pk}/", {"employees": 1}).status_code == 403
    assert client.patch(f"/api/memberships/{_membership_a(cast).pk}/", {"note": "x"}).status_code == 403
    cast.cluster_a.refresh_from_db()
    assert cast.cluster_a.theme == ""


def test_hq_a_cannot_move_a_cluster_b_membership_into_cluster_a(cast, api):
    membership_b = Membership.objects.get(cluster=cast.cluster_b, organisation=cast.public_company_b)
    response = api(cast.hq_a).patch(f"/api/memberships/{membership_b.pk}/", {"cluster": "cluster-a"})
    assert response.status_code == 403
    membership_b.refresh_from_db()
    assert membership_b.cluster == cast.cluster_b


def test_hq_a_cannot_move_a_cluster_a_budget_to_cluster_b(cast, api):
    response = api(cast.hq_a).patch(f"/api/budgets/{Budget.objects.get().pk}/", {"cluster": "cluster-b"})
    assert response.status_code == 403
    assert Budget.objects.get().cluster == cast.cluster_a


def test_a_coordinator_cannot_sneak_other_fields_into_a_contact_change(cast, api):
    response = api(cast.coordinator_a).patch(
        f"/api/people/{cast.engineer_a.pk}/", {"email": "x@example.com", "family_name_en": "Renamed"}
    )
    assert response.status_code == 403
    cast.engineer_a.refresh_from_db()
    assert (cast.engineer_a.email, cast.engineer_a.family_name_en) == ("sato@hidden-alpha.example", "Sato")


def test_links_to_hidden_records_read_as_unknown(cast, api):
    response = api(cast.hq_b).post(
        "/api/memberships/", {"cluster": "cluster-b", "organisation": cast.secret_company_a.pk}
    )
    assert response.status_code == 400
    assert "organisation" in response.json()
    unknown = api(cast.hq_b).post("/api/memberships/", {"cluster": "cluster-b", "organisation": 999999})
    assert unknown.json()["organisation"][0].replace("999999", "X") == response.json()["organisation"][0].replace(
        str(cast.secret_company_a.pk), "X"
    )


# --- the coordinator's CRM --------------------------------------------------------------------

CRM_LISTS = {
    "anonymous": 401,
    "participant": 403,
    "coordinator_a": {"A"},
    "hq_a": {"A"},
    "hq_b": {"B"},
    "national": {"A", "B"},
    "admin": {"A", "B"},
}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_lists_the_crm_records_of_its_clusters(cast, api, role):
    _interaction_a(cast)
    _introduction_a(cast)
    brokerage_services.do_save_interaction(
        cast.hq_b, Interaction(kind="call", date=datetime.date(2026, 4, 1), cluster=cast.cluster_b, topic="B")
    )
    client = api(_user(cast, role))
    for url in ("/api/crm/interactions/", "/api/crm/introductions/"):
        response = client.get(url)
        expected = CRM_LISTS[role]
        if isinstance(expected, int):
            assert response.status_code == expected, url
            continue
        clusters = {row["cluster"] for row in response.json()["results"]}
        assert clusters == {f"cluster-{c.lower()}" for c in expected} & (
            {"cluster-a", "cluster-b"} if "interactions" in url else {"cluster-a"}
        ), url


@pytest.mark.parametrize("url", ["/api/crm/interactions/{interaction}/", "/api/crm/introductions/{introduction}/"])
def test_crm_records_cannot_be_deleted_over_the_api(cast, api, url):
    url = url.format(interaction=_interaction_a(cast).pk, introduction=_introduction_a(cast).pk)
    assert api(cast.admin).delete(url).status_code == 405


# --- events -----------------------------------------------------------------------------------

EVENT_LIST_STATUS = {
    "anonymous": 401,
    "participant": 200,
    "coordinator_a": 200,
    "hq_a": 200,
    "hq_b": 200,
    "national": 200,
    "admin": 200,
}
# Whether each role sees a draft event of cluster A, and its registrations.
SEES_DRAFT_A = {
    "participant": False,
    "coordinator_a": True,
    "hq_a": True,
    "hq_b": False,
    "national": True,
    "admin": True,
}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reads_the_events_and_registrations_it_may(cast, api, role):
    from renkei.events.choices import EventStatus
    from renkei.events.models import Registration
    from tests.events.test_event_pages import make_event

    draft = make_event(cast.cluster_a, status=EventStatus.DRAFT)
    published = make_event(cast.cluster_a)
    visitor = Registration.objects.create(event=published, visitor_name="来場 者", visitor_email="v@example.jp")
    client = api(_user(cast, role))
    for url in ("/api/events/", "/api/event-registrations/", "/api/meeting-requests/", "/api/meetings/"):
        assert client.get(url).status_code == EVENT_LIST_STATUS[role], url
    if role == "anonymous":
        return
    events = {row["id"] for row in client.get("/api/events/").json()["results"]}
    assert published.pk in events
    assert (draft.pk in events) == SEES_DRAFT_A[role]
    registrations = {row["id"] for row in client.get("/api/event-registrations/").json()["results"]}
    assert (visitor.pk in registrations) == SEES_DRAFT_A[role]
