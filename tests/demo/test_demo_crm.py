"""The demo's CRM: the coordinator and HQ logins find interactions of every kind, introductions at
every stage of the pipeline (closed ones with reasons), overdue follow-ups, and a conversion page
with something to compare; the pipeline's counts agree with the stage history."""

from __future__ import annotations

from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from renkei.brokerage import access, services
from renkei.brokerage.choices import InteractionKind, IntroductionStage
from renkei.brokerage.conversion import compute_conversion
from renkei.brokerage.models import Interaction, Introduction, StageChange
from renkei.demo.crm import STAGE_PLAN
from renkei.demo.loader import do_delete_demo
from renkei.demo.users import KANSAI_BIO_CLUSTER, TAMA_CLUSTER
from renkei.programs.models import Cluster


def user(username):
    return get_user_model().objects.get(username=username)


def test_the_demo_clusters_have_interactions_of_every_kind_in_both_languages(demo):
    for code in (TAMA_CLUSTER, KANSAI_BIO_CLUSTER):
        interactions = Interaction.objects.filter(cluster__code=code)
        assert set(interactions.values_list("kind", flat=True)) == set(InteractionKind.values), code
        topics = list(interactions.values_list("topic", flat=True))
        assert any(any("\u3040" <= ch <= "\u30ff" for ch in t) for t in topics)  # kana: Japanese
        assert any(t.isascii() for t in topics)
        assert interactions.filter(confidential=True).exists()
        assert not interactions.filter(organisations__isnull=True).exists()
    assert Interaction.objects.exclude(cluster__code__in=(TAMA_CLUSTER, KANSAI_BIO_CLUSTER)).count() == 0


def test_introductions_stand_at_every_stage_and_closed_ones_give_a_reason(demo):
    tama = Introduction.objects.filter(cluster__code=TAMA_CLUSTER)
    assert set(tama.values_list("stage", flat=True)) == set(IntroductionStage.values)
    closed = Introduction.objects.filter(stage=IntroductionStage.CLOSED)
    assert closed.exists() and not closed.filter(closed_reason="").exists()
    reopened = StageChange.objects.filter(from_stage=IntroductionStage.CLOSED)
    assert reopened.exists() and not reopened.filter(reason="").exists()
    assert tama.filter(source_need__isnull=False, source_seed__isnull=False).exists()
    assert tama.values("coordinator").distinct().count() == 2  # the coordinator and HQ


def test_the_pipeline_counts_agree_with_the_stage_history(demo):
    for introduction in Introduction.objects.prefetch_related("stage_changes"):
        changes = list(introduction.stage_changes.all())
        assert changes[0].from_stage == "" and changes[0].to_stage == IntroductionStage.INTRODUCED
        assert changes[0].on == introduction.introduced_on
        for before, after in zip(changes, changes[1:], strict=False):
            assert after.from_stage == before.to_stage and after.on >= before.on
        assert changes[-1].to_stage == introduction.stage
        assert changes[-1].on <= timezone.localdate()
    tama = Introduction.objects.filter(cluster__code=TAMA_CLUSTER)
    counts = services.stage_counts(tama)
    assert sum(counts.values()) == tama.count() == len(STAGE_PLAN)
    ends = Counter(plan.split("@")[0] for plan in STAGE_PLAN)
    assert counts[IntroductionStage.CLOSED] == ends["closed"]
    assert counts[IntroductionStage.MET] == ends["met"] + ends["reopened"]
    assert counts[IntroductionStage.COMMERCIALISED] == ends["commercialised"]
    # Each reaching an NDA logged an interaction "NDA signed" on the day.
    ndas = StageChange.objects.filter(introduction__in=tama, to_stage=IntroductionStage.NDA).count()
    assert Interaction.objects.filter(cluster__code=TAMA_CLUSTER, kind=InteractionKind.NDA_SIGNED).count() == ndas


def test_conversion_falls_stage_by_stage(demo):
    tables = compute_conversion(Introduction.objects.filter(cluster__code=TAMA_CLUSTER))
    [total] = tables["total"]
    assert total.reached[0] == total.total
    assert total.reached == sorted(total.reached, reverse=True)
    assert total.reached[-1] >= 1
    assert len(tables["years"]) >= 2 and len(tables["coordinators"]) == 2 and tables["fields"]


def test_the_demo_coordinator_has_overdue_follow_ups_and_sees_no_other_cluster(demo):
    coordinator = user("demo-coordinator")
    overdue = services.overdue_follow_ups(coordinator)
    assert overdue.filter(coordinator=coordinator).count() >= 4
    assert Interaction.objects.filter(next_follow_up_on__gt=timezone.localdate(), follow_up_done=False).exists()
    assert Interaction.objects.filter(follow_up_done=True).exists()
    assert not access.visible_interactions(coordinator).filter(cluster__code=KANSAI_BIO_CLUSTER).exists()
    assert services.overdue_follow_ups(user("demo-hq-tama")).count() >= overdue.count()


@pytest.mark.parametrize("username", ["demo-coordinator", "demo-hq-tama"])
def test_the_crm_pages_of_the_demo_logins_are_populated(demo, client_for, username):
    client = client_for(user(username))
    home = client.get(reverse("brokerage:follow_ups"))
    assert home.status_code == 200 and len(home.context["rows"]) >= 4
    board = client.get(reverse("brokerage:board", args=[TAMA_CLUSTER]))
    assert board.status_code == 200
    assert all(column["count"] > 0 for column in board.context["columns"])
    assert client.get(reverse("brokerage:interaction_list")).status_code == 200


def test_hq_and_national_logins_see_the_conversion_page(demo, client_for):
    for username in ("demo-hq-tama", "demo-national"):
        page = client_for(user(username)).get(reverse("brokerage:conversion", args=[TAMA_CLUSTER]))
        assert page.status_code == 200
        assert page.context["total"].total == len(STAGE_PLAN)
        assert {s["key"] for s in page.context["sections"] if s["rows"]} == {"years", "coordinators", "fields"}
    coordinator = client_for(user("demo-coordinator"))
    assert coordinator.get(reverse("brokerage:conversion", args=[TAMA_CLUSTER])).status_code == 403


def test_the_demo_participant_sees_no_crm_record(demo, client_for):
    participant = user("demo-participant")
    assert not access.visible_interactions(participant).exists()
    assert client_for(participant).get(reverse("brokerage:follow_ups")).status_code == 403


def test_a_second_load_adds_no_crm_records_and_reset_removes_them(demo):
    from django.core.management import call_command

    before = Interaction.objects.count(), Introduction.objects.count()
    call_command("load_demo", scale=0.01, stdout=None)
    assert (Interaction.objects.count(), Introduction.objects.count()) == before
    do_delete_demo()
    assert not Interaction.objects.exists() and not Introduction.objects.exists()
    assert not Cluster.objects.filter(code=TAMA_CLUSTER).exists()


def test_the_same_seed_and_day_give_the_same_crm(demo):
    first = list(
        Introduction.objects.filter(cluster__code=TAMA_CLUSTER)
        .order_by("pk")
        .values_list("topic", "stage", "introduced_on")
    )
    kinds = dict(Interaction.objects.values_list("kind").annotate(n=Count("pk")))
    from renkei.demo.loader import do_load_demo

    do_load_demo(scale=0.01, reset=True)
    again = list(
        Introduction.objects.filter(cluster__code=TAMA_CLUSTER)
        .order_by("pk")
        .values_list("topic", "stage", "introduced_on")
    )
    assert again == first
    assert dict(Interaction.objects.values_list("kind").annotate(n=Count("pk"))) == kinds
