"""HQ's conversion by technology field: an introduction's fields come from the need and seed it was
made for, else from its parties; the page filters by coordinator, field and period."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from renkei.brokerage import services
from renkei.brokerage.conversion import compute_conversion, introduction_fields
from renkei.brokerage.models import Introduction
from renkei.core.models import TechField
from renkei.matching.choices import ListingVisibility
from tests.matching.listings import make_need, make_seed

pytestmark = pytest.mark.django_db

FEB, APR = datetime.date(2026, 2, 10), datetime.date(2026, 4, 10)


def _introduce(actor, cluster, on, parties, moves=(), **extra) -> Introduction:
    a, b = parties
    introduction = services.do_save_introduction(
        actor,
        Introduction(
            cluster=cluster, topic="t", introduced_on=on, party_a_organisation=a, party_b_organisation=b, **extra
        ),
    )
    for stage, day in moves:
        services.do_move_stage(actor, introduction, stage, on=day, reason="r" if stage == "closed" else "")
    return introduction


@pytest.fixture
def fields(cast):
    """Cluster A: Alpha Precision works in materials; a need of it in IT and a seed in life science.
    - coordinator_a, FY2025: for the need and seed (IT and life science) → met
    - coordinator_a, FY2026: company and university, no listing → materials (the company's) → NDA
    - hq_a, FY2026: the same parties → materials → introduced
    - coordinator_a, FY2026: a person-only pair with no fields anywhere → no field"""
    it = TechField.objects.create(code="it", name_ja="情報通信", name_en="IT", sort_order=1)
    materials = TechField.objects.create(code="materials", name_ja="材料", name_en="Materials", sort_order=2)
    life = TechField.objects.get(code="life-science")
    cast.company_a.fields.add(materials)
    need = make_need(cast.company_a, clusters=[cast.cluster_a], visibility=ListingVisibility.CLUSTER)
    need.fields.set([it])
    seed = make_seed(cast.university_a, clusters=[cast.cluster_a], visibility=ListingVisibility.PUBLIC)
    seed.fields.set([life])
    parties = (cast.company_a, cast.university_a)
    a = cast.cluster_a
    listing = _introduce(
        cast.coordinator_a, a, FEB, parties, [("met", datetime.date(2026, 3, 1))], source_need=need, source_seed=seed
    )
    by_parties = _introduce(cast.coordinator_a, a, APR, parties, [("nda", datetime.date(2026, 5, 1))])
    by_hq = _introduce(cast.hq_a, a, APR, parties)
    people = services.do_save_introduction(
        cast.coordinator_a,
        Introduction(
            cluster=a,
            topic="p",
            introduced_on=APR,
            party_a_person=cast.researcher_a,
            party_b_person=cast.participant_person,
        ),
    )
    return {
        "it": it,
        "materials": materials,
        "life": life,
        "listing": listing,
        "by_parties": by_parties,
        "by_hq": by_hq,
        "people": people,
    }


def _as_dict(rows):
    return {row.label: (row.total, row.reached) for row in rows}


def test_fields_come_from_the_listings_first_and_else_from_the_parties(fields):
    found = introduction_fields(Introduction.objects.all())
    assert found[fields["listing"].pk] == {fields["it"].pk, fields["life"].pk}
    assert found[fields["by_parties"].pk] == {fields["materials"].pk}
    assert found[fields["people"].pk] == set()


def test_reached_counts_by_field_count_an_introduction_in_each_of_its_fields(fields, english):
    tables = compute_conversion(Introduction.objects.filter(cluster=fields["listing"].cluster), no_field_label="None")
    assert _as_dict(tables["fields"]) == {
        "IT": (1, [1, 1, 0, 0, 0]),
        "Materials": (2, [2, 1, 1, 0, 0]),
        "Life science": (1, [1, 1, 0, 0, 0]),
        "None": (1, [1, 0, 0, 0, 0]),
    }
    assert [row.label for row in tables["fields"]] == ["IT", "Materials", "Life science", "None"]
    assert tables["total"][0].total == 4


def test_one_field_limits_every_table_to_its_introductions(fields):
    tables = compute_conversion(Introduction.objects.all(), field=fields["materials"])
    assert tables["total"][0].total == 2
    assert _as_dict(tables["coordinators"]) == {"coordinator_a": (1, [1, 1, 1, 0, 0]), "hq_a": (1, [1, 0, 0, 0, 0])}


def _page(client, cast, **params):
    return client.get(reverse("brokerage:conversion", args=[cast.cluster_a.code]), params)


def test_the_page_shows_the_field_chart_and_table(cast, fields, client_for, english):
    response = _page(client_for(cast.hq_a), cast)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="conversion-fields"' in body  # the plotly chart's div
    assert 'id="conversion-fields-table"' in body
    assert "Materials" in body and "No field" in body


def test_the_page_filters_by_field_coordinator_and_period(cast, fields, client_for):
    client = client_for(cast.hq_a)
    assert _page(client, cast, field="materials").context["total"].total == 2
    assert _page(client, cast, field="materials", coordinator=cast.hq_a.pk).context["total"].total == 1
    assert _page(client, cast, date_from="2026-04-01").context["total"].total == 3
    assert _page(client, cast, date_from="2026-04-01", date_to="2026-04-30", field="it").context["total"].total == 0


def test_a_bad_filter_value_is_an_error_naming_the_field(cast, fields, client_for, english):
    response = _page(client_for(cast.hq_a), cast, field="no-such-field", date_from="yesterday")
    assert response.status_code == 400
    errors = response.context["filters"].errors
    assert set(errors) == {"field", "date_from"}


@pytest.mark.parametrize(("role", "expected"), [("coordinator_a", 403), ("hq_b", 403), ("national", 200)])
def test_the_filtered_page_keeps_the_conversion_rule(cast, fields, client_for, role, expected):
    assert _page(client_for(getattr(cast, role)), cast, field="materials").status_code == expected
