"""researchmap researcher profiles (JST) → people in the directory, with their affiliations.

Accepted layouts (/work/shared/formats.md §3): the JSON-LD of the researchmap API, one profile
(`GET https://api.researchmap.jp/{permalink}`) or several — a JSON array of profiles, an object
with an `items` array, or JSON Lines (one profile a line). UTF-8 (or Shift_JIS), zipped or not.
A profile is recognised by `family_name` (a language map `{ja, en, ja-Kana}`) and a `permalink`
or `rm:id`.

Each profile becomes a `Person` (found again by its permalink, then by its e-Rad researcher
number), created **not public**: visibility "cluster staff only" (`Visibility.RESTRICTED`) and no
consent to publication, until the person or staff publish it. A later import updates the names,
ORCID and research keywords, never the visibility, consent or contact details.
A profile found by neither whose Japanese name is that of people in the directory is not
imported on its own: it waits in the review queue (`LinkKind.RESEARCHER_PROFILE`) with those
people as candidates (`PersonIndex.match_profile` says why each may be them). Confirming one links
the profile to that person as a later import would; rejecting them all creates a new person from
the profile (`do_apply_reviewed_profile`).
Affiliations are linked to organisations by name. researchmap gives no corporate number or
address, so a name alone is not certain and goes to the review queue; once a reviewer has
confirmed that a published name (「架空大学」) is an organisation, later profiles naming it are
linked at once (see `linking`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from renkei.core.models import RecordSource, Visibility
from renkei.core.services import save_validated
from renkei.directory.access import editable_people
from renkei.directory.models import Affiliation, Person
from renkei.imports.choices import ImportSource, LinkKind, ReviewStatus
from renkei.imports.files import ImportFileError
from renkei.imports.linking import organisation_key, queue_review
from renkei.imports.models import ResearcherIdentifier, ReviewItem
from renkei.imports.nta import ParseState, RowError, RowRejection
from renkei.imports.records import (
    CREATED,
    QUEUED,
    UNCHANGED,
    UPDATED,
    Outcome,
    ParsedRecord,
    WriteContext,
    assign_changed,
)
from renkei.imports.textfiles import json_array_items, raw_text, read_json_document, start_text

PERMALINK = re.compile(r"\A[A-Za-z0-9_.\-]{1,64}\Z")
RM_ID = re.compile(r"\AR?[0-9]{6,12}\Z")
ERAD = re.compile(r"\A[0-9]{8}\Z")
ORCID = re.compile(r"\A[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[0-9X]\Z")
PARTIAL_DATE = re.compile(r"\A([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?\Z")
NAME_MAX = 64
KEYWORDS_MAX = 2000


@dataclass
class ResearcherAffiliation:
    name: str
    department: str
    title_ja: str
    title_en: str
    start_on: dt.date | None = None
    end_on: dt.date | None = None


@dataclass
class Researcher:
    permalink: str
    rm_id: str
    family_name_ja: str
    given_name_ja: str
    family_name_en: str
    given_name_en: str
    family_name_kana: str
    given_name_kana: str
    orcid: str
    erad_codes: list[str]
    keywords: str
    affiliations: list[ResearcherAffiliation] = field(default_factory=list)

    def person_values(self) -> dict[str, str]:
        return {
            "family_name_ja": self.family_name_ja,
            "given_name_ja": self.given_name_ja,
            "family_name_en": self.family_name_en,
            "given_name_en": self.given_name_en,
            "family_name_kana": self.family_name_kana,
            "given_name_kana": self.given_name_kana,
            "researchmap_id": self.permalink,
            "orcid": self.orcid,
            "research_keywords": self.keywords,
        }

    @property
    def name_ja(self) -> str:
        return f"{self.family_name_ja} {self.given_name_ja}".strip()


def researcher_payload(researcher: Researcher) -> dict[str, Any]:
    """The researcher as JSON (dates as ISO text), to wait in a review item."""
    data = dataclasses.asdict(researcher)
    for affiliation in data["affiliations"]:
        for name in ("start_on", "end_on"):
            affiliation[name] = affiliation[name].isoformat() if affiliation[name] else None
    return data


def researcher_from_payload(data: dict[str, Any]) -> Researcher:
    """The researcher `researcher_payload` wrote."""
    values = dict(data)
    affiliations = [
        ResearcherAffiliation(
            **{
                **a,
                "start_on": dt.date.fromisoformat(a["start_on"]) if a.get("start_on") else None,
                "end_on": dt.date.fromisoformat(a["end_on"]) if a.get("end_on") else None,
            }
        )
        for a in values.pop("affiliations", [])
    ]
    return Researcher(**values, affiliations=affiliations)


# --- reading --------------------------------------------------------------------------------


def _text(value: Any, field_name: str, *, max_length: int = 300) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise RowError(field_name, f"expected text, found {type(value).__name__}")
    if "\x00" in value:
        raise RowError(field_name, "contains a NUL character")
    value = value.strip()
    if len(value) > max_length:
        raise RowError(field_name, f"longer than {max_length} characters")
    return value


def _language_map(value: Any, field_name: str, *, max_length: int = 300) -> dict[str, str]:
    """A researchmap language map `{ja, en, ja-Kana}`; a plain string counts as Japanese."""
    if value is None:
        return {}
    if isinstance(value, str):
        return {"ja": _text(value, field_name, max_length=max_length)}
    if not isinstance(value, dict):
        raise RowError(field_name, f"expected a language map {{ja, en}}, found {type(value).__name__}")
    return {
        language: _text(text, f"{field_name}.{language}", max_length=max_length)
        for language, text in value.items()
        if language in ("ja", "en", "ja-Kana")
    }


def _date(value: Any, field_name: str) -> dt.date | None:
    """researchmap dates are `YYYY`, `YYYY-MM` or `YYYY-MM-DD`: the first day of the period."""
    text = _text(value, field_name, max_length=10)
    if not text:
        return None
    found = PARTIAL_DATE.match(text)
    if not found:
        raise RowError(field_name, f"{text!r} is not a date written YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = found.group(1), found.group(2) or "01", found.group(3) or "01"
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        raise RowError(field_name, f"{text!r} is not a real date") from None


def _identifiers(profile: dict, scheme: str, pattern: re.Pattern, description: str) -> list[str]:
    identifiers = profile.get("identifiers") or {}
    if not isinstance(identifiers, dict):
        raise RowError("identifiers", "expected an object of identifier lists")
    values = identifiers.get(scheme) or []
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, list):
        raise RowError(f"identifiers.{scheme}", "expected a list")
    found = []
    for value in values:
        text = _text(value, f"identifiers.{scheme}", max_length=40)
        if not pattern.match(text):
            raise RowError(f"identifiers.{scheme}", f"{text!r} is not {description}")
        if text not in found:
            found.append(text)
    return found


def _keywords(profile: dict) -> str:
    graph = profile.get("@graph") or []
    if not isinstance(graph, list):
        raise RowError("@graph", "expected a list of item groups")
    words: list[str] = []
    for group in graph:
        if not isinstance(group, dict) or group.get("@type") != "research_interests":
            continue
        items = group.get("items") or []
        if not isinstance(items, list):
            raise RowError("research_interests", "expected a list of items")
        for item in items:
            if not isinstance(item, dict):
                raise RowError("research_interests", "expected an object per item")
            keyword = _language_map(item.get("keyword"), "research_interests.keyword")
            for text in (keyword.get("ja", ""), keyword.get("en", "")):
                for word in (w.strip() for w in text.split("/")):
                    if word and word not in words:
                        words.append(word)
    return ", ".join(words)[:KEYWORDS_MAX]


def _affiliations(profile: dict) -> list[ResearcherAffiliation]:
    entries = profile.get("affiliations") or []
    if not isinstance(entries, list):
        raise RowError("affiliations", "expected a list")
    found = []
    for index, entry in enumerate(entries, start=1):
        where = f"affiliations[{index}]"
        if not isinstance(entry, dict):
            raise RowError(where, "expected an object")
        name = _language_map(entry.get("affiliation"), f"{where}.affiliation", max_length=200)
        section = _language_map(entry.get("section"), f"{where}.section", max_length=200)
        job = _language_map(entry.get("job"), f"{where}.job", max_length=100)
        start = _date(entry.get("from_date"), f"{where}.from_date")
        end = _date(entry.get("to_date"), f"{where}.to_date")
        if start and end and end < start:
            raise RowError(f"{where}.to_date", "the affiliation ends before it starts")
        label = name.get("ja") or name.get("en") or ""
        if label:
            found.append(
                ResearcherAffiliation(
                    label,
                    section.get("ja") or section.get("en") or "",
                    job.get("ja", ""),
                    job.get("en", ""),
                    start,
                    end,
                )
            )
    return found


def convert_profile(profile: Any) -> Researcher:
    """A researchmap profile (decoded JSON) as a Researcher; RowError names the field at fault."""
    if not isinstance(profile, dict):
        raise RowError("record", f"expected a researcher object, found {type(profile).__name__}")
    permalink = _text(profile.get("permalink"), "permalink", max_length=64)
    if permalink and not PERMALINK.match(permalink):
        raise RowError("permalink", f"{permalink!r} is not a researchmap permalink (letters, digits, _ . -)")
    rm_id = _text(profile.get("rm:id"), "rm:id", max_length=16)
    if rm_id and not RM_ID.match(rm_id):
        raise RowError("rm:id", f"{rm_id!r} is not a researchmap ID")
    if not (permalink or rm_id):
        raise RowError("permalink", "missing: a profile needs its permalink or rm:id")
    family = _language_map(profile.get("family_name"), "family_name", max_length=NAME_MAX)
    given = _language_map(profile.get("given_name"), "given_name", max_length=NAME_MAX)
    if not (family.get("ja") or family.get("en")):
        raise RowError("family_name", "missing: give the family name in Japanese or English")
    orcids = _identifiers(profile, "orc_id", ORCID, "an ORCID iD (0000-0000-0000-000X)")
    return Researcher(
        permalink=permalink or rm_id,
        rm_id=rm_id,
        family_name_ja=family.get("ja", ""),
        given_name_ja=given.get("ja", ""),
        family_name_en=family.get("en", ""),
        given_name_en=given.get("en", ""),
        family_name_kana=family.get("ja-Kana", ""),
        given_name_kana=given.get("ja-Kana", ""),
        orcid=orcids[0] if orcids else "",
        erad_codes=_identifiers(profile, "erad_id", ERAD, "an 8-digit researcher number (e-Rad)"),
        keywords=_keywords(profile),
        affiliations=_affiliations(profile),
    )


def _outcome(line: int, profile: Any, raw: str, state: ParseState) -> Outcome:
    state.rows_read += 1
    try:
        researcher = convert_profile(profile)
    except RowError as error:
        return RowRejection(line, error.field, error.reason, raw)
    return ParsedRecord(line, researcher.permalink, researcher, raw)


def _compact(profile: Any) -> str:
    return raw_text(json.dumps(profile, ensure_ascii=False)[:2000])


def _looks_like_profile(value: Any) -> bool:
    return isinstance(value, dict) and ("family_name" in value or value.get("@type") == "researchers")


def _not_researchmap(detail: str) -> ImportFileError:
    return ImportFileError(
        f"This is not a researchmap export: {detail}. Give the researchmap API's JSON (one profile, "
        "a JSON array of profiles, or JSON Lines with one profile a line)."
    )


def parse_researchers(stream: BinaryIO, state: ParseState | None = None) -> Iterator[Outcome]:
    """Yield each profile of a researchmap JSON file as a ParsedRecord (data: Researcher) or a
    RowRejection, with the line the profile starts on.

    1. Detect the encoding; look at the first character: `[` an array, `{` an object or JSON Lines.
    2. JSON Lines when the first line is a whole profile: each line is read and judged alone.
    3. Otherwise the document is read whole (up to IMPORT_MAX_JSON_BYTES) and its profiles taken
       from the array, the `items` array, or the object itself.
    """
    state = state or ParseState()
    start_text(stream, state)
    head = stream.peek(4096)[:4096].decode(state.encoding, "replace").lstrip()  # type: ignore[attr-defined]
    if not head:
        raise _not_researchmap("the file is empty")
    if head[0] not in "[{":
        raise _not_researchmap("it does not start with a JSON object or array")
    first_line = head.split("\n", 1)[0]
    try:
        first = json.loads(first_line)
    except json.JSONDecodeError:
        first = None
    if head[0] == "{" and _looks_like_profile(first):
        yield from _json_lines(stream, state)
        return
    text = read_json_document(stream, state)
    opening = len(text) - len(text.lstrip())
    if text[opening:].startswith("["):
        yield from _array(text, opening, state)
        return
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _not_researchmap(f"line {exc.lineno}: {exc.msg}") from None
    if isinstance(document, dict) and isinstance(document.get("items"), list):
        start = text.find("[", text.find('"items"'))
        yield from _array(text, start, state)
    elif _looks_like_profile(document):
        yield _outcome(text.count("\n", 0, opening) + 1, document, _compact(document), state)
    else:
        raise _not_researchmap("the object has no family_name and no items list")


def _array(text: str, start: int, state: ParseState) -> Iterator[Outcome]:
    seen_profile = False
    for entry in json_array_items(text, start):
        if isinstance(entry, RowRejection):
            state.rows_read += 1
            yield entry
            continue
        line, item = entry
        if not seen_profile and state.rows_read >= 20 and not _looks_like_profile(item):
            raise _not_researchmap("none of the first 20 array items is a researcher profile")
        seen_profile = seen_profile or _looks_like_profile(item)
        yield _outcome(line, item, _compact(item), state)


def _json_lines(stream: BinaryIO, state: ParseState) -> Iterator[Outcome]:
    from renkei.imports.textfiles import MAX_LINE_BYTES

    number = 0
    while True:
        data = stream.readline(MAX_LINE_BYTES)
        if not data:
            return
        number += 1
        state.lines_read = number
        if len(data) == MAX_LINE_BYTES and not data.endswith(b"\n"):
            while True:
                rest = stream.readline(MAX_LINE_BYTES)
                if not rest or rest.endswith(b"\n"):
                    break
            state.rows_read += 1
            yield RowRejection(number, "line", f"longer than {MAX_LINE_BYTES:,} bytes", "")
            continue
        try:
            text = data.decode(state.encoding)
        except UnicodeDecodeError as exc:
            state.rows_read += 1
            reason = f"byte {exc.start + 1} of the line is not valid {state.encoding} text"
            yield RowRejection(number, "encoding", reason, raw_text(data.decode(state.encoding, "replace")))
            continue
        if not text.strip():
            continue
        try:
            profile = json.loads(text)
        except json.JSONDecodeError as exc:
            state.rows_read += 1
            yield RowRejection(number, "json", f"not valid JSON: {exc.msg}", raw_text(text))
            continue
        yield _outcome(number, profile, raw_text(text), state)


# --- writing --------------------------------------------------------------------------------


class ResearchmapSource:
    """The researchmap adapter of `records.do_import_records`."""

    source = ImportSource.RESEARCHMAP
    replaces_repeated_keys = True

    def parse(self, stream: BinaryIO, state: ParseState) -> Iterator[Outcome]:
        return parse_researchers(stream, state)

    def write(self, record: ParsedRecord, context: WriteContext) -> str:
        researcher: Researcher = record.data
        person = self._existing(researcher)
        if person is None:
            if self._queue_if_namesake(researcher, record, context):
                return QUEUED
            person = self._create(researcher, context)
            outcome = CREATED
        else:
            outcome = UPDATED if self._update(person, researcher, context) else UNCHANGED
        self._identifiers(person, researcher, context)
        if self._affiliations(person, researcher, record, context) and outcome == UNCHANGED:
            outcome = UPDATED
        return outcome

    def _create(self, researcher: Researcher, context: WriteContext) -> Person:
        person = Person(
            **researcher.person_values(),
            visibility=Visibility.RESTRICTED,
            consent_to_publish=False,
            source=RecordSource.IMPORT,
            source_note=self._note(researcher),
        )
        save_validated(person, actor=context.user, reason="researchmap import")
        context.people.add(person)
        return person

    @staticmethod
    def _update(person: Person, researcher: Researcher, context: WriteContext) -> bool:
        """Write the profile's names, ID, ORCID and keywords over PERSON; whether any changed."""
        if context.user is not None and not editable_people(context.user).filter(pk=person.pk).exists():
            raise PermissionDenied(
                "A person with this researchmap ID or researcher number is looked after by another "
                "cluster; the profile was not imported over it."
            )
        changed = assign_changed(person, researcher.person_values())
        if changed:
            save_validated(person, actor=context.user, reason="researchmap import")
        return bool(changed)

    @staticmethod
    def _queue_if_namesake(researcher: Researcher, record: ParsedRecord, context: WriteContext) -> bool:
        """Put the profile in the review queue when people of its Japanese name exist (and may be
        the same researcher); whether it now waits there.

        A profile already waiting in the importing office's queue is refreshed with the file's
        version; another office's item is left as it is (that office reviews its own). One decided
        before in this office (its person since deleted, or its ID edited away) is imported as a
        new person."""
        if not (researcher.family_name_ja and researcher.given_name_ja):
            return False  # a family name alone says too little to hold the profile back
        key = f"researchmap:{researcher.permalink}"
        waiting = ReviewItem.objects.filter(key=key, owner=context.office).first()
        if waiting is not None:
            if waiting.status != ReviewStatus.PENDING:
                return False
            waiting.profile = researcher_payload(researcher)
            waiting.source_row = record.raw[:4000].replace("\x00", "\\x00")
            waiting.save(update_fields=["profile", "source_row"])
            return True
        organisations = {
            match.certain
            for match in (context.organisations.match(a.name) for a in researcher.affiliations)
            if match.certain is not None
        }
        match = context.people.match_profile(
            researcher.family_name_ja + researcher.given_name_ja,
            researchmap_id=researcher.permalink,
            researcher_numbers=researcher.erad_codes,
            organisation_ids=organisations,
        )
        if not match.candidates:
            return False
        queue_review(
            context.run,
            line_number=record.line_number,
            source_row=record.raw,
            kind=LinkKind.RESEARCHER_PROFILE,
            key=key,
            name=researcher.name_ja,
            context=" / ".join(a.name for a in researcher.affiliations),
            candidates=match.candidates,
            profile=researcher_payload(researcher),
            owner=context.office,
        )
        return True

    @staticmethod
    def _note(researcher: Researcher) -> str:
        return f"researchmap {researcher.rm_id or researcher.permalink}"

    @staticmethod
    def _existing(researcher: Researcher) -> Person | None:
        person = Person.objects.filter(researchmap_id=researcher.permalink).order_by("pk").first()
        if person is None and researcher.erad_codes:
            identifier = (
                ResearcherIdentifier.objects.filter(erad_code__in=researcher.erad_codes)
                .select_related("person")
                .first()
            )
            person = identifier.person if identifier else None
        return person

    @staticmethod
    def _identifiers(person: Person, researcher: Researcher, context: WriteContext) -> None:
        for code in researcher.erad_codes:
            identifier, _created = ResearcherIdentifier.objects.get_or_create(
                erad_code=code, defaults={"person": person, "first_run": context.run}
            )
            if identifier.person_id != person.pk:
                raise RowError("identifiers.erad_id", f"the researcher number {code} already belongs to another person")

    @staticmethod
    def _affiliations(person: Person, researcher: Researcher, record: ParsedRecord, context: WriteContext) -> bool:
        """Link each affiliation that matches one organisation with certainty; queue the others.
        Returns whether an affiliation was added."""
        added = False
        existing = set(person.affiliations.values_list("organisation_id", flat=True))
        for index, affiliation in enumerate(researcher.affiliations):
            match = context.organisations.match(affiliation.name)
            if match.certain is not None:
                if match.certain in existing:
                    continue
                save_validated(
                    Affiliation(
                        person=person,
                        organisation_id=match.certain,
                        department=affiliation.department,
                        title_ja=affiliation.title_ja,
                        title_en=affiliation.title_en,
                        start_on=affiliation.start_on,
                        end_on=affiliation.end_on,
                        is_primary=index == 0 and not existing,
                    ),
                    actor=context.user,
                    reason="researchmap import",
                )
                existing.add(match.certain)
                added = True
            elif match.uncertain:
                candidates = [c for c in match.candidates if c.organisation_id not in existing]
                queue_review(
                    context.run,
                    line_number=record.line_number,
                    source_row=record.raw,
                    kind=LinkKind.AFFILIATION,
                    key=f"affiliation:{person.pk}:{organisation_key(affiliation.name)}",
                    name=affiliation.name,
                    context=" ".join(p for p in (affiliation.department, affiliation.title_ja) if p),
                    candidates=candidates,
                    person=person,
                    department=affiliation.department[:200],
                    title_ja=affiliation.title_ja[:100],
                    title_en=affiliation.title_en[:100],
                    owner=context.office,
                )
        return added


def do_apply_reviewed_profile(user, item: ReviewItem, person: Person | None) -> Person:
    """Import the researchmap profile waiting in ITEM, as a reviewer decided: over PERSON (the
    candidate confirmed: the profile is theirs) or, when PERSON is None (the candidates were
    rejected), as a new person. Its researcher numbers and affiliations follow as in an import;
    affiliations by name alone are queued in turn. Runs inside the decision's transaction;
    ValidationError when the profile cannot be applied (a researcher number of someone else, or
    the profile imported meanwhile: entered by hand, or decided in another office's queue).
    Affiliations queued now go to the item's office."""
    if not item.profile:
        raise ValidationError(_("The profile of this link was not kept; import the file again."))
    researcher = researcher_from_payload(item.profile)
    context = WriteContext(
        run=item.run, user=user if getattr(user, "is_authenticated", False) else None, review_office=item.owner
    )
    record = ParsedRecord(item.line_number, researcher.permalink, researcher, item.source_row)
    source = ResearchmapSource()
    if person is None:
        if source._existing(researcher) is not None:
            # Someone entered the person (with this researchmap ID or researcher number) meanwhile.
            raise ValidationError(_("This profile has been imported since it was queued; nothing was created."))
        person = source._create(researcher, context)
    else:
        if Person.objects.filter(researchmap_id=researcher.permalink).exclude(pk=person.pk).exists():
            # Another office's reviewer (or someone by hand) gave the profile to another person;
            # a researcher number taken meanwhile is refused by _identifiers below.
            raise ValidationError(_("This profile has been imported over another person since it was queued."))
        source._update(person, researcher, context)
    try:
        source._identifiers(person, researcher, context)
    except RowError as error:
        raise ValidationError(error.reason) from None
    source._affiliations(person, researcher, record, context)
    return person
