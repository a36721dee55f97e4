"""The demo's seeds (シーズ) and needs (ニーズ), and what happens around them: challenges with
proposals, expressions of interest, coordinator feedback and an alert.

Seeds come from the generated universities, technical colleges and public research institutes,
with their researchers; needs from the generated SMEs and large enterprises. Both are written
about the topics of the owner's fields (vocabulary.LISTING_TOPICS), about half in Japanese and
half in English, some in both, so that a Japanese need finds English seeds on its topic and the
reverse. About 1,500 seeds and 800 needs at --scale 1.

The demo users get something to see whatever the scale: the demo cluster (TAMA) always holds
needs of each visibility, each with a seed on the same topic in the other language; the demo
participant's company has needs (one of them a challenge) and an alert; the demo coordinator
has expressions of interest and feedback to look at.

Like the rest of the generated population, every row comes from one random.Random, is written
with bulk_create (no change history), and the seeds and needs carry source=GENERATED, which is
how `do_delete_demo` finds them again.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from renkei.core.models import RecordSource
from renkei.demo import vocabulary as vocab
from renkei.demo.generator import ACADEMIC_KINDS, PopulationGenerator, fy_end, fy_start
from renkei.directory.choices import OrganisationKind
from renkei.directory.models import Organisation, Person
from renkei.matching import services as matching_services
from renkei.matching.choices import (
    DeclineReason,
    InboxKind,
    InterestStatus,
    ListingVisibility,
    NeedStatus,
    ProposalStatus,
    Stage,
    TargetKind,
    Verdict,
)
from renkei.matching.models import Alert, Challenge, Feedback, InboxItem, Interest, Need, Proposal, Seed
from renkei.programs.choices import MembershipRole
from renkei.programs.models import Cluster, Membership

K = OrganisationKind
SEEDS_AT_SCALE_1 = 1500
NEEDS_AT_SCALE_1 = 800
CHALLENGES_AT_SCALE_1 = 24
BILINGUAL_SHARE = 0.2
# Visibility of the listings outside the demo cluster: (public, cluster, coordinators only).
VISIBILITY_WEIGHTS = (0.5, 0.35, 0.15)
# Each visibility twice, in the demo cluster, so every demo user has something of each kind.
DEMO_VISIBILITIES = (
    ListingVisibility.PUBLIC,
    ListingVisibility.CLUSTER,
    ListingVisibility.COORDINATORS,
    ListingVisibility.CLUSTER,
    ListingVisibility.PUBLIC,
    ListingVisibility.COORDINATORS,
)
TRL_BY_STAGE = {"basic": (1, 2), "applied": (2, 3), "proof": (3, 4), "prototype": (4, 6), "practical": (6, 8)}

Progress = Callable[[str, int, int], None]

SEED_TITLES_JA = (
    "{technique}による{application}向け{term}技術",
    "{term}：{technique}と{application}への応用",
    "{application}のための{technique}",
)
SEED_TITLES_EN = (
    "{Technique} for {application}",
    "{Term}: {technique} for {application}",
    "{Technique} in {application}",
)
SEED_SUMMARIES_JA = (
    "{term}の研究を進める中で、{technique}を開発した。従来は{problem}が課題であったが、本技術によりこれを"
    "大きく改善できる見込みである。{application}への応用を想定しており、現在は{stage}の段階にある。"
    "共同研究、技術移転またはライセンスを希望する企業を募集している。",
    "本シーズは{technique}に関するものである。{application}の分野では{problem}が問題となっており、"
    "本技術はその解決に役立つ。{term}に関する成果は{stage}の段階にあり、試料の提供や評価にも応じる。",
)
SEED_SUMMARIES_EN = (
    "Working on {term}, the laboratory has developed {technique}. It addresses {problem}, which has held back "
    "{application}. The work is at the {stage} stage, and we are looking for companies for joint research, "
    "technology transfer or a licence.",
    "This seed concerns {technique}. In {application}, {problem} is a common obstacle, and our results on "
    "{term} show a clear improvement. The work is at the {stage} stage; samples and test data are available "
    "to interested companies.",
)
NEED_TITLES_JA = (
    "{application}における{problem}の解決",
    "{application}向け{term}の共同開発先を探しています",
    "{problem}を解決する{term}技術を求む",
)
NEED_TITLES_EN = (
    "Solving {problem} in {application}",
    "Partner wanted: {term} for {application}",
    "Looking for {term} know-how to tackle {problem}",
)
NEED_DESCRIPTIONS_JA = (
    "当社は{application}向けの製品・部品を製造しているが、{problem}が長年の課題となっている。{term}に関する"
    "技術（例えば{technique}）を持つ大学・研究機関・企業と共同で解決策を開発したい。試作品の評価や"
    "現場での実証には当社の設備を提供できる。",
    "{application}の事業拡大にあたり、{problem}を克服する必要がある。{term}分野の知見をお持ちの研究者との"
    "技術相談から始め、共同研究に発展させたい。",
)
NEED_DESCRIPTIONS_EN = (
    "We make products and parts for {application}, and {problem} has been a problem for years. We would like "
    "to develop a solution with a university, institute or company that knows {term} (for example "
    "{technique}). We can offer our plant for testing prototypes and for trials on site.",
    "To grow our {application} business we need to overcome {problem}. We would like to start with technical "
    "consultation with researchers in {term} and move on to joint research.",
)
CHALLENGE_BRIEF_JA = "{term}を用いた提案を募集します。技術の概要、開発段階、想定する費用と期間を記載してください。"
CHALLENGE_BRIEF_EN = (
    "We invite proposals using {term}. Describe the technology, how far it has come, and the cost and time you expect."
)
PROPOSAL_JA = (
    "当研究室の{technique}を用いれば、{problem}を解決できると考えます。まず試料評価から始めることを提案します。"
)
PROPOSAL_EN = (
    "We propose applying {technique} to {problem}. A first evaluation with your samples could start within "
    "three months."
)
INTEREST_JA = "貴{what}に関心があります。{application}への適用について、一度ご相談させていただけないでしょうか。"
INTEREST_EN = "We are interested in your {what} and would like to discuss applying it to {application}."


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass
class Subject:
    """What one listing is about: a topic of a field, and one technique, application and problem."""

    field: str
    term: vocab.Phrase
    technique: vocab.Phrase
    application: vocab.Phrase
    problem: vocab.Phrase

    def words(self, lang: str) -> dict[str, str]:
        i = 0 if lang == "ja" else 1
        words = {
            "term": self.term[i],
            "technique": self.technique[i],
            "application": self.application[i],
            "problem": self.problem[i],
        }
        words.update({_cap(key): _cap(value) for key, value in words.items()})
        return words


@dataclass
class Listings:
    """What was written, for the load summary and the tests."""

    seeds: int = 0
    needs: int = 0
    challenges: int = 0
    interests: int = 0
    feedback: int = 0
    alerts: int = 0
    demo_needs: list[Need] = field(default_factory=list)
    twin_seeds: dict[int, list[Seed]] = field(default_factory=dict)  # need pk -> seeds on its topic


class ListingGenerator:
    """Builds and writes the demo's seeds and needs from a population that is already written."""

    def __init__(
        self,
        *,
        seed: int,
        scale: float,
        population: PopulationGenerator,
        clusters: dict[str, Cluster],
        fields: dict[str, int],
        demo_cluster: str,
        demo_company: Organisation | None,
        participant: AbstractBaseUser | None,
        coordinator: AbstractBaseUser | None,
        today: date | None = None,
        progress: Progress | None = None,
    ) -> None:
        # A stream of its own, so that adding listings leaves the population as it was.
        self.rng = random.Random(seed * 7919 + 17)
        self.scale = scale
        self.pop = population
        self.clusters = clusters
        self.fields = fields
        self.demo_cluster = demo_cluster
        self.demo_company = demo_company
        self.participant = participant
        self.coordinator = coordinator
        self.today = today or timezone.localdate()
        self.progress = progress or (lambda stage, done, total: None)
        self.result = Listings()

        self.org_clusters: dict[int, list[str]] = defaultdict(list)
        for code, index, role in population.memberships:
            if role != MembershipRole.PROMOTION_ORG and code not in self.org_clusters[index]:
                self.org_clusters[index].append(code)
        self.org_people: dict[int, list[Person]] = defaultdict(list)
        for person_index, org_index, *_rest in population.affiliations:
            self.org_people[org_index].append(population.people[person_index])
        promotion = set(getattr(population, "promotion_index", {}).values())
        orgs = population.orgs
        self.seed_owners = [
            i
            for i, o in enumerate(orgs)
            if (o.kind in ACADEMIC_KINDS or o.kind == K.PUBLIC_RESEARCH) and i not in promotion
        ]
        self.need_owners = [i for i, o in enumerate(orgs) if o.kind in (K.SME, K.LARGE_ENTERPRISE)]

    # --- drawing ---------------------------------------------------------------------------------

    def subject(self, org_index: int, field_code: str | None = None) -> Subject:
        rng = self.rng
        codes = [c for c in self.pop.org_fields[org_index] if c in vocab.LISTING_TOPICS] or ["manufacturing"]
        code = field_code if field_code in vocab.LISTING_TOPICS else rng.choice(codes)
        term_ja, term_en, techniques, applications, problems = rng.choice(vocab.LISTING_TOPICS[code])
        return Subject(code, (term_ja, term_en), rng.choice(techniques), rng.choice(applications), rng.choice(problems))

    def languages(self, lang: str | None = None) -> tuple[str, bool]:
        """The original language and whether the listing is written in both."""
        lang = lang or ("ja" if self.rng.random() < 0.5 else "en")
        return lang, self.rng.random() < BILINGUAL_SHARE

    def visibility(self) -> str:
        return self.rng.choices(
            [ListingVisibility.PUBLIC, ListingVisibility.CLUSTER, ListingVisibility.COORDINATORS], VISIBILITY_WEIGHTS
        )[0]

    def created_at(self) -> datetime:
        moment = datetime.combine(self.today - timedelta(days=self.rng.randint(0, 400)), datetime.min.time())
        return timezone.make_aware(moment + timedelta(minutes=self.rng.randint(8 * 60, 19 * 60)))

    def seed(self, org_index: int, subject: Subject, *, lang: str | None = None, visibility: str | None = None) -> Seed:
        rng = self.rng
        lang, both = self.languages(lang)
        stage = rng.choice(list(vocab.STAGE_WORDS))
        texts = {}
        for language in ("ja", "en"):
            if language != lang and not both:
                texts[language] = ("", "")
                continue
            words = subject.words(language) | {"stage": vocab.STAGE_WORDS[stage][0 if language == "ja" else 1]}
            titles, summaries = (
                (SEED_TITLES_JA, SEED_SUMMARIES_JA) if language == "ja" else (SEED_TITLES_EN, SEED_SUMMARIES_EN)
            )
            texts[language] = (rng.choice(titles).format(**words), rng.choice(summaries).format(**words))
        i = 0 if lang == "ja" else 1
        keywords = [subject.term[i], subject.technique[i].removeprefix("a ").removeprefix("an ")]
        if both:
            keywords.append(subject.term[1 - i])
        patents = ""
        if rng.random() < 0.3:
            number = rng.randint(100000, 399999)
            year = rng.randint(2003, 2008)
            patents = f"特願{year}-{number}" if lang == "ja" else f"JP application {year}-{number}"
        low, high = TRL_BY_STAGE[stage]
        return Seed(
            lang=lang,
            title_ja=texts["ja"][0][:300],
            title_en=texts["en"][0][:300],
            summary_ja=texts["ja"][1],
            summary_en=texts["en"][1],
            organisation=self.pop.orgs[org_index],
            keywords=(", " if lang == "en" else "、").join(keywords)[:500],
            stage=Stage(stage),
            trl=rng.randint(low, high),
            related_patents=patents,
            visibility=visibility or self.visibility(),
            anonymised=rng.random() < 0.03,
            source=RecordSource.GENERATED,
        )

    def need(self, org_index: int, subject: Subject, *, lang: str | None = None, visibility: str | None = None) -> Need:
        rng = self.rng
        lang, both = self.languages(lang)
        texts = {}
        for language in ("ja", "en"):
            if language != lang and not both:
                texts[language] = ("", "")
                continue
            words = subject.words(language)
            titles, descriptions = (
                (NEED_TITLES_JA, NEED_DESCRIPTIONS_JA) if language == "ja" else (NEED_TITLES_EN, NEED_DESCRIPTIONS_EN)
            )
            texts[language] = (rng.choice(titles).format(**words), rng.choice(descriptions).format(**words))
        fiscal_year = self.today.year if self.today.month >= 4 else self.today.year - 1
        timing = rng.choice(
            [
                (f"{fiscal_year + 1}年度内", f"within FY{fiscal_year + 1}"),
                ("半年以内", "within 6 months"),
                ("1年以内", "within a year"),
                ("2年以内", "within two years"),
                ("", ""),
            ]
        )
        budget_min, budget_max = rng.choice(vocab.NEED_BUDGETS)
        people = self.org_people.get(org_index) or []
        return Need(
            lang=lang,
            title_ja=texts["ja"][0][:300],
            title_en=texts["en"][0][:300],
            description_ja=texts["ja"][1],
            description_en=texts["en"][1],
            organisation=self.pop.orgs[org_index],
            desired_timing=timing[0 if lang == "ja" else 1],
            budget_min_yen=budget_min,
            budget_max_yen=budget_max,
            contact=rng.choice(people) if people else None,
            status=NeedStatus.CLOSED if rng.random() < 0.1 else NeedStatus.OPEN,
            visibility=visibility or self.visibility(),
            anonymised=rng.random() < 0.08,
            source=RecordSource.GENERATED,
        )

    def count(self, at_scale_1: int, minimum: int) -> int:
        return max(minimum, round(at_scale_1 * self.scale))

    # --- the demo cluster ------------------------------------------------------------------------

    def demo_members(self, kinds: set[str]) -> list[int]:
        return sorted(
            index
            for (code, index, role) in self.pop.memberships
            if code == self.demo_cluster and self.pop.orgs[index].kind in kinds and role != MembershipRole.PROMOTION_ORG
        )

    def ensure_demo_researchers(self) -> list[int]:
        """Academic members of the demo cluster; at a small scale there may be none, so a few
        generated universities or institutes join it as research members."""
        academic = ACADEMIC_KINDS | {K.PUBLIC_RESEARCH}
        members = [i for i in self.demo_members(academic) if self.org_people.get(i)]
        if len(members) >= 2:
            return members
        candidates = [i for i in self.seed_owners if i not in members and self.org_people.get(i)]
        joining = self.rng.sample(candidates, k=min(2 - len(members), len(candidates)))
        spec = self.pop.specs[self.demo_cluster]
        start = fy_start(spec.start_fy) if spec.start_fy else None
        end = fy_end(spec.end_fy) if spec.end_fy else None
        Membership.objects.bulk_create(
            [
                Membership(
                    cluster=self.clusters[self.demo_cluster],
                    organisation=self.pop.orgs[index],
                    role=MembershipRole.RESEARCH,
                    start_on=start,
                    end_on=end,
                    note="generated demo data (seeds for the demo cluster)",
                )
                for index in joining
            ]
        )
        for index in joining:
            self.pop.memberships[(self.demo_cluster, index, MembershipRole.RESEARCH)] = (start, end, "")
            self.org_clusters[index].append(self.demo_cluster)
        return members + joining

    # --- building --------------------------------------------------------------------------------

    def run(self) -> Listings:
        rng = self.rng
        seeds: list[Seed] = []
        seed_subjects: list[Subject] = []
        needs: list[Need] = []
        need_subjects: list[Subject] = []
        twins: list[tuple[int, int]] = []  # (need position, seed position) on the same topic

        def add_seed(org_index: int, subject: Subject, **options) -> int:
            seeds.append(self.seed(org_index, subject, **options))
            seed_subjects.append(subject)
            return len(seeds) - 1

        def add_need(org_index: int, subject: Subject, **options) -> int:
            needs.append(self.need(org_index, subject, **options))
            need_subjects.append(subject)
            return len(needs) - 1

        # 1. The demo cluster: needs of each visibility, each with a seed on its topic in the
        #    other language; the demo participant's company has needs of its own.
        researchers = self.ensure_demo_researchers()
        companies = self.demo_members({K.SME, K.LARGE_ENTERPRISE})
        company_index = next((i for i, o in enumerate(self.pop.orgs) if o is self.demo_company), None)
        demo_positions: list[int] = []
        if company_index is not None:
            for lang, visibility in (("ja", ListingVisibility.CLUSTER), ("en", ListingVisibility.PUBLIC)):
                position = add_need(company_index, self.subject(company_index), lang=lang, visibility=visibility)
                needs[position].status, needs[position].anonymised = NeedStatus.OPEN, False
                demo_positions.append(position)
        others = [i for i in companies if i != company_index] or companies
        for number, visibility in enumerate(DEMO_VISIBILITIES):
            owner = rng.choice(others) if others else company_index
            if owner is None:
                break
            position = add_need(
                owner, self.subject(owner), lang="ja" if number % 2 == 0 else "en", visibility=visibility
            )
            needs[position].status = NeedStatus.OPEN
            needs[position].anonymised = number == 3  # one anonymised need, brokered by the coordinator
            demo_positions.append(position)
        for number, position in enumerate(demo_positions):
            if not researchers:
                break
            subject = need_subjects[position]
            other_lang = "en" if needs[position].lang == "ja" else "ja"
            owner = researchers[number % len(researchers)]
            seed_position = add_seed(
                owner, subject, lang=other_lang, visibility=DEMO_VISIBILITIES[number % len(DEMO_VISIBILITIES)]
            )
            seeds[seed_position].anonymised = number == 4
            twins.append((position, seed_position))

        # 2. Everyone else: seeds from the academic organisations, needs from the companies.
        weights = [3 if self.pop.orgs[i].kind == K.UNIVERSITY else 1 for i in self.seed_owners]
        for owner in (
            rng.choices(self.seed_owners, weights, k=self.count(SEEDS_AT_SCALE_1, 10)) if self.seed_owners else []
        ):
            add_seed(owner, self.subject(owner))
        weights = [4 if self.pop.orgs[i].kind == K.LARGE_ENTERPRISE else 1 for i in self.need_owners]
        for owner in (
            rng.choices(self.need_owners, weights, k=self.count(NEEDS_AT_SCALE_1, 6)) if self.need_owners else []
        ):
            add_need(owner, self.subject(owner))
        # A few of the ordinary ones in each language on the same topic, seed for need.
        for position in range(len(needs)):
            if position in demo_positions or not self.seed_owners or rng.random() > 0.25:
                continue
            subject = need_subjects[position]
            other_lang = "en" if needs[position].lang == "ja" else "ja"
            twins.append((position, add_seed(rng.choice(self.seed_owners), subject, lang=other_lang)))

        # 3. Write them, with their fields, clusters and researchers.
        self.write_listings(Seed, seeds, seed_subjects, "seeds")
        self.write_listings(Need, needs, need_subjects, "needs")
        Seed.researchers.through.objects.bulk_create(
            [
                Seed.researchers.through(seed_id=seed.pk, person_id=person.pk)
                for seed in seeds
                for person in self.pick_researchers(seed)
            ],
            batch_size=2000,
        )
        self.result.seeds, self.result.needs = len(seeds), len(needs)
        self.result.demo_needs = [needs[p] for p in demo_positions]
        for need_position, seed_position in twins:
            self.result.twin_seeds.setdefault(needs[need_position].pk, []).append(seeds[seed_position])

        # 4. What happens around them.
        self.write_challenges(needs, need_subjects, demo_positions)
        self.write_activity(demo_positions, needs, need_subjects)
        return self.result

    def pick_researchers(self, seed: Seed) -> list[Person]:
        people = self.org_people_by_pk.get(seed.organisation_id) or []
        return self.rng.sample(people, k=min(len(people), self.rng.randint(1, 3)))

    @property
    def org_people_by_pk(self) -> dict[int, list[Person]]:
        if not hasattr(self, "_org_people_by_pk"):
            self._org_people_by_pk = {self.pop.orgs[i].pk: people for i, people in self.org_people.items()}
        return self._org_people_by_pk

    def write_listings(self, model: type[Seed] | type[Need], rows: list, subjects: list[Subject], stage: str) -> None:
        for start in range(0, len(rows), 1000):
            model.objects.bulk_create(rows[start : start + 1000])
            self.progress(stage, min(start + 1000, len(rows)), len(rows))
        # auto_now_add stamps every row with now; spread them over the past year, as a real
        # platform's listings would be.
        for row in rows:
            row.created_at = row.updated_at = self.created_at()
        model.objects.bulk_update(rows, ["created_at", "updated_at"], batch_size=1000)
        organisation_index = {org.pk: i for i, org in enumerate(self.pop.orgs)}
        model.fields.through.objects.bulk_create(
            [
                model.fields.through(**{f"{model._meta.model_name}_id": row.pk, "techfield_id": self.fields[s.field]})
                for row, s in zip(rows, subjects, strict=True)
                if s.field in self.fields
            ],
            batch_size=2000,
        )
        model.clusters.through.objects.bulk_create(
            [
                model.clusters.through(**{f"{model._meta.model_name}_id": row.pk, "cluster_id": self.clusters[code].pk})
                for row in rows
                for code in self.org_clusters.get(organisation_index[row.organisation_id], [])
            ],
            batch_size=2000,
        )

    def write_challenges(self, needs: list[Need], subjects: list[Subject], demo_positions: list[int]) -> None:
        """A few open needs become challenges with deadlines ahead; the demo ones get proposals."""
        rng = self.rng
        wanted = self.count(CHALLENGES_AT_SCALE_1, 3)
        chosen = demo_positions[:1] + demo_positions[2:3]  # the participant's first need and one more
        open_public = [
            p
            for p in range(len(needs))
            if p not in chosen
            and needs[p].status == NeedStatus.OPEN
            and needs[p].visibility != ListingVisibility.COORDINATORS
        ]
        chosen += rng.sample(open_public, k=min(max(0, wanted - len(chosen)), len(open_public)))
        challenges = []
        for position in chosen:
            words = subjects[position].words(needs[position].lang)
            brief = CHALLENGE_BRIEF_JA if needs[position].lang == "ja" else CHALLENGE_BRIEF_EN
            challenges.append(
                Challenge(
                    need=needs[position],
                    deadline=self.today + timedelta(days=rng.randint(21, 120)),
                    brief=brief.format(**words),
                )
            )
        Challenge.objects.bulk_create(challenges)
        self.result.challenges = len(challenges)
        proposals = []
        for challenge in challenges[:2]:
            for seed in self.result.twin_seeds.get(challenge.need_id, [])[:1]:
                subject = next(s for n, s in zip(needs, subjects, strict=True) if n.pk == challenge.need_id)
                text = PROPOSAL_JA if seed.lang == "ja" else PROPOSAL_EN
                proposals.append(
                    Proposal(
                        challenge=challenge,
                        seed=seed,
                        text=text.format(**subject.words(seed.lang)),
                        status=ProposalStatus.SUBMITTED,
                    )
                )
        Proposal.objects.bulk_create(proposals)
        inbox = []
        for proposal in proposals:
            need = proposal.challenge.need
            for user in {*matching_services.owner_users(need), *matching_services.coordinator_users(need)}:
                inbox.append(
                    InboxItem(
                        user=user,
                        kind=InboxKind.PROPOSAL,
                        proposal=proposal,
                        seed=proposal.seed,
                        need=need,
                        reason=proposal.text[:500],
                    )
                )
        InboxItem.objects.bulk_create(inbox)
        self.progress("challenges", len(challenges), len(challenges))

    def write_activity(self, demo_positions: list[int], needs: list[Need], subjects: list[Subject]) -> None:
        """Expressions of interest, coordinator feedback and an alert in the demo cluster."""
        rng = self.rng
        demo_needs = [needs[p] for p in demo_positions]
        subject_of = {needs[p].pk: subjects[p] for p in demo_positions}
        senders = [
            person
            for i in self.need_owners + self.seed_owners
            for person in self.org_people.get(i, [])[:1]
            if self.demo_cluster in self.org_clusters.get(i, [])
        ] or [p for people in self.org_people.values() for p in people][:20]

        # Expressions of interest: researchers writing about the demo needs, companies about the
        # seeds on their topics; one declined with a coded reason, one accepted.
        interests: list[Interest] = []
        for number, need in enumerate(demo_needs):
            seeds = self.result.twin_seeds.get(need.pk, [])
            researcher = next(iter(self.pick_researchers(seeds[0])), None) if seeds else None
            if researcher is not None:
                interests.append(self.interest(need, researcher, subject_of[need.pk], what=("ニーズ", "need")))
            if seeds and senders and number % 2 == 0:
                interests.append(
                    self.interest(seeds[0], rng.choice(senders), subject_of[need.pk], what=("シーズ", "seed"))
                )
        for number, interest in enumerate(interests):
            if number == 1:
                interest.status = InterestStatus.DECLINED
                interest.decline_reason = DeclineReason.ADVANTAGE_UNCLEAR
            elif number == 2:
                interest.status = InterestStatus.ACCEPTED
        # The demo participant has written about a seed, too.
        if self.participant is not None and demo_needs:
            seeds = self.result.twin_seeds.get(demo_needs[0].pk, [])
            if seeds:
                person = Person.objects.filter(user=self.participant).first()
                interests.append(
                    Interest(
                        seed=seeds[0],
                        sender=self.participant,
                        sender_name=person.name_ja if person else self.participant.get_username(),
                        sender_organisation=self.demo_company.name_ja if self.demo_company else "",
                        sender_email=self.participant.email,
                        message=INTEREST_JA.format(
                            what="シーズ", application=subject_of[demo_needs[0].pk].application[0]
                        ),
                    )
                )
        for interest in interests:
            recipients, routed = matching_services.interest_recipients(interest.listing)
            interest.routed_to_coordinator = routed
            interest.recipients = recipients  # type: ignore[attr-defined]
        Interest.objects.bulk_create(interests)
        inbox = [
            InboxItem(
                user=user,
                kind=InboxKind.INTEREST,
                interest=interest,
                seed=interest.seed,
                need=interest.need,
                reason=interest.message[:500],
            )
            for interest in interests
            for user in interest.recipients  # type: ignore[attr-defined]
        ]
        inbox += [
            InboxItem(
                user=interest.sender,
                kind=InboxKind.DECLINE,
                interest=interest,
                seed=interest.seed,
                need=interest.need,
                reason=str(DeclineReason(interest.decline_reason).label),
            )
            for interest in interests
            if interest.status == InterestStatus.DECLINED and interest.sender is not None
        ]
        self.result.interests = len(interests)

        # Coordinator feedback on the seeds suggested for the demo needs.
        feedback = []
        if self.coordinator is not None:
            verdicts = [
                (Verdict.USEFUL, "", "研究室訪問を調整中"),
                (Verdict.INTRODUCED, "", "2社と研究室の面談を設定済み / meeting arranged"),
                (Verdict.NOT_USEFUL, DeclineReason.TOO_EARLY, "TRLが低く、時期尚早"),
                (Verdict.USEFUL, "", ""),
                (Verdict.NOT_USEFUL, DeclineReason.OUTSIDE_FIELD, "Outside the company's field"),
            ]
            for number, need in enumerate(demo_needs[: len(verdicts)]):
                for seed in self.result.twin_seeds.get(need.pk, [])[:1]:
                    verdict, reason, note = verdicts[number]
                    feedback.append(
                        Feedback(
                            need=need,
                            target_kind=TargetKind.SEED,
                            target_id=seed.pk,
                            verdict=verdict,
                            decline_reason=reason,
                            note=note,
                            author=self.coordinator,
                        )
                    )
        Feedback.objects.bulk_create(feedback)
        self.result.feedback = len(feedback)

        # The demo participant's alerts: a saved search on their company's field and one on
        # their first need; each already has a seed on its topic in the inbox.
        alerts = []
        own_needs = [
            n for n in demo_needs if self.demo_company is not None and n.organisation_id == self.demo_company.pk
        ]
        if self.participant is not None and own_needs:
            subject = subject_of[own_needs[0].pk]
            alerts.append(
                Alert(
                    user=self.participant,
                    name=f"{subject.term[0]} / {subject.term[1]}",
                    query=f"{subject.term[0]} {subject.term[1]}",
                )
            )
            alerts.append(Alert(user=self.participant, name=own_needs[0].title[:200], need=own_needs[0]))
            Alert.objects.bulk_create(alerts)
            for alert in alerts:
                for seed in self.result.twin_seeds.get(own_needs[0].pk, [])[:1]:
                    inbox.append(
                        InboxItem(
                            user=self.participant,
                            kind=InboxKind.ALERT_MATCH,
                            alert=alert,
                            seed=seed,
                            reason=f"{subject.term[0]}, {subject.term[1]}",
                        )
                    )
        InboxItem.objects.bulk_create(inbox)
        self.result.alerts = len(alerts)
        self.progress("interests, feedback and alerts", 1, 1)

    def interest(self, listing: Seed | Need, sender: Person, subject: Subject, *, what: tuple[str, str]) -> Interest:
        lang = listing.lang
        message = (INTEREST_JA if lang == "ja" else INTEREST_EN).format(
            what=what[0] if lang == "ja" else what[1], application=subject.application[0 if lang == "ja" else 1]
        )
        organisation = next(
            (self.pop.orgs[o] for p, o, *_ in self.pop.affiliations if self.pop.people[p] is sender), None
        )
        return Interest(
            seed=listing if isinstance(listing, Seed) else None,
            need=listing if isinstance(listing, Need) else None,
            sender_name=sender.name_ja if lang == "ja" else sender.name_en,
            sender_organisation=(organisation.name_ja if lang == "ja" else organisation.name_en)
            if organisation
            else "",
            sender_email=sender.email or f"{sender.given_name_en.lower()}.{sender.family_name_en.lower()}@demo.example",
            message=message,
        )
