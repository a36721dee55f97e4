"""Saved searches and needs as alerts: new matching seeds the user may see land in the inbox."""

from __future__ import annotations

import pytest
from django.urls import reverse

from renkei.matching import indexing, services
from renkei.matching.choices import ListingVisibility
from renkei.matching.models import Alert, InboxItem, Seed
from tests.matching.listings import *  # noqa: F403


def url(name: str, *args) -> str:
    return reverse(f"matching:{name}", args=args)


@pytest.fixture
def indexed(cast, listings, index_env):
    indexing.rebuild()
    return listings


def _publish(actor, organisation, django_capture_on_commit_callbacks, **fields) -> Seed:
    with django_capture_on_commit_callbacks(execute=True):
        return services.do_save_seed(actor, Seed(organisation=organisation, **fields))


def test_a_saved_search_delivers_a_new_matching_seed_to_the_inbox(
    client_for, cast, indexed, django_capture_on_commit_callbacks
):
    client = client_for(cast.participant)
    response = client.post(url("alert_create"), {"q": "超音波溶接", "name": "溶接"})
    assert response.status_code == 302
    alert = Alert.objects.get(user=cast.participant)

    welding = _publish(
        cast.hq_a,
        cast.university_a,
        django_capture_on_commit_callbacks,
        title_ja="樹脂の超音波溶接",
        summary_ja="自動車の樹脂部品を超音波溶接で接合する。",
        visibility=ListingVisibility.PUBLIC,
    )
    _publish(
        cast.hq_a,
        cast.university_a,
        django_capture_on_commit_callbacks,
        title_ja="糖鎖の分析法",
        summary_ja="質量分析による糖鎖構造の解析。",
        visibility=ListingVisibility.PUBLIC,
    )
    items = list(InboxItem.objects.filter(user=cast.participant))
    assert [(i.alert, i.seed) for i in items] == [(alert, welding)]
    assert "超音波溶接" in items[0].reason

    page = client.get(url("inbox")).content.decode()
    assert "樹脂の超音波溶接" in page and "溶接" in page


def test_an_alert_never_delivers_a_seed_the_user_may_not_see(cast, indexed, django_capture_on_commit_callbacks):
    services.do_save_alert(cast.participant, name="溶接", query="超音波溶接")
    _publish(
        cast.hq_a,
        cast.university_a,
        django_capture_on_commit_callbacks,
        title_ja="超音波溶接（限定）",
        summary_ja="超音波溶接の新方式。",
        visibility=ListingVisibility.COORDINATORS,
    )
    assert not InboxItem.objects.filter(user=cast.participant).exists()


def test_a_need_saved_as_an_alert_matches_across_languages(cast, indexed, django_capture_on_commit_callbacks):
    alert = services.do_save_alert(cast.participant, name="", need=indexed.public_need)  # 燃料電池のコスト削減
    assert alert.name == "燃料電池のコスト削減"
    english = _publish(
        cast.hq_a,
        cast.university_a,
        django_capture_on_commit_callbacks,
        lang="en",
        title_en="Low-platinum fuel cell catalyst",
        summary_en="A fuel cell electrode catalyst that cuts the platinum needed in polymer electrolyte fuel cells.",
        visibility=ListingVisibility.PUBLIC,
    )
    assert InboxItem.objects.filter(user=cast.participant, seed=english, alert=alert).exists()


def test_saving_a_seed_again_does_not_repeat_the_inbox_item(cast, indexed, django_capture_on_commit_callbacks):
    services.do_save_alert(cast.participant, name="溶接", query="超音波溶接")
    seed = _publish(
        cast.hq_a,
        cast.university_a,
        django_capture_on_commit_callbacks,
        title_ja="超音波溶接",
        summary_ja="超音波溶接の新方式。",
        visibility=ListingVisibility.PUBLIC,
    )
    with django_capture_on_commit_callbacks(execute=True):
        seed.keywords = "溶接"
        services.do_save_seed(cast.hq_a, seed)
    assert InboxItem.objects.filter(user=cast.participant).count() == 1


def test_an_alert_needs_a_search_text_and_a_signed_in_user(client_for, cast):
    client = client_for(cast.participant)
    client.post(url("alert_create"), {"q": "   ", "name": "empty"})
    assert not Alert.objects.exists()
    assert client_for(None).post(url("alert_create"), {"q": "溶接"}).status_code == 302  # to sign in
    assert not Alert.objects.exists()


def test_only_the_owner_reads_or_deletes_an_alert_and_inbox_items(client_for, cast, indexed):
    alert = services.do_save_alert(cast.participant, name="溶接", query="溶接")
    item = InboxItem.objects.create(user=cast.participant, kind="alert_match", alert=alert, seed=indexed.public_seed)
    other = client_for(cast.coordinator_a)
    assert other.post(url("alert_delete", alert.pk)).status_code == 404
    assert other.post(url("inbox_read", item.pk)).status_code == 404
    own = client_for(cast.participant)
    own.post(url("inbox_read", item.pk))
    item.refresh_from_db()
    assert item.read
    own.post(url("alert_delete", alert.pk))
    assert not Alert.objects.exists()


def test_the_inbox_drops_a_seed_that_became_hidden(client_for, cast, indexed):
    alert = services.do_save_alert(cast.participant, name="x", query="x")
    seed = indexed.cluster_seed
    InboxItem.objects.create(user=cast.participant, kind="alert_match", alert=alert, seed=seed)
    Seed.objects.filter(pk=seed.pk).update(visibility=ListingVisibility.COORDINATORS)
    assert client_for(cast.participant).get(url("inbox")).context["items"] == []


def test_an_alert_on_a_closed_need_stays_quiet(cast, indexed, django_capture_on_commit_callbacks):
    need = indexed.public_need
    services.do_save_alert(cast.participant, name="", need=need)
    need.status = "closed"
    need.save()
    _publish(
        cast.hq_a,
        cast.university_a,
        django_capture_on_commit_callbacks,
        title_ja="燃料電池の白金削減",
        summary_ja="燃料電池の電極の白金を減らす。",
        visibility=ListingVisibility.PUBLIC,
    )
    assert not InboxItem.objects.filter(user=cast.participant).exists()
