"""The programme and cluster lists: search in Japanese, English and kana, filters, sort,
pagination, member counts limited to what the reader may see, and exports of exactly the rows
shown."""

from __future__ import annotations

import pytest
from django.utils.translation import gettext

from renkei.core.models import BureauRegion, Prefecture, TechField
from renkei.programs.models import Cluster, Membership, Programme
from tests.programs.helpers import csv_rows, url, xlsx_rows


@pytest.fixture
def clusters(cast):
    """A second programme with clusters in another region, prefecture and field."""
    region = BureauRegion.objects.create(code="hokkaido", name_ja="北海道", name_en="Hokkaido", sort_order=1)
    hokkaido = Prefecture.objects.create(code="01", name_ja="北海道", name_en="Hokkaido", region=region)
    it = TechField.objects.create(code="it", name_ja="情報通信", name_en="IT")
    programme = Programme.objects.create(
        code="knowledge", name_ja="知的クラスター", name_en="Knowledge Cluster", ministry="mext", start_fy=2002
    )
    sapporo = Cluster.objects.create(
        programme=programme,
        code="sapporo-it",
        name_ja="札幌ITカロッツェリア",
        name_en="Sapporo IT Carrozzeria",
        bureau_region=region,
    )
    sapporo.prefectures.add(hokkaido)
    sapporo.fields.add(it)
    bio = Cluster.objects.create(
        programme=programme,
        code="sapporo-bio",
        name_ja="北海道バイオクラスター",
        name_en="Hokkaido Bio Cluster",
        bureau_region=region,
    )
    bio.prefectures.add(hokkaido)
    cast.cluster_a.prefectures.add(Prefecture.objects.get(code="13"))
    return {"sapporo": sapporo, "bio": bio, "programme": programme}


def listed(client, **params) -> list[str]:
    response = client.get(url("cluster_list"), params)
    assert response.status_code == 200
    return [str(cells[0]["value"]) for _, cells in response.context["rows"]]


@pytest.mark.django_db
class TestClusterSearchAndFilters:
    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("バイオ", ["北海道バイオクラスター"]),
            ("ばいお", ["北海道バイオクラスター"]),
            ("ﾊﾞｲｵ", ["北海道バイオクラスター"]),
            ("bio cluster", ["北海道バイオクラスター"]),
            ("CARROZZERIA", ["札幌ITカロッツェリア"]),
            ("札幌", ["札幌ITカロッツェリア"]),
        ],
    )
    def test_it_finds_by_japanese_english_and_kana(self, clusters, client_for, cast, query, expected):
        assert listed(client_for(cast.anonymous), q=query) == expected

    def test_filters_by_programme_region_prefecture_and_field(self, clusters, client_for, cast):
        client = client_for(cast.participant)
        assert set(listed(client, programme="knowledge")) == {"札幌ITカロッツェリア", "北海道バイオクラスター"}
        assert set(listed(client, region="kanto")) == {"Aクラスター", "Bクラスター"}
        assert listed(client, prefecture="13") == ["Aクラスター"]
        assert listed(client, field="it") == ["札幌ITカロッツェリア"]
        assert listed(client, field="it", q="bio") == []

    def test_sorts_by_name_in_both_directions(self, clusters, client_for, cast):
        client = client_for(cast.anonymous)
        ascending = listed(client, sort="name")
        assert ascending == sorted(ascending)
        assert listed(client, sort="-name") == list(reversed(ascending))

    def test_it_paginates(self, cast, client_for):
        for i in range(30):
            Cluster.objects.create(programme=cast.programme, code=f"bulk-{i:02}", name_en=f"Bulk {i:02}")
        client = client_for(cast.anonymous)
        first = listed(client, q="bulk", sort="name", per_page=25)
        second = listed(client, q="bulk", sort="name", per_page=25, page=2)
        assert len(first) == 25 and second == [f"Bulk {i:02}" for i in range(25, 30)]

    def test_member_counts_include_only_organisations_the_reader_may_see(self, cast, client_for):
        def members(user) -> dict[str, int]:
            response = client_for(user).get(url("cluster_list"))
            return {obj.code: obj.member_count for obj, _ in response.context["rows"]}

        assert members(cast.anonymous) == {"cluster-a": 1, "cluster-b": 1}
        assert members(cast.participant) == {"cluster-a": 2, "cluster-b": 1}
        assert members(cast.hq_a) == {"cluster-a": 3, "cluster-b": 1}
        assert members(cast.national) == {"cluster-a": 3, "cluster-b": 2}

    def test_a_second_role_of_one_organisation_is_counted_once(self, cast, client_for):
        Membership.objects.create(cluster=cast.cluster_a, organisation=cast.university_a, role="core")
        response = client_for(cast.national).get(url("cluster_list"), {"q": "cluster-a"})
        assert [obj.member_count for obj, _ in response.context["rows"]] == [3]


@pytest.mark.django_db
class TestProgrammeList:
    def test_it_lists_programmes_with_cluster_counts(self, clusters, client_for, cast):
        response = client_for(cast.anonymous).get(url("programme_list"), {"sort": "name"})
        rows = {str(cells[0]["value"]): obj.cluster_count for obj, cells in response.context["rows"]}
        assert rows == {"テスト事業": 2, "知的クラスター": 2}

    def test_it_filters_by_ministry(self, clusters, client_for, cast):
        response = client_for(cast.anonymous).get(url("programme_list"), {"ministry": "mext"})
        assert [obj.code for obj, _ in response.context["rows"]] == ["knowledge"]


@pytest.mark.django_db
class TestClusterExport:
    @pytest.mark.parametrize(
        "params", [{}, {"q": "bio"}, {"programme": "knowledge", "sort": "-name"}, {"region": "kanto"}, {"field": "it"}]
    )
    def test_csv_and_excel_hold_exactly_the_filtered_rows(self, clusters, client_for, cast, params):
        client = client_for(cast.hq_a)
        context = client.get(url("cluster_list"), params).context
        header = [str(c.label) for c in context["columns"]]
        shown = [[str(cell["value"]) for cell in cells] for _, cells in context["rows"]]
        from_csv = csv_rows(client.get(url("cluster_list"), {**params, "export": "csv"}))
        assert from_csv[0] == header
        assert from_csv[1:] == shown
        from_xlsx = xlsx_rows(client.get(url("cluster_list"), {**params, "export": "xlsx"}))
        assert from_xlsx[0] == header
        assert [[str(v) if v is not None else "" for v in row] for row in from_xlsx[1:]] == shown

    def test_the_exported_member_count_follows_the_reader(self, cast, client_for):
        rows = csv_rows(client_for(cast.anonymous).get(url("cluster_list"), {"export": "csv", "sort": "name"}))
        members = rows[0].index(gettext("Members"))
        assert [(row[0], row[members]) for row in rows[1:]] == [("Aクラスター", "1"), ("Bクラスター", "1")]
