"""HQ's conversion chart: the share of introductions that reached each stage, by coordinator and
by fiscal year, checked on a small hand-made set."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from renkei.brokerage import services
from renkei.brokerage.conversion import compute_conversion
from renkei.brokerage.models import Introduction
from tests.assets import external_assets


def _introduce(actor, cluster, on: datetime.date, parties, moves=()) -> Introduction:
    a, b = parties
    introduction = services.do_save_introduction(
        actor,
        Introduction(
            cluster=cluster,
            topic=f"Introduction of {on}",
            introduced_on=on,
            party_a_organisation=a,
            party_b_organisation=b,
        ),
    )
    for stage, day, reason in moves:
        services.do_move_stage(actor, introduction, stage, on=day, reason=reason)
    return introduction


@pytest.fixture
def pipeline(cast):
    """In cluster A:
    FY2025  coordinator_a  introduced only                                  → furthest: introduced
    FY2025  coordinator_a  met, then closed                                 → furthest: met
    FY2026  coordinator_a  straight to NDA (met skipped, so counted as met) → furthest: NDA
    FY2026  hq_a           met → NDA → joint research → commercialised      → furthest: commercialised
    In cluster B (never counted for A): one commercialised introduction by hq_b."""
    a, b = cast.cluster_a, cast.cluster_b
    in_a, in_b = (cast.company_a, cast.university_a), (cast.public_company_b, cast.secret_company_b)
    feb, mar, apr = datetime.date(2026, 2, 10), datetime.date(2026, 3, 1), datetime.date(2026, 4, 10)
    _introduce(cast.coordinator_a, a, feb, in_a)
    _introduce(cast.coordinator_a, a, feb, in_a, [("met", mar, ""), ("closed", mar, "No budget")])
    _introduce(cast.coordinator_a, a, apr, in_a, [("nda", datetime.date(2026, 5, 1), "")])
    _introduce(
        cast.hq_a,
        a,
        apr,
        in_a,
        [
            ("met", datetime.date(2026, 4, 20), ""),
            ("nda", datetime.date(2026, 5, 1), ""),
            ("joint_research", datetime.date(2026, 6, 1), ""),
            ("commercialised", datetime.date(2026, 9, 1), ""),
        ],
    )
    _introduce(cast.hq_b, b, apr, in_b, [("commercialised", datetime.date(2026, 5, 1), "")])
    return cast


def _as_dict(rows):
    return {row.label: (row.total, row.reached) for row in rows}


def test_reached_counts_by_fiscal_year_coordinator_and_in_all(pipeline):
    tables = compute_conversion(Introduction.objects.filter(cluster=pipeline.cluster_a))
    assert _as_dict(tables["years"]) == {"FY2025": (2, [2, 1, 0, 0, 0]), "FY2026": (2, [2, 2, 2, 1, 1])}
    assert _as_dict(tables["coordinators"]) == {"coordinator_a": (3, [3, 2, 1, 0, 0]), "hq_a": (1, [1, 1, 1, 1, 1])}
    [total] = tables["total"]
    assert (total.total, total.reached) == (4, [4, 3, 2, 1, 1])
    assert total.shares == [1.0, 0.75, 0.5, 0.25, 0.25]


def test_a_reopened_introduction_keeps_the_furthest_stage_it_reached(pipeline):
    cast = pipeline
    closed = Introduction.objects.get(cluster=cast.cluster_a, stage="closed")
    services.do_move_stage(cast.hq_a, closed, "introduced", on=datetime.date(2026, 3, 5), reason="Budget found")
    tables = compute_conversion(Introduction.objects.filter(cluster=cast.cluster_a))
    assert _as_dict(tables["years"])["FY2025"] == (2, [2, 1, 0, 0, 0])


def test_no_introductions_gives_empty_tables(cast):
    tables = compute_conversion(Introduction.objects.none())
    assert tables["years"] == [] and tables["coordinators"] == []
    assert tables["total"][0].total == 0 and tables["total"][0].shares == [0.0] * 5


def test_hq_sees_the_chart_and_the_table(pipeline, client_for, english):
    response = client_for(pipeline.hq_a).get(reverse("brokerage:conversion", args=[pipeline.cluster_a.code]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/plotly/plotly.min.js" in html and external_assets(html) == []
    assert 'id="conversion-years"' in html and 'id="conversion-coordinators"' in html
    years = {row.label: row.cells for row in response.context["sections"][0]["rows"]}
    assert years["FY2025"] == [(2, 100), (1, 50), (0, 0), (0, 0), (0, 0)]
    assert "1 (50%)" in html and "Conversion through the pipeline" in html
    assert response.context["total"].total == 4  # cluster B's introduction is not counted


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 302),
        ("participant", 403),
        ("coordinator_a", 403),
        ("hq_b", 403),
        ("hq_a", 200),
        ("national", 200),
        ("admin", 200),
    ],
)
def test_only_hq_national_and_admin_see_a_clusters_conversion(pipeline, client_for, role, expected):
    url = reverse("brokerage:conversion", args=[pipeline.cluster_a.code])
    assert client_for(getattr(pipeline, role)).get(url).status_code == expected


def test_unknown_cluster_answers_404(pipeline, client_for):
    assert client_for(pipeline.national).get(reverse("brokerage:conversion", args=["no-such"])).status_code == 404


def test_the_board_links_to_the_chart_only_for_those_who_may_see_it(pipeline, client_for):
    board = reverse("brokerage:board", args=[pipeline.cluster_a.code])
    link = reverse("brokerage:conversion", args=[pipeline.cluster_a.code])
    assert link in client_for(pipeline.hq_a).get(board).content.decode()
    assert link not in client_for(pipeline.coordinator_a).get(board).content.decode()
