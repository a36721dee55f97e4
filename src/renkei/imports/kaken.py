"""KAKEN grant projects (科研費データベース, NII) → grant projects linked to researchers and
institutions.

Accepted layout (/work/shared/formats.md §4): the XML of the KAKEN API (`format=xml`), root
`grantAwards` (or `grantAwardList`, as the definition sheet names it), one `grantAward` per
project holding `summary` elements per language. Several result pages may be concatenated inside
one root. UTF-8, zipped or not. The web search's CSV export is not read (its layout is not
published): such a file is refused with a message saying so.

The XML is read as a stream (expat, no DTD or entity allowed: a document declaring one is refused,
which also rules out entity-expansion bombs); each `grantAward` is converted on its own, so a
project with a bad value is rejected with its line number, the element and the reason, and the
others are imported. Members are linked to people by researcher number (研究者番号, e-Rad; the
number researchmap profiles carry too), or by name when exactly one person of that name works at
the project's institution; institutions by name (KAKEN gives no corporate number), which a
reviewer confirms once per published name. Everything else goes to the review queue.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET  # noqa: S405 - builds elements only; parsing is expat with DTDs refused
from collections.abc import Iterator
from dataclasses import astuple, dataclass, field
from typing import BinaryIO
from xml.parsers import expat

from renkei.core.services import save_validated
from renkei.imports.choices import ImportSource, LinkKind
from renkei.imports.files import ImportFileError
from renkei.imports.linking import organisation_key, person_key, queue_review
from renkei.imports.models import GrantMember, GrantProject
from renkei.imports.nta import ParseState, RowError, RowRejection
from renkei.imports.records import CREATED, UNCHANGED, UPDATED, Outcome, ParsedRecord, WriteContext, assign_changed

ROOTS = {"grantAwards", "grantAwardList"}
AWARD = "grantAward"
CHUNK = 64 * 1024
AWARD_NUMBER = re.compile(r"\A[0-9A-Za-z\-]{2,32}\Z")
RESEARCHER_NUMBER = re.compile(r"\A[0-9]{8}\Z")
SUMMARY_TYPES = ("outline_of_research_initial", "purpose", "abstract", "outline_of_research_achievement")
MIN_YEAR, MAX_YEAR = 1950, 2100
RAW_CHARS = 2000


@dataclass(frozen=True)
class Member:
    sequence: int
    role: str
    researcher_number: str
    name: str
    name_kana: str
    institution_name: str
    department: str
    job_title: str


@dataclass
class Grant:
    award_number: str
    values: dict[str, object]
    members: list[Member] = field(default_factory=list)


# --- reading --------------------------------------------------------------------------------


def _text(element: ET.Element | None) -> str:
    return "".join(element.itertext()).strip() if element is not None else ""


def _year(element: ET.Element | None, where: str) -> int | None:
    text = _text(element)
    if not text:
        return None
    if not (text.isascii() and text.isdigit() and MIN_YEAR <= int(text) <= MAX_YEAR):
        raise RowError(where, f"{text!r} is not a fiscal year ({MIN_YEAR}–{MAX_YEAR})")
    return int(text)


def _yen(element: ET.Element | None, where: str) -> int | None:
    text = _text(element).replace(",", "")
    if not text:
        return None
    if not (text.isascii() and text.isdigit()) or len(text) > 15:
        raise RowError(where, f"{_text(element)!r} is not an amount in yen (a whole number)")
    return int(text)


def _date(text: str, where: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise RowError(where, f"{text!r} is not a date (YYYY-MM-DD…)") from None


def _summary(award: ET.Element, language: str) -> ET.Element | None:
    for summary in award.findall("summary"):
        if summary.get("xml:lang") == language:
            return summary
    return None


def _members(summary: ET.Element) -> list[Member]:
    members = []
    for index, member in enumerate(summary.findall("member"), start=1):
        where = f"member[{index}]"
        number = (member.get("researcherNumber") or "").strip()
        if number and not RESEARCHER_NUMBER.match(number):
            raise RowError(f"{where}/@researcherNumber", f"{number!r} is not an 8-digit researcher number")
        name_element = member.find("personalName")
        name = _text(name_element.find("fullName")) if name_element is not None else ""
        kana = ""
        if name_element is not None:
            family, given = name_element.find("familyName"), name_element.find("givenName")
            name = name or " ".join(p for p in (_text(family), _text(given)) if p)
            kana = " ".join(e.get("yomi", "") for e in (family, given) if e is not None and e.get("yomi")).strip()
        if not name:
            raise RowError(f"{where}/personalName", "the member has no name")
        affiliation = member.find("affiliation")
        sequence = member.get("sequence") or str(index)
        if not (sequence.isascii() and sequence.isdigit() and 0 < int(sequence) < 10_000):
            raise RowError(f"{where}/@sequence", f"{sequence!r} is not a sequence number")
        members.append(
            Member(
                sequence=int(sequence),
                role=(member.get("role") or "")[:64],
                researcher_number=number,
                name=name,
                name_kana=kana,
                institution_name=_text(affiliation.find("institution")) if affiliation is not None else "",
                department=_text(affiliation.find("department")) if affiliation is not None else "",
                job_title=_text(affiliation.find("jobTitle")) if affiliation is not None else "",
            )
        )
    if len({m.sequence for m in members}) != len(members):
        raise RowError("member/@sequence", "two members have the same sequence number")
    return members


def convert_award(award: ET.Element) -> Grant:
    """A `grantAward` element as a Grant; RowError names the element or attribute at fault."""
    number = (award.get("awardNumber") or "").strip()
    if not number:
        record_id = award.get("id") or ""
        number = record_id.rsplit("-", 1)[-1] if record_id.startswith("KAKENHI-") else ""
    if not AWARD_NUMBER.match(number):
        raise RowError("@awardNumber", f"{number!r} is not a KAKEN award number" if number else "missing")
    ja = _summary(award, "ja")
    en = _summary(award, "en")
    main = ja if ja is not None else en
    if main is None:
        main = award.find("summary")
    if main is None:
        raise RowError("summary", "the project has no summary")
    title_ja = _text(ja.find("title")) if ja is not None else ""
    title_en = _text(en.find("title")) if en is not None else ""
    if not (title_ja or title_en):
        raise RowError("summary/title", "the project has no title")
    period = main.find("periodOfAward")
    start = _year(period.find("startFiscalYear") if period is not None else None, "periodOfAward/startFiscalYear")
    end = _year(period.find("endFiscalYear") if period is not None else None, "periodOfAward/endFiscalYear")
    if start and end and end < start:
        raise RowError("periodOfAward/endFiscalYear", f"the project ends (FY{end}) before it starts (FY{start})")
    amount = main.find("overallAwardAmount")
    costs = {
        name: _yen(amount.find(tag) if amount is not None else None, f"overallAwardAmount/{tag}")
        for name, tag in (("direct_cost", "directCost"), ("indirect_cost", "indirectCost"), ("total_cost", "totalCost"))
    }
    status = main.find("projectStatus")
    paragraphs = {p.get("type", ""): _text(p) for p in main.findall("paragraphList")}
    summary_text = next((paragraphs[t] for t in SUMMARY_TYPES if paragraphs.get(t)), "")
    institution = main.find("institution")
    values: dict[str, object] = {
        "record_id": (award.get("id") or "")[:64],
        "title_ja": title_ja,
        "title_en": title_en,
        "category": _text(main.find("category")),
        "section": _text(main.find("section")),
        "research_field": " / ".join(_text(f) for f in main.findall("field") if _text(f)),
        "review_section": " / ".join(_text(f) for f in main.findall("review_section") if _text(f)),
        "institution_name": _text(institution),
        "start_fiscal_year": start,
        "end_fiscal_year": end,
        **costs,
        "status": (status.get("statusCode") or "") if status is not None else "",
        "keywords": ", ".join(_text(k) for k in main.iter("keyword") if _text(k)),
        "summary": summary_text,
        "modified_on": _date(_text(award.find("modified")), "modified"),
    }
    return Grant(number, values, _members(main))


class _AwardReader:
    """Streams `grantAward` elements out of the XML with expat, each with its first line."""

    def __init__(self) -> None:
        self.parser = expat.ParserCreate()
        self.parser.buffer_text = True
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.CharacterDataHandler = self._data
        self.parser.StartDoctypeDeclHandler = self._refuse_doctype
        self.parser.EntityDeclHandler = self._refuse_doctype
        self.root: str | None = None
        self.depth = 0
        self.stack: list[ET.Element] = []
        self.award_line = 0
        self.done: list[tuple[int, ET.Element]] = []

    def _refuse_doctype(self, *args) -> None:
        raise ImportFileError("The XML declares a DTD or entities; KAKEN files have none, and they are refused.")

    def _start(self, name: str, attributes: dict[str, str]) -> None:
        self.depth += 1
        if self.root is None:
            self.root = name
            if name not in ROOTS and name != AWARD:
                raise ImportFileError(_not_kaken(f"its root element is <{name}>"))
            if name != AWARD:
                return
        if self.stack:
            element = ET.SubElement(self.stack[-1], name, attributes)
        elif name == AWARD:
            element = ET.Element(name, attributes)
            self.award_line = self.parser.CurrentLineNumber
        else:
            return  # totalResults and the like, outside the projects
        self.stack.append(element)

    def _end(self, name: str) -> None:
        self.depth -= 1
        if not self.stack:
            return
        element = self.stack.pop()
        if not self.stack:
            self.done.append((self.award_line, element))

    def _data(self, text: str) -> None:
        if self.stack:
            element = self.stack[-1]
            if len(element):
                element[-1].tail = (element[-1].tail or "") + text
            else:
                element.text = (element.text or "") + text


def _not_kaken(detail: str) -> str:
    return (
        f"This is not a KAKEN XML export: {detail}. Give the KAKEN API's XML (format=xml), whose root "
        "is <grantAwards>; the web search's CSV is not read."
    )


def _raw(element: ET.Element) -> str:
    return ET.tostring(element, encoding="unicode")[:RAW_CHARS]


def parse_grant_awards(stream: BinaryIO, state: ParseState | None = None) -> Iterator[Outcome]:
    """Yield each `grantAward` as a ParsedRecord (data: Grant) or a RowRejection.

    1. Feed the file to expat in 64 KB chunks; the first element must be a KAKEN root.
    2. Convert each completed `grantAward` on its own (`convert_award`).
    3. XML that breaks before any project is a file error; after some, one rejection at the line
       where it broke (the projects before it are imported; the rest cannot be read).
    """
    state = state or ParseState()
    state.encoding = "utf-8"
    reader = _AwardReader()
    seen_award = False
    while True:
        chunk = stream.read(CHUNK)
        try:
            reader.parser.Parse(chunk, not chunk)
        except expat.ExpatError as exc:
            yield from _drain(reader, state)
            if reader.root is None or not (seen_award or state.rows_read):
                raise ImportFileError(_not_kaken(f"line {exc.lineno}: {expat.ErrorString(exc.code)}")) from None
            state.rows_read += 1
            reason = f"the XML breaks here ({expat.ErrorString(exc.code)}); the rest of the file is not read"
            yield RowRejection(exc.lineno, "xml", reason, "")
            return
        seen_award = seen_award or bool(reader.done)
        yield from _drain(reader, state)
        if not chunk:
            break
    if reader.root is None:
        raise ImportFileError(_not_kaken("the file is empty"))


def _drain(reader: _AwardReader, state: ParseState) -> Iterator[Outcome]:
    for line, award in reader.done:
        state.rows_read += 1
        raw = _raw(award)
        try:
            grant = convert_award(award)
        except RowError as error:
            yield RowRejection(line, error.field, error.reason, raw)
            continue
        yield ParsedRecord(line, grant.award_number, grant, raw)
    reader.done.clear()


# --- writing --------------------------------------------------------------------------------


class KakenSource:
    """The KAKEN adapter of `records.do_import_records`."""

    source = ImportSource.KAKEN
    replaces_repeated_keys = True

    def parse(self, stream: BinaryIO, state: ParseState) -> Iterator[Outcome]:
        return parse_grant_awards(stream, state)

    def write(self, record: ParsedRecord, context: WriteContext) -> str:
        grant: Grant = record.data
        project = GrantProject.objects.filter(award_number=grant.award_number).first()
        created = project is None
        if created:
            project = GrantProject(award_number=grant.award_number)
        changed = assign_changed(project, grant.values)
        if created or changed:
            save_validated(project, actor=context.user)
        changed_links = self._institution(project, grant, record, context)
        changed_members = self._members(project, grant, record, context)
        if created:
            return CREATED
        return UPDATED if changed or changed_links or changed_members else UNCHANGED

    @staticmethod
    def _institution(project: GrantProject, grant: Grant, record: ParsedRecord, context: WriteContext) -> bool:
        name = project.institution_name
        if project.institution_id is not None or not name:
            return False
        match = context.organisations.match(name)
        if match.certain is not None:
            project.institution_id = match.certain
            project.save(update_fields=["institution", "updated_at"])
            return True
        queue_review(
            context.run,
            line_number=record.line_number,
            source_row=record.raw,
            kind=LinkKind.GRANT_INSTITUTION,
            key=f"grant_institution:{project.award_number}:{organisation_key(name)}",
            name=name,
            context=project.title_ja or project.title_en,
            candidates=match.candidates,
            grant_project=project,
        )
        return False

    @staticmethod
    def _members(project: GrantProject, grant: Grant, record: ParsedRecord, context: WriteContext) -> bool:
        """Replace the members when the published list changed; link those not linked yet."""
        stored = list(project.members.order_by("sequence"))
        published = [astuple(m) for m in grant.members]
        current = [
            (
                m.sequence,
                m.role,
                m.researcher_number,
                m.name,
                m.name_kana,
                m.institution_name,
                m.department,
                m.job_title,
            )
            for m in stored
        ]
        changed = current != published
        if changed:
            project.members.all().delete()
            stored = []
            for member in grant.members:
                row = GrantMember(project=project, **member.__dict__)
                row.full_clean()
                row.save()
                stored.append(row)
        for member in stored:
            if member.person_id is not None:
                continue
            organisation = context.organisations.match(member.institution_name).certain
            match = context.people.match(
                member.name, researcher_number=member.researcher_number, organisation_id=organisation
            )
            if match.certain is not None:
                member.person_id = match.certain
                member.save(update_fields=["person"])
                changed = True
            elif match.uncertain:
                queue_review(
                    context.run,
                    line_number=record.line_number,
                    source_row=record.raw,
                    kind=LinkKind.GRANT_MEMBER,
                    key=f"grant_member:{project.award_number}:{member.sequence}:{person_key(member.name)}",
                    name=member.name,
                    context=" ".join(p for p in (member.institution_name, member.department, member.role) if p),
                    candidates=match.candidates,
                    grant_member=member,
                )
        return changed
