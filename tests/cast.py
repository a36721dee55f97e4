"""A small named cast for tests, so permission tests read like the rule they check.

Two clusters (A and B) under one programme; in each, organisations at every visibility level;
one user per role. Build it with `build_cast()` (the `cast` fixture in conftest does)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from renkei.accounts.models import Role, RoleKind
from renkei.core.models import BureauRegion, Prefecture, TechField, Visibility
from renkei.directory.choices import OrganisationKind
from renkei.directory.models import Affiliation, Organisation, Person
from renkei.programs.models import Budget, Cluster, HQPosition, Membership, Programme

PASSWORD = "correct-horse-battery-9"


@dataclass
class Cast:
    programme: Programme
    cluster_a: Cluster
    cluster_b: Cluster
    # organisations
    hq_org_a: Organisation  # promotion organisation of A, members-only
    company_a: Organisation  # SME member of A, members-only
    secret_company_a: Organisation  # member of A, restricted to cluster staff
    university_a: Organisation  # public member of A
    secret_company_b: Organisation  # member of B, restricted
    public_company_b: Organisation  # public member of B
    # people
    researcher_a: Person  # public (consented), at university_a
    engineer_a: Person  # restricted, at secret_company_a
    engineer_b: Person  # restricted, at secret_company_b
    participant_person: Person  # the participant user's own record, at company_a
    # users
    admin: object
    national: object
    hq_a: object
    hq_b: object
    coordinator_a: object
    participant: object
    anonymous: AnonymousUser

    def users(self) -> dict[str, object]:
        return {
            "anonymous": self.anonymous,
            "participant": self.participant,
            "coordinator_a": self.coordinator_a,
            "hq_a": self.hq_a,
            "hq_b": self.hq_b,
            "national": self.national,
            "admin": self.admin,
        }


def _user(username: str, **extra):
    return get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)


def build_cast() -> Cast:
    region, _ = BureauRegion.objects.get_or_create(
        code="kanto", defaults={"name_ja": "関東", "name_en": "Kanto", "sort_order": 3}
    )
    tokyo, _ = Prefecture.objects.get_or_create(
        code="13", defaults={"name_ja": "東京都", "name_en": "Tokyo", "region": region}
    )
    field, _ = TechField.objects.get_or_create(
        code="life-science", defaults={"name_ja": "ライフサイエンス", "name_en": "Life science"}
    )

    programme = Programme.objects.create(
        code="test-programme", name_ja="テスト事業", name_en="Test Programme", ministry="meti", start_fy=2001
    )

    def org(name_en: str, name_ja: str, kind: str, visibility: str) -> Organisation:
        return Organisation.objects.create(
            kind=kind, name_en=name_en, name_ja=name_ja, visibility=visibility, prefecture=tokyo
        )

    hq_org_a = org(
        "Cluster A Promotion Council", "Aクラスター推進協議会", OrganisationKind.SUPPORT_ORG, Visibility.MEMBERS
    )
    company_a = org("Alpha Precision", "アルファ精密", OrganisationKind.SME, Visibility.MEMBERS)
    secret_company_a = org("Hidden Alpha Works", "秘密アルファ工業", OrganisationKind.SME, Visibility.RESTRICTED)
    university_a = org("Alpha University", "アルファ大学", OrganisationKind.UNIVERSITY, Visibility.PUBLIC)
    secret_company_b = org("Hidden Beta Works", "秘密ベータ工業", OrganisationKind.SME, Visibility.RESTRICTED)
    public_company_b = org("Beta Devices", "ベータデバイス", OrganisationKind.SME, Visibility.PUBLIC)

    cluster_a = Cluster.objects.create(
        programme=programme,
        code="cluster-a",
        name_ja="Aクラスター",
        name_en="Cluster A",
        bureau_region=region,
        promotion_organisation=hq_org_a,
        start_fy=2001,
        end_fy=2005,
    )
    cluster_b = Cluster.objects.create(
        programme=programme,
        code="cluster-b",
        name_ja="Bクラスター",
        name_en="Cluster B",
        bureau_region=region,
        start_fy=2002,
    )
    cluster_a.fields.add(field)
    for organisation in (company_a, secret_company_a, university_a):
        Membership.objects.create(cluster=cluster_a, organisation=organisation)
    for organisation in (secret_company_b, public_company_b):
        Membership.objects.create(cluster=cluster_b, organisation=organisation)
    Budget.objects.create(cluster=cluster_a, fiscal_year=2002, amount_yen=500_000_000)

    researcher_a = Person.objects.create(
        family_name_ja="山田",
        given_name_ja="花子",
        family_name_kana="ヤマダ",
        given_name_kana="ハナコ",
        family_name_en="Yamada",
        given_name_en="Hanako",
        email="hanako@alpha-u.example",
        visibility=Visibility.PUBLIC,
        consent_to_publish=True,
        research_keywords="糖鎖工学 glycotechnology",
    )
    engineer_a = Person.objects.create(
        family_name_ja="佐藤",
        given_name_ja="一郎",
        family_name_en="Sato",
        given_name_en="Ichiro",
        email="sato@hidden-alpha.example",
        visibility=Visibility.RESTRICTED,
    )
    engineer_b = Person.objects.create(
        family_name_ja="鈴木",
        given_name_ja="次郎",
        family_name_en="Suzuki",
        given_name_en="Jiro",
        email="suzuki@hidden-beta.example",
        visibility=Visibility.RESTRICTED,
    )
    participant_user = _user("participant")
    participant_person = Person.objects.create(
        family_name_ja="高橋",
        given_name_ja="三郎",
        family_name_en="Takahashi",
        given_name_en="Saburo",
        email="takahashi@alpha.example",
        visibility=Visibility.MEMBERS,
        user=participant_user,
    )
    Affiliation.objects.create(person=researcher_a, organisation=university_a, title_en="Professor", title_ja="教授")
    Affiliation.objects.create(person=engineer_a, organisation=secret_company_a)
    Affiliation.objects.create(person=engineer_b, organisation=secret_company_b)
    Affiliation.objects.create(person=participant_person, organisation=company_a)
    HQPosition.objects.create(cluster=cluster_a, person=researcher_a, kind="research_director")

    admin = get_user_model().objects.create_superuser(username="admin", password=PASSWORD, email="admin@example.com")
    national = _user("national")
    hq_a = _user("hq_a")
    hq_b = _user("hq_b")
    coordinator_a = _user("coordinator_a")
    Role.objects.create(user=national, kind=RoleKind.NATIONAL_OFFICER)
    Role.objects.create(user=hq_a, kind=RoleKind.HQ_STAFF, cluster=cluster_a)
    Role.objects.create(user=hq_b, kind=RoleKind.HQ_STAFF, cluster=cluster_b)
    Role.objects.create(user=coordinator_a, kind=RoleKind.COORDINATOR, cluster=cluster_a)
    Role.objects.create(user=participant_user, kind=RoleKind.PARTICIPANT, organisation=company_a)

    return Cast(
        programme=programme,
        cluster_a=cluster_a,
        cluster_b=cluster_b,
        hq_org_a=hq_org_a,
        company_a=company_a,
        secret_company_a=secret_company_a,
        university_a=university_a,
        secret_company_b=secret_company_b,
        public_company_b=public_company_b,
        researcher_a=researcher_a,
        engineer_a=engineer_a,
        engineer_b=engineer_b,
        participant_person=participant_person,
        admin=admin,
        national=national,
        hq_a=hq_a,
        hq_b=hq_b,
        coordinator_a=coordinator_a,
        participant=participant_user,
        anonymous=AnonymousUser(),
    )
