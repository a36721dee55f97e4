"""The demo's seeds and needs: who owns them, their languages and visibility, what each demo user
sees on the matching pages, and the matching index `renkei demo` builds from them."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from renkei.core.models import RecordSource
from renkei.demo.loader import count_demo
from renkei.demo.matching_index import do_build_index, index_is_current
from renkei.demo.users import KANSAI_BIO_CLUSTER, TAMA_CLUSTER
from renkei.directory.choices import OrganisationKind
from renkei.directory.models import Organisation
from renkei.matching import indexing
from renkei.matching.access import visible_needs, visible_seeds
from renkei.matching.choices import InboxKind, InterestStatus, ListingVisibility, TargetKind, Verdict
from renkei.matching.models import Alert, Challenge, Feedback, InboxItem, Interest, Need, Proposal, Seed
from tests.demo.conftest import DEMO_SCALE

User = get_user_model()
ACADEMIC = {OrganisationKind.UNIVERSITY, OrganisationKind.TECHNICAL_COLLEGE, OrganisationKind.PUBLIC_RESEARCH}
COMPANIES = {OrganisationKind.SME, OrganisationKind.LARGE_ENTERPRISE}


def user(username: str):
    return User.objects.get(username=username)


def load(**options) -> str:
    out = io.StringIO()
    options.setdefault("scale", DEMO_SCALE)
    call_command("load_demo", stdout=out, **options)
    return out.getvalue()


def url(name: str, *args) -> str:
    return reverse(f"matching:{name}", args=args)


def tama_listings(model, visibility: str):
    return model.objects.filter(clusters__code=TAMA_CLUSTER, visibility=visibility).distinct()


# --- what the demo holds -----------------------------------------------------------------------


def test_seeds_come_from_academia_with_their_own_researchers(demo):
    seeds = Seed.objects.filter(source=RecordSource.GENERATED)
    assert seeds.count() >= round(1500 * DEMO_SCALE)
    assert set(seeds.values_list("organisation__kind", flat=True)) <= ACADEMIC
    for seed in seeds.prefetch_related("researchers__affiliations"):
        researchers = list(seed.researchers.all())
        assert researchers, seed
        for person in researchers:
            assert any(a.organisation_id == seed.organisation_id for a in person.affiliations.all())
        assert seed.keyword_list and seed.fields.exists() and seed.stage and 1 <= seed.trl <= 9


def test_needs_come_from_companies_with_a_contact_there(demo):
    needs = Need.objects.filter(source=RecordSource.GENERATED)
    assert needs.count() >= round(800 * DEMO_SCALE)
    assert set(needs.values_list("organisation__kind", flat=True)) <= COMPANIES
    for need in needs.exclude(contact=None).select_related("contact"):
        assert need.contact.affiliations.filter(organisation=need.organisation_id).exists()
    for need in needs.exclude(budget_min_yen=None).exclude(budget_max_yen=None):
        assert need.budget_min_yen <= need.budget_max_yen


@pytest.mark.parametrize("model", [Seed, Need])
def test_listings_are_written_in_japanese_and_english_and_some_in_both(demo, model):
    rows = model.objects.filter(source=RecordSource.GENERATED)
    by_lang = dict(rows.values_list("lang").annotate(n=Count("id")))
    assert by_lang.get("ja", 0) >= rows.count() * 0.25 and by_lang.get("en", 0) >= rows.count() * 0.25
    text_ja, text_en = model.text_fields
    for row in rows:
        assert getattr(row, f"title_{row.lang}") and getattr(row, f"{text_ja if row.lang == 'ja' else text_en}")
    assert rows.exclude(title_ja="").exclude(title_en="").exists()  # bilingual ones
    assert rows.filter(lang="ja", title_en="").exists() and rows.filter(lang="en", title_ja="").exists()
    japanese = rows.filter(lang="ja").first()
    assert any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in japanese.title_ja)


@pytest.mark.parametrize("model", [Seed, Need])
def test_listings_mix_every_visibility_and_a_few_are_anonymised(demo, model):
    rows = model.objects.filter(source=RecordSource.GENERATED)
    assert set(rows.values_list("visibility", flat=True)) == set(ListingVisibility.values)
    for visibility in ListingVisibility.values:
        assert tama_listings(model, visibility).exists(), visibility  # the demo cluster has each kind
    assert 0 < rows.filter(anonymised=True).count() < rows.count() / 2


def test_japanese_needs_have_seeds_on_their_topic_in_english_and_the_reverse(demo):
    needs = Need.objects.filter(source=RecordSource.GENERATED)
    langs = set()
    for need in needs:
        other = "en" if need.lang == "ja" else "ja"
        if Seed.objects.filter(lang=other, fields__in=need.fields.all()).exists():
            langs.add(need.lang)
    assert langs == {"ja", "en"}


def test_challenges_have_deadlines_ahead_and_the_demo_ones_have_proposals(demo):
    challenges = Challenge.objects.select_related("need")
    assert challenges.count() >= 3
    for challenge in challenges:
        assert challenge.deadline > timezone.localdate()
        assert challenge.need.status == "open" and challenge.brief
    assert Proposal.objects.filter(challenge__need__clusters__code=TAMA_CLUSTER).exists()


def test_generated_listings_are_marked_and_counted(demo):
    result = count_demo(loaded=False)
    assert result.seeds == Seed.objects.count() and result.needs == Need.objects.count()
    assert "seeds" in result.summary() and "needs" in result.summary()
    assert "seeds," in demo and "needs," in demo


# --- what the demo users see -------------------------------------------------------------------


def test_the_demo_participant_sees_its_company_needs_and_its_cluster_but_not_coordinator_notes(demo):
    participant = user("demo-participant")
    company = participant.roles.get().organisation
    own = Need.objects.filter(organisation=company)
    assert own.count() >= 2 and set(own.values_list("lang", flat=True)) == {"ja", "en"}
    seeds, needs = visible_seeds(participant), visible_needs(participant)
    assert set(own) <= set(needs)
    assert tama_listings(Seed, ListingVisibility.CLUSTER).first() in seeds
    hidden = tama_listings(Seed, ListingVisibility.COORDINATORS).exclude(organisation=company)
    assert hidden.exists() and not seeds.filter(pk__in=hidden).exists()
    other = Seed.objects.filter(visibility=ListingVisibility.CLUSTER).exclude(
        clusters__in=participant.roles.get().organisation.memberships.values("cluster")
    )
    assert not seeds.filter(pk__in=other).exists()
    assert Challenge.objects.filter(need__organisation=company).exists()
    alerts = Alert.objects.filter(user=participant)
    assert alerts.filter(need__organisation=company).exists() and alerts.exclude(query="").exists()
    kinds = set(InboxItem.objects.filter(user=participant).values_list("kind", flat=True))
    assert {InboxKind.ALERT_MATCH, InboxKind.INTEREST} <= kinds
    assert Interest.objects.filter(sender=participant).exists()


def test_the_demo_participant_finds_them_on_the_pages(demo, client_for):
    participant = user("demo-participant")
    client = client_for(participant)
    company = participant.roles.get().organisation
    own = Need.objects.filter(organisation=company).first()
    listed = client.get(url("need_list"))
    assert listed.status_code == 200 and own.title in listed.content.decode()
    assert client.get(url("seed_list")).status_code == 200
    assert client.get(url("need_detail", own.pk)).status_code == 200
    assert client.get(url("inbox")).status_code == 200
    assert client.get(url("challenge_list")).status_code == 200
    hidden = tama_listings(Seed, ListingVisibility.COORDINATORS).exclude(organisation=company).first()
    assert client.get(url("seed_detail", hidden.pk)).status_code == 404


def test_the_demo_coordinator_sees_coordinator_only_listings_interests_and_feedback(demo, client_for):
    coordinator = user("demo-coordinator")
    for model, visible in ((Seed, visible_seeds), (Need, visible_needs)):
        only_coordinators = tama_listings(model, ListingVisibility.COORDINATORS)
        assert set(only_coordinators) <= set(visible(coordinator))
    feedback = Feedback.objects.filter(author=coordinator, need__clusters__code=TAMA_CLUSTER)
    assert set(feedback.values_list("verdict", flat=True)) >= {Verdict.USEFUL, Verdict.NOT_USEFUL}
    assert not feedback.filter(verdict=Verdict.NOT_USEFUL, decline_reason="").exists()
    assert set(feedback.values_list("target_kind", flat=True)) == {TargetKind.SEED}
    assert Interest.objects.filter(routed_to_coordinator=True).exists()
    assert Interest.objects.filter(status=InterestStatus.DECLINED).exclude(decline_reason="").exists()
    assert InboxItem.objects.filter(user=coordinator, kind=InboxKind.INTEREST).exists()
    client = client_for(coordinator)
    need = feedback.first().need
    page = client.get(url("need_detail", need.pk))
    assert page.status_code == 200
    anonymised = Need.objects.filter(clusters__code=TAMA_CLUSTER, anonymised=True).first()
    assert client.get(url("need_detail", anonymised.pk)).status_code == 200


def test_staff_of_another_cluster_and_visitors_do_not_see_the_demo_clusters_closed_listings(demo, client_for):
    kansai = user("demo-hq-kansai-bio")
    closed = Seed.objects.filter(clusters__code=TAMA_CLUSTER, visibility=ListingVisibility.COORDINATORS).exclude(
        clusters__code=KANSAI_BIO_CLUSTER
    )
    assert closed.exists()
    assert not visible_seeds(kansai).filter(pk__in=closed).exists()
    assert client_for(kansai).get(url("seed_detail", closed.first().pk)).status_code == 404
    visitor = AnonymousUser()
    assert set(visible_seeds(visitor).values_list("visibility", flat=True)) == {ListingVisibility.PUBLIC}
    assert set(visible_needs(visitor).values_list("visibility", flat=True)) == {ListingVisibility.PUBLIC}
    assert client_for(None).get(url("seed_detail", closed.first().pk)).status_code == 404
    national = user("demo-national")
    assert visible_seeds(national).count() == Seed.objects.count()


# --- the matching index ------------------------------------------------------------------------


@pytest.fixture
def demo_index(demo, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    indexing._cache.clear()
    yield tmp_path
    indexing._cache.clear()


def test_the_index_is_built_from_the_demo_and_knows_when_it_is_current(demo_index):
    assert index_is_current() == (False, 0)
    stages = []
    count = do_build_index(progress=lambda stage, advance, total: stages.append(stage), workers=1)
    expected = Seed.objects.count() + Need.objects.count() + Organisation.objects.exclude(capability="").count()
    assert count == expected
    assert {"analyse", "embed"} <= set(stages)
    assert index_is_current() == (True, expected)
    seed = Seed.objects.first()
    Seed.objects.filter(pk=seed.pk).update(title_en=seed.title_en + " (revised)")  # a change the index missed
    assert index_is_current() == (False, expected)


def test_a_demo_need_suggests_the_seed_on_its_topic_in_the_other_language(demo_index, client_for):
    do_build_index(workers=1)
    coordinator = user("demo-coordinator")
    useful = Feedback.objects.filter(author=coordinator, verdict=Verdict.USEFUL).select_related("need")
    found = 0
    for feedback in useful:
        seed = Seed.objects.get(pk=feedback.target_id)
        assert seed.lang != feedback.need.lang
        page = client_for(coordinator).get(url("need_detail", feedback.need.pk))
        suggested = [row.obj for row in page.context["suggestions"]]
        found += seed in suggested
    assert useful.exists() and found == useful.count()


# --- idempotence and --reset -------------------------------------------------------------------


def matching_sizes() -> dict[str, int]:
    models = (Seed, Need, Challenge, Proposal, Interest, Feedback, Alert, InboxItem)
    return {model.__name__: model.objects.count() for model in models}


def test_a_second_run_adds_no_listings(demo):
    before = matching_sizes()
    last_seed = Seed.objects.order_by("-pk").values_list("pk", flat=True).first()
    assert "nothing changed" in load()
    assert matching_sizes() == before
    assert Seed.objects.order_by("-pk").values_list("pk", flat=True).first() == last_seed


def test_reset_replaces_the_demo_listings_and_keeps_a_users_own(demo):
    own_company = Organisation.objects.create(
        kind=OrganisationKind.SME, name_ja="利用者登録精機", source=RecordSource.MANUAL
    )
    own = Need.objects.create(organisation=own_company, title_ja="自社のニーズ", description_ja="説明")
    before = matching_sizes()
    old_seeds = set(Seed.objects.filter(source=RecordSource.GENERATED).values_list("pk", flat=True))
    old_titles = sorted(Seed.objects.filter(source=RecordSource.GENERATED).values_list("title_ja", "title_en"))
    load(reset=True)
    assert matching_sizes() == before
    assert not Seed.objects.filter(pk__in=old_seeds).exists()
    assert Need.objects.filter(pk=own.pk, source=RecordSource.MANUAL).exists()
    # The same seed gives the same listings.
    assert sorted(Seed.objects.filter(source=RecordSource.GENERATED).values_list("title_ja", "title_en")) == old_titles
    load(reset=True, seed=11)
    assert sorted(Seed.objects.filter(source=RecordSource.GENERATED).values_list("title_ja", "title_en")) != old_titles


def test_reset_still_refuses_when_a_users_listing_sits_on_a_demo_company(demo, english):
    company = Organisation.objects.filter(source=RecordSource.GENERATED, kind=OrganisationKind.SME).first()
    Need.objects.create(organisation=company, title_en="Our own need", description_en="Text", lang="en")
    before = matching_sizes()
    with pytest.raises(Exception, match="cannot be reset.*needs"):
        load(reset=True)
    assert matching_sizes() == before
