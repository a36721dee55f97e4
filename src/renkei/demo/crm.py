"""The demo's coordinator CRM: interactions, introductions through every stage of the pipeline and
follow-ups, in the clusters where the demo's coordinator and HQ staff work.

What the demo logins find (whatever the scale):
- the coordinator's home lists overdue follow-ups (some of HQ's too), others are due later or
  done; about one interaction in seven has confidential notes;
- the board of each demo cluster has introductions at every stage, closed ones with their
  reason and one reopened by HQ; they link the cluster's companies with its universities and
  researchers, most of them made for one of the cluster's needs and seeds, so the conversion page
  has fiscal years, coordinators and technology fields to compare;
- consultations, company visits, calls, meetings, NDAs signed and joint research agreed, written
  in Japanese or English, tied to the cluster's members, their people and listings.

Dates count back from the day of the load, so follow-ups are overdue whenever the demo is loaded.
Everything comes from one random.Random and goes through the CRM's services as the coordinator
(or HQ) who did it, so the records are validated and have a change history like any other."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q

from renkei.brokerage import services
from renkei.brokerage.choices import PIPELINE, InteractionKind, IntroductionStage
from renkei.brokerage.models import Interaction, Introduction
from renkei.demo.generator import ACADEMIC_KINDS, COMPANY_KINDS
from renkei.directory.access import visible_organisations, visible_people
from renkei.directory.models import Affiliation, Organisation, Person
from renkei.matching.access import visible_needs, visible_seeds
from renkei.matching.models import Need, Seed
from renkei.programs.models import Cluster

Progress = Callable[[str, int, int], None]
STEP = "CRM interactions and introductions"

# Final stages of the introductions in one cluster, in the order they are made (oldest first, so
# that those furthest on had the time to get there). "closed@met" closes after meeting.
STAGE_PLAN = (
    "commercialised",
    "joint_research",
    "closed@nda",
    "commercialised",
    "nda",
    "joint_research",
    "closed@introduced",
    "met",
    "nda",
    "closed@met",
    "joint_research",
    "met",
    "reopened",
    "nda",
    "met",
    "closed@met",
    "introduced",
    "met",
    "introduced",
    "introduced",
)
STANDALONE_INTERACTIONS = 24
CONFIDENTIAL_SHARE = 0.15
JAPANESE_SHARE = 0.65

CLOSED_REASONS = (
    ("予算の確保ができず見送り", "No budget could be found this fiscal year"),
    ("企業側が別の大学と共同研究を開始", "The company chose another university partner"),
    ("秘密保持条件で合意できず", "No agreement on the confidentiality terms"),
    ("技術の成熟度が事業化に足りない", "The technology is not yet mature enough for the product"),
)
# The interaction logged when an introduction reaches a stage.
STAGE_WORDS = {
    "met": ("面談", "Meeting"),
    "nda": ("NDA締結", "NDA signed"),
    "joint_research": ("共同研究契約", "Joint research agreed"),
}
REOPEN_REASON = ("補助金の採択で予算が確保できたため再開", "A subsidy was awarded, so the budget is there again")

# kind -> (Japanese topic, English topic, Japanese notes, English notes); {org}, {person}, {listing}.
TOPICS: dict[str, tuple[tuple[str, str, str, str], ...]] = {
    InteractionKind.CONSULTATION: (
        (
            "{org}：{listing}に関する技術相談",
            "{org}: technical consultation on {listing}",
            "量産時の歩留まりが課題。大学の評価設備の利用を希望。",
            "Yield at volume is the issue; they would like to use the university's test equipment.",
        ),
        (
            "{org}から補助金申請の相談",
            "{org} asked about applying for a subsidy",
            "戦略的基盤技術高度化支援事業への応募を検討中。申請書の構成を助言。",
            "Considering the Supporting Industry programme; advised on the structure of the application.",
        ),
    ),
    InteractionKind.VISIT: (
        (
            "{org}を訪問（工場見学）",
            "Company visit to {org} (plant tour)",
            "加工ラインを見学。検査工程の自動化ニーズを確認。",
            "Toured the machining line; confirmed they want to automate the inspection step.",
        ),
        (
            "{org}へコーディネータ派遣",
            "Coordinator dispatched to {org}",
            "{person}と面談。新事業の方向性について意見交換。",
            "Met {person}; exchanged views on where the new business could go.",
        ),
    ),
    InteractionKind.CALL: (
        (
            "{person}と電話：{listing}の進捗",
            "Call with {person} on {listing}",
            "試作品の評価結果は来月。次回は先方から連絡。",
            "Test results of the prototype are due next month; they will call back.",
        ),
    ),
    InteractionKind.MEETING: (
        (
            "{org}と打合せ：共同研究の進め方",
            "Meeting with {org} on how to run the joint research",
            "研究計画と知財の取扱いを整理。次回までに役割分担案を作成。",
            "Sorted out the research plan and IP terms; a division of roles to be drafted for next time.",
        ),
        (
            "交流会後の個別面談（{org}）",
            "One-to-one meeting after the exchange meeting ({org})",
            "展示したサンプルに関心。資料を送付予定。",
            "Interested in the samples on show; documents to be sent.",
        ),
    ),
}
CONFIDENTIAL_NOTES = (
    (
        "資金繰りが厳しく、年度内の設備投資は困難との本音。",
        "Cash is tight: no equipment investment this fiscal year, in confidence.",
    ),
    ("特許出願前のため、発表は出願後まで控えること。", "Patent not yet filed: nothing to be presented before filing."),
    (
        "事業譲渡を検討中との情報あり。外部には伏せること。",
        "They are considering selling the business; keep this internal.",
    ),
)


@dataclass
class ClusterCast:
    """What one demo cluster offers the generator: its staff, members, people and listings."""

    cluster: Cluster
    staff: list[AbstractBaseUser]
    companies: list[Organisation]
    academics: list[Organisation]
    people: dict[int, list[Person]] = field(default_factory=dict)
    needs: list[Need] = field(default_factory=list)
    seeds: list[Seed] = field(default_factory=list)


@dataclass
class CrmCounts:
    interactions: int = 0
    introductions: int = 0
    overdue: int = 0


class CrmGenerator:
    def __init__(
        self,
        *,
        seed: int,
        clusters: list[tuple[Cluster, list[AbstractBaseUser]]],
        today: date | None = None,
        progress: Progress | None = None,
    ) -> None:
        self.random = random.Random(f"crm-{seed}")
        self.clusters = clusters
        self.today = today or services.today()
        self.progress = progress or (lambda stage, done, total: None)
        self.counts = CrmCounts()

    # -- the cast of a cluster ------------------------------------------------------------------

    def cast_of(self, cluster: Cluster, staff: list[AbstractBaseUser]) -> ClusterCast:
        reader = staff[0]
        members = (
            visible_organisations(reader)
            .filter(memberships__cluster=cluster)
            .exclude(pk=cluster.promotion_organisation_id)
            .distinct()
            .order_by("pk")
        )
        companies = [o for o in members if o.kind in COMPANY_KINDS]
        academics = [o for o in members if o.kind in ACADEMIC_KINDS] or [o for o in members if o not in companies]
        people: dict[int, list[Person]] = {}
        seen_people = visible_people(reader)
        affiliations = Affiliation.objects.filter(organisation__in=members, person__in=seen_people)
        for affiliation in affiliations.select_related("person").order_by("pk"):
            people.setdefault(affiliation.organisation_id, []).append(affiliation.person)
        needs = list(visible_needs(reader).filter(clusters=cluster).order_by("pk")[:40])
        seeds = list(visible_seeds(reader).filter(clusters=cluster).order_by("pk")[:40])
        return ClusterCast(cluster, staff, companies, academics, people, needs, seeds)

    # -- helpers --------------------------------------------------------------------------------

    def lang(self) -> str:
        return "ja" if self.random.random() < JAPANESE_SHARE else "en"

    def days_ago(self, low: int, high: int) -> date:
        return self.today - timedelta(days=self.random.randint(low, high))

    def person_at(self, cast: ClusterCast, organisation: Organisation) -> Person | None:
        people = cast.people.get(organisation.pk) or []
        return self.random.choice(people) if people else None

    @staticmethod
    def name(record, lang: str) -> str:
        if isinstance(record, Person):
            return record.name_ja if lang == "ja" and record.name_ja else record.name_en or record.name_ja
        if isinstance(record, Need | Seed):
            return (record.title_ja if lang == "ja" else record.title_en) or record.title_ja or record.title_en
        return (record.name_ja if lang == "ja" else record.name_en) or record.name_ja or record.name_en

    def person_label(self, person: Person | None, organisation: Organisation, lang: str) -> str:
        """A person as the notes name them (山田 太郎氏, Taro Yamada), else the organisation."""
        if person is None:
            return self.name(organisation, lang)
        return f"{self.name(person, lang)}氏" if lang == "ja" else self.name(person, lang)

    def subject(self, need: Need | None, company: Organisation, lang: str) -> str:
        """What an introduction is about: the need it was made for, else the company's field."""
        if need is not None:
            return self.name(need, lang)
        field = company.fields.order_by("sort_order").first()
        if field is None:
            return "技術連携" if lang == "ja" else "technical collaboration"
        return f"{field.name_ja}分野の連携" if lang == "ja" else f"collaboration in {field.name_en.lower()}"

    def coordinator(self, cast: ClusterCast) -> AbstractBaseUser:
        """The first of the cluster's staff (the coordinator where there is one) does most of the work."""
        if len(cast.staff) == 1 or self.random.random() < 0.7:
            return cast.staff[0]
        return self.random.choice(cast.staff[1:])

    def follow_up(self, on: date, *, overdue: bool | None = None) -> tuple[date | None, bool]:
        """(next follow-up, done) for an interaction on `on`: overdue, due later, done, or none."""
        age = (self.today - on).days
        roll = self.random.random()
        if overdue or (overdue is None and roll < 0.3 and age > 3):
            return on + timedelta(days=self.random.randint(1, max(1, min(age - 1, 45)))), False
        if overdue is None and roll < 0.55:
            return self.today + timedelta(days=self.random.randint(1, 30)), False
        if overdue is None and roll < 0.75 and age > 1:
            return on + timedelta(days=self.random.randint(1, max(1, min(age, 30)))), True
        return None, False

    def log(
        self,
        actor: AbstractBaseUser,
        cast: ClusterCast,
        kind: str,
        on: date,
        *,
        organisations: list[Organisation],
        people: list[Person],
        topic: str,
        notes: str,
        confidential: bool = False,
        follow_up: tuple[date | None, bool] = (None, False),
        need: Need | None = None,
        seed: Seed | None = None,
    ) -> Interaction:
        next_on, done = follow_up
        interaction = Interaction(
            kind=kind,
            date=on,
            cluster=cast.cluster,
            coordinator=actor,
            topic=topic[:300],
            notes=notes,
            confidential=confidential,
            next_follow_up_on=next_on,
            follow_up_done=done,
            need=need,
            seed=seed,
        )
        services.do_save_interaction(actor, interaction, organisations=organisations, people=people)
        self.counts.interactions += 1
        if next_on is not None and not done and next_on < self.today:
            self.counts.overdue += 1
        return interaction

    # -- standalone interactions ----------------------------------------------------------------

    def standalone(self, cast: ClusterCast, index: int) -> None:
        kind = (InteractionKind.CONSULTATION, InteractionKind.VISIT, InteractionKind.CALL, InteractionKind.MEETING)[
            index % 4
        ]
        actor = cast.staff[0] if index < 6 else self.coordinator(cast)
        lang = self.lang()
        organisation = self.random.choice(cast.companies or cast.academics)
        person = self.person_at(cast, organisation)
        need = next((n for n in cast.needs if n.organisation_id == organisation.pk), None)
        listing = need or (self.random.choice(cast.needs) if cast.needs else None)
        topic_ja, topic_en, notes_ja, notes_en = self.random.choice(TOPICS[kind])
        words = {
            "org": self.name(organisation, lang),
            "person": self.person_label(person, organisation, lang),
            "listing": self.name(listing, lang)
            if listing
            else ("新製品開発" if lang == "ja" else "new product development"),
        }
        topic = (topic_ja if lang == "ja" else topic_en).format(**words)
        notes = (notes_ja if lang == "ja" else notes_en).format(**words)
        confidential = self.random.random() < CONFIDENTIAL_SHARE or index == 1
        if confidential:
            secret_ja, secret_en = self.random.choice(CONFIDENTIAL_NOTES)
            notes = f"{notes}\n{secret_ja if lang == 'ja' else secret_en}"
        on = self.days_ago(2, 400)
        # The first few of the main coordinator's are recent with their follow-up overdue, so the
        # home page has something to show however the dice fall.
        if index < 4:
            on = self.days_ago(8, 40)
        follow_up = self.follow_up(on, overdue=True if index < 4 else None)
        self.log(
            actor,
            cast,
            kind,
            on,
            organisations=[organisation],
            people=[person] if person else [],
            topic=topic,
            notes=notes,
            confidential=confidential,
            follow_up=follow_up,
            need=need if need and listing is need else None,
        )

    # -- introductions --------------------------------------------------------------------------

    def path_to(self, plan: str) -> tuple[list[str], str | None]:
        """The open stages an introduction passes (some skipped) and how it ends: None (still at
        the last stage), "closed" or "reopened"."""
        if plan == "reopened":
            return ["met"], "reopened"
        end = None
        if plan.startswith("closed@"):
            plan, end = plan.split("@", 1)[1], "closed"
        target = PIPELINE.index(IntroductionStage(plan))
        stages = [s.value for s in PIPELINE[1 : target + 1]]
        # Now and then a stage is skipped (an NDA signed at the first meeting), never the last.
        if len(stages) > 1 and self.random.random() < 0.25:
            stages.pop(self.random.randrange(len(stages) - 1))
        return stages, end

    def introduction(self, cast: ClusterCast, index: int, plan: str) -> None:
        actor = self.coordinator(cast)
        lang = self.lang()
        stages, end = self.path_to(plan)
        moves = len(stages) + (1 if end == "closed" else 2 if end == "reopened" else 0)
        gaps = [self.random.randint(14, 75) for _ in range(moves)]
        # Older introductions for those that went further; the newest still waiting.
        on = self.today - timedelta(days=sum(gaps) + self.random.randint(3, 40) + 12 * (len(STAGE_PLAN) - index))
        # Two in three are made for one of the cluster's needs with a seed; the rest from a visit.
        need = cast.needs[index % len(cast.needs)] if cast.needs and index % 3 != 2 else None
        seed = cast.seeds[index % len(cast.seeds)] if cast.seeds and need is not None else None
        company = cast.companies[index % len(cast.companies)]
        if need is not None and need.organisation in cast.companies:
            company = need.organisation
        academic = cast.academics[index % len(cast.academics)]
        if seed is not None and seed.organisation in cast.academics:
            academic = seed.organisation
        if company == academic:
            return
        researcher = self.person_at(cast, academic)
        subject = self.subject(need, company, lang)
        topic = (
            f"{self.name(company, lang)} × {self.name(academic, lang)}：{subject}"
            if lang == "ja"
            else f"{self.name(company, lang)} × {self.name(academic, lang)}: {subject}"
        )
        introduction = services.do_save_introduction(
            actor,
            Introduction(
                cluster=cast.cluster,
                coordinator=actor,
                party_a_organisation=company,
                party_b_organisation=academic,
                party_b_person=researcher,
                topic=topic[:300],
                introduced_on=on,
                notes=(
                    "交流会で紹介。双方とも関心が高い。"
                    if lang == "ja"
                    else "Introduced at the exchange meeting; both keen."
                ),
                source_need=need,
                source_seed=seed if need is not None else None,
            ),
        )
        self.counts.introductions += 1
        parties = {"organisations": [company, academic], "people": [researcher] if researcher else []}
        self.log(
            actor,
            cast,
            InteractionKind.INTRODUCTION,
            on,
            topic=("紹介：" if lang == "ja" else "Introduction: ") + topic,
            notes=introduction.notes,
            need=need,
            seed=seed,
            **parties,
        )
        day = on
        for stage, gap in zip(stages, gaps, strict=False):
            day += timedelta(days=gap)
            services.do_move_stage(actor, introduction, stage, on=day)
            kind = {"nda": InteractionKind.NDA_SIGNED, "joint_research": InteractionKind.JOINT_RESEARCH_AGREED}.get(
                stage, InteractionKind.MEETING
            )
            if stage in STAGE_WORDS:
                label = STAGE_WORDS[stage][0 if lang == "ja" else 1]
                last = stage == stages[-1] and end is None
                self.log(
                    actor,
                    cast,
                    kind,
                    day,
                    topic=f"{label}: {topic}" if lang == "en" else f"{label}：{topic}",
                    notes="",
                    follow_up=self.follow_up(day) if last else (None, False),
                    **parties,
                )
        if end in ("closed", "reopened"):
            day += timedelta(days=gaps[len(stages)])
            reason_ja, reason_en = CLOSED_REASONS[index % len(CLOSED_REASONS)]
            services.do_move_stage(
                actor, introduction, "closed", on=day, reason=reason_ja if lang == "ja" else reason_en
            )
        if end == "reopened":
            day += timedelta(days=gaps[-1])
            hq = cast.staff[-1]
            reason_ja, reason_en = REOPEN_REASON
            services.do_move_stage(hq, introduction, "met", on=day, reason=reason_ja if lang == "ja" else reason_en)

    # -- the run --------------------------------------------------------------------------------

    def run(self) -> CrmCounts:
        casts = [self.cast_of(cluster, staff) for cluster, staff in self.clusters if staff]
        casts = [c for c in casts if c.companies and c.academics]
        total = len(casts) * (STANDALONE_INTERACTIONS + len(STAGE_PLAN))
        done = 0
        self.progress(STEP, done, total)
        for cast in casts:
            for index, plan in enumerate(STAGE_PLAN):
                self.introduction(cast, index, plan)
                done += 1
            for index in range(STANDALONE_INTERACTIONS):
                self.standalone(cast, index)
                done += 1
            self.progress(STEP, done, total)
        return self.counts


def demo_crm_staff(clusters: dict[str, Cluster], users: dict[str, AbstractBaseUser]) -> list[tuple[Cluster, list]]:
    """The demo clusters with CRM logins and their staff: coordinators first, then HQ staff."""
    from renkei.accounts.models import RoleKind
    from renkei.demo.users import DEMO_USERS

    staff: dict[str, list[tuple[int, AbstractBaseUser]]] = {}
    order = {RoleKind.COORDINATOR: 0, RoleKind.HQ_STAFF: 1}
    for demo_user in DEMO_USERS:
        if demo_user.cluster in clusters and demo_user.kind in order and demo_user.username in users:
            staff.setdefault(demo_user.cluster, []).append((order[demo_user.kind], users[demo_user.username]))
    return [(clusters[code], [user for _, user in sorted(rows, key=lambda r: r[0])]) for code, rows in staff.items()]


def do_delete_demo_crm(cluster_ids) -> None:
    """Delete the CRM records of the demo's clusters (they protect its users and clusters), their
    history and their attached files."""
    from renkei.brokerage.models import Attachment

    attached = Attachment.objects.filter(
        Q(interaction__cluster_id__in=cluster_ids) | Q(introduction__cluster_id__in=cluster_ids)
    )
    for attachment in attached:
        storage, path = attachment.file.storage, attachment.file.name
        transaction.on_commit(lambda storage=storage, path=path: storage.delete(path))
    for model in (Interaction, Introduction):
        model.objects.filter(cluster_id__in=cluster_ids).delete()
        model.history.model.objects.filter(cluster_id__in=cluster_ids).delete()
