"""The demo logins: one user per role, with known passwords that `renkei demo` prints.

The people behind them are fictitious. `demo_logins()` needs no database, so `renkei demo` can
ask which users make up the demo before anything is loaded; `do_create_demo_users()` creates
them (with their roles and linked person records) once the clusters and members exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser

from renkei.accounts.models import Role, RoleKind
from renkei.core.models import RecordSource, Visibility
from renkei.directory.models import Affiliation, Organisation, Person
from renkei.programs.choices import PositionKind
from renkei.programs.models import Cluster

# The clusters the cluster-scoped demo users work in (codes from renkei.demo.programmes).
TAMA_CLUSTER = "ic2-kanto-regional-industry"
KANSAI_BIO_CLUSTER = "ic2-kansai-bio-cluster"
# The cluster whose first generated SME employs the demo participant.
PARTICIPANT_CLUSTER = TAMA_CLUSTER


@dataclass(frozen=True)
class DemoUser:
    """One demo user: the role it holds, where, and which person record it signs in as."""

    username: str
    password: str
    kind: str
    role_label: str
    where: str
    cluster: str | None = None
    # The HQ position whose holder (in `cluster`) becomes this user's person record.
    position: str | None = None


@dataclass(frozen=True)
class DemoLogin:
    """A row of the logins table `renkei demo` prints."""

    username: str
    password: str
    role: str
    where: str


# Passwords are printed on the console by design: the demo is for one laptop, never for a server.
DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser(
        "demo-national",
        "renkei-national-demo",  # noqa: S106
        RoleKind.NATIONAL_OFFICER,
        "National officer (METI)",
        "every programme and cluster",
    ),
    DemoUser(
        "demo-hq-tama",
        "renkei-hq-tama-demo",  # noqa: S106
        RoleKind.HQ_STAFF,
        "Cluster HQ staff (Program Director)",
        "Regional Industry Revitalization Project (TAMA, Industrial Cluster phase II)",
        cluster=TAMA_CLUSTER,
        position=PositionKind.PROGRAM_DIRECTOR,
    ),
    DemoUser(
        "demo-hq-kansai-bio",
        "renkei-hq-kansai-bio-demo",  # noqa: S106
        RoleKind.HQ_STAFF,
        "Cluster HQ staff (Program Director)",
        "KANSAI Bio-Cluster Project (Industrial Cluster phase II)",
        cluster=KANSAI_BIO_CLUSTER,
        position=PositionKind.PROGRAM_DIRECTOR,
    ),
    DemoUser(
        "demo-coordinator",
        "renkei-coordinator-demo",  # noqa: S106
        RoleKind.COORDINATOR,
        "Coordinator",
        "Regional Industry Revitalization Project (TAMA)",
        cluster=TAMA_CLUSTER,
        position=PositionKind.COORDINATOR,
    ),
    DemoUser(
        "demo-participant",
        "renkei-participant-demo",  # noqa: S106
        RoleKind.PARTICIPANT,
        "Participant (SME)",
        "a generated member company of the TAMA project",
    ),
)

DEMO_USERNAMES = tuple(user.username for user in DEMO_USERS)
DEMO_PARTICIPANT = "demo-participant"
DEMO_COORDINATOR = "demo-coordinator"
DEMO_HQ_TAMA = "demo-hq-tama"
DEMO_HQ_KANSAI_BIO = "demo-hq-kansai-bio"


def demo_logins() -> list[DemoLogin]:
    """The demo logins in the order `renkei demo` prints them."""
    return [DemoLogin(user.username, user.password, user.role_label, user.where) for user in DEMO_USERS]


def demo_login(kind: str) -> DemoLogin:
    """The first demo login holding a role of `kind` (a RoleKind value)."""
    for user, login in zip(DEMO_USERS, demo_logins(), strict=True):
        if user.kind == kind:
            return login
    raise LookupError(f"no demo login has the role {kind!r}")


def do_create_demo_users(
    *,
    clusters: dict[str, Cluster],
    hq_people: dict[tuple[str, str], list[Person]],
    participant_organisation: Organisation | None,
    national_organisation: Organisation | None,
) -> list[AbstractBaseUser]:
    """Create the demo users with their roles, each linked to a person record.

    HQ staff and the coordinator sign in as the holder of their HQ position in the generated
    population; the participant as a person at `participant_organisation` (a generated SME);
    the national officer as a new person at `national_organisation` (METI)."""
    User = get_user_model()
    created = []
    for spec in DEMO_USERS:
        cluster = clusters[spec.cluster] if spec.cluster else None
        organisation = None
        person: Person | None = None
        if spec.kind == RoleKind.PARTICIPANT:
            if participant_organisation is None:
                raise ValueError(f"cluster {PARTICIPANT_CLUSTER} has no generated SME for the demo participant")
            organisation = participant_organisation
            person = _person_at(organisation, ("高橋", "タカハシ", "Takahashi"), ("美咲", "ミサキ", "Misaki"))
        elif spec.kind == RoleKind.NATIONAL_OFFICER:
            if national_organisation is not None:
                person = _person_at(
                    national_organisation,
                    ("国見", "クニミ", "Kunimi"),
                    ("健", "ケン", "Ken"),
                    title=("係長", "Officer"),
                )
        elif spec.cluster and spec.position:
            holders = hq_people.get((spec.cluster, spec.position)) or []
            person = next((holder for holder in holders if holder.user_id is None), None)

        user = User.objects.create_user(
            username=spec.username,
            password=spec.password,
            email=(person.email if person and person.email else f"{spec.username}@demo.renkei.example"),
            first_name=person.given_name_en if person else "",
            last_name=person.family_name_en if person else "",
        )
        Role.objects.create(user=user, kind=spec.kind, cluster=cluster, organisation=organisation)
        if person is not None:
            person.user = user
            person.save(update_fields=["user"])
        created.append(user)
    return created


def _person_at(
    organisation: Organisation,
    family: tuple[str, str, str],
    given: tuple[str, str, str],
    title: tuple[str, str] = ("担当者", "Staff member"),
) -> Person:
    """A person at `organisation` without a login: an existing one if there is, else a new one."""
    existing = Person.objects.filter(affiliations__organisation=organisation, user__isnull=True).order_by("pk").first()
    if existing is not None:
        return existing
    person = Person.objects.create(
        family_name_ja=family[0],
        family_name_kana=family[1],
        family_name_en=family[2],
        given_name_ja=given[0],
        given_name_kana=given[1],
        given_name_en=given[2],
        email=f"{given[2].lower()}.{family[2].lower()}@demo.renkei.example",
        visibility=Visibility.MEMBERS,
        source=RecordSource.GENERATED,
        source_note="demo login",
    )
    Affiliation.objects.create(
        person=person, organisation=organisation, title_ja=title[0], title_en=title[1], is_primary=True
    )
    return person
