"""The generated population: fictitious SMEs, universities, institutes, supporters and people,
spread over the real clusters in proportion to the seeds' counts, so that the demo has the scale
the programmes had (about 9,800 SMEs and 290 universities at --scale 1).

Every row is built in memory from one random.Random(seed), then written with bulk_create in
batches: the same seed and scale give the same rows, and no history rows are written for them.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import models

from renkei.core.models import Municipality, RecordSource, Visibility
from renkei.core.text import normalise_for_search
from renkei.core.validators import corporate_number_check_digit
from renkei.demo import vocabulary as vocab
from renkei.demo.programmes import IC1, IC2, KC1, KC2, ClusterSpec
from renkei.directory.choices import SECTOR_OF_KIND, OrganisationKind, Sector
from renkei.directory.models import Affiliation, Organisation, Person
from renkei.programs.choices import MembershipRole, PositionKind
from renkei.programs.models import Cluster, HQPosition, Membership

GENERATED_NOTE = "generated demo data"
BATCH_SIZE = 2000

K = OrganisationKind

# How many of each kind the demo holds at --scale 1. SMEs and universities follow the seeds
# (about 9,800 SMEs and 290 universities including technical colleges, December 2005).
POPULATION: dict[str, int] = {
    K.SME: 9800,
    K.UNIVERSITY: 230,
    K.TECHNICAL_COLLEGE: 60,
    K.LARGE_ENTERPRISE: 150,
    K.PUBLIC_RESEARCH: 60,
    K.SUPPORT_ORG: 50,
    K.INCUBATOR: 40,
    K.FINANCIAL: 60,
    K.VENTURE_CAPITAL: 20,
    K.TLO: 15,
    K.TESTING_LAB: 20,
    K.PROFESSIONAL_FIRM: 30,
    K.TRADING_FIRM: 20,
    K.CHAMBER: 20,
}

# Rough economic weight of each prefecture, to place members within a multi-prefecture cluster.
PREFECTURE_WEIGHT = {"13": 10, "14": 6, "27": 6, "23": 6, "11": 4, "28": 4, "40": 4, "01": 4, "12": 3, "22": 3, "26": 3}

ACADEMIC_KINDS = {K.UNIVERSITY, K.TECHNICAL_COLLEGE}
COMPANY_KINDS = {K.SME, K.LARGE_ENTERPRISE, K.TRADING_FIRM}
# Kinds whose generated rows carry a corporate number (法人番号).
NUMBERED_KINDS = {
    K.SME,
    K.LARGE_ENTERPRISE,
    K.TRADING_FIRM,
    K.FINANCIAL,
    K.VENTURE_CAPITAL,
    K.TLO,
    K.SUPPORT_ORG,
    K.UNIVERSITY,
    K.PROFESSIONAL_FIRM,
}


@dataclass
class Reference:
    """The reference rows the generator needs, keyed by code."""

    municipalities: dict[str, list[Municipality]]  # by prefecture code
    prefecture_names: dict[str, str]
    industries: dict[str, int]  # JSIC major group code -> id
    fields: dict[str, int]  # tech field code -> id


@dataclass
class Generated:
    organisations: int = 0
    people: int = 0
    affiliations: int = 0
    memberships: int = 0
    positions: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    demo_company: Organisation | None = None
    hq_people: dict[tuple[str, str], list[Person]] = field(default_factory=dict)


Progress = Callable[[str, int, int], None]  # (stage, done, total)


def fy_start(fy: int) -> date:
    return date(fy, 4, 1)


def fy_end(fy: int) -> date:
    return date(fy + 1, 3, 31)


class PopulationGenerator:
    """Builds and writes the generated rows for one demo load."""

    def __init__(
        self,
        *,
        seed: int,
        scale: float,
        specs: Sequence[ClusterSpec],
        clusters: dict[str, Cluster],
        reference: Reference,
        seed_members: dict[str, list[tuple[Organisation, str]]],
        promotion: dict[str, Organisation],
        demo_cluster: str,
        progress: Progress | None = None,
    ) -> None:
        self.rng = random.Random(seed)
        self.scale = scale
        self.specs = {spec.code: spec for spec in specs}
        self.clusters = clusters
        self.ref = reference
        self.seed_members = seed_members
        self.promotion = dict(promotion)
        self.demo_cluster = demo_cluster
        self.progress = progress or (lambda stage, done, total: None)
        self.used_names: set[str] = set()
        self.used_numbers: set[str] = set()
        self.orgs: list[Organisation] = []
        self.org_fields: list[list[str]] = []
        self.org_home: list[str] = []  # the phase I project each generated organisation grew from
        self.memberships: dict[tuple[str, int, str], tuple[date | None, date | None, str]] = {}
        self.people: list[Person] = []
        self.affiliations: list[tuple[int, int, str, str, str, bool]] = []
        self.result = Generated()

    # --- small helpers -------------------------------------------------------------------------

    def count(self, kind: str) -> int:
        return max(1, round(POPULATION[kind] * self.scale))

    def date_between(self, first: date, last: date) -> date:
        return first + timedelta(days=self.rng.randint(0, max(0, (last - first).days)))

    def pick_prefecture(self, spec: ClusterSpec) -> str:
        prefectures = spec.prefectures or ["13"]
        weights = [PREFECTURE_WEIGHT.get(code, 1) for code in prefectures]
        return self.rng.choices(prefectures, weights)[0]

    def pick_municipality(self, prefecture: str) -> Municipality | None:
        options = self.ref.municipalities.get(prefecture, [])
        if not options or self.rng.random() < 0.1:
            return None
        return self.rng.choice(options)

    def corporate_number(self, legal_type: str) -> str:
        """A unique 13-digit corporate number: check digit + registry office (4) + type (2) + serial (6)."""
        while True:
            base = f"{self.rng.randint(100, 9999):04d}{legal_type}{self.rng.randint(1, 999999):06d}"
            number = f"{corporate_number_check_digit(base)}{base}"
            if number not in self.used_numbers:
                self.used_numbers.add(number)
                return number

    def place(self) -> tuple[str, str, str]:
        first = self.rng.choice(vocab.PLACE_FIRST)
        second = self.rng.choice(vocab.PLACE_SECOND)
        return first[0] + second[0], first[1] + second[1], first[2] + second[2]

    def unique(self, make: Callable[[], tuple[str, str, str]]) -> tuple[str, str, str]:
        """Draw a name until an unused one comes up (a few tries), as real directories rarely repeat."""
        for _ in range(8):
            name = make()
            if name[0] not in self.used_names:
                break
        self.used_names.add(name[0])
        return name

    def visibility(self, public: float, members: float) -> str:
        draw = self.rng.random()
        if draw < public:
            return Visibility.PUBLIC
        if draw < public + members:
            return Visibility.MEMBERS
        return Visibility.RESTRICTED

    def fields_for(self, spec: ClusterSpec) -> list[str]:
        fields = list(spec.fields) or ["manufacturing"]
        chosen = [self.rng.choice(fields)]
        if self.rng.random() < 0.3:
            extra = self.rng.choice(list(vocab.KEYWORDS))
            if extra not in chosen:
                chosen.append(extra)
        return chosen

    # --- organisations -------------------------------------------------------------------------

    def company_name(self, field_code: str, large: bool = False) -> tuple[str, str, str]:
        stems = vocab.FAMILY_NAMES + vocab.COMPANY_STEMS if not large else vocab.COMPANY_STEMS
        stem = self.rng.choice(stems)
        word = self.rng.choice(vocab.BUSINESS_WORDS.get(field_code) or vocab.BUSINESS_WORDS["manufacturing"])
        core_ja, kana, core_en = stem[0] + word[0], stem[1] + word[1], f"{stem[2]} {word[2]}"
        if large:
            return f"{core_ja}株式会社", kana, f"{core_en} Corporation"
        form = self.rng.random()
        if form < 0.5:
            return f"{core_ja}株式会社", kana, f"{core_en} Co., Ltd."
        if form < 0.9:
            suffix = "Inc." if field_code in {"it", "life-science"} else "Co., Ltd."
            return f"株式会社{core_ja}", kana, f"{core_en} {suffix}"
        return f"有限会社{core_ja}", kana, f"{core_en} Ltd."

    def institution_name(self, patterns: Sequence[tuple[str, str, str]]) -> tuple[str, str, str]:
        place_ja, place_kana, place_en = self.place()
        suffix_ja, suffix_kana, pattern_en = self.rng.choice(patterns)
        return place_ja + suffix_ja, place_kana + suffix_kana, pattern_en.format(place=place_en)

    def add_organisation(self, kind: str, spec: ClusterSpec, *, name: tuple[str, str, str] | None = None) -> int:
        rng = self.rng
        fields = self.fields_for(spec)
        main_field = fields[0]
        if name is None:
            name = self.unique(lambda: self.make_name(kind, main_field))
        prefecture = self.pick_prefecture(spec)
        municipality = self.pick_municipality(prefecture)
        organisation = Organisation(
            kind=kind,
            name_ja=name[0],
            name_kana=name[1],
            name_en=name[2],
            prefecture_id=prefecture,
            municipality_id=municipality.code if municipality else None,
            address=self.ref.prefecture_names[prefecture] + (municipality.name_ja if municipality else ""),
            source=RecordSource.GENERATED,
            source_note=GENERATED_NOTE,
        )
        if kind in NUMBERED_KINDS:
            organisation.corporate_number = self.corporate_number("01" if kind in COMPANY_KINDS else "05")
        self.describe(organisation, kind, main_field)
        organisation.search_text = organisation.build_search_text()
        self.orgs.append(organisation)
        self.org_fields.append(fields)
        self.org_home.append(spec.code)
        rng.random()  # keeps the stream aligned when fields change; harmless otherwise
        return len(self.orgs) - 1

    def make_name(self, kind: str, field_code: str) -> tuple[str, str, str]:
        rng = self.rng
        if kind == K.SME:
            return self.company_name(field_code)
        if kind == K.LARGE_ENTERPRISE:
            return self.company_name(field_code, large=True)
        if kind == K.UNIVERSITY:
            return self.institution_name(vocab.UNIVERSITY_PATTERNS)
        if kind == K.TECHNICAL_COLLEGE:
            return self.institution_name([vocab.TECHNICAL_COLLEGE_PATTERN])
        if kind == K.PUBLIC_RESEARCH:
            return self.institution_name(vocab.PUBLIC_RESEARCH_PATTERNS)
        if kind == K.PROFESSIONAL_FIRM:
            family = rng.choice(vocab.FAMILY_NAMES)
            suffix_ja, suffix_kana, pattern_en = rng.choice(vocab.PROFESSIONAL_PATTERNS)
            return family[0] + suffix_ja, family[1] + suffix_kana, pattern_en.format(name=family[2])
        if kind == K.TRADING_FIRM:
            stem = rng.choice(vocab.COMPANY_STEMS + vocab.FAMILY_NAMES)
            word = rng.choice(vocab.TRADING_WORDS)
            return f"{stem[0]}{word[0]}株式会社", stem[1] + word[1], f"{stem[2]} {word[2]} Co., Ltd."
        return self.institution_name(vocab.SUPPORT_PATTERNS[kind])

    def describe(self, organisation: Organisation, kind: str, field_code: str) -> None:
        """Industry, size, founding date, capability text and visibility, by kind."""
        rng = self.rng
        if kind in COMPANY_KINDS:
            groups = vocab.FIELD_INDUSTRIES.get(field_code, ["32"])
            if kind == K.TRADING_FIRM:
                groups = ["53", "54", "55"]
            organisation.industry_id = self.ref.industries[rng.choice(groups)]
            if kind == K.LARGE_ENTERPRISE:
                organisation.employees = rng.randint(1000, 30000)
                organisation.capital_yen = rng.randint(50, 2000) * 100_000_000
                organisation.founded_on = self.date_between(date(1900, 1, 1), date(1970, 12, 31))
            else:
                organisation.employees = min(300, int(rng.lognormvariate(3.2, 0.9)) + 3)
                organisation.capital_yen = rng.choice([3, 10, 10, 10, 20, 30, 50, 50, 80, 100, 300]) * 1_000_000
                organisation.founded_on = self.date_between(date(1946, 1, 1), date(2005, 3, 31))
            capabilities = vocab.CAPABILITIES.get(field_code) or vocab.CAPABILITIES["manufacturing"]
            chosen = rng.sample(capabilities, k=min(2, len(capabilities)))
            organisation.capability = "、".join(ja for ja, _ in chosen) + "\n" + "; ".join(en for _, en in chosen)
            organisation.visibility = self.visibility(0.35, 0.45)
        elif kind in ACADEMIC_KINDS or kind == K.PUBLIC_RESEARCH:
            organisation.industry_id = self.ref.industries["81" if kind in ACADEMIC_KINDS else "71"]
            organisation.employees = rng.randint(80, 3000) if kind == K.UNIVERSITY else rng.randint(30, 300)
            organisation.founded_on = self.date_between(date(1949, 4, 1), date(2000, 4, 1)).replace(month=4, day=1)
            keywords = rng.sample(vocab.KEYWORDS.get(field_code, []), k=min(3, len(vocab.KEYWORDS.get(field_code, []))))
            if keywords:
                research_ja = "、".join(ja for ja, _ in keywords)
                research_en = ", ".join(en for _, en in keywords)
                organisation.capability = f"研究分野：{research_ja}\nResearch: {research_en}"
            organisation.visibility = self.visibility(0.8, 0.2)
        else:
            organisation.industry_id = self.ref.industries[
                {K.FINANCIAL: "62", K.VENTURE_CAPITAL: "66", K.TESTING_LAB: "74", K.PROFESSIONAL_FIRM: "72"}.get(
                    kind, "93"
                )
            ]
            organisation.employees = rng.randint(5, 400) if kind == K.FINANCIAL else rng.randint(3, 60)
            organisation.founded_on = self.date_between(date(1950, 1, 1), date(2004, 12, 31))
            organisation.visibility = self.visibility(0.7, 0.25)

    def build_organisations(self) -> None:
        rng = self.rng
        ic1 = [spec for spec in self.specs.values() if spec.programme == IC1]
        company_weights = [spec.companies or 0 for spec in ic1]
        academic_weights = [spec.universities or 0 for spec in ic1]
        for kind in POPULATION:
            weights = academic_weights if kind in ACADEMIC_KINDS or kind == K.PUBLIC_RESEARCH else company_weights
            for spec in rng.choices(ic1, weights, k=self.count(kind)):
                self.add_organisation(kind, spec)
        # A promotion organisation (HQ) for every cluster the seeds give none for.
        names_seen: dict[str, int] = {}
        self.promotion_index: dict[str, int] = {}
        for spec in self.specs.values():
            if spec.code in self.promotion:
                continue
            name = self.promotion_name(spec)
            if name[0] not in names_seen:
                names_seen[name[0]] = self.add_organisation(K.SUPPORT_ORG, spec, name=name)
                self.orgs[names_seen[name[0]]].visibility = Visibility.PUBLIC
                self.orgs[names_seen[name[0]]].capability = ""
            self.promotion_index[spec.code] = names_seen[name[0]]

    @staticmethod
    def promotion_name(spec: ClusterSpec) -> tuple[str, str, str]:
        name_en = spec.name_en or spec.name_ja
        if spec.programme in {KC1, KC2}:
            return f"{spec.name_ja} 本部", "", f"{name_en} Headquarters"
        if spec.programme in {IC1, IC2}:
            return f"{spec.name_ja} 推進事務局", "", f"{name_en} Secretariat"
        return f"{spec.name_ja} 事業推進室", "", f"{name_en} Project Office"

    # --- memberships ---------------------------------------------------------------------------

    def join(self, code: str, index: int, role: str, start: date | None, end: date | None, note: str = "") -> None:
        self.memberships.setdefault((code, index, role), (start, end, note))

    def period(self, spec: ClusterSpec) -> tuple[date | None, date | None]:
        start = fy_start(spec.start_fy) if spec.start_fy else None
        end = fy_end(spec.end_fy) if spec.end_fy else None
        if start and end:
            start = self.date_between(start, min(end, start + timedelta(days=540)))
        return start, end

    def role_for(self, kind: str) -> str:
        if kind in ACADEMIC_KINDS or kind == K.PUBLIC_RESEARCH:
            return MembershipRole.RESEARCH
        if SECTOR_OF_KIND.get(kind) == Sector.INDUSTRY:
            return MembershipRole.CORE if self.rng.random() < 0.05 else MembershipRole.MEMBER
        return MembershipRole.SUPPORTER

    def build_memberships(self) -> None:
        rng = self.rng
        successors: dict[str, list[str]] = defaultdict(list)
        for spec in self.specs.values():
            for predecessor in spec.predecessors:
                successors[predecessor].append(spec.code)

        # Industrial Cluster networks: each organisation joins its phase I project and most
        # continue into the phase II project that succeeded it.
        for index, organisation in enumerate(self.orgs):
            home = self.org_home[index]
            if index in self.promotion_index.values():
                continue
            role = self.role_for(organisation.kind)
            phase1 = self.specs[home]
            start, _ = self.period(phase1)
            self.join(home, index, role, start, fy_end(2005))
            if successors[home] and rng.random() < 0.85:
                successor = rng.choice(successors[home])
                self.join(successor, index, role, self.date_between(fy_start(2006), date(2009, 3, 31)), None)
            if organisation.kind in ACADEMIC_KINDS | {K.LARGE_ENTERPRISE, K.PUBLIC_RESEARCH} and rng.random() < 0.3:
                # Universities and large firms often work with a second project of their bureau.
                others = [s.code for s in self.specs.values() if s.programme == IC1 and s.bureau == phase1.bureau]
                other = rng.choice(others)
                self.join(other, index, role, self.period(self.specs[other])[0], fy_end(2005))

        # Knowledge Cluster, City Area and new phase II projects: members from their prefectures.
        by_prefecture: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
        for index, organisation in enumerate(self.orgs):
            if index in self.promotion_index.values():
                continue
            group = "academia" if SECTOR_OF_KIND.get(organisation.kind) == Sector.ACADEMIA else organisation.kind
            by_prefecture[organisation.prefecture_id][group].append(index)
        for spec in self.specs.values():
            if spec.programme == IC1 or spec.predecessors:
                continue
            wanted = {
                K.SME: max(1, round(spec.generated_members * self.scale)),
                K.LARGE_ENTERPRISE: 1 if rng.random() < 0.5 else 0,
                "academia": max(1, round(spec.generated_members * self.scale / 8)),
                K.SUPPORT_ORG: 1,
                K.FINANCIAL: 1 if rng.random() < 0.5 else 0,
            }
            for group, n in wanted.items():
                pool = [i for code in spec.prefectures for i in by_prefecture[code][group]]
                for index in rng.sample(pool, k=min(n, len(pool))):
                    start, end = self.period(spec)
                    self.join(spec.code, index, self.role_for(self.orgs[index].kind), start, end)

        for code, index in self.promotion_index.items():
            start, end = self.period(self.specs[code])
            self.join(code, index, MembershipRole.PROMOTION_ORG, start, end, "cluster headquarters")

    # --- people --------------------------------------------------------------------------------

    def person(self, *, keywords_field: str | None, consent_rate: float) -> Person:
        rng = self.rng
        family = rng.choice(vocab.FAMILY_NAMES)
        given = rng.choice(vocab.MALE_GIVEN_NAMES if rng.random() < 0.78 else vocab.FEMALE_GIVEN_NAMES)
        keywords = ""
        if keywords_field and vocab.KEYWORDS.get(keywords_field):
            options = vocab.KEYWORDS[keywords_field]
            chosen = rng.sample(options, k=min(len(options), rng.randint(2, 4)))
            keywords = "、".join(ja for ja, _ in chosen) + " / " + ", ".join(en for _, en in chosen)
        consent = rng.random() < consent_rate
        if consent:
            visibility = Visibility.PUBLIC if rng.random() < 0.7 else Visibility.MEMBERS
        else:
            visibility = Visibility.MEMBERS if rng.random() < 0.65 else Visibility.RESTRICTED
        person = Person(
            family_name_ja=family[0],
            given_name_ja=given[0],
            family_name_kana=family[1],
            given_name_kana=given[1],
            family_name_en=family[2],
            given_name_en=given[2],
            research_keywords=keywords,
            consent_to_publish=consent,
            visibility=visibility,
            source=RecordSource.GENERATED,
            source_note=GENERATED_NOTE,
        )
        # bulk_create skips Person.save(), so the search text is built here the same way.
        person.search_text = normalise_for_search(
            person.name_ja, person.name_en, person.name_kana, person.research_keywords, person.researchmap_id
        )
        return person

    def email(self, person: Person, organisation: Organisation) -> str:
        domain = "".join(ch for ch in organisation.name_en.lower() if ch.isascii() and ch.isalnum())[:24] or "org"
        return f"{person.given_name_en.lower()}.{person.family_name_en.lower()}@{domain}.example"

    def build_people(self) -> tuple[list[Person], list[tuple[int, int, str, str, str, bool]], list[list[str]]]:
        """People at the generated organisations: (people, affiliations, fields of each person).

        An affiliation is (person index, organisation index, department, title ja, title en, primary)."""
        rng = self.rng
        people: list[Person] = []
        affiliations: list[tuple[int, int, str, str, str, bool]] = []
        person_fields: list[list[str]] = []

        def add(org_index: int, field_code: str | None, title: tuple[str, str], dept: str, consent: float) -> None:
            person = self.person(keywords_field=field_code, consent_rate=consent)
            person.email = self.email(person, self.orgs[org_index])
            people.append(person)
            person_fields.append([field_code] if field_code else [])
            affiliations.append((len(people) - 1, org_index, dept, title[0], title[1], True))

        promotion = set(self.promotion_index.values())
        for index, organisation in enumerate(self.orgs):
            if index in promotion:
                continue
            kind = organisation.kind
            field_code = self.org_fields[index][0]
            if kind == K.UNIVERSITY or kind == K.TECHNICAL_COLLEGE:
                department = vocab.DEPARTMENTS.get(field_code, ("工学部", "Faculty of Engineering"))
                for _ in range(rng.randint(2, 6) if kind == K.UNIVERSITY else rng.randint(1, 3)):
                    add(index, field_code, rng.choice(vocab.RESEARCHER_TITLES), department[1], 0.6)
            elif kind == K.PUBLIC_RESEARCH:
                for _ in range(rng.randint(1, 4)):
                    add(index, field_code, rng.choice(vocab.INSTITUTE_TITLES), "", 0.5)
            elif kind == K.SME:
                staff = rng.choices([0, 1, 2], [0.25, 0.55, 0.2])[0]
                for number in range(staff):
                    title = vocab.PRESIDENT_TITLE if number == 0 and rng.random() < 0.4 else None
                    add(index, field_code, title or rng.choice(vocab.COMPANY_TITLES), "", 0.3)
            elif kind == K.LARGE_ENTERPRISE:
                for _ in range(rng.randint(2, 4)):
                    add(index, field_code, rng.choice(vocab.COMPANY_TITLES), "R&D Division", 0.3)
            else:
                titles = vocab.SUPPORT_TITLES.get(kind, [("担当者", "Officer")])
                for _ in range(rng.randint(1, 2)):
                    add(index, None, rng.choice(titles), "", 0.4)
        return people, affiliations, person_fields

    def build_hq(self, people, affiliations, person_fields) -> list[tuple[str, int, str]]:
        """HQ positions of every cluster: (cluster code, person index, position kind)."""
        rng = self.rng
        positions: list[tuple[str, int, str]] = []
        research_members: dict[str, list[int]] = defaultdict(list)
        for (code, index, role), _period in self.memberships.items():
            if role == MembershipRole.RESEARCH and self.orgs[index].kind == K.UNIVERSITY:
                research_members[code].append(index)
        kinds = [
            PositionKind.PRESIDENT,
            PositionKind.PROGRAM_DIRECTOR,
            PositionKind.RESEARCH_DIRECTOR,
            PositionKind.COORDINATOR,
            PositionKind.COORDINATOR,
            PositionKind.INCUBATION_MANAGER,
            PositionKind.ADVISER,
        ]
        for spec in self.specs.values():
            hq_index = self.promotion_index.get(spec.code)
            field_code = spec.fields[0] if spec.fields else None
            for kind in kinds + ([PositionKind.COORDINATOR] if spec.programme in {IC1, IC2} else []):
                person = self.person(keywords_field=field_code, consent_rate=0.8)
                people.append(person)
                person_fields.append([field_code] if field_code else [])
                person_index = len(people) - 1
                title = vocab.HQ_TITLES[kind]
                if kind == PositionKind.RESEARCH_DIRECTOR and research_members[spec.code]:
                    university = rng.choice(research_members[spec.code])
                    affiliations.append((person_index, university, "", "教授", "Professor", True))
                    person.email = self.email(person, self.orgs[university])
                    if hq_index is not None:
                        affiliations.append((person_index, hq_index, "クラスター本部", title[0], title[1], False))
                elif hq_index is not None:
                    affiliations.append((person_index, hq_index, "クラスター本部", title[0], title[1], True))
                    person.email = self.email(person, self.orgs[hq_index])
                positions.append((spec.code, person_index, kind))
        return positions

    # --- writing -------------------------------------------------------------------------------

    def write(self, model: type[models.Model], rows: list, stage: str) -> None:
        for start in range(0, len(rows), BATCH_SIZE):
            model.objects.bulk_create(rows[start : start + BATCH_SIZE], batch_size=BATCH_SIZE)
            self.progress(stage, min(start + BATCH_SIZE, len(rows)), len(rows))
        if not rows:
            self.progress(stage, 0, 0)

    def run(self) -> Generated:
        self.build_organisations()
        self.write(Organisation, self.orgs, "organisations")
        field_rows = [
            Organisation.fields.through(organisation_id=org.pk, techfield_id=self.ref.fields[code])
            for org, codes in zip(self.orgs, self.org_fields, strict=True)
            for code in codes
        ]
        self.write(Organisation.fields.through, field_rows, "organisation fields")

        self.build_memberships()
        membership_rows = [
            Membership(
                cluster=self.clusters[code],
                organisation=self.orgs[index],
                role=role,
                start_on=start,
                end_on=end,
                note=note,
            )
            for (code, index, role), (start, end, note) in self.memberships.items()
        ]
        self.write(Membership, membership_rows, "memberships")

        people, affiliations, person_fields = self.build_people()
        positions = self.build_hq(people, affiliations, person_fields)
        # Kept for the seeds and needs (renkei.demo.listings), which name these people.
        self.people, self.affiliations = people, affiliations
        self.write(Person, people, "people")
        self.write(
            Person.fields.through,
            [
                Person.fields.through(person_id=people[i].pk, techfield_id=self.ref.fields[code])
                for i, codes in enumerate(person_fields)
                for code in codes
            ],
            "people's fields",
        )
        affiliation_rows = [
            Affiliation(
                person=people[p],
                organisation=self.orgs[o],
                department=dept,
                title_ja=title_ja,
                title_en=title_en,
                start_on=self.date_between(date(1985, 4, 1), date(2005, 4, 1)),
                is_primary=primary,
            )
            for p, o, dept, title_ja, title_en, primary in affiliations
        ]
        self.write(Affiliation, affiliation_rows, "affiliations")
        position_rows = []
        for code, person_index, kind in positions:
            spec = self.specs[code]
            position_rows.append(
                HQPosition(
                    cluster=self.clusters[code],
                    person=people[person_index],
                    kind=kind,
                    start_on=fy_start(spec.start_fy) if spec.start_fy else None,
                    end_on=fy_end(spec.end_fy) if spec.end_fy else None,
                )
            )
            self.result.hq_people.setdefault((code, kind), []).append(people[person_index])
        self.write(HQPosition, position_rows, "HQ positions")

        # Point each cluster at its headquarters organisation.
        for code, index in self.promotion_index.items():
            self.clusters[code].promotion_organisation = self.orgs[index]
        Cluster.objects.bulk_update(
            [self.clusters[code] for code in self.promotion_index], ["promotion_organisation"], batch_size=500
        )

        demo_members = [
            index
            for (code, index, _role) in self.memberships
            if code == self.demo_cluster and self.orgs[index].kind == K.SME
        ]
        self.result.demo_company = self.orgs[min(demo_members)] if demo_members else None
        self.result.organisations = len(self.orgs)
        self.result.people = len(people)
        self.result.affiliations = len(affiliation_rows)
        self.result.memberships = len(membership_rows)
        self.result.positions = len(position_rows)
        by_kind: dict[str, int] = defaultdict(int)
        for organisation in self.orgs:
            by_kind[organisation.kind] += 1
        self.result.by_kind = dict(by_kind)
        return self.result
