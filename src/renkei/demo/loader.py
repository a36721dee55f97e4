"""Loading the demo: the real programmes and clusters, the organisations the seeds name, a
generated population at the programmes' scale, budgets, HQ positions and the demo logins.

`do_load_demo()` does it in one transaction: it either loads everything or nothing. It is
idempotent: when the database already holds the demo it changes nothing and says so (`reset`
first deletes the demo's rows and loads it afresh). Steps:

1. Load the reference data if it is missing (prefectures, JSIC, fields).
2. Create the programmes and their clusters (renkei.demo.programmes), with prefectures and fields.
3. Create the organisations the seed documents name and their memberships (renkei.demo.organisations).
4. Generate the population (renkei.demo.generator): organisations, people, affiliations,
   memberships, HQ positions; give the HQ of seed-promoted clusters their affiliations.
5. Write each cluster's yearly budgets from its budget plan.
6. Create the demo users with their roles (renkei.demo.users).
7. Generate the seeds and needs with their challenges, expressions of interest, coordinator
   feedback and the demo participant's alert (renkei.demo.listings). They are not indexed here:
   `renkei reindex` (or the matching index step of `renkei demo`) builds the index after the load.
8. Log the CRM of the demo coordinator and HQ staff: interactions, introductions through the
   pipeline and follow-ups, some overdue (renkei.demo.crm).
9. Hold the demo events: a past and an upcoming business-matching event with profiles, requests
   and meetings, and seminars, exchange meetings and a symposium (renkei.demo.events).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, ProtectedError
from django.test.utils import override_settings

from renkei.core.models import (
    BureauRegion,
    IndustryClass,
    Municipality,
    Prefecture,
    RecordSource,
    TechField,
)
from renkei.core.reference import JSIC_REVISION, load_reference, reference_is_loaded
from renkei.core.services import save_validated
from renkei.demo import vocabulary as vocab
from renkei.demo.crm import CrmGenerator, demo_crm_staff, do_delete_demo_crm
from renkei.demo.events import EventGenerator, do_delete_demo_events
from renkei.demo.generator import PopulationGenerator, Reference, fy_end, fy_start
from renkei.demo.listings import ListingGenerator
from renkei.demo.organisations import PROMOTION_ORGANISATIONS, SEED_ORGANISATIONS, SEED_VISIBILITY
from renkei.demo.programmes import PROGRAMME_CODES, PROGRAMMES, ClusterSpec, cluster_specs
from renkei.demo.users import (
    DEMO_COORDINATOR,
    DEMO_HQ_KANSAI_BIO,
    DEMO_HQ_TAMA,
    DEMO_PARTICIPANT,
    DEMO_USERNAMES,
    KANSAI_BIO_CLUSTER,
    PARTICIPANT_CLUSTER,
    TAMA_CLUSTER,
    do_create_demo_users,
)
from renkei.directory.models import Affiliation, Organisation, Person
from renkei.matching.models import Need, Seed
from renkei.programs.choices import BudgetSource
from renkei.programs.models import Budget, Cluster, Membership, Programme

DEFAULT_SEED = 2005
MAX_SCALE = 10.0
DEMO_REASON = "loaded with the demo data (renkei load_demo)"
# Organisations and people the demo owns, by where they came from; --reset deletes these.
DEMO_SOURCES = (RecordSource.GENERATED, RecordSource.SEED_DOCUMENT)

Progress = Callable[[str, int, int], None]  # (stage, done, total)


class DemoLoadError(ValueError):
    """The demo cannot be loaded as asked; the message says why and what to do."""


@dataclass
class DemoLoadResult:
    """What the database holds after a load, and whether this run wrote it."""

    loaded: bool
    scale: float | None
    seed: int | None
    seconds: float = 0.0
    programmes: int = 0
    clusters: int = 0
    organisations: int = 0
    people: int = 0
    memberships: int = 0
    positions: int = 0
    budgets: int = 0
    users: int = 0
    seeds: int = 0
    needs: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        counts = (
            f"{self.programmes} programmes, {self.clusters} clusters, {self.organisations:,} organisations, "
            f"{self.people:,} people, {self.memberships:,} memberships, {self.positions:,} HQ positions, "
            f"{self.budgets:,} budgets, {self.seeds:,} seeds, {self.needs:,} needs, {self.users} demo logins"
        )
        if not self.loaded:
            return (
                f"The demo is already loaded ({counts}): nothing changed. "
                "Run `renkei load_demo --reset` to load it afresh."
            )
        return f"Demo loaded at scale {self.scale:g}, seed {self.seed}: {counts} in {self.seconds:.1f} s."


def check_scale(scale: float) -> None:
    if not 0 < scale <= MAX_SCALE:
        raise DemoLoadError(f"--scale must be more than 0 and at most {MAX_SCALE:g}, not {scale:g}")


def demo_state() -> str:
    """ "absent", "complete" or "partial": how much of the demo the database holds."""
    programmes = Programme.objects.filter(code__in=PROGRAMME_CODES).count()
    users = get_user_model().objects.filter(username__in=DEMO_USERNAMES).count()
    if programmes == 0 and users == 0:
        return "absent"
    if programmes == len(PROGRAMME_CODES) and users == len(DEMO_USERNAMES):
        return "complete"
    return "partial"


def do_load_demo(
    *, scale: float = 1.0, seed: int = DEFAULT_SEED, reset: bool = False, progress: Progress | None = None
) -> DemoLoadResult:
    """Load the demo (see the module docstring); with `reset`, delete the demo's rows first."""
    check_scale(scale)
    report = progress or (lambda stage, done, total: None)
    started = time.monotonic()
    with transaction.atomic():
        if reset:
            report("deleting the previous demo", 0, 1)
            do_delete_demo()
            report("deleting the previous demo", 1, 1)
        state = demo_state()
        if state == "complete":
            return count_demo(loaded=False)
        if state == "partial":
            raise DemoLoadError(
                "The database holds part of the demo (some of its programmes or logins, not all). "
                "Run `renkei load_demo --reset` to delete it and load the demo afresh."
            )
        _load(scale=scale, seed=seed, report=report)
        result = count_demo(loaded=True, scale=scale, seed=seed)
    result.seconds = time.monotonic() - started
    return result


def _load(*, scale: float, seed: int, report: Progress) -> None:
    if not reference_is_loaded():
        report("reference data", 0, 1)
        load_reference()
        report("reference data", 1, 1)

    specs = cluster_specs(
        dict(Prefecture.objects.values_list("name_ja", "code")),
        dict(Municipality.objects.values_list("name_ja", "prefecture_id")),
    )
    clusters = create_programmes_and_clusters(specs, report)
    seed_orgs = create_seed_organisations(clusters, report)

    promotion = {code: seed_orgs[key] for code, key in PROMOTION_ORGANISATIONS.items()}
    seed_members: dict[str, list[tuple[Organisation, str]]] = {}
    for seed_org in SEED_ORGANISATIONS:
        for code, role in seed_org.clusters:
            seed_members.setdefault(code, []).append((seed_orgs[seed_org.key], role))
    generator = PopulationGenerator(
        seed=seed,
        scale=scale,
        specs=specs,
        clusters=clusters,
        reference=build_reference(),
        seed_members=seed_members,
        promotion=promotion,
        demo_cluster=PARTICIPANT_CLUSTER,
        progress=report,
    )
    generated = generator.run()
    affiliate_seed_headquarters(generated.hq_people, promotion)
    create_budgets(specs, clusters, report)

    report("demo logins", 0, 1)
    users = do_create_demo_users(
        clusters=clusters,
        hq_people=generated.hq_people,
        participant_organisation=generated.demo_company,
        national_organisation=seed_orgs.get("meti"),
    )
    report("demo logins", 1, 1)

    by_username = {user.get_username(): user for user in users}
    ListingGenerator(
        seed=seed,
        scale=scale,
        population=generator,
        clusters=clusters,
        fields=dict(TechField.objects.values_list("code", "id")),
        demo_cluster=PARTICIPANT_CLUSTER,
        demo_company=generated.demo_company,
        participant=by_username.get(DEMO_PARTICIPANT),
        coordinator=by_username.get(DEMO_COORDINATOR),
        progress=report,
    ).run()
    CrmGenerator(seed=seed, clusters=demo_crm_staff(clusters, by_username), progress=report).run()
    EventGenerator(
        seed=seed,
        clusters=clusters,
        users=by_username,
        matching_cluster=TAMA_CLUSTER,
        other_cluster=KANSAI_BIO_CLUSTER,
        hq_username=DEMO_HQ_TAMA,
        other_hq_username=DEMO_HQ_KANSAI_BIO,
        participant_username=DEMO_PARTICIPANT,
        progress=report,
    ).run()


def build_reference() -> Reference:
    municipalities: dict[str, list[Municipality]] = {}
    for municipality in Municipality.objects.order_by("code"):
        municipalities.setdefault(municipality.prefecture_id, []).append(municipality)
    return Reference(
        municipalities=municipalities,
        prefecture_names=dict(Prefecture.objects.values_list("code", "name_ja")),
        industries=dict(
            IndustryClass.objects.filter(revision=JSIC_REVISION, level=IndustryClass.Level.MAJOR_GROUP).values_list(
                "code", "id"
            )
        ),
        fields=dict(TechField.objects.values_list("code", "id")),
    )


def create_programmes_and_clusters(specs: list[ClusterSpec], report: Progress) -> dict[str, Cluster]:
    """The programmes and their clusters, validated like any other record and kept in their history."""
    programmes = {}
    for spec in PROGRAMMES:
        programmes[spec.code] = save_validated(
            Programme(
                code=spec.code,
                name_ja=spec.name_ja,
                name_en=spec.name_en,
                ministry=spec.ministry,
                phase=spec.phase,
                start_fy=spec.start_fy,
                end_fy=spec.end_fy,
                description_ja=spec.description_ja,
                description_en=spec.description_en,
                source_note=spec.source_note[:300],
            ),
            actor=None,
            reason=DEMO_REASON,
        )
    regions = {region.code: region for region in BureauRegion.objects.all()}
    prefectures = {prefecture.code: prefecture for prefecture in Prefecture.objects.all()}
    fields = {tech_field.code: tech_field for tech_field in TechField.objects.all()}
    clusters: dict[str, Cluster] = {}
    for number, spec in enumerate(specs, start=1):
        if spec.code in clusters:
            raise DemoLoadError(f"two demo clusters have the code {spec.code!r}")
        missing = [code for code in spec.fields if code not in fields]
        if missing:
            raise DemoLoadError(f"cluster {spec.code}: unknown technology fields {missing} (see tech_fields.csv)")
        clusters[spec.code] = save_validated(
            Cluster(
                programme=programmes[spec.programme],
                code=spec.code,
                name_ja=spec.name_ja,
                name_en=spec.name_en,
                region_label=spec.region_label[:200],
                bureau_region=regions.get(spec.bureau),
                theme=spec.theme[:300],
                start_fy=spec.start_fy,
                end_fy=spec.end_fy,
                description_ja=spec.description_ja,
                description_en=spec.description_en,
                is_trial=spec.is_trial,
                verified=spec.verified,
                source=spec.source,
                source_note=spec.source_note[:300],
            ),
            actor=None,
            reason=DEMO_REASON,
            m2m={
                "prefectures": [prefectures[code] for code in spec.prefectures],
                "fields": [fields[code] for code in spec.fields],
            },
        )
        report("programmes and clusters", number, len(specs))
    return clusters


def _cluster_period(cluster: Cluster) -> tuple[date | None, date | None]:
    return (
        fy_start(cluster.start_fy) if cluster.start_fy else None,
        fy_end(cluster.end_fy) if cluster.end_fy else None,
    )


def create_seed_organisations(clusters: dict[str, Cluster], report: Progress) -> dict[str, Organisation]:
    """The real organisations the seeds name, with their memberships; keyed by their seed key."""
    fields = {tech_field.code: tech_field for tech_field in TechField.objects.all()}
    organisations: dict[str, Organisation] = {}
    for number, seed in enumerate(SEED_ORGANISATIONS, start=1):
        note = seed.seed if not seed.note else f"{seed.seed}; {seed.note}"
        organisations[seed.key] = save_validated(
            Organisation(
                kind=seed.kind,
                name_ja=seed.name_ja,
                name_en=seed.name_en,
                name_kana=seed.name_kana,
                prefecture_id=seed.prefecture,
                municipality_id=seed.municipality,
                visibility=SEED_VISIBILITY,
                source=RecordSource.SEED_DOCUMENT,
                source_note=note[:300],
            ),
            actor=None,
            reason=DEMO_REASON,
            m2m={"fields": [fields[code] for code in seed.fields]},
        )
        report("organisations named in the seeds", number, len(SEED_ORGANISATIONS))

    memberships = []
    for seed in SEED_ORGANISATIONS:
        for code, role in dict.fromkeys(seed.clusters):
            if code not in clusters:
                raise DemoLoadError(f"seed organisation {seed.key}: unknown cluster {code!r}")
            start, end = _cluster_period(clusters[code])
            memberships.append(
                Membership(
                    cluster=clusters[code],
                    organisation=organisations[seed.key],
                    role=role,
                    start_on=start,
                    end_on=end,
                    note="named in the seed documents",
                )
            )
    Membership.objects.bulk_create(memberships)
    for code, key in PROMOTION_ORGANISATIONS.items():
        clusters[code].promotion_organisation = organisations[key]
    Cluster.objects.bulk_update([clusters[code] for code in PROMOTION_ORGANISATIONS], ["promotion_organisation"])
    return organisations


def affiliate_seed_headquarters(
    hq_people: dict[tuple[str, str], list[Person]], promotion: dict[str, Organisation]
) -> None:
    """Give the HQ staff of clusters whose promotion organisation the seeds name an affiliation there.

    The generator affiliates HQ staff with the promotion organisations it generates; it has no
    row of its own for the seed ones (the TAMA Association, Kinki Bio-Industry Development
    Organization), so those people are affiliated here."""
    people = [(code, kind, person) for (code, kind), holders in hq_people.items() for person in holders]
    people = [(code, kind, person) for code, kind, person in people if code in promotion]
    with_primary = set(
        Affiliation.objects.filter(person__in=[person for _, _, person in people], is_primary=True).values_list(
            "person_id", flat=True
        )
    )
    affiliations, emailed = [], []
    for code, kind, person in people:
        organisation = promotion[code]
        title_ja, title_en = vocab.HQ_TITLES[kind]
        primary = person.pk not in with_primary
        affiliations.append(
            Affiliation(
                person=person,
                organisation=organisation,
                department="クラスター本部",
                title_ja=title_ja,
                title_en=title_en,
                is_primary=primary,
            )
        )
        with_primary.add(person.pk)
        if not person.email:
            domain = "".join(ch for ch in organisation.name_en.lower() if ch.isascii() and ch.isalnum())[:24]
            person.email = f"{person.given_name_en.lower()}.{person.family_name_en.lower()}@{domain}.example"
            emailed.append(person)
    Affiliation.objects.bulk_create(affiliations)
    Person.objects.bulk_update(emailed, ["email"])


def create_budgets(specs: list[ClusterSpec], clusters: dict[str, Cluster], report: Progress) -> None:
    """One national budget row per fiscal year of each cluster's budget plan.

    The years run from the cluster's first fiscal year, or end in its last one when only that is known."""
    rows = []
    for spec in specs:
        plan = spec.budget
        if plan is None or not (spec.start_fy or spec.end_fy):
            continue
        first = spec.start_fy if spec.start_fy else spec.end_fy - plan.years + 1
        for fiscal_year in range(first, first + plan.years):
            rows.append(
                Budget(
                    cluster=clusters[spec.code],
                    fiscal_year=fiscal_year,
                    source=BudgetSource.NATIONAL,
                    amount_yen=plan.amount_yen,
                    is_estimate=plan.is_estimate,
                    note=plan.note[:300],
                )
            )
    Budget.objects.bulk_create(rows)
    report("budgets", len(rows), len(rows))


def count_demo(*, loaded: bool, scale: float | None = None, seed: int | None = None) -> DemoLoadResult:
    """What the database holds of the demo."""
    clusters = Cluster.objects.filter(programme__code__in=PROGRAMME_CODES)
    organisations = Organisation.objects.filter(source__in=DEMO_SOURCES)
    return DemoLoadResult(
        loaded=loaded,
        scale=scale,
        seed=seed,
        programmes=Programme.objects.filter(code__in=PROGRAMME_CODES).count(),
        clusters=clusters.count(),
        organisations=organisations.count(),
        people=Person.objects.filter(source__in=DEMO_SOURCES).count(),
        memberships=Membership.objects.filter(cluster__in=clusters).count(),
        positions=clusters.aggregate(n=Count("positions"))["n"],
        budgets=Budget.objects.filter(cluster__in=clusters).count(),
        users=get_user_model().objects.filter(username__in=DEMO_USERNAMES).count(),
        seeds=Seed.objects.filter(source=RecordSource.GENERATED).count(),
        needs=Need.objects.filter(source=RecordSource.GENERATED).count(),
        by_kind=dict(organisations.values_list("kind").annotate(n=Count("id")).order_by("kind")),
    )


def do_delete_demo() -> None:
    """Delete every row the demo owns: its logins, its generated seeds and needs (with their
    challenges, proposals, interests, feedback and alerts), its programmes and clusters (with
    their members, positions and budgets), and the organisations and people it generated or
    took from the seeds.

    Rows users entered or imported stay. The deletions are not written to the change history:
    the demo's generated rows never had any, and a reset would otherwise write one row per
    deleted record."""
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        try:
            do_delete_demo_events(Cluster.objects.filter(programme__code__in=PROGRAMME_CODES).values("pk"))
            # The CRM records of the demo clusters first: they protect its logins and clusters.
            do_delete_demo_crm(Cluster.objects.filter(programme__code__in=PROGRAMME_CODES).values("pk"))
            get_user_model().objects.filter(username__in=DEMO_USERNAMES).delete()
            # The listings first: they protect the organisations that own them.
            Seed.objects.filter(source=RecordSource.GENERATED).delete()
            Need.objects.filter(source=RecordSource.GENERATED).delete()
            Cluster.objects.filter(programme__code__in=PROGRAMME_CODES).delete()
            Programme.objects.filter(code__in=PROGRAMME_CODES).delete()
            Person.objects.filter(source__in=DEMO_SOURCES).delete()
            Organisation.objects.filter(source__in=DEMO_SOURCES).delete()
        except ProtectedError as exc:
            # Records users added to demo rows (a seed or need of a demo company, say) keep them.
            blocking = sorted({obj._meta.verbose_name_plural for obj in exc.protected_objects})
            raise DemoLoadError(
                f"The demo cannot be reset: {len(exc.protected_objects)} records ({', '.join(map(str, blocking))}) "
                "still refer to its organisations or people. Delete them first, or run `renkei demo --reset`, "
                "which empties the whole database."
            ) from exc
