"""The read-only reference endpoints: prefectures, bureau regions, municipalities, JSIC, fields."""

from __future__ import annotations

from renkei.core.models import IndustryClass, Municipality


def test_anyone_reads_the_reference_data(cast, api):
    client = api(None)
    assert client.get("/api/prefectures/13/").json() == {
        "code": "13",
        "name_ja": "東京都",
        "name_en": "Tokyo",
        "name_kana": "",
        "region": "kanto",
    }
    assert client.get("/api/bureau-regions/kanto/").json()["name_en"] == "Kanto"
    assert client.get("/api/fields/life-science/").json()["name_ja"] == "ライフサイエンス"
    assert client.get("/api/prefectures/", {"region__code": "kanto"}).json()["count"] == 1


def test_municipalities_by_local_government_code(cast, api):
    Municipality.objects.create(code="131016", prefecture_id="13", name_ja="千代田区", name_en="Chiyoda")
    client = api(None)
    assert client.get("/api/municipalities/131016/").json()["name_en"] == "Chiyoda"
    assert client.get("/api/municipalities/", {"prefecture": "13"}).json()["count"] == 1
    assert client.get("/api/municipalities/999999/").status_code == 404


def test_industries_by_jsic_level_and_parent(cast, api):
    division = IndustryClass.objects.create(code="E", level="division", name_ja="製造業", name_en="Manufacturing")
    group = IndustryClass.objects.create(code="09", level="major_group", parent=division, name_ja="食料品製造業")
    client = api(None)
    children = client.get("/api/industries/", {"parent": division.pk}).json()["results"]
    assert [(row["code"], row["parent"]) for row in children] == [("09", division.pk)]
    assert client.get("/api/industries/", {"level": "division"}).json()["count"] == 1
    assert client.get(f"/api/industries/{group.pk}/").json()["name_ja"] == "食料品製造業"


def test_reference_data_is_read_only(cast, api):
    client = api(cast.admin)
    assert client.post("/api/prefectures/", {"code": "48", "name_ja": "x", "name_en": "x"}).status_code == 405
    assert client.delete("/api/fields/life-science/").status_code == 405
