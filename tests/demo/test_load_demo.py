"""`renkei load_demo`: the real programmes and clusters, the seed organisations, a generated
population, budgets, HQ positions and one login per role, loaded once and only once."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count

from renkei.accounts.models import Role, RoleKind
from renkei.core.models import Prefecture, RecordSource, Visibility
from renkei.demo.generator import POPULATION
from renkei.demo.loader import count_demo
from renkei.demo.programmes import CITY_AREA, IC1, IC2, KC1, KC2
from renkei.demo.users import DEMO_USERS, KANSAI_BIO_CLUSTER, TAMA_CLUSTER, demo_login, demo_logins
from renkei.directory.access import visible_organisations
from renkei.directory.choices import OrganisationKind
from renkei.directory.models import Affiliation, Organisation, Person
from renkei.matching.models import Need, Seed
from renkei.programs.access import can_edit_cluster, editable_clusters
from renkei.programs.choices import MembershipRole, PositionKind
from renkei.programs.models import Budget, Cluster, HQPosition, Membership, Programme
from tests.demo.conftest import DEMO_SCALE

User = get_user_model()


def table_sizes() -> dict[str, int]:
    models = (Programme, Cluster, Organisation, Person, Affiliation, Membership, HQPosition, Budget, User, Role)
    models += (Seed, Need)
    return {model.__name__: model.objects.count() for model in models}


def load(**options) -> str:
    out = io.StringIO()
    options.setdefault("scale", DEMO_SCALE)
    call_command("load_demo", stdout=out, **options)
    return out.getvalue()


# --- what the demo holds -----------------------------------------------------------------------


def test_it_loads_every_programme_with_its_clusters(demo):
    per_programme = dict(Cluster.objects.values_list("programme__code").annotate(n=Count("id")))
    assert per_programme == {IC1: 19, IC2: 17, KC1: 18, KC2: 9, CITY_AREA: 48}
    assert Prefecture.objects.count() == 47  # the reference data came with it
    tama = Cluster.objects.get(code=TAMA_CLUSTER)
    assert tama.name_ja.startswith("地域産業活性化プロジェクト")
    assert tama.bureau_region.code == "kanto"
    assert set(tama.prefectures.values_list("code", flat=True)) >= {"13", "14", "11"}
    assert tama.promotion_organisation.name_en == "TAMA Industrial Vitalization Association"
    assert tama.search_text  # written through save(), so the cluster search finds it


def test_every_cluster_has_members_a_headquarters_and_positions(demo):
    for cluster in Cluster.objects.annotate(members=Count("memberships"), posts=Count("positions", distinct=True)):
        assert cluster.members > 0, cluster.code
        assert cluster.promotion_organisation_id, cluster.code
        assert cluster.posts >= 7, cluster.code
    kinds = set(HQPosition.objects.values_list("kind", flat=True))
    assert {PositionKind.PRESIDENT, PositionKind.PROGRAM_DIRECTOR, PositionKind.COORDINATOR} <= kinds


def test_members_of_every_generated_kind_are_there_in_proportion_to_the_scale(demo):
    generated = dict(
        Organisation.objects.filter(source=RecordSource.GENERATED).values_list("kind").annotate(n=Count("id"))
    )
    for kind, base in POPULATION.items():
        assert generated.get(kind, 0) >= max(1, round(base * DEMO_SCALE)), kind
    assert generated[OrganisationKind.SME] == round(9800 * DEMO_SCALE)
    roles = set(Membership.objects.values_list("role", flat=True))
    assert {MembershipRole.MEMBER, MembershipRole.RESEARCH, MembershipRole.SUPPORTER} <= roles
    assert MembershipRole.PROMOTION_ORG in roles


def test_the_organisations_the_seeds_name_are_real_records_without_invented_numbers(demo):
    seeds = Organisation.objects.filter(source=RecordSource.SEED_DOCUMENT)
    assert seeds.filter(name_en="Hokkaido University", municipality_id="011002").exists()
    assert not seeds.filter(corporate_number__isnull=False).exists()
    assert not seeds.exclude(visibility=Visibility.PUBLIC).exists()
    osaka_u = seeds.get(name_en="Osaka University")
    assert set(osaka_u.memberships.values_list("cluster__code", flat=True)) >= {"ic1-kinki-bio", "kc1-osaka-saito"}


def test_generated_organisations_carry_valid_corporate_numbers(demo):
    numbered = Organisation.objects.filter(source=RecordSource.GENERATED, corporate_number__isnull=False)
    assert numbered.count() > 50
    for organisation in numbered[:200]:
        organisation.full_clean()


def test_budgets_follow_each_programme_plan(demo):
    sapporo = Budget.objects.filter(cluster__code="kc1-sapporo").order_by("fiscal_year")
    assert [(b.fiscal_year, b.amount_yen) for b in sapporo] == [(fy, 500_000_000) for fy in range(2002, 2007)]
    trial = Budget.objects.filter(cluster__code="kc1-gifu-ogaki")
    assert sorted(trial.values_list("amount_yen", flat=True)) == [100_000_000] * 3
    assert all(budget.is_estimate for budget in sapporo)
    assert not Budget.objects.filter(cluster__programme__code=IC1).exists()  # the seeds give none per project


def test_hq_staff_of_seed_promoted_clusters_work_at_the_promotion_organisation(demo):
    director = HQPosition.objects.get(cluster__code=TAMA_CLUSTER, kind=PositionKind.PROGRAM_DIRECTOR).person
    assert director.affiliations.filter(organisation__name_en="TAMA Industrial Vitalization Association").exists()
    assert director.email.endswith(".example")


# --- the demo logins ---------------------------------------------------------------------------


def test_one_user_per_role_exists_with_the_printed_logins(demo):
    logins = demo_logins()
    assert [login.username for login in logins] == [user.username for user in DEMO_USERS]
    kinds = {role.kind for role in Role.objects.filter(user__username__in=[login.username for login in logins])}
    assert kinds == set(RoleKind.values)
    hq = Role.objects.filter(kind=RoleKind.HQ_STAFF).values_list("cluster__code", flat=True)
    assert set(hq) == {TAMA_CLUSTER, KANSAI_BIO_CLUSTER}
    for login in logins:
        assert login.username in demo
        assert User.objects.get(username=login.username).check_password(login.password)


@pytest.mark.parametrize("username", [user.username for user in DEMO_USERS])
def test_each_demo_user_signs_in_on_the_login_page(demo, client, username):
    password = next(login.password for login in demo_logins() if login.username == username)
    response = client.post("/en/login/", {"username": username, "password": password}, follow=True)
    assert response.status_code == 200
    assert response.context["user"].username == username


def test_a_wrong_password_does_not_sign_in_a_demo_user(demo, client):
    response = client.post("/en/login/", {"username": "demo-national", "password": "renkei-demo"})
    assert not response.context["user"].is_authenticated


def test_demo_users_are_linked_to_people_in_their_cluster(demo):
    coordinator = User.objects.get(username=demo_login(RoleKind.COORDINATOR).username)
    assert HQPosition.objects.filter(
        person=coordinator.person, cluster__code=TAMA_CLUSTER, kind=PositionKind.COORDINATOR
    ).exists()
    participant = User.objects.get(username=demo_login(RoleKind.PARTICIPANT).username)
    company = participant.roles.get().organisation
    assert company.kind == OrganisationKind.SME and company.source == RecordSource.GENERATED
    assert company.memberships.filter(cluster__code=TAMA_CLUSTER).exists()
    assert participant.person.affiliations.filter(organisation=company).exists()


def test_hq_staff_of_one_cluster_cannot_edit_or_see_the_restricted_members_of_another(demo):
    hq_tama = User.objects.get(username="demo-hq-tama")
    tama = Cluster.objects.get(code=TAMA_CLUSTER)
    kansai = Cluster.objects.get(code=KANSAI_BIO_CLUSTER)
    assert can_edit_cluster(hq_tama, tama)
    assert not can_edit_cluster(hq_tama, kansai)
    assert list(editable_clusters(hq_tama)) == [tama]
    tama_members = Membership.objects.filter(cluster=tama).values("organisation")
    kansai_only = (
        Organisation.objects.filter(memberships__cluster=kansai, visibility=Visibility.RESTRICTED)
        .exclude(pk__in=tama_members)
        .first()
    )
    if kansai_only is not None:
        assert not visible_organisations(hq_tama).filter(pk=kansai_only.pk).exists()
        assert visible_organisations(User.objects.get(username="demo-national")).filter(pk=kansai_only.pk).exists()


def test_demo_logins_need_no_database():
    # `renkei demo` asks for them before the tables exist.
    assert demo_login(RoleKind.NATIONAL_OFFICER).username == "demo-national"
    with pytest.raises(LookupError):
        demo_login("auditor")


# --- idempotence, --reset and bad input --------------------------------------------------------


def test_a_second_run_changes_nothing_and_says_so(demo):
    before = table_sizes()
    last_ids = {name: model.objects.order_by("-pk").values_list("pk", flat=True).first() for name, model in
                {"organisation": Organisation, "person": Person}.items()}  # fmt: skip
    output = load()
    assert "already loaded" in output and "nothing changed" in output
    assert table_sizes() == before
    assert Organisation.objects.order_by("-pk").values_list("pk", flat=True).first() == last_ids["organisation"]
    assert Person.objects.order_by("-pk").values_list("pk", flat=True).first() == last_ids["person"]


def test_reset_replaces_the_demo_and_keeps_what_users_entered(demo):
    own = Organisation.objects.create(kind=OrganisationKind.SME, name_ja="利用者登録工業", source=RecordSource.MANUAL)
    before = count_demo(loaded=True)
    old_user = User.objects.get(username="demo-national").pk
    output = load(reset=True)
    assert "Demo loaded at scale 0.01" in output
    after = count_demo(loaded=True)
    assert (after.clusters, after.organisations, after.people, after.memberships, after.users) == (
        before.clusters,
        before.organisations,
        before.people,
        before.memberships,
        before.users,
    )
    assert User.objects.get(username="demo-national").pk != old_user
    assert Organisation.objects.filter(pk=own.pk).exists()
    assert Programme.objects.count() == 5


def test_the_same_seed_gives_the_same_population_and_another_seed_another(demo):
    names = set(Organisation.objects.filter(source=RecordSource.GENERATED).values_list("name_ja", flat=True))
    load(reset=True)
    again = set(Organisation.objects.filter(source=RecordSource.GENERATED).values_list("name_ja", flat=True))
    assert again == names
    load(reset=True, seed=7)
    other = set(Organisation.objects.filter(source=RecordSource.GENERATED).values_list("name_ja", flat=True))
    assert other != names


def test_a_partly_deleted_demo_is_refused_without_reset_and_nothing_changes(demo):
    from renkei.brokerage.models import Interaction, Introduction

    # The coordinator's CRM records protect the login: they go first.
    for model in (Interaction, Introduction):
        model.objects.filter(coordinator__username="demo-coordinator").delete()
    User.objects.filter(username="demo-coordinator").delete()
    before = table_sizes()
    with pytest.raises(CommandError, match="part of the demo.*--reset"):
        load()
    assert table_sizes() == before


@pytest.mark.parametrize("scale", [0, -1, 11])
def test_a_scale_out_of_range_is_refused_naming_the_option(demo, scale):
    before = table_sizes()
    with pytest.raises(CommandError, match="--scale"):
        load(reset=True, scale=scale)
    assert table_sizes() == before  # not even the reset happened


def test_progress_is_printed_as_plain_lines_when_not_on_a_terminal(demo):
    assert "  programmes and clusters: 111/111" in demo
    assert "  organisations: " in demo
    assert demo.strip().splitlines()[-1].startswith("Demo loaded at scale 0.01")


def test_reset_refuses_while_users_records_still_hold_demo_organisations(demo, english):
    university = Organisation.objects.filter(source=RecordSource.GENERATED, kind=OrganisationKind.UNIVERSITY).first()
    Seed.objects.create(organisation=university, title_ja="糖鎖の高速合成法", title_en="Fast glycan synthesis")
    before = table_sizes()
    with pytest.raises(CommandError, match="cannot be reset.*seeds"):
        load(reset=True)
    assert table_sizes() == before
