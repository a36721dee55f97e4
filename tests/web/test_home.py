"""The home dashboard: the national view for officers and visitors, the reader's own cluster
first for HQ staff and coordinators, every number equal to a count made independently here,
and visitors' numbers limited to public organisations."""

from __future__ import annotations

from collections import defaultdict

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from renkei.core.models import BureauRegion, Prefecture, TechField, Visibility
from renkei.directory.models import Organisation
from renkei.programs.models import Cluster, Membership, Programme
from renkei.web import dashboard


@pytest.fixture
def nation(cast):
    """A second programme in another region, with members in two prefectures, at every
    visibility level, one of them also a member of cluster A."""
    region = BureauRegion.objects.create(code="kinki", name_ja="近畿", name_en="Kinki", sort_order=6)
    osaka = Prefecture.objects.create(code="27", name_ja="大阪府", name_en="Osaka", region=region)
    it = TechField.objects.create(code="it", name_ja="情報通信", name_en="IT")
    programme = Programme.objects.create(
        code="knowledge", name_ja="知的クラスター", name_en="Knowledge Cluster", ministry="mext", start_fy=2002
    )
    kansai = Cluster.objects.create(
        programme=programme, code="kansai", name_ja="関西", name_en="Kansai", bureau_region=region
    )
    kansai.fields.add(it, TechField.objects.get(code="life-science"))
    for i, visibility in enumerate([Visibility.PUBLIC, Visibility.PUBLIC, Visibility.MEMBERS, Visibility.RESTRICTED]):
        organisation = Organisation.objects.create(
            kind="university" if i == 0 else "sme", name_en=f"Osaka {i}", visibility=visibility, prefecture=osaka
        )
        Membership.objects.create(cluster=kansai, organisation=organisation)
    Membership.objects.create(cluster=kansai, organisation=cast.university_a)
    Membership.objects.create(cluster=kansai, organisation=cast.university_a, role="core")
    return kansai


def may_see(role: str, organisation: Organisation, cast) -> bool:
    """The visibility rule, restated for the anonymous visitor and the national officer."""
    if role == "national":
        return True
    assert role == "anonymous"
    return organisation.visibility == Visibility.PUBLIC


def expected_counts(role: str, cast) -> dict[str, dict]:
    """Every dashboard figure, counted by walking the memberships one by one."""
    counts: dict[str, dict] = defaultdict(lambda: defaultdict(set))
    for membership in Membership.objects.select_related("organisation", "cluster__programme", "cluster__bureau_region"):
        organisation, cluster = membership.organisation, membership.cluster
        if not may_see(role, organisation, cast):
            continue
        counts["total"][None].add(organisation.pk)
        counts["cluster"][cluster.code].add(organisation.pk)
        counts["programme"][cluster.programme.code].add(organisation.pk)
        counts["kind"][organisation.kind].add(organisation.pk)
        if organisation.prefecture_id:
            counts["prefecture"][organisation.prefecture_id].add(organisation.pk)
        if cluster.bureau_region:
            counts["region"][cluster.bureau_region.code].add(organisation.pk)
        for field in cluster.fields.all():
            counts["field"][field.code].add(organisation.pk)
    return {name: {key: len(ids) for key, ids in values.items()} for name, values in counts.items()}


def bars(items) -> dict:
    return {bar.key: bar.count for bar in items}


@pytest.mark.django_db
class TestNationalFigures:
    @pytest.mark.parametrize("role", ["anonymous", "national"])
    def test_every_figure_equals_an_independent_count(self, cast, nation, client_for, role):
        expected = expected_counts(role, cast)
        response = client_for(getattr(cast, role)).get(reverse("home"))
        assert response.status_code == 200
        context = response.context
        assert context["totals"] == {"programmes": 2, "clusters": 3, "members": expected["total"][None]}
        assert {s.programme.code: s.member_count for s in context["programmes"]} == expected["programme"]
        clusters = {c.code: c.member_count for s in context["programmes"] for c in s.clusters}
        assert {code: n for code, n in clusters.items() if n} == expected["cluster"]
        assert bars(context["by_kind"]) == expected["kind"]
        assert bars(context["by_prefecture"]) == expected["prefecture"]
        user = getattr(cast, role)
        assert bars(dashboard.members_by_field(user)) == expected["field"]
        assert bars(dashboard.members_by_region(user)) == expected["region"]
        assert bars(dashboard.members_by_programme(user)) == expected["programme"]

    def test_a_visitor_counts_only_public_organisations(self, cast, nation, client_for):
        context = client_for(cast.anonymous).get(reverse("home")).context
        # Public: Alpha University (A and Kansai, twice in Kansai), Beta Devices (B), Osaka 0 and 1.
        assert context["totals"]["members"] == 4
        assert {s.programme.code: s.member_count for s in context["programmes"]} == {
            "test-programme": 2,
            "knowledge": 3,
        }
        assert bars(context["by_kind"]) == {"sme": 2, "university": 2}
        html = client_for(cast.anonymous).get(reverse("home")).content.decode()
        assert 'data-stat="members">4<' in html

    def test_the_national_officer_counts_everything(self, cast, nation, client_for):
        context = client_for(cast.national).get(reverse("home")).context
        assert context["totals"]["members"] == Membership.objects.values("organisation").distinct().count() == 9
        assert context["own_clusters"] == []

    def test_charts_use_local_plotly_and_no_cdn(self, cast, nation, client_for):
        html = client_for(cast.anonymous).get(reverse("home")).content.decode()
        assert "/static/plotly/plotly.min.js" in html
        for chart in ("chart-programme", "chart-field", "chart-region"):
            assert f'id="{chart}"' in html
        assert "cdn.plot.ly" not in html

    def test_the_number_of_queries_does_not_grow_with_the_members(self, cast, nation, client_for):
        client = client_for(cast.hq_a)
        client.get(reverse("home"))  # warm the session and content types
        with CaptureQueriesContext(connection) as before:
            client.get(reverse("home"))
        for i in range(40):
            organisation = Organisation.objects.create(kind="sme", name_en=f"Extra {i}", visibility="public")
            Membership.objects.create(cluster=nation, organisation=organisation)
        with CaptureQueriesContext(connection) as after:
            response = client.get(reverse("home"))
        # 49 members, less the two restricted ones outside cluster A (Hidden Beta Works, Osaka 3).
        assert response.context["totals"]["members"] == 47
        assert len(after) == len(before)


@pytest.mark.django_db
class TestOwnClusterFirst:
    @pytest.mark.parametrize("role", ["hq_a", "coordinator_a"])
    def test_staff_of_a_see_their_cluster_first(self, cast, nation, client_for, role):
        response = client_for(getattr(cast, role)).get(reverse("home"))
        summaries = response.context["own_clusters"]
        assert [s.cluster.code for s in summaries] == ["cluster-a"]
        summary = summaries[0]
        assert summary.member_count == 3
        assert bars(summary.by_kind) == {"sme": 2, "university": 1}
        assert (summary.positions, summary.budget_total, summary.latest_budget) == (1, 500_000_000, (2002, 500_000_000))
        html = response.content.decode()
        assert html.index('id="own-cluster-a"') < html.index('id="national"')

    def test_hq_of_b_sees_cluster_b_and_not_the_restricted_members_of_a(self, cast, nation, client_for):
        response = client_for(cast.hq_b).get(reverse("home"))
        assert [s.cluster.code for s in response.context["own_clusters"]] == ["cluster-b"]
        assert response.context["own_clusters"][0].member_count == 2
        clusters = {c.code: c.member_count for s in response.context["programmes"] for c in s.clusters}
        assert clusters["cluster-a"] == 2  # the restricted Hidden Alpha Works is not counted

    def test_a_participant_sees_the_clusters_of_their_organisation(self, cast, client_for):
        response = client_for(cast.participant).get(reverse("home"))
        assert [s.cluster.code for s in response.context["own_clusters"]] == ["cluster-a"]
        assert response.context["own_clusters"][0].member_count == 2

    def test_a_visitor_has_no_own_clusters(self, cast, client_for):
        response = client_for(cast.anonymous).get(reverse("home"))
        assert response.context["own_clusters"] == []
        assert 'id="own-clusters"' not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ja", "en"])
@pytest.mark.parametrize("role", ["anonymous", "participant", "coordinator_a", "hq_a", "hq_b", "national", "admin"])
def test_the_dashboard_opens_for_every_role_in_both_languages(cast, client_for, language, role):
    with translation.override(language):
        address = reverse("home")
    assert address == f"/{language}/"
    response = client_for(getattr(cast, role)).get(address)
    html = response.content.decode()
    assert response.status_code == 200 and f'<html lang="{language}">' in html
    assert ("テスト事業" if language == "ja" else "Test Programme") in html
