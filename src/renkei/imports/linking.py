"""Linking imported rows to the directory: organisations by corporate number or by name and
address, people by researcher number or by name and affiliation.

A match is **certain** when a corporate number (or an e-Rad researcher number) is equal, when
exactly one record has the same name *and* a confirming address, prefecture or affiliation, or
when a reviewer already confirmed that this published name means that organisation. A name
alone, or several records with the name, give **candidates** with scores; the importer puts them
in the review queue (`queue_review`), where staff confirm one or reject them all. A researchmap
profile is never merged into a person on its name alone (`PersonIndex.match_profile`).

The queue is kept per office (`review_office`): the cluster HQ office whose import queued a link
reviews it, and another office importing the same record gets an item of its own, so that no
office's link waits in a queue it cannot see, and no office decides for another.

The indexes are built once per import run from the records the importing user may see (every
record for an operator on the command line), so a link never points at another cluster's
hidden records.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from renkei.accounts.scope import scope_for
from renkei.core.validators import is_valid_corporate_number
from renkei.directory.access import visible_organisations, visible_people
from renkei.directory.models import Affiliation, Organisation, Person
from renkei.imports.choices import LinkKind, ReviewStatus
from renkei.imports.models import Corporation, ImportRun, ResearcherIdentifier, ReviewCandidate, ReviewItem
from renkei.imports.nta import name_key

ORGANISATION_LINKS = (LinkKind.AFFILIATION, LinkKind.GRANT_INSTITUTION, LinkKind.PATENT_APPLICANT)
MAX_CANDIDATES = 5
# Scores shown to reviewers: how much the match says, not a probability.
SCORE_NAME_AND_ADDRESS = 0.9
SCORE_NAME = 0.7
SCORE_NAME_AMONG_SEVERAL = 0.6
SCORE_SIMILAR_NAME = 0.4
SCORE_OTHER_PROFILE = 0.4
MIN_SIMILAR_KEY = 3
# The review office of national officers, administrators and the command line (ReviewItem.owner).
OFFICE_ALL = "all"

_ENGLISH_FORMS = re.compile(
    r"\b(co|ltd|inc|corp|corporation|company|limited|kk|gk|llc|k\.k|g\.k)\b\.?",
)
_PUNCTUATION = re.compile(r"[\s.,・･'\"()\[\]「」『』、。/-]+")


def organisation_key(name: str) -> str:
    """A name folded for comparison: NFKC, case, legal forms (株式会社, (株), Co., Ltd., KK…),
    spaces and punctuation removed. 「株式会社みらい精工」 and 「みらい精工(株)」 meet, and so do
    "MIRAI SEIKO KK" and "Mirai Seiko Co., Ltd."."""
    # English forms go while the words are still apart; name_key then folds the rest (NFKC,
    # Japanese legal forms, spaces, case).
    key = _ENGLISH_FORMS.sub(" ", unicodedata.normalize("NFKC", name or "").casefold())
    return _PUNCTUATION.sub("", name_key(key))


def person_key(family: str, given: str = "") -> str:
    """A person's name folded for comparison: NFKC, spaces removed, case folded."""
    return _PUNCTUATION.sub("", unicodedata.normalize("NFKC", f"{family}{given}")).casefold()


def _address_key(text: str) -> str:
    return _PUNCTUATION.sub("", unicodedata.normalize("NFKC", text or ""))


@dataclass(frozen=True)
class Candidate:
    organisation_id: int | None = None
    person_id: int | None = None
    score: float = 0.0
    reason: str = ""


@dataclass
class Match:
    """The outcome of a look-up: a certain link, or candidates for review (possibly none)."""

    certain: int | None = None
    reason: str = ""
    candidates: list[Candidate] = field(default_factory=list)

    @property
    def uncertain(self) -> bool:
        return self.certain is None and bool(self.candidates)


@dataclass(frozen=True)
class _Org:
    pk: int
    key_ja: str
    key_en: str
    prefecture: str
    address: str


class OrganisationIndex:
    """The organisations a user may see, by corporate number and by folded name."""

    def __init__(self, user) -> None:
        queryset = Organisation.objects.all() if user is None else visible_organisations(user)
        self.by_number: dict[str, int] = {}
        self.by_key: dict[str, list[_Org]] = defaultdict(list)
        self.entries: list[_Org] = []
        rows = queryset.values_list("pk", "name_ja", "name_en", "corporate_number", "prefecture_id", "address")
        for pk, name_ja, name_en, number, prefecture, address in rows.iterator(chunk_size=2000):
            entry = _Org(
                pk, organisation_key(name_ja), organisation_key(name_en), prefecture or "", _address_key(address)
            )
            self.entries.append(entry)
            if number:
                self.by_number[number] = pk
            for key in {entry.key_ja, entry.key_en} - {""}:
                self.by_key[key].append(entry)
        self._prefectures: dict[str, str] | None = None
        # The NTA table does not change during a run: each corporate number is looked up once.
        self._official: dict[str, tuple[str, str] | None] = {}
        # Published names a reviewer has confirmed as one organisation (organisation links only).
        visible = {e.pk for e in self.entries}
        confirmed: dict[str, set[int]] = defaultdict(set)
        decided = ReviewItem.objects.filter(
            status=ReviewStatus.CONFIRMED, kind__in=ORGANISATION_LINKS, chosen__organisation__isnull=False
        ).values_list("name_key", "chosen__organisation_id")
        for key, pk in decided:
            if key and pk in visible:
                confirmed[key].add(pk)
        self.confirmed = {key: pks.pop() for key, pks in confirmed.items() if len(pks) == 1}

    def prefecture_of(self, address: str) -> str:
        """The JIS code of the prefecture an address starts with, or ""."""
        if self._prefectures is None:
            from renkei.core.models import Prefecture

            self._prefectures = dict(Prefecture.objects.values_list("name_ja", "code"))
        text = _address_key(address)
        for name, code in self._prefectures.items():
            if name and text.startswith(name):
                return code
        return ""

    def match(self, name: str, *, corporate_number: str = "", address: str = "", prefecture: str = "") -> Match:
        """Look an organisation up (see the module's docstring for what makes a match certain).

        1. A valid corporate number held by an organisation: certain.
        2. A corporate number the NTA table knows gives the official name and prefecture.
        3. The same folded name: certain when exactly one of them has a confirming prefecture or
           address; candidates otherwise.
        4. No such name: organisations whose name starts with the other's, as weak candidates.
        """
        number = (corporate_number or "").strip()
        if number and is_valid_corporate_number(number):
            if number in self.by_number:
                return Match(certain=self.by_number[number], reason="corporate number")
            if number not in self._official:
                self._official[number] = (
                    Corporation.objects.filter(pk=number).values_list("name", "prefecture_code").first()
                )
            official = self._official[number]
            if official:
                name = name or official[0]
                prefecture = prefecture or official[1]
        prefecture = prefecture or (self.prefecture_of(address) if address else "")
        address_key = _address_key(address)
        key = organisation_key(name)
        if not key:
            return Match()
        if key in self.confirmed:
            return Match(certain=self.confirmed[key], reason="confirmed by a reviewer before")
        same = self.by_key.get(key, [])
        if same:

            def confirms(entry: _Org) -> bool:
                if prefecture and entry.prefecture == prefecture:
                    return True
                return bool(address_key and entry.address) and (
                    entry.address.startswith(address_key) or address_key.startswith(entry.address)
                )

            confirmed = [e for e in same if confirms(e)]
            if len(confirmed) == 1:
                return Match(certain=confirmed[0].pk, reason="name and address")
            candidates = [
                Candidate(
                    organisation_id=e.pk,
                    score=SCORE_NAME_AND_ADDRESS
                    if e in confirmed
                    else (SCORE_NAME if len(same) == 1 else SCORE_NAME_AMONG_SEVERAL),
                    reason="same name and prefecture or address" if e in confirmed else "same name",
                )
                for e in same
            ]
            return Match(candidates=sorted(candidates, key=lambda c: -c.score)[:MAX_CANDIDATES])
        if len(key) < MIN_SIMILAR_KEY:
            return Match()
        similar = [
            e
            for e in self.entries
            if any(len(k) >= MIN_SIMILAR_KEY and (k.startswith(key) or key.startswith(k)) for k in (e.key_ja, e.key_en))
        ]
        similar.sort(key=lambda e: abs(len(e.key_ja or e.key_en) - len(key)))
        return Match(
            candidates=[
                Candidate(organisation_id=e.pk, score=SCORE_SIMILAR_NAME, reason="similar name")
                for e in similar[:MAX_CANDIDATES]
            ]
        )


class PersonIndex:
    """The people a user may see, by e-Rad researcher number and by folded Japanese name."""

    def __init__(self, user) -> None:
        queryset = Person.objects.all() if user is None else visible_people(user)
        self.visible_ids = (
            None if user is None or scope_for(user).reads_all else set(queryset.values_list("pk", flat=True))
        )
        self.by_key: dict[str, list[int]] = defaultdict(list)
        for pk, family, given in queryset.values_list("pk", "family_name_ja", "given_name_ja").iterator(
            chunk_size=2000
        ):
            key = person_key(family, given)
            if key:
                self.by_key[key].append(pk)
        # Researcher numbers looked up so far (a grant's members recur across its records).
        self._by_number: dict[str, int | None] = {}

    def add(self, person: Person) -> None:
        """Make a person created during the run findable by the rows after it."""
        key = person_key(person.family_name_ja, person.given_name_ja)
        if key and person.pk not in self.by_key[key]:
            self.by_key[key].append(person.pk)
        if self.visible_ids is not None:
            self.visible_ids.add(person.pk)

    def by_researcher_number(self, number: str) -> int | None:
        if not number:
            return None
        if number not in self._by_number:
            self._by_number[number] = (
                ResearcherIdentifier.objects.filter(erad_code=number).values_list("person_id", flat=True).first()
            )
        pk = self._by_number[number]
        if pk is not None and (self.visible_ids is None or pk in self.visible_ids):
            return pk
        return None

    def match(self, name: str, *, researcher_number: str = "", organisation_id: int | None = None) -> Match:
        """A certain link by researcher number, or by name when exactly one person of that name
        is affiliated with ORGANISATION_ID; candidates by name otherwise."""
        pk = self.by_researcher_number(researcher_number)
        if pk is not None:
            return Match(certain=pk, reason="researcher number")
        same = self.by_key.get(person_key(name), [])
        if not same:
            return Match()
        if organisation_id is not None:
            there = set(
                Affiliation.objects.filter(person_id__in=same, organisation_id=organisation_id).values_list(
                    "person_id", flat=True
                )
            )
            if len(there) == 1:
                return Match(certain=there.pop(), reason="name and affiliation")
        score = SCORE_NAME if len(same) == 1 else SCORE_NAME_AMONG_SEVERAL
        return Match(
            candidates=[Candidate(person_id=pk, score=score, reason="same name") for pk in same[:MAX_CANDIDATES]]
        )

    def match_profile(
        self, name: str, *, researchmap_id: str, researcher_numbers: list[str], organisation_ids: set[int]
    ) -> Match:
        """Candidates for a researchmap profile that matched nobody by its researchmap ID or
        researcher number: the people of the same name, each with why it may (not) be them.

        A person whose researcher numbers are all other than the profile's is someone else and
        is left out; the others are scored: the same name and an affiliation with one of
        ORGANISATION_IDS (the profile's organisations) 0.9, the same name 0.7 (0.6 among
        several), the same name but another researchmap profile 0.4 (a permalink can change)."""
        same = self.by_key.get(person_key(name), [])
        if not same:
            return Match()
        rows = Person.objects.filter(pk__in=same).values_list("pk", "researchmap_id")
        profile_ids = dict(rows)
        numbers: dict[int, set[str]] = defaultdict(set)
        for person_id, code in ResearcherIdentifier.objects.filter(person_id__in=same).values_list(
            "person_id", "erad_code"
        ):
            numbers[person_id].add(code)
        shared: dict[int, str] = {}
        if organisation_ids:
            for person_id, organisation in Affiliation.objects.filter(
                person_id__in=same, organisation_id__in=organisation_ids
            ).values_list("person_id", "organisation__name_ja"):
                shared.setdefault(person_id, organisation)
        plain = SCORE_NAME if len(same) == 1 else SCORE_NAME_AMONG_SEVERAL
        candidates = []
        for pk in same:
            if researcher_numbers and numbers[pk] and not numbers[pk] & set(researcher_numbers):
                continue  # another researcher number: another researcher
            if profile_ids.get(pk) and profile_ids[pk] != researchmap_id:
                score, reason = SCORE_OTHER_PROFILE, f"same name, but another researchmap profile ({profile_ids[pk]})"
            elif pk in shared:
                score, reason = SCORE_NAME_AND_ADDRESS, f"same name and affiliation ({shared[pk]})"
            else:
                score, reason = plain, "same name"
            candidates.append(Candidate(person_id=pk, score=score, reason=reason[:200]))
        candidates.sort(key=lambda c: -c.score)
        return Match(candidates=candidates[:MAX_CANDIDATES])


def hq_office(cluster_ids) -> str:
    """The review office of the HQ staff of CLUSTER_IDS: "hq:3,7" (a digest when very many)."""
    office = "hq:" + ",".join(str(pk) for pk in sorted(cluster_ids))
    return office if len(office) <= 255 else "hq#" + hashlib.sha256(office.encode()).hexdigest()


def review_office(user) -> str:
    """The office whose review queue gets the uncertain links of USER's imports (ReviewItem.owner).

    Import runs record who started them, not for which cluster, so the office is the starter's:
    cluster HQ staff that of the clusters whose HQ they staff (the same set of clusters: a
    colleague who is HQ staff of one more cluster is another office); national officers and
    administrators, who read every record, share `OFFICE_ALL`, and so does the command line (None);
    anyone else (a role since removed) an office of their own."""
    if user is None or not getattr(user, "is_authenticated", False):
        return OFFICE_ALL
    scope = scope_for(user)
    if scope.reads_all:
        return OFFICE_ALL
    if scope.hq_cluster_ids:
        return hq_office(scope.hq_cluster_ids)
    return f"user:{user.pk}"


def run_office(run: ImportRun) -> str:
    """The review office of RUN: its starter's, as they are now (`review_office`)."""
    return OFFICE_ALL if run.started_by_id is None else review_office(run.started_by)


def queue_review(
    run: ImportRun,
    *,
    line_number: int,
    source_row: str,
    kind: str,
    key: str,
    name: str,
    candidates: list[Candidate],
    context: str = "",
    owner: str = "",
    **subject,
) -> ReviewItem | None:
    """Put an uncertain link in the review queue of OWNER (an office, `review_office`; by default
    the run's), once per office: an item of that office with the same KEY (whatever its status:
    pending, confirmed or rejected) is left as it is, so re-importing a file adds nothing and a
    rejected link is not asked again. Another office's item with the KEY is not looked at: that
    office reviews its own. Returns the new item, or None."""
    owner = owner or run_office(run)
    if not candidates or ReviewItem.objects.filter(key=key[:255], owner=owner).exists():
        return None
    item = ReviewItem.objects.create(
        run=run,
        owner=owner,
        line_number=line_number,
        source_row=source_row[:4000].replace("\x00", "\\x00"),
        kind=kind,
        key=key[:255],
        name=name[:300],
        name_key=(organisation_key(name) if kind in ORGANISATION_LINKS else person_key(name))[:300],
        context=context[:300],
        **subject,
    )
    ReviewCandidate.objects.bulk_create(
        ReviewCandidate(
            item=item,
            organisation_id=c.organisation_id,
            person_id=c.person_id,
            score=c.score,
            reason=c.reason,
        )
        for c in candidates
    )
    return item
