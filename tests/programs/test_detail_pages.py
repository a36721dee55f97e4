"""The programme and cluster pages: members grouped by kind as the reader may see them, HQ
positions, budget table and chart, change history for those who look after the cluster, in
Japanese and English."""

from __future__ import annotations

import pytest
from django.utils import translation

from renkei.programs.models import Budget, HQPosition, Membership
from renkei.programs.services import do_delete_membership, do_save_budget
from tests.assets import external_assets
from tests.programs.helpers import url


def cluster_page(client, cluster):
    response = client.get(url("cluster_detail", cluster.code))
    assert response.status_code == 200
    return response


def groups(response) -> dict[str, list[str]]:
    return {g["kind"]: [m.organisation.name for m in g["memberships"]] for g in response.context["member_groups"]}


@pytest.mark.django_db
class TestClusterMembers:
    def test_staff_see_every_member_grouped_by_kind(self, cast, client_for):
        response = cluster_page(client_for(cast.coordinator_a), cast.cluster_a)
        assert groups(response) == {"sme": ["アルファ精密", "秘密アルファ工業"], "university": ["アルファ大学"]}
        assert [g["count"] for g in response.context["member_groups"]] == [2, 1]
        assert response.context["member_total"] == 3
        html = response.content.decode()
        assert f'href="/ja/directory/organisations/{cast.secret_company_a.pk}/"' in html

    @pytest.mark.parametrize(
        ("role", "expected"),
        [
            ("anonymous", {"university": ["アルファ大学"]}),
            ("participant", {"sme": ["アルファ精密"], "university": ["アルファ大学"]}),
            ("hq_b", {"sme": ["アルファ精密"], "university": ["アルファ大学"]}),
        ],
    )
    def test_others_see_only_members_they_may_see(self, cast, client_for, role, expected):
        response = cluster_page(client_for(getattr(cast, role)), cast.cluster_a)
        assert groups(response) == expected
        assert "秘密アルファ工業" not in response.content.decode()

    def test_the_promotion_organisation_is_named_only_to_those_who_may_see_it(self, cast, client_for):
        assert "Aクラスター推進協議会" not in cluster_page(client_for(cast.anonymous), cast.cluster_a).content.decode()
        assert "Aクラスター推進協議会" in cluster_page(client_for(cast.participant), cast.cluster_a).content.decode()

    def test_edit_links_show_only_to_those_who_may_edit(self, cast, client_for):
        membership = Membership.objects.get(organisation=cast.company_a)
        edit = url("membership_edit", membership.pk)
        assert edit in cluster_page(client_for(cast.hq_a), cast.cluster_a).content.decode()
        for role in ("coordinator_a", "hq_b", "participant", "anonymous"):
            html = cluster_page(client_for(getattr(cast, role)), cast.cluster_a).content.decode()
            assert edit not in html and url("budget_create", "cluster-a") not in html, role


@pytest.mark.django_db
class TestHeadquartersAndBudget:
    def test_positions_are_listed_president_first(self, cast, client_for):
        HQPosition.objects.create(cluster=cast.cluster_a, person=cast.engineer_a, kind="coordinator")
        HQPosition.objects.create(cluster=cast.cluster_a, person=cast.researcher_a, kind="president")
        response = cluster_page(client_for(cast.hq_a), cast.cluster_a)
        assert [p.kind for p in response.context["positions"]] == ["president", "research_director", "coordinator"]
        # The restricted engineer's coordinator post is not shown to a visitor.
        response = cluster_page(client_for(cast.anonymous), cast.cluster_a)
        assert [p.kind for p in response.context["positions"]] == ["president", "research_director"]

    def test_budget_table_has_a_row_per_year_and_a_column_per_source(self, cast, client_for):
        Budget.objects.create(cluster=cast.cluster_a, fiscal_year=2002, source="local", amount_yen=100_000_000)
        Budget.objects.create(cluster=cast.cluster_a, fiscal_year=2003, amount_yen=450_000_000, is_estimate=True)
        response = cluster_page(client_for(cast.anonymous), cast.cluster_a)
        rows = response.context["budget_rows"]
        assert [(r["fiscal_year"], r["amounts"], r["total"], r["estimate"]) for r in rows] == [
            (2002, [500_000_000, 100_000_000], 600_000_000, False),
            (2003, [450_000_000, None], 450_000_000, True),
        ]
        assert response.context["budget_total"] == 1_050_000_000
        html = response.content.decode()
        assert "¥1,050,000,000" in html
        assert "/static/plotly/plotly.min.js" in html and 'id="budget-chart"' in html
        assert external_assets(html) == []

    def test_a_cluster_without_budget_has_no_chart(self, cast, client_for):
        html = cluster_page(client_for(cast.anonymous), cast.cluster_b).content.decode()
        assert "budget-chart" not in html and "plotly.min.js" not in html


@pytest.mark.django_db
class TestHistory:
    @pytest.mark.usefixtures("english")
    def test_staff_of_the_cluster_see_changes_to_it_and_its_members(self, cast, client_for):
        do_save_budget(cast.hq_a, Budget(cluster=cast.cluster_a, fiscal_year=2003, amount_yen=1))
        budget = Budget.objects.get(fiscal_year=2003)
        budget.amount_yen = 2
        do_save_budget(cast.hq_a, budget)
        do_delete_membership(cast.hq_a, Membership.objects.get(organisation=cast.company_a))
        response = cluster_page(client_for(cast.coordinator_a), cast.cluster_a)
        entries = [(item["record"], item["entry"].kind, item["entry"].who) for item in response.context["history"]]
        assert entries[:3] == [
            ("Membership: Alpha Precision", "deleted", "hq_a"),
            ("Budget: FY2003", "changed", "hq_a"),
            ("Budget: FY2003", "created", "hq_a"),
        ]
        changed = response.context["history"][1]["entry"].changes
        assert [(c.old, c.new) for c in changed] == [(1, 2)]
        assert 'id="history"' in response.content.decode()

    @pytest.mark.parametrize("role", ["anonymous", "participant", "hq_b"])
    def test_others_do_not_see_the_history(self, cast, client_for, role):
        response = cluster_page(client_for(getattr(cast, role)), cast.cluster_a)
        assert response.context["history"] is None
        assert 'id="history"' not in response.content.decode()

    def test_programme_history_is_for_national_officers(self, cast, client_for):
        assert (
            'id="history"' in client_for(cast.national).get(url("programme_detail", "test-programme")).content.decode()
        )
        assert (
            'id="history"' not in client_for(cast.hq_a).get(url("programme_detail", "test-programme")).content.decode()
        )


@pytest.mark.django_db
class TestLanguages:
    def test_pages_render_in_japanese(self, cast, client_for):
        client = client_for(cast.hq_a)
        for name, args in [
            ("programme_list", ()),
            ("programme_detail", ("test-programme",)),
            ("cluster_list", ()),
            ("cluster_detail", ("cluster-a",)),
        ]:
            address = url(name, *args)
            assert address.startswith("/ja/")
            html = client.get(address).content.decode()
            assert '<html lang="ja">' in html and ("テスト事業" in html or "Aクラスター" in html), name

    def test_pages_render_in_english(self, cast, client_for):
        client = client_for(cast.hq_a)
        with translation.override("en"):
            addresses = [
                url("programme_list"),
                url("programme_detail", "test-programme"),
                url("cluster_list"),
                url("cluster_detail", "cluster-a"),
                url("membership_create", "cluster-a"),
                url("budget_create", "cluster-a"),
            ]
        for address in addresses:
            assert address.startswith("/en/")
            response = client.get(address)
            html = response.content.decode()
            assert response.status_code == 200 and '<html lang="en">' in html, address
        assert "Cluster A" in client.get(addresses[3]).content.decode()
        assert "Test Programme" in client.get(addresses[1]).content.decode()
