"""Patent lists (CSV) → patent applications linked to their applicant organisations.

Accepted layouts (/work/shared/formats.md §5), told apart by their header row, which may follow a
few title lines (up to `HEADER_PROBE_ROWS`); columns are found by name, in any order, and columns
not listed here are ignored:

- the canonical list renkei defines (`application_number, application_date, publication_number,
  …, title, applicants, applicant_corporate_numbers, inventors, ipc, fi, fterm_themes, abstract,
  source`); several applicants separated by `;`, their corporate numbers lined up by position;
- Google Patents Public Datasets, flattened (`publication_number, application_number,
  country_code, kind_code, title_ja, abstract_ja, assignee_harmonized, ipc, filing_date, …`);
  publications outside Japan are skipped, a B (grant) publication fills the registration;
- gBizINFO 特許 (`法人番号, 出願番号, 出願年月日, 特許_FI分類_コード値, 発明の名称…`): one
  applicant with its corporate number and address; design and trademark rows are skipped;
- Japanese headers (出願番号, 出願日, 公開番号, 登録番号, 発明の名称, 出願人, 発明者, 国際特許分類, 要約).

Application numbers are normalised to `JP{YYYY}{6 digits}` (特願2021-123456, 特願平11-123456,
2021-123456, JP-2021123456-A all work; 昭和/平成/令和 converted); this is the record's key. Rows
for one application complete each other: a value a row leaves empty keeps the stored one.
Applicants link to organisations by corporate number, or by name with a confirming address; a
name alone goes to the review queue.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from renkei.core.validators import is_valid_corporate_number
from renkei.imports.choices import ImportSource, LinkKind, PatentRightKind
from renkei.imports.files import ImportFileError
from renkei.imports.linking import organisation_key, queue_review
from renkei.imports.models import Patent, PatentApplicant
from renkei.imports.nta import ParseState, RowError
from renkei.imports.records import CREATED, UNCHANGED, UPDATED, Outcome, ParsedRecord, SkippedRow, WriteContext
from renkei.imports.textfiles import ColumnLayout, headed_csv_rows

HEADER_PROBE_ROWS = 10
LIST_SEPARATORS = re.compile(r"[;；\n]")
MAX_APPLICANTS = 50

# Field → the headers it is recognised by (compared after `textfiles.header_key`).
ALIASES: dict[str, tuple[str, ...]] = {
    "application_number": ("application_number", "出願番号", "application number", "特許出願番号"),
    "application_date": ("application_date", "filing_date", "出願日", "出願年月日", "filing date"),
    "publication_number": ("publication_number", "公開番号", "publication number", "公報番号"),
    "publication_date": ("publication_date", "公開日", "publication date", "発行日"),
    "registration_number": ("registration_number", "登録番号", "特許番号", "registration number", "patent_number"),
    "registration_date": ("registration_date", "grant_date", "登録日", "registration date"),
    "title": ("title", "title_ja", "発明の名称", "発明の名称(等)/意匠に係る物品/表示用商標", "invention title", "名称"),
    "applicants": ("applicants", "applicant", "出願人", "出願人/権利者", "assignee", "assignee_harmonized", "法人名"),
    "applicant_corporate_numbers": ("applicant_corporate_numbers", "法人番号", "corporate_number"),
    "applicant_addresses": ("applicant_addresses", "本社所在地", "出願人住所"),
    "inventors": ("inventors", "inventor", "inventor_harmonized", "発明者"),
    "ipc": ("ipc", "国際特許分類", "ipc分類"),
    "fi": ("fi", "特許_fi分類_コード値", "fi分類"),
    "fterm_themes": ("fterm_themes", "特許_fターム-テーマコード", "テーマコード", "fターム"),
    "abstract": ("abstract", "abstract_ja", "要約", "抄録"),
    "source": ("source", "出典"),
    "right_kind": ("特許/意匠/商標", "right_kind", "種別"),
    "country_code": ("country_code",),
    "kind_code": ("kind_code",),
}
REQUIRED = ("application_number", "title")
DATE_FIELDS = ("application_date", "publication_date", "registration_date")
ERAS = {"昭和": 1925, "平成": 1988, "令和": 2018, "昭": 1925, "平": 1988, "令": 2018, "S": 1925, "H": 1988, "R": 2018}
_ERA = re.compile(r"\A(?:特願|実願)?(昭和|平成|令和|[昭平令SHR])(\d{1,2})[-‐−/年](\d{1,6})号?\Z")
_WESTERN = re.compile(r"\A(?:特願|実願)?(\d{4})[-‐−/年](\d{1,6})号?\Z")
_PLAIN = re.compile(r"\A(?:JP)?-?(\d{4})-?(\d{6})(?:-[A-Z]\d?)?\Z")


@dataclass
class Applicant:
    name: str
    corporate_number: str = ""
    address: str = ""


@dataclass
class PatentRow:
    application_number: str
    values: dict[str, object]
    applicants: list[Applicant] = field(default_factory=list)


def normalise_application_number(value: str) -> tuple[str, str]:
    """`JP{YYYY}{6 digits}` and the kind (patent or utility model) of a Japanese application
    number as people write it; RowError when it is none of the known forms."""
    text = unicodedata.normalize("NFKC", value).strip().replace(" ", "").upper()
    kind = PatentRightKind.UTILITY_MODEL if text.startswith("実願") else PatentRightKind.PATENT
    era = _ERA.match(text)
    if era:
        year = ERAS[era.group(1)] + int(era.group(2))
        number = era.group(3)
    else:
        found = _WESTERN.match(text) or _PLAIN.match(text)
        if not found:
            raise RowError("application_number", f"{value!r} is not a Japanese application number (特願2021-123456)")
        year, number = int(found.group(1)), found.group(2)
    if not 1900 <= year <= 2100:
        raise RowError("application_number", f"{value!r}: the year {year} is out of range")
    return f"JP{year}{int(number):06d}", kind


def _date(value: str, column: str) -> dt.date | None:
    """YYYY-MM-DD, YYYY/MM/DD or YYYYMMDD (Google's integers, where 0 means unknown)."""
    text = unicodedata.normalize("NFKC", value).strip()
    if not text or text == "0":
        return None
    digits = text.replace("-", "").replace("/", "").replace(".", "")
    if not (len(digits) == 8 and digits.isascii() and digits.isdigit()):
        raise RowError(column, f"{value!r} is not a date (YYYY-MM-DD)")
    try:
        return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        raise RowError(column, f"{value!r} is not a real date") from None


def _split(value: str) -> list[str]:
    return [part.strip() for part in LIST_SEPARATORS.split(value)]


class Layout(ColumnLayout):
    """The columns of one patent list."""

    aliases = ALIASES

    @property
    def complete(self) -> bool:
        return all(name in self.columns for name in REQUIRED)


def convert_row(layout: Layout, cells: list[str]) -> PatentRow | None:
    """A row as a PatentRow, None for a row to skip (not a Japanese patent or utility model);
    RowError names the column (as the file's header writes it) and the reason."""
    if len(cells) != layout.width:
        raise RowError("columns", f"{len(cells)} columns where the header has {layout.width}")
    for index, cell in enumerate(cells):
        if "\x00" in cell:
            raise RowError(_header_at(layout, index), "contains a NUL character")
    right = unicodedata.normalize("NFKC", layout.cell(cells, "right_kind")).strip()
    if right and right not in ("特許", "実用新案", "patent"):
        return None
    country = layout.cell(cells, "country_code").strip().upper()
    if country and country != "JP":
        return None
    try:
        number, kind = normalise_application_number(layout.cell(cells, "application_number"))
    except RowError as error:
        raise RowError(layout.header("application_number"), error.reason) from None
    if right == "実用新案":
        kind = PatentRightKind.UTILITY_MODEL
    title = layout.cell(cells, "title").strip()
    if not title:
        raise RowError(layout.header("title"), "missing: every application needs its title")
    dates = {name: _date(layout.cell(cells, name), layout.header(name)) for name in DATE_FIELDS}
    values: dict[str, object] = {
        "application_number_as_published": layout.cell(cells, "application_number").strip()[:64],
        "kind": kind,
        **dates,
        "publication_number": layout.cell(cells, "publication_number").strip()[:64],
        "registration_number": layout.cell(cells, "registration_number").strip()[:64],
        "title": title,
        "applicants_text": layout.cell(cells, "applicants").strip(),
        "inventors": "; ".join(p for p in _split(layout.cell(cells, "inventors")) if p),
        "ipc": layout.cell(cells, "ipc").strip(),
        "fi": layout.cell(cells, "fi").strip(),
        "fterm_themes": layout.cell(cells, "fterm_themes").strip(),
        "abstract": layout.cell(cells, "abstract").strip(),
        "source_note": layout.cell(cells, "source").strip()[:200],
    }
    kind_code = layout.cell(cells, "kind_code").strip().upper()
    if kind_code.startswith(("B", "C")) and values["publication_number"]:
        # A Google Patents grant publication: its number and date are the registration's.
        values["registration_number"] = values["publication_number"]
        values["registration_date"] = values["registration_date"] or values["publication_date"]
        values["publication_number"], values["publication_date"] = "", None
    return PatentRow(number, values, _applicants(layout, cells))


def _applicants(layout: Layout, cells: list[str]) -> list[Applicant]:
    names = _split(layout.cell(cells, "applicants"))
    numbers = _split(layout.cell(cells, "applicant_corporate_numbers"))
    addresses = _split(layout.cell(cells, "applicant_addresses"))
    applicants = []
    for index, name in enumerate(names):
        if not name:
            continue
        number = unicodedata.normalize("NFKC", numbers[index]).strip() if index < len(numbers) else ""
        if number and not is_valid_corporate_number(number):
            raise RowError(
                layout.header("applicant_corporate_numbers"),
                f"{number!r} (applicant {index + 1}) is not a corporate number: 13 digits with a valid check digit",
            )
        address = addresses[index] if index < len(addresses) else ""
        if len(name) > 300 or len(address) > 300:
            raise RowError(layout.header("applicants"), f"applicant {index + 1}: longer than 300 characters")
        applicants.append(Applicant(name, number, address))
    if len(applicants) > MAX_APPLICANTS:
        raise RowError(layout.header("applicants"), f"more than {MAX_APPLICANTS} applicants")
    return applicants


def _header_at(layout: Layout, index: int) -> str:
    for _name, (at, header) in layout.columns.items():
        if at == index:
            return header
    return f"column {index + 1}"


def _not_patents(detail: str) -> ImportFileError:
    return ImportFileError(
        f"This is not a patent list: {detail}. A header row naming at least the application number "
        "(application_number / 出願番号) and the title (title / 発明の名称) columns is needed within the "
        f"first {HEADER_PROBE_ROWS} rows (see the import guide for the layouts read)."
    )


def parse_patent_rows(stream: BinaryIO, state: ParseState | None = None) -> Iterator[Outcome]:
    """Yield each row of a patent list CSV as a ParsedRecord (data: PatentRow), a SkippedRow or a
    RowRejection.

    1. Detect the encoding (UTF-8 with or without BOM, or Shift_JIS).
    2. Find the header row among the first rows; refuse the file when there is none.
    3. Convert each row after it on its own.
    """
    return headed_csv_rows(
        stream,
        state or ParseState(),
        probe_rows=HEADER_PROBE_ROWS,
        find_layout=_patent_layout,
        convert=_patent_outcome,
        not_recognised=_not_patents,
    )


def _patent_layout(cells: list[str]) -> Layout | None:
    layout = Layout(cells)
    return layout if layout.complete else None


def _patent_outcome(layout: Layout, line: int, cells: list[str], raw: str) -> Outcome:
    row = convert_row(layout, cells)
    return SkippedRow(line) if row is None else ParsedRecord(line, row.application_number, row, raw)


# --- writing --------------------------------------------------------------------------------


class PatentSource:
    """The patent list adapter of `records.do_import_records`."""

    source = ImportSource.PATENTS
    # Rows of one application complete each other (publication, then grant): write each in turn.
    replaces_repeated_keys = False

    def parse(self, stream: BinaryIO, state: ParseState) -> Iterator[Outcome]:
        return parse_patent_rows(stream, state)

    def write(self, record: ParsedRecord, context: WriteContext) -> str:
        row: PatentRow = record.data
        patent = Patent.objects.filter(application_number=row.application_number).first()
        created = patent is None
        if created:
            patent = Patent(application_number=row.application_number)
        changed = []
        for name, value in row.values.items():
            # A value the row leaves empty keeps the stored one: lists from different sources
            # know different parts of an application.
            if value in ("", None) and not created:
                continue
            if getattr(patent, name) != value:
                setattr(patent, name, value)
                changed.append(name)
        if created or changed:
            # The application number was just looked up in this transaction: skip full_clean's
            # uniqueness queries (the database constraint still stands behind it).
            patent.full_clean(validate_unique=False, validate_constraints=False)
            patent.save()
        changed_applicants = self._applicants(patent, row, record, context, created)
        if created:
            return CREATED
        return UPDATED if changed or changed_applicants else UNCHANGED

    @staticmethod
    def _applicants(patent: Patent, row: PatentRow, record: ParsedRecord, context: WriteContext, created: bool) -> bool:
        if not row.applicants:
            return False
        stored = [] if created else list(patent.applicants.order_by("sequence"))
        published = [(a.name, a.corporate_number, a.address) for a in row.applicants]
        changed = [(a.name, a.corporate_number, a.address) for a in stored] != published
        if changed:
            if not created:
                patent.applicants.all().delete()
            stored = [
                PatentApplicant(
                    patent=patent,
                    sequence=sequence,
                    name=applicant.name,
                    corporate_number=applicant.corporate_number,
                    address=applicant.address,
                )
                for sequence, applicant in enumerate(row.applicants, start=1)
            ]
            for entry in stored:
                entry.full_clean(exclude=["patent"], validate_unique=False, validate_constraints=False)
            stored = PatentApplicant.objects.bulk_create(stored)
        for applicant in stored:
            if applicant.organisation_id is not None:
                continue
            match = context.organisations.match(
                applicant.name, corporate_number=applicant.corporate_number, address=applicant.address
            )
            if match.certain is not None:
                applicant.organisation_id = match.certain
                applicant.save(update_fields=["organisation"])
                changed = True
            elif match.uncertain:
                queue_review(
                    context.run,
                    line_number=record.line_number,
                    source_row=record.raw,
                    kind=LinkKind.PATENT_APPLICANT,
                    key=f"patent_applicant:{patent.application_number}:{applicant.sequence}:"
                    f"{organisation_key(applicant.name)}",
                    name=applicant.name,
                    context=applicant.address or patent.title,
                    candidates=match.candidates,
                    patent_applicant=applicant,
                )
        return changed
