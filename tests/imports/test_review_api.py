"""The review queue in the API: `/api/import-review-items/` with the pages' visibility, and the
`decide` action; every response checked against the schema."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token

from renkei.core.models import Visibility
from renkei.directory.models import Organisation, Person
from renkei.imports.choices import ReviewStatus
from renkei.imports.records import do_import_records
from renkei.imports.researchmap import ResearchmapSource
from tests.api.conftest import SchemaCheckedClient

from .helpers import DATA

pytestmark = pytest.mark.django_db

URL = "/api/import-review-items/"


def api_for(user) -> SchemaCheckedClient:
    client = SchemaCheckedClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def item(cast):
    Organisation.objects.create(kind="university", name_ja="架空大学", visibility=Visibility.PUBLIC)
    run = do_import_records(ResearchmapSource(), DATA / "researchmap_researcher.json", user=cast.hq_a)
    return run.review_items.get()


def test_the_importer_and_national_officers_list_the_item_others_do_not(cast, item):
    listed = api_for(cast.hq_a).get(URL, {"status": "pending"}).json()
    assert [row["id"] for row in listed["results"]] == [item.pk]
    row = listed["results"][0]
    assert row["kind"] == "affiliation" and row["name"] == "架空大学" and row["candidates"][0]["label"]
    assert api_for(cast.national).get(f"{URL}{item.pk}/").status_code == 200
    assert api_for(cast.hq_b).get(URL).json()["results"] == []
    assert api_for(cast.hq_b).get(f"{URL}{item.pk}/").status_code == 404
    assert api_for(cast.coordinator_a).get(f"{URL}{item.pk}/").status_code == 404


def test_deciding_through_the_api(cast, item):
    client = api_for(cast.hq_a)
    candidate = item.candidates.get()

    missing = client.post(f"{URL}{item.pk}/decide/", {"action": "confirm"}, format="json")
    confirmed = client.post(f"{URL}{item.pk}/decide/", {"action": "confirm", "candidate": candidate.pk}, format="json")
    again = client.post(f"{URL}{item.pk}/decide/", {"action": "reject"}, format="json")

    assert missing.status_code == 400 and "candidate" in missing.json()
    assert confirmed.status_code == 200 and confirmed.json()["status"] == ReviewStatus.CONFIRMED
    assert confirmed.json()["decided_by"] == "hq_a" and confirmed.json()["chosen"] == candidate.pk
    assert again.status_code == 400
    assert Person.objects.get(researchmap_id="kakuu_taro").affiliations.get().organisation == candidate.organisation
    assert api_for(cast.hq_b).post(f"{URL}{item.pk}/decide/", {"action": "reject"}, format="json").status_code == 404
