"""The import runs API: `/api/import-runs/` (list, detail with counts) and each run's rejected
rows, with the same visibility as the pages; every response checked against the schema."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token

from renkei.imports.services import do_import_corporations
from tests.api.conftest import SchemaCheckedClient

from .helpers import GOOD_ROW, ZENKEN_SJIS, ZENKEN_UTF8, with_cell

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(db):
    def client_for(user=None) -> SchemaCheckedClient:
        client = SchemaCheckedClient()
        if user is not None and user.is_authenticated:
            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return client_for


@pytest.fixture
def run_a(cast, tmp_path):
    """A run by HQ A of a file with 3 good rows and 3 rejected ones (lines 2, 3 and 4)."""
    bad = with_cell(GOOD_ROW, 1, "5010001234567")
    lines = ZENKEN_UTF8.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "hq-a.csv"
    path.write_text(
        "\n".join([lines[0], bad, bad, "=1+1," + GOOD_ROW.split(",", 1)[1], *lines[1:3]]) + "\n", encoding="utf-8"
    )
    return do_import_corporations(path, user=cast.hq_a)


def test_the_api_gives_a_run_with_its_counts(cast, api, run_a):
    response = api(cast.hq_a).get(f"/api/import-runs/{run_a.pk}/")

    assert response.status_code == 200
    data = response.json()
    assert data["id"] == run_a.pk and data["file_name"] == "hq-a.csv" and data["sha256"] == run_a.sha256
    assert data["started_by"] == "hq_a" and data["status"] == "succeeded" and data["source"] == "corporate_numbers"
    assert (data["rows_read"], data["created"], data["updated"], data["unchanged"], data["rejected"]) == (6, 3, 0, 0, 3)
    assert data["url"] == f"/imports/runs/{run_a.pk}/"


def test_the_api_lists_the_rejected_rows_in_file_order(cast, api, run_a):
    response = api(cast.national).get(f"/api/import-runs/{run_a.pk}/rejections/?page_size=2")

    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 3 and data["next"]
    assert [(r["line_number"], r["field"]) for r in data["results"]] == [(2, "corporateNumber"), (3, "corporateNumber")]
    assert "check digit" in data["results"][0]["reason"]
    last = api(cast.national).get(f"/api/import-runs/{run_a.pk}/rejections/?page=2&page_size=2").json()
    assert last["results"][0]["line_number"] == 4 and last["results"][0]["raw"].startswith("=1+1")


def test_hq_staff_list_their_own_runs_and_national_officers_all(cast, api, run_a):
    run_b = do_import_corporations(ZENKEN_SJIS, user=cast.hq_b)

    def listed(user) -> list[int]:
        return sorted(r["id"] for r in api(user).get("/api/import-runs/").json()["results"])

    assert listed(cast.hq_a) == [run_a.pk]
    assert listed(cast.hq_b) == [run_b.pk]
    assert listed(cast.national) == listed(cast.admin) == sorted([run_a.pk, run_b.pk])
    assert listed(cast.coordinator_a) == listed(cast.participant) == []


@pytest.mark.parametrize("who", ["hq_b", "coordinator_a", "participant"])
def test_others_cannot_read_the_run_or_its_rejections(cast, api, run_a, who):
    client = api(cast.users()[who])

    assert client.get(f"/api/import-runs/{run_a.pk}/").status_code == 404
    assert client.get(f"/api/import-runs/{run_a.pk}/rejections/").status_code == 404


def test_anonymous_callers_are_refused(cast, api, run_a):
    assert api(None).get("/api/import-runs/").status_code in (401, 403)
    assert api(None).get(f"/api/import-runs/{run_a.pk}/rejections/").status_code in (401, 403)
