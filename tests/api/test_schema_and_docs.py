"""The OpenAPI schema and the documentation pages, which must work offline."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command

from tests.api.schema_check import SchemaMismatch, check_response, openapi_schema

ENDPOINTS = [
    "organisations",
    "people",
    "affiliations",
    "programmes",
    "clusters",
    "memberships",
    "hq-positions",
    "budgets",
    "prefectures",
    "bureau-regions",
    "industries",
    "fields",
    "municipalities",
]


def test_the_schema_generates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert "openapi: 3" in (tmp_path / "schema.yaml").read_text()


def test_every_endpoint_is_in_the_schema():
    paths = openapi_schema()["paths"]
    for name in ENDPOINTS:
        assert f"/api/{name}/" in paths
        assert any(p.startswith(f"/api/{name}/{{") for p in paths), name
    assert "post" in paths["/api/auth/token/"]
    assert "delete" in paths["/api/budgets/{id}/"]
    assert "delete" not in paths["/api/organisations/{id}/"]
    assert "post" not in paths["/api/prefectures/"]


def test_the_schema_is_served(db, client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "renkei API"


@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_the_docs_load_only_local_files(db, client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), "a script or style loads from another host"
    local = re.findall(r"""["'](/static/[^"']+)["']""", html)
    assert local, "the page names no local assets"
    for path in local:
        assert finders.find(path.removeprefix("/static/")), f"{path} is not among the static files"


def test_the_browsable_api_root_lists_the_endpoints(db, client):
    response = client.get("/api/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert set(ENDPOINTS) <= set(response.json())


def test_the_response_checker_catches_a_lie():
    with pytest.raises(SchemaMismatch):
        check_response("GET", "/api/budgets/1/", 200, "application/json", b'{"id": "one"}')
    with pytest.raises(SchemaMismatch):
        check_response("GET", "/api/budgets/1/", 418, "application/json", b"{}")
    with pytest.raises(SchemaMismatch):
        check_response("GET", "/api/no-such-endpoint/", 200, "application/json", b"{}")


def test_an_unknown_address_under_api_is_a_json_404(db, api):
    client = api(None)
    for path in ("/api/no-such-endpoint/", "/api/budgets/1.5/"):
        response = client.put(path, {"x": 1})
        assert response.status_code == 404
        assert response.json() == {"detail": response.json()["detail"]}


def test_a_body_that_is_not_json_is_a_400_with_a_reason(cast, api):
    response = api(cast.admin).generic("POST", "/api/budgets/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]
