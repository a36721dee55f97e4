"""The demo's events: a business-matching event that was held, one open for registration and
requests, and seminars, exchange meetings and a symposium on the public calendar.

What the demo logins find (whatever the scale):
- TAMA HQ (demo-hq-tama) organises an upcoming business-matching event (商談会) with time slots,
  tables, about sixteen participants whose marketplace profiles (Japanese, English or both) are
  written from the demo's topics, their availability, and meeting requests in every state:
  pending, accepted (some by mutual interest), declined with a reason, cancelled. Nothing is
  scheduled yet, so HQ can press "Run the scheduler" and then "Announce".
- The demo participant (demo-participant) is registered for it with a profile: one request
  waits for their answer, one of theirs was accepted, and they can send more.
- The business-matching event TAMA held some weeks ago: check-ins, announced meetings held or
  missed (a realistic mix), a cancelled registration; the demo participant took part.
- Other events of TAMA and of the KANSAI Bio-Cluster, past and upcoming; one exchange meeting
  is full and has a waiting list.

Everything goes through the events services as the person who would do it: HQ creates the
events, slots and tables; participants register, fill in their profiles and availability, send,
answer and cancel requests; HQ runs the scheduler, announces and checks people in; visitors use
the public form. The participants of the business-matching events act through logins of their
own (``demo-matching-NN``, without a password: nobody signs in as them). A held event is built
while it is still ahead, then moved back to its date, since the services rightly refuse requests
once an event is over. The registration mails are recorded and marked as not needed: the demo
mails nobody. Dates count from the day of the load; choices come from one random.Random."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import F, Q
from django.utils import timezone

from renkei.accounts.models import Role, RoleKind
from renkei.core.models import RecordSource, TechField
from renkei.demo import vocabulary as vocab
from renkei.demo.generator import ACADEMIC_KINDS, COMPANY_KINDS
from renkei.directory.choices import OrganisationKind
from renkei.directory.models import Affiliation, Organisation, Person
from renkei.events import marketplace, meetings, outcomes, services
from renkei.events.choices import (
    EventKind,
    EventLanguage,
    EventStatus,
    MailState,
    MeetingStatus,
    MissedBy,
    RegistrationStatus,
)
from renkei.events.models import (
    Event,
    Meeting,
    MeetingRequest,
    Registration,
    RegistrationMail,
    Table,
    TimeSlot,
)
from renkei.programs.models import Cluster, Membership

Progress = Callable[[str, int, int], None]
STEP = "events and business matching"
MATCHING_USERNAME = "demo-matching-{:02d}"
MATCHING_USER_PREFIX = "demo-matching-"

# The topics (vocabulary.LISTING_TOPICS) the TAMA business-matching events are about.
MATCHING_FIELDS = ("manufacturing", "robotics", "sensing", "automotive")
UPCOMING_COMPANIES, UPCOMING_ACADEMICS = 10, 6
PAST_COMPANIES, PAST_ACADEMICS = 8, 5
SLOT_MINUTES = 20
HELD_EVENT_BUILT_AHEAD_DAYS = 20
ENGLISH_SHARE = 0.3
BOTH_SHARE = 0.15
ACADEMIC_ORGS = ACADEMIC_KINDS | {OrganisationKind.PUBLIC_RESEARCH}

DECLINE_REASONS = (
    (
        "当日は別の商談で時間が取れないため、今回は見送らせてください。",
        "We are fully booked that afternoon, sorry.",
    ),
    (
        "当社の分野とは少し異なるため、今回はお断りします。",
        "This is a little outside our field, so we will pass this time.",
    ),
    (
        "既に同様の技術で他社と共同開発を進めているため。",
        "We already develop a similar technology with another partner.",
    ),
)
REQUEST_MESSAGES = (
    (
        "御社の{term}に関する取り組みについて、ぜひお話を伺いたいと思います。",
        "We would like to hear about your work on {term}.",
    ),
    ("{application}での応用について意見交換させてください。", "Could we exchange views on {application}?"),
    (
        "試作・評価の進め方についてご相談できれば幸いです。",
        "We would like to discuss how to prototype and test it together.",
    ),
)


@dataclass
class Topic:
    """What a participant's profile is about: a topic of vocabulary.LISTING_TOPICS, with one of
    its techniques, applications and problems. A researcher offers the technique; a company
    looks for it to solve the problem."""

    field: str
    term: vocab.Phrase
    technique: vocab.Phrase
    application: vocab.Phrase
    problem: vocab.Phrase


@dataclass
class Attendee:
    """One participant of a demo business-matching event, with the login they act through."""

    user: AbstractBaseUser
    person: Person
    organisation: Organisation
    academic: bool
    topic: Topic
    language: str
    registration: Registration | None = None


@dataclass
class DemoEvents:
    """The events the generator created."""

    upcoming_matching: Event | None = None
    past_matching: Event | None = None
    others: list[Event] = field(default_factory=list)

    @property
    def all(self) -> list[Event]:
        return [e for e in (self.past_matching, self.upcoming_matching) if e is not None] + self.others


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


class EventGenerator:
    """Builds the demo's events through the events services (see the module docstring)."""

    def __init__(
        self,
        *,
        seed: int,
        clusters: dict[str, Cluster],
        users: dict[str, AbstractBaseUser],
        matching_cluster: str,
        other_cluster: str,
        hq_username: str,
        other_hq_username: str,
        participant_username: str,
        today: date | None = None,
        progress: Progress | None = None,
    ) -> None:
        # A stream of its own, so that adding events leaves the rest of the demo as it was.
        self.rng = random.Random(seed * 104729 + 61)
        self.cluster = clusters[matching_cluster]
        self.other_cluster = clusters[other_cluster]
        self.hq = users[hq_username]
        self.other_hq = users[other_hq_username]
        self.participant = users.get(participant_username)
        self.today = today or timezone.localdate()
        self.progress = progress or (lambda stage, done, total: None)
        self.result = DemoEvents()
        self.logins: dict[int, AbstractBaseUser] = {}  # person pk -> login
        self.used_people: set[int] = set()

    def run(self) -> DemoEvents:
        steps = (self.past_matching_event, self.upcoming_matching_event, self.calendar_events, self.quiet_mails)
        for number, step in enumerate(steps, start=1):
            step()
            self.progress(STEP, number, len(steps))
        return self.result

    # --- people --------------------------------------------------------------------------------

    def _people(self, kinds: Iterable[str], count: int, *, cluster: Cluster, exclude: set[int]) -> list[Person]:
        """Up to `count` generated people without a login, one per organisation of `kinds`:
        members of `cluster` first, then anyone's."""
        kinds = set(kinds)
        members = set(Membership.objects.filter(cluster=cluster).values_list("organisation_id", flat=True))
        candidates = (
            Affiliation.objects.filter(
                is_primary=True,
                organisation__kind__in=kinds,
                person__user__isnull=True,
                person__source__in=(RecordSource.GENERATED, RecordSource.SEED_DOCUMENT),
            )
            .exclude(person_id__in=exclude)
            .select_related("person", "organisation")
            .order_by("pk")
        )
        own, others = [], []
        seen_orgs: set[int] = set()
        for affiliation in candidates.iterator():
            if affiliation.organisation_id in seen_orgs:
                continue
            seen_orgs.add(affiliation.organisation_id)
            (own if affiliation.organisation_id in members else others).append(affiliation.person)
            if len(own) >= count:
                break
        self.rng.shuffle(own)
        self.rng.shuffle(others)
        return (own + others)[:count]

    def _login_for(self, person: Person) -> AbstractBaseUser:
        """The participant's login (made once, without a password)."""
        if person.user_id:
            return person.user
        if person.pk in self.logins:
            return self.logins[person.pk]
        user = get_user_model().objects.create_user(
            username=MATCHING_USERNAME.format(len(self.logins) + 1),
            password=None,
            email=person.email or "",
            first_name=person.given_name_en,
            last_name=person.family_name_en,
        )
        organisation = self._organisation_of(person)
        Role.objects.create(user=user, kind=RoleKind.PARTICIPANT, organisation=organisation)
        person.user = user
        person.save(update_fields=["user"])
        self.logins[person.pk] = user
        return user

    @staticmethod
    def _organisation_of(person: Person) -> Organisation:
        affiliation = person.affiliations.select_related("organisation").order_by("-is_primary", "pk").first()
        return affiliation.organisation

    def _topics(self) -> list[Topic]:
        topics = []
        for code in MATCHING_FIELDS:
            for term_ja, term_en, techniques, applications, problems in vocab.LISTING_TOPICS[code]:
                topics.append(
                    Topic(
                        code,
                        (term_ja, term_en),
                        self.rng.choice(techniques),
                        self.rng.choice(applications),
                        self.rng.choice(problems),
                    )
                )
        self.rng.shuffle(topics)
        return topics

    def _language(self) -> str:
        draw = self.rng.random()
        if draw < BOTH_SHARE:
            return EventLanguage.BOTH
        return EventLanguage.ENGLISH if draw < BOTH_SHARE + ENGLISH_SHARE else EventLanguage.JAPANESE

    def _attendees(self, companies: int, academics: int, *, reserve_first: bool = False) -> list[Attendee]:
        """Companies and academics of the matching cluster (then others), paired by topic: academic
        i has topic i, and the companies take the topics in turn, so each has a counterpart. With
        `reserve_first`, no company gets the first topic: it is kept for the demo participant,
        whose suggestions then lead to its researcher rather than to look-alike companies."""
        exclude = set(self.used_people)
        company_people = self._people(COMPANY_KINDS, companies, cluster=self.cluster, exclude=exclude)
        academic_people = self._people(ACADEMIC_ORGS, academics, cluster=self.cluster, exclude=exclude)
        topics = self._topics()[: max(1, len(academic_people))]
        company_topics = topics[1:] if reserve_first and len(topics) > 1 else topics
        attendees = []
        for index, person in enumerate(academic_people + company_people):
            academic = index < len(academic_people)
            own_topics = topics if academic else company_topics
            position = index if academic else index - len(academic_people)
            topic = own_topics[position % len(own_topics)]
            attendees.append(
                Attendee(
                    user=self._login_for(person),
                    person=person,
                    organisation=self._organisation_of(person),
                    academic=academic,
                    topic=topic,
                    language=self._language(),
                )
            )
        return attendees

    def _demo_attendee(self, topic: Topic) -> Attendee | None:
        if self.participant is None:
            return None
        person = Person.objects.get(user=self.participant)
        return Attendee(
            user=self.participant,
            person=person,
            organisation=self._organisation_of(person),
            academic=False,
            topic=topic,
            language=EventLanguage.BOTH,
        )

    # --- profiles ------------------------------------------------------------------------------

    @staticmethod
    def _capability(organisation: Organisation, lang: str, topic: Topic) -> str:
        lines = [line.strip() for line in organisation.capability.splitlines() if line.strip()]
        if len(lines) >= 2:
            text = lines[0] if lang == "ja" else lines[1]
        else:
            text = vocab.CAPABILITIES[topic.field][0][0 if lang == "ja" else 1]
        first = text.split("、")[0] if lang == "ja" else text.split("; ")[0].split(", ")[0]
        return first.removeprefix("研究分野：").removeprefix("Research: ")

    def _profile_texts(self, attendee: Attendee, lang: str, stage: vocab.Phrase) -> tuple[str, str, list[str]]:
        t, i = attendee.topic, 0 if lang == "ja" else 1
        term, technique, application, problem = t.term[i], t.technique[i], t.application[i], t.problem[i]
        stage_words = stage[i]
        if attendee.academic and lang == "ja":
            offer = (
                f"{technique}（{term}）。{stage_words}の段階にあり、{application}への応用を目指しています。"
                "試料の提供や評価に応じます。"
            )
            seek = f"{application}の分野で、試作と量産評価に協力いただける企業"
        elif attendee.academic:
            offer = (
                f"{_cap(technique)} ({term}), at the {stage_words} stage and aimed at {application}. "
                "Samples and test data are available."
            )
            seek = f"Companies working on {application} to build and test prototypes with us."
        elif lang == "ja":
            capability = self._capability(attendee.organisation, "ja", t)
            offer = f"{capability}。{application}向けの部品・製品を手がけています。"
            seek = f"{problem}の解決に向けて、{term}の技術（例えば{technique}）を持つ大学・研究機関との共同開発"
        else:
            capability = self._capability(attendee.organisation, "en", t)
            offer = f"{_cap(capability)}. We make parts and products for {application}."
            seek = f"A university or institute with {term} know-how, such as {technique}, to solve {problem}."
        # Keywords describe the offer (the matcher reads them with both texts): the researcher's
        # technique, the company's own capability, not what it looks for nor its market, which
        # would make companies of one market look like each other's best match.
        if attendee.academic:
            keywords = [term, technique.removeprefix("a ").removeprefix("an "), application]
        else:
            keywords = [capability]
        return offer, seek, keywords

    def _fill_profile(self, attendee: Attendee, event: Event) -> None:
        stage = self.rng.choice(list(vocab.STAGE_WORDS.values()))
        if attendee.language == EventLanguage.BOTH:
            ja = self._profile_texts(attendee, "ja", stage)
            en = self._profile_texts(attendee, "en", stage)
            offer, seek = f"{ja[0]}\n{en[0]}", f"{ja[1]}\n{en[1]}"
            keywords = "、".join(ja[2]) + ", " + ", ".join(en[2])
        else:
            lang = "en" if attendee.language == EventLanguage.ENGLISH else "ja"
            offer, seek, words = self._profile_texts(attendee, lang, stage)
            keywords = ("、" if lang == "ja" else ", ").join(words)
        fields = TechField.objects.filter(
            Q(code=attendee.topic.field) | Q(pk__in=attendee.organisation.fields.values("pk"))
        )
        marketplace.do_save_profile(
            attendee.user,
            event,
            offer=offer,
            looking_for=seek,
            keywords=keywords[:500],
            language=attendee.language,
            fields=list(fields),
        )

    def _register(self, attendees: list[Attendee], event: Event) -> None:
        for attendee in attendees:
            attendee.registration = services.do_register_person(attendee.user, event)
            self._fill_profile(attendee, event)
            self.used_people.add(attendee.person.pk)

    # --- requests ------------------------------------------------------------------------------

    def _message(self, requester: Attendee) -> str:
        t = requester.topic
        ja, en = self.rng.choice(REQUEST_MESSAGES)
        words = {"term": t.term, "application": t.application}
        if requester.language == EventLanguage.ENGLISH:
            return en.format(**{k: v[1] for k, v in words.items()})
        return ja.format(**{k: v[0] for k, v in words.items()})

    def _send(self, event: Event, requester: Attendee, other: Attendee) -> MeetingRequest:
        return meetings.do_send_request(requester.user, event, [other.registration], message=self._message(requester))

    def _decline(self, request: MeetingRequest, other: Attendee) -> None:
        ja, en = self.rng.choice(DECLINE_REASONS)
        reason = en if other.language == EventLanguage.ENGLISH else ja
        meetings.do_decline_request(other.user, request, reason=reason)

    @staticmethod
    def _pairs(attendees: list[Attendee]) -> list[tuple[Attendee, Attendee]]:
        """(company, academic) pairs on the same topic first, then across topics."""
        academics = [a for a in attendees if a.academic]
        companies = [a for a in attendees if not a.academic]
        same = [(c, a) for c in companies for a in academics if c.topic is a.topic]
        across = [(c, a) for c in companies for a in academics if c.topic is not a.topic]
        across += [(c, d) for c in companies for d in companies if c.person.pk < d.person.pk]
        return same + across

    def _plan_requests(self, event: Event, attendees: list[Attendee], plan: list[str]) -> None:
        """Send one request per entry of `plan` ("accepted", "mutual", "pending", "declined",
        "cancelled", "withdrawn": accepted, then cancelled by the other side), each between a
        pair of attendees who have no request yet, the requester drawn at random from the pair."""
        used: set[frozenset[int]] = set()
        pairs = self._pairs(attendees)
        for state in plan:
            pair = next((p for p in pairs if frozenset(a.person.pk for a in p) not in used), None)
            if pair is None:
                return
            used.add(frozenset(a.person.pk for a in pair))
            requester, other = pair if self.rng.random() < 0.6 else pair[::-1]
            self._request_in_state(event, requester, other, state)

    def _request_in_state(self, event: Event, requester: Attendee, other: Attendee, state: str) -> MeetingRequest:
        request = self._send(event, requester, other)
        if state == "mutual":
            return self._send(event, other, requester)  # accepts the first one, mutual interest
        if state in ("accepted", "withdrawn"):
            request = meetings.do_accept_request(other.user, request)
            if state == "withdrawn":
                request = meetings.do_cancel_request(other.user, request)
        elif state == "declined":
            self._decline(request, other)
        elif state == "cancelled":
            request = meetings.do_cancel_request(requester.user, request)
        return request

    # --- the events ----------------------------------------------------------------------------

    def _create_event(self, actor, cluster: Cluster, **fields) -> Event:
        event = Event(status=EventStatus.PUBLISHED, **fields)
        return services.do_save_event(actor, event, clusters=[cluster])

    def _slots_and_tables(self, event: Event, first: datetime, slots: int, tables: int) -> None:
        for n in range(slots):
            start = first + timedelta(minutes=SLOT_MINUTES * n)
            services.do_save_time_slot(
                self.hq, TimeSlot(event=event, starts_at=start, ends_at=start + timedelta(minutes=SLOT_MINUTES))
            )
        for n in range(tables):
            services.do_save_table(self.hq, Table(event=event, name=f"{chr(ord('A') + n)}", capacity=1))

    def _availability(self, event: Event, attendees: list[Attendee]) -> None:
        """About a third state the slots they can meet at (the first or the second half of the
        afternoon, or all but one slot); the others leave it open: available throughout."""
        slots = list(event.time_slots.order_by("starts_at"))
        half = len(slots) // 2
        for attendee in attendees:
            draw = self.rng.random()
            if draw < 0.12:
                chosen = slots[: half + 1]
            elif draw < 0.24:
                chosen = slots[half - 1 :]
            elif draw < 0.34:
                busy = self.rng.choice(slots)
                chosen = [s for s in slots if s != busy]
            else:
                continue
            marketplace.do_set_availability(attendee.user, event, chosen)

    def past_matching_event(self) -> None:
        """A business-matching event TAMA held about six weeks ago, built while it was ahead."""
        held_on = self.today - timedelta(days=43)
        build_on = self.today + timedelta(days=30)
        starts = _at(build_on, 13, 0)
        event = self._create_event(
            self.hq,
            self.cluster,
            kind=EventKind.BUSINESS_MATCHING,
            title_ja="TAMAものづくり商談会（秋）",
            title_en="TAMA manufacturing business-matching day (autumn)",
            description_ja=(
                "クラスター会員企業と大学・公設試験研究機関の研究者による事前予約制の個別商談会です。"
                "加工技術、ロボット、センサー、自動車部品の分野で、1件20分の商談を行います。"
            ),
            description_en=(
                "Pre-arranged one-to-one meetings between the cluster's member companies and researchers of "
                "universities and public research institutes: machining, robots, sensors and car parts, "
                "20 minutes each."
            ),
            starts_at=starts,
            ends_at=starts + timedelta(hours=4),
            venue="多摩産業交流センター 2階 展示ホール",
            capacity=60,
            registration_deadline=starts - timedelta(days=7),
            language=EventLanguage.BOTH,
        )
        self._slots_and_tables(event, starts + timedelta(minutes=30), slots=8, tables=4)
        attendees = self._attendees(PAST_COMPANIES, PAST_ACADEMICS)
        demo = self._demo_attendee(attendees[0].topic if attendees else self._topics()[0])
        if demo is not None:
            attendees.insert(len([a for a in attendees if a.academic]), demo)
        self._register(attendees, event)
        self._availability(event, attendees)
        plan = ["accepted", "mutual", "accepted", "accepted", "declined", "accepted", "mutual", "accepted"]
        plan += ["accepted", "cancelled", "accepted", "declined", "accepted", "accepted"]
        self._plan_requests(event, attendees, plan)
        meetings.do_schedule_meetings(self.hq, event, time_limit=10)
        meetings.do_announce_schedule(self.hq, event)
        # One company had to cancel a few days before; the others came, but for two.
        companies = [a for a in attendees if not a.academic and a.user != self.participant]
        if companies:
            services.do_cancel_registration(companies[-1].user, companies[-1].registration)
        absent = {a.registration.pk for a in companies[-3:-1]}
        shift = _at(held_on, 13, 0) - starts
        self._move_event(event, shift)
        event.refresh_from_db()
        self._hold(event, absent)
        self.result.past_matching = event

    def _move_event(self, event: Event, shift: timedelta) -> None:
        """Move an event built ahead of time, with what happened around it, to its real dates."""
        Event.objects.filter(pk=event.pk).update(
            starts_at=F("starts_at") + shift,
            ends_at=F("ends_at") + shift,
            registration_deadline=F("registration_deadline") + shift,
        )
        TimeSlot.objects.filter(event=event).update(starts_at=F("starts_at") + shift, ends_at=F("ends_at") + shift)
        # Registrations and requests were made in the weeks before the event.
        before = shift - timedelta(days=14)
        Registration.objects.filter(event=event).update(created_at=F("created_at") + before)
        Registration.objects.filter(event=event, cancelled_at__isnull=False).update(
            cancelled_at=F("cancelled_at") + shift - timedelta(days=3)
        )
        MeetingRequest.objects.filter(event=event).update(created_at=F("created_at") + before)
        MeetingRequest.objects.filter(event=event, answered_at__isnull=False).update(
            answered_at=F("answered_at") + before + timedelta(days=2)
        )
        MeetingRequest.objects.filter(event=event, cancelled_at__isnull=False).update(
            cancelled_at=F("cancelled_at") + before + timedelta(days=4)
        )
        Meeting.objects.filter(request__event=event, announced_at__isnull=False).update(
            announced_at=F("announced_at") + shift - timedelta(days=3)
        )

    def _hold(self, event: Event, absent: set[int]) -> None:
        """Check in everyone who came (staff at the desk), then record each announced meeting as
        held when both sides checked in, else as missed by the side that did not; one meeting of
        people who were there was missed too."""
        for registration in Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED):
            if registration.pk in absent:
                continue
            services.do_check_in(self.hq, registration)
            arrived = event.starts_at - timedelta(minutes=self.rng.randint(0, 25))
            Registration.objects.filter(pk=registration.pk).update(checked_in_at=arrived)
        announced = list(
            Meeting.objects.filter(request__event=event, status=MeetingStatus.ANNOUNCED).select_related(
                "request__requester"
            )
        )
        missed_one = False
        for meeting in announced:
            missed_by = outcomes.missed_by_from_check_in(meeting)
            if not missed_by and not missed_one and len(announced) > 4 and self.rng.random() < 0.3:
                # Both came, but the other side was held up in a conversation at the next table.
                missed_by, missed_one = MissedBy.OTHER_SIDE, True
            outcomes.do_record_outcome(self.hq, meeting, held=not missed_by, missed_by=missed_by)

    def upcoming_matching_event(self) -> None:
        """The business-matching event open now: profiles, availability and requests, not scheduled."""
        day = self.today + timedelta(days=24)
        starts = _at(day, 13, 0)
        event = self._create_event(
            self.hq,
            self.cluster,
            kind=EventKind.BUSINESS_MATCHING,
            title_ja="TAMAものづくり・ロボット商談会",
            title_en="TAMA manufacturing and robotics business-matching day",
            description_ja=(
                "会員企業の加工技術と、大学・公設試のロボット・センサー・軽量化技術を結ぶ個別商談会です。"
                "マーケットプレイスで相手の出展内容を確認し、商談を申し込んでください。"
                "承諾された商談は、事務局が時間帯とテーブルを割り当てて事前にお知らせします。"
            ),
            description_en=(
                "One-to-one meetings linking the member companies' manufacturing skills with robotics, "
                "sensing and lightweighting research of universities and public institutes. Browse the "
                "marketplace and request meetings; HQ places the accepted ones at a time and a table and "
                "announces them before the day."
            ),
            starts_at=starts,
            ends_at=starts + timedelta(hours=4),
            venue="多摩産業交流センター 2階 展示ホール",
            capacity=60,
            registration_deadline=starts - timedelta(days=5),
            language=EventLanguage.BOTH,
        )
        self._slots_and_tables(event, starts + timedelta(minutes=30), slots=9, tables=4)
        attendees = self._attendees(UPCOMING_COMPANIES, UPCOMING_ACADEMICS, reserve_first=self.participant is not None)
        academics = [a for a in attendees if a.academic]
        demo = self._demo_attendee(academics[0].topic if academics else self._topics()[0])
        self._register(attendees + ([demo] if demo else []), event)
        self._availability(event, attendees)
        plan = ["accepted", "mutual", "pending", "declined", "accepted", "cancelled", "accepted", "pending"]
        plan += ["mutual", "accepted", "withdrawn", "declined", "accepted", "pending", "accepted", "mutual"]
        plan += ["accepted", "pending", "accepted"]
        self._plan_requests(event, attendees, plan)
        if demo is not None and len(academics) >= 2:
            # The demo participant: one request of theirs was accepted; one waits for their answer.
            self._request_in_state(event, demo, academics[0], "accepted")
            self._request_in_state(event, academics[1], demo, "pending")
        self.result.upcoming_matching = event

    # --- the calendar --------------------------------------------------------------------------

    def _visitors(self, count: int, cluster: Cluster) -> list[Person]:
        kinds = COMPANY_KINDS | ACADEMIC_ORGS
        return self._people(kinds, count, cluster=cluster, exclude=self.used_people)

    def _register_visitors(self, event: Event, people: list[Person]) -> list[Registration]:
        registrations, emails = [], set()
        for person in people:
            organisation = self._organisation_of(person)
            email = person.email or f"{person.given_name_en.lower()}.{person.family_name_en.lower()}@demo.example"
            if email.lower() in emails:  # namesakes: one registration per address
                continue
            emails.add(email.lower())
            name = person.name_ja or person.name_en
            registrations.append(
                services.do_register_visitor(
                    event,
                    name=name,
                    email=email,
                    organisation=organisation.name_ja or organisation.name_en,
                    consent=True,
                )
            )
        return registrations

    def calendar_events(self) -> None:
        """Seminars, an exchange meeting that is full, and a symposium, past and upcoming."""
        # A past seminar of TAMA, with attendance.
        seminar = self._held_event(
            self.hq,
            self.cluster,
            held_on=self.today - timedelta(days=75),
            at=time(14, 0),
            hours=2,
            visitors=14,
            no_shows=3,
            kind=EventKind.SEMINAR,
            title_ja="金型シミュレーション技術セミナー",
            title_en="Seminar: simulation-based die design",
            description_ja="公設試験研究機関の研究者が、金型設計のシミュレーションと試作回数の削減事例を紹介します。",
            description_en="Researchers of a public institute show how simulation cuts the trial runs of die design.",
            venue="多摩産業交流センター 3階 セミナー室",
            capacity=40,
        )

        # An upcoming exchange meeting of TAMA: small, full, with a waiting list.
        day = self.today + timedelta(days=12)
        starts = _at(day, 18, 0)
        exchange = self._create_event(
            self.hq,
            self.cluster,
            kind=EventKind.EXCHANGE_MEETING,
            title_ja="若手技術者交流会",
            title_en="Young engineers' exchange evening",
            description_ja="会員企業の若手技術者と大学院生が、日頃の課題を持ち寄って語り合う少人数の交流会です。",
            description_en="A small evening where young engineers of member companies and graduate students "
            "bring the problems of their daily work.",
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            venue="TAMA協会 会議室",
            capacity=8,
            language=EventLanguage.JAPANESE,
        )
        if self.participant is not None:
            services.do_register_person(self.participant, exchange)
        self._register_visitors(exchange, self._visitors(10, self.cluster))

        # An upcoming symposium of the KANSAI Bio-Cluster, in both languages, on site and online.
        day = self.today + timedelta(days=45)
        starts = _at(day, 10, 0)
        symposium = self._create_event(
            self.other_hq,
            self.other_cluster,
            kind=EventKind.SYMPOSIUM,
            title_ja="関西バイオクラスター国際シンポジウム",
            title_en="KANSAI Bio-Cluster international symposium",
            description_ja="国内外のバイオクラスターの連携と、創薬・再生医療の実用化に向けた取組を紹介します。同時通訳あり。",
            description_en="How bio-clusters at home and abroad work together, and what brings drug discovery and "
            "regenerative medicine to practice. Simultaneous interpretation.",
            starts_at=starts,
            ends_at=starts + timedelta(hours=7),
            venue="大阪国際会議場 10階 会議室",
            online_url="https://symposium.demo.renkei.example/live",
            capacity=200,
            language=EventLanguage.BOTH,
        )
        self._register_visitors(symposium, self._visitors(12, self.other_cluster))

        # A past exchange meeting of the KANSAI Bio-Cluster.
        past_exchange = self._held_event(
            self.other_hq,
            self.other_cluster,
            held_on=self.today - timedelta(days=30),
            at=time(15, 0),
            hours=3,
            visitors=9,
            no_shows=2,
            kind=EventKind.EXCHANGE_MEETING,
            title_ja="バイオベンチャー交流会",
            title_en="Bio-venture exchange meeting",
            description_ja="大学発バイオベンチャーと製薬企業・金融機関の交流会。各社3分間のピッチを行いました。",
            description_en="University bio-ventures met pharmaceutical companies and investors; three-minute pitches.",
            venue="神戸国際ビジネスセンター 交流ラウンジ",
            capacity=30,
            language=EventLanguage.JAPANESE,
        )
        self.result.others = [seminar, exchange, symposium, past_exchange]

    def _held_event(
        self, actor, cluster: Cluster, *, held_on: date, at: time, hours: int, visitors: int, no_shows: int, **fields
    ) -> Event:
        """An event of `cluster` held on `held_on`, built while it was ahead (the services refuse
        registrations once an event is over) and moved back: `visitors` registered through the
        public form, all but the last `no_shows` checked in at the desk before it began."""
        starts = _at(self.today + timedelta(days=HELD_EVENT_BUILT_AHEAD_DAYS), at.hour, at.minute)
        event = self._create_event(actor, cluster, starts_at=starts, ends_at=starts + timedelta(hours=hours), **fields)
        registrations = self._register_visitors(event, self._visitors(visitors, cluster))
        self._move_event(event, _at(held_on, at.hour, at.minute) - starts)
        event.refresh_from_db()
        for registration in registrations[: max(0, len(registrations) - no_shows)]:
            services.do_check_in(actor, registration)
        # Checked in on the day, not on the day the demo was loaded.
        Registration.objects.filter(event=event, checked_in_at__isnull=False).update(
            checked_in_at=event.starts_at - timedelta(minutes=10)
        )
        return event

    def quiet_mails(self) -> None:
        """The services recorded a mail for each registration; the demo mails nobody."""
        RegistrationMail.objects.filter(
            registration__event__in=[e.pk for e in self.result.all], state=MailState.PENDING
        ).update(state=MailState.DROPPED)


def do_delete_demo_events(clusters) -> None:
    """Delete the events of the demo clusters (with their registrations, requests and meetings)
    and the logins of the demo's matching participants. `clusters`: a queryset of cluster pks."""
    events = Event.objects.filter(clusters__in=clusters).values("pk")
    # Meetings hold their slots and tables (protected): they go first.
    Meeting.objects.filter(request__event__in=events).delete()
    Event.objects.filter(pk__in=[row["pk"] for row in events]).delete()
    get_user_model().objects.filter(username__startswith=MATCHING_USER_PREFIX).delete()
