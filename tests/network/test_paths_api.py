"""GET /api/network/paths/: the same paths as the pages, under the same visibility rules, with
every response checked against the OpenAPI schema."""

from __future__ import annotations

import pytest

from tests.api.conftest import api  # noqa: F401  (the schema-checked client fixture)
from tests.network.test_paths import met_introduction  # noqa: F401

pytestmark = pytest.mark.django_db

URL = "/api/network/paths/"


def test_a_coordinator_gets_the_paths_with_their_steps(cast, api, met_introduction):  # noqa: F811
    response = api(cast.coordinator_a).get(URL, {"from_org": cast.company_a.pk, "to_org": cast.public_company_b.pk})
    assert response.status_code == 200
    body = response.json()
    assert body["source"] == f"org:{cast.company_a.pk}"
    assert body["target"] == f"org:{cast.public_company_b.pk}"
    assert body["max_hops"] == 4
    first = body["paths"][0]
    assert first["hops"] == 1 and first["cost"] == 1.0
    assert [s["id"] for s in first["steps"]] == [body["source"], body["target"]]
    assert first["steps"][1]["tie"] == "introduction_met"
    assert first["steps"][1]["url"] == f"/ja/directory/organisations/{cast.public_company_b.pk}/"


def test_a_participant_gets_no_crm_path(cast, api, met_introduction):  # noqa: F811
    response = api(cast.participant).get(URL, {"from_org": cast.company_a.pk, "to_org": cast.public_company_b.pk})
    assert response.status_code == 200
    assert response.json()["paths"] == []


def test_paths_to_a_person_with_limits(cast, api):  # noqa: F811
    query = {"from_org": cast.company_a.pk, "to_person": cast.researcher_a.pk, "max_hops": 2, "top": 1}
    body = api(cast.participant).get(URL, query).json()
    assert len(body["paths"]) == 1
    assert [s["kind"] for s in body["paths"][0]["steps"]] == ["organisation", "organisation", "person"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"to_org": 1}, "from_org"),
        ({"from_org": 1}, "to_org"),
        ({"from_org": 1, "from_person": 1, "to_org": 2}, "from_person"),
        ({"from_org": "alpha", "to_org": 2}, "from_org"),
        ({"from_org": 1, "to_org": 2, "max_hops": 9}, "max_hops"),
        ({"from_org": 1, "to_org": 2, "top": 0}, "top"),
    ],
)
def test_bad_queries_name_the_field(cast, api, query, field):  # noqa: F811
    response = api(cast.coordinator_a).get(URL, query)
    assert response.status_code == 400
    assert field in response.json()


def test_an_end_the_reader_may_not_see_is_not_found(cast, api):  # noqa: F811
    hidden = {"from_org": cast.company_a.pk, "to_org": cast.secret_company_b.pk}
    assert api(cast.participant).get(URL, hidden).status_code == 404
    assert (
        api(cast.hq_b).get(URL, {"from_org": cast.secret_company_a.pk, "to_org": cast.public_company_b.pk}).status_code
        == 404
    )
    assert api(cast.national).get(URL, hidden).status_code == 200


def test_visitors_must_sign_in(cast, api):  # noqa: F811
    response = api(None).get(URL, {"from_org": cast.university_a.pk, "to_org": cast.public_company_b.pk})
    assert response.status_code in (401, 403)


def test_the_endpoint_is_in_the_openapi_schema(cast, api):  # noqa: F811
    schema = api(cast.national).get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/network/paths/"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"from_org", "from_person", "to_org", "to_person"}
