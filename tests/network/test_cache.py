"""The built network and the explorer's figures come from the cache until a record changes."""

from __future__ import annotations

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from renkei.directory.choices import OrganisationKind
from renkei.directory.models import Affiliation, Organisation
from renkei.events.choices import MeetingStatus
from renkei.network import cache as network_cache
from renkei.network.cache import cached_platform_network, data_version
from renkei.programs.models import Membership
from tests.brokerage.conftest import make_interaction
from tests.events.test_followup_survey import Setting

pytestmark = pytest.mark.django_db

URL = "/ja/network/"


def drawn_urls(response) -> set[str]:
    match = re.search(r'<script id="network-figure" type="application/json">(.*?)</script>', response.content.decode())
    assert match, "the page carries the figure as JSON"
    return {url for trace in json.loads(match.group(1))["data"] for url in trace.get("customdata") or []}


def test_the_data_version_changes_with_every_kind_of_change(cast):
    versions = [data_version()]

    newcomer = Organisation.objects.create(kind=OrganisationKind.SME, name_ja="新規工業", visibility="members")
    versions.append(data_version())
    membership = Membership.objects.create(cluster=cast.cluster_a, organisation=newcomer)
    versions.append(data_version())
    newcomer.name_ja = "新規工業株式会社"
    newcomer.save()
    versions.append(data_version())
    Affiliation.objects.filter(person=cast.engineer_a).delete()
    versions.append(data_version())
    make_interaction(cast.coordinator_a, cast.cluster_a, organisations=[cast.company_a])
    versions.append(data_version())
    membership.delete()
    versions.append(data_version())

    assert len(set(versions)) == len(versions)
    assert data_version() == versions[-1]  # nothing changed: the same version


def test_the_built_network_is_read_from_the_cache(cast, django_assert_max_num_queries):
    first = cached_platform_network([cast.cluster_a])
    tables = len(network_cache._source_tables())
    with django_assert_max_num_queries(tables):  # the data version only, no building
        again = cached_platform_network([cast.cluster_a])
    assert again.ids == first.ids
    assert cached_platform_network([cast.cluster_b]).ids != first.ids  # another key per cluster set


def test_a_new_membership_invalidates_the_cached_network(cast):
    before = cached_platform_network([cast.cluster_a])
    newcomer = Organisation.objects.create(kind=OrganisationKind.SME, name_ja="新規工業", visibility="members")
    Membership.objects.create(cluster=cast.cluster_a, organisation=newcomer)

    after = cached_platform_network([cast.cluster_a])

    assert f"org:{newcomer.pk}" not in before.ids
    assert f"org:{newcomer.pk}" in after.ids


def test_the_explorer_page_shows_a_change_on_the_next_view(cast, client_for):
    client = client_for(cast.hq_a)
    assert client.get(URL).status_code == 200
    newcomer = Organisation.objects.create(kind=OrganisationKind.SME, name_ja="新規工業", visibility="members")
    Membership.objects.create(cluster=cast.cluster_a, organisation=newcomer)
    page_url = reverse("directory:organisation_detail", args=[newcomer.pk])

    response = client.get(URL)

    assert page_url in drawn_urls(response)
    assert "新規工業" in response.content.decode()


def test_a_renamed_organisation_is_redrawn_under_its_new_name(cast, client_for):
    client = client_for(cast.hq_a)
    assert "アルファ精密" in client.get(URL).content.decode()
    cast.company_a.name_ja = "アルファ精密工業"
    cast.company_a.save()
    assert "アルファ精密工業" in client.get(URL).content.decode()


def test_repeat_views_reuse_the_cached_network_and_figures(cast, client_for):
    client = client_for(cast.hq_a)
    with CaptureQueriesContext(connection) as first:
        client.get(URL)
    with CaptureQueriesContext(connection) as repeat:
        client.get(URL)

    def reads_records(queries, table: str) -> bool:
        # the data version counts a table's rows (COUNT/MAX); the builder reads them
        return any(q["sql"].startswith(f'SELECT "{table}".') for q in queries)

    assert reads_records(first.captured_queries, "programs_hqposition")
    assert not reads_records(repeat.captured_queries, "programs_hqposition")
    assert not reads_records(repeat.captured_queries, "brokerage_introduction")


def test_a_meeting_no_longer_held_changes_the_data_version(cast):
    # event_meeting ties are built from held meetings: the cached network must not outlive them
    setting = Setting(cast)
    before = data_version()
    setting.held.status = MeetingStatus.CANCELLED
    setting.held.save()
    assert data_version() != before


def test_the_data_version_is_one_query_whatever_the_number_of_tables(cast):
    assert len(network_cache._source_tables()) > 1
    with CaptureQueriesContext(connection) as version_queries:
        data_version()
    cached_platform_network([cast.cluster_a])
    with CaptureQueriesContext(connection) as cache_hit:
        cached_platform_network([cast.cluster_a])

    assert len(version_queries.captured_queries) == 1
    assert len(cache_hit.captured_queries) == 1  # a cache hit reads the version and nothing else
    sql = version_queries.captured_queries[0]["sql"]
    assert all(model._meta.db_table in sql for model, _changed in network_cache._source_tables())


def test_the_data_version_sees_a_change_of_the_latest_timestamp_alone(cast):
    # Same row count and largest key: only the latest updated_at moves (the third figure).
    before = data_version()
    cast.company_a.save()
    assert data_version() != before
