"""gBizINFO (METI) bulk CSV files → corporate information of the organisations in the directory.

The 基本情報 (basic information, downfile 7, `Kihonjoho_UTF-8.csv` in the newer naming) file
updates the organisations that hold its corporate number: capital, employees, founding date and
homepage on the organisation; status and closing, business summary, business item codes, workforce
detail, founding year and qualification grade in its `CorporateProfile`. Corporations not in the
directory are skipped, or created (restricted, kind company) when `create_missing` is set.

The 特許 file is a patent list: it is read by the patent adapter (`patents.PatentSource`), which
knows its layout. The other gBizINFO files (補助金, 調達, 届出認定, 表彰, 財務, 職場) are recognised
by their headers and refused with a message naming them.

Columns are found by name (formats.md §2: the spelling is uncertain and newer files add columns),
never by position. gBizINFO links by corporate number only, so nothing goes to the review queue.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator

from renkei.core.models import RecordSource, Visibility
from renkei.core.services import save_validated
from renkei.core.validators import is_valid_corporate_number
from renkei.directory.access import can_create_organisation, can_edit_organisation
from renkei.directory.choices import OrganisationKind
from renkei.directory.models import Organisation
from renkei.imports.choices import CloseCause, ImportSource
from renkei.imports.files import ImportFileError, detect_encoding
from renkei.imports.models import CorporateProfile
from renkei.imports.nta import ParseState, RowError
from renkei.imports.patents import PatentSource
from renkei.imports.records import CREATED, UNCHANGED, UPDATED, Outcome, ParsedRecord, SkippedRow, WriteContext
from renkei.imports.textfiles import HEAD_BYTES, ColumnLayout, headed_csv_rows, header_key

HEADER_PROBE_ROWS = 10
# A company whose capital and employees are both over these is a large enterprise (the SME Basic
# Act's thresholds for manufacturing), else an SME.
SME_MAX_CAPITAL_YEN = 300_000_000
SME_MAX_EMPLOYEES = 300
COMPANY_FORMS = ("株式会社", "有限会社", "合同会社", "合名会社", "合資会社", "(株)", "(有)", "(同)")
MAX_YEN = 10**16

# Field → the headers it is recognised by (compared after `textfiles.header_key`).
KIHON_ALIASES: dict[str, tuple[str, ...]] = {
    "corporate_number": ("法人番号", "corporate_number"),
    "name": ("法人名", "name"),
    "kana": ("法人名ふりがな", "kana"),
    "name_en": ("法人名英語", "name_en"),
    "postal_code": ("郵便番号", "postal_code"),
    "location": ("本社所在地", "location"),
    "status": ("ステータス", "status"),
    "close_date": ("登記記録の閉鎖等年月日", "close_date"),
    "close_cause": ("登記記録の閉鎖等の事由", "close_cause"),
    "capital": ("資本金", "capital_stock"),
    "employees": ("従業員数", "employee_number"),
    "employees_male": ("企業規模詳細(男性)", "company_size_male"),
    "employees_female": ("企業規模詳細(女性)", "company_size_female"),
    "business_items": ("営業品目リスト", "business_items"),
    "business_summary": ("事業概要", "business_summary"),
    "homepage": ("企業ホームページ", "company_url"),
    "established": ("設立年月日", "date_of_establishment"),
    "founding_year": ("創業年", "founding_year"),
    "updated": ("最終更新日", "update_date"),
    "qualification_grade": ("資格等級", "qualification_grade"),
}
# Headers only the basic-information file has (at least one must be present besides the number).
KIHON_MARKERS = ("capital", "employees", "business_summary", "status", "established")

# The other gBizINFO files: a header that tells each apart (after the five common columns).
OTHER_FILES: tuple[tuple[str, str], ...] = (
    ("特許/意匠/商標", "特許 (patents)"),
    ("補助金等", "補助金 (subsidies)"),
    ("受注日", "調達 (procurement)"),
    ("届出認定等", "届出認定 (notifications and certifications)"),
    ("表彰名", "表彰 (commendations)"),
    ("会計基準", "財務 (finance)"),
    ("平均継続勤務年数", "職場 (workplace)"),
    ("女性労働者の割合", "職場 (workplace)"),
)
PATENT_FILE = "特許 (patents)"

_LIST_SEPARATORS = re.compile(r"[、,，;；\s]+")
_url = URLValidator(schemes=["http", "https"])


@dataclass
class BasicInformation:
    """One row of the basic-information file, checked and converted."""

    corporate_number: str
    name: str
    kana: str
    name_en: str
    postal_code: str
    location: str
    organisation_values: dict[str, object]
    profile_values: dict[str, object]


class KihonLayout(ColumnLayout):
    """The columns of one basic-information file."""

    aliases = KIHON_ALIASES

    @property
    def complete(self) -> bool:
        return "corporate_number" in self.columns and any(m in self.columns for m in KIHON_MARKERS)

    def cell(self, cells: list[str], name: str) -> str:
        value = super().cell(cells, name)
        return "" if value == "-" else value  # gBizINFO writes "-" for an empty value


def other_file_of(header: list[str]) -> str:
    """The name of the other gBizINFO file HEADER belongs to, or ""."""
    keys = {header_key(h) for h in header}
    for marker, name in OTHER_FILES:
        if header_key(marker) in keys:
            return name
    return ""


def detect_file(stream: BinaryIO) -> str:
    """Which gBizINFO file the stream holds, judged from its first rows without consuming them:
    "kihon", the name of another gBizINFO file (see OTHER_FILES), or "" when none is recognised."""
    head = stream.peek(HEAD_BYTES)[:HEAD_BYTES]  # type: ignore[attr-defined]
    try:
        text = head.decode(detect_encoding(head, complete=len(head) < HEAD_BYTES), "replace")
    except ImportFileError:
        return ""
    lines = text.lstrip("\ufeff").splitlines()[:HEADER_PROBE_ROWS]
    for cells in csv.reader(lines):
        if KihonLayout(cells).complete:
            return "kihon"
        other = other_file_of(cells)
        if other:
            return other
    return ""


def _integer(value: str, column: str, *, maximum: int = MAX_YEN) -> int | None:
    text = unicodedata.normalize("NFKC", value).replace(",", "").strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit()):
        raise RowError(column, f"{value!r} is not a whole number")
    number = int(text)
    if number > maximum:
        raise RowError(column, f"{value!r} is out of range")
    return number


def _date(value: str, column: str) -> dt.date | None:
    """YYYY-MM-DD, YYYY/MM/DD or an ISO date-time (its date: gBizINFO writes T00:00:00+09:00)."""
    text = unicodedata.normalize("NFKC", value).strip()[:10].replace("/", "-")
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise RowError(column, f"{value!r} is not a date (YYYY-MM-DD)") from None


def convert_kihon_row(layout: KihonLayout, cells: list[str]) -> BasicInformation:
    """A row of the basic-information file, checked; RowError names the column as the file's
    header writes it and the reason."""
    if len(cells) != layout.width:
        raise RowError("columns", f"{len(cells)} columns where the header has {layout.width}")
    for index, cell in enumerate(cells):
        if "\x00" in cell:
            raise RowError(f"column {index + 1}", "contains a NUL character")
    number = unicodedata.normalize("NFKC", layout.cell(cells, "corporate_number"))
    if not is_valid_corporate_number(number):
        raise RowError(
            layout.header("corporate_number"),
            f"{number!r} is not a corporate number: 13 digits with a valid check digit",
        )
    cause = layout.cell(cells, "close_cause")
    if cause and cause not in CloseCause.values:
        raise RowError(
            layout.header("close_cause"), f"{cause!r} is not a closing reason code ({', '.join(CloseCause.values)})"
        )
    homepage = layout.cell(cells, "homepage")
    website = ""
    if homepage:
        try:
            _url(homepage)
            website = homepage if len(homepage) <= 200 else ""
        except ValidationError:
            raise RowError(
                layout.header("homepage"), f"{homepage!r} is not a web address (http:// or https://)"
            ) from None
    year = _integer(layout.cell(cells, "founding_year"), layout.header("founding_year"), maximum=9999)
    if year is not None and not 1000 <= year <= 2100:
        raise RowError(layout.header("founding_year"), f"{year} is not a year")
    items = " ".join(p for p in _LIST_SEPARATORS.split(layout.cell(cells, "business_items")) if p)
    texts = {
        "status": (layout.cell(cells, "status"), 64),
        "business_items": (items, 1000),
        "homepage": (homepage, 500),
        "qualification_grade": (layout.cell(cells, "qualification_grade"), 16),
    }
    for name, (text, limit) in texts.items():
        if len(text) > limit:
            raise RowError(layout.header(name), f"longer than {limit} characters")
    organisation_values: dict[str, object] = {
        "capital_yen": _integer(layout.cell(cells, "capital"), layout.header("capital")),
        "employees": _integer(layout.cell(cells, "employees"), layout.header("employees"), maximum=2**31 - 1),
        "founded_on": _date(layout.cell(cells, "established"), layout.header("established")),
        "website": website,
    }
    profile_values: dict[str, object] = {
        "status": texts["status"][0],
        "closed_on": _date(layout.cell(cells, "close_date"), layout.header("close_date")),
        "close_cause": cause,
        "employees_male": _integer(
            layout.cell(cells, "employees_male"), layout.header("employees_male"), maximum=2**31 - 1
        ),
        "employees_female": _integer(
            layout.cell(cells, "employees_female"), layout.header("employees_female"), maximum=2**31 - 1
        ),
        "business_items": items,
        "business_summary": layout.cell(cells, "business_summary"),
        "homepage": homepage,
        "founding_year": year,
        "qualification_grade": texts["qualification_grade"][0],
        "source_updated_on": _date(layout.cell(cells, "updated"), layout.header("updated")),
    }
    return BasicInformation(
        corporate_number=number,
        name=layout.cell(cells, "name"),
        kana=layout.cell(cells, "kana"),
        name_en=layout.cell(cells, "name_en"),
        postal_code=unicodedata.normalize("NFKC", layout.cell(cells, "postal_code")).replace("-", ""),
        location=layout.cell(cells, "location"),
        organisation_values=organisation_values,
        profile_values=profile_values,
    )


def _not_gbizinfo(detail: str) -> ImportFileError:
    return ImportFileError(
        f"This is not a gBizINFO basic-information file: {detail}. A header row naming the corporate "
        f"number (法人番号) and the 基本情報 columns (資本金, 従業員数, 事業概要, …) is needed within the "
        f"first {HEADER_PROBE_ROWS} rows (see the import guide)."
    )


def _unsupported(name: str) -> ImportFileError:
    return ImportFileError(
        f"This is the gBizINFO {name} file, which renkei does not import yet. Import the 基本情報 "
        "(basic information) file with `renkei import gbizinfo`, and the 特許 (patents) file with "
        "`renkei import gbizinfo` or `renkei import patents`."
    )


def parse_kihon_rows(stream: BinaryIO, state: ParseState | None = None) -> Iterator[Outcome]:
    """Yield each row of a gBizINFO basic-information CSV as a ParsedRecord (data:
    BasicInformation, key: the corporate number) or a RowRejection.

    1. Detect the encoding (UTF-8 with or without BOM, or Shift_JIS).
    2. Find the header row among the first rows; refuse the file when there is none, naming the
       other gBizINFO file it is when it is one.
    3. Convert each row after it on its own.
    """
    return headed_csv_rows(
        stream,
        state or ParseState(),
        probe_rows=HEADER_PROBE_ROWS,
        find_layout=_kihon_layout,
        convert=_kihon_outcome,
        not_recognised=_not_gbizinfo,
    )


def _kihon_layout(cells: list[str]) -> KihonLayout | None:
    layout = KihonLayout(cells)
    if layout.complete:
        return layout
    other = other_file_of(cells)
    if other:
        raise _unsupported(other)
    return None


def _kihon_outcome(layout: KihonLayout, line: int, cells: list[str], raw: str) -> Outcome:
    row = convert_kihon_row(layout, cells)
    return ParsedRecord(line, row.corporate_number, row, raw)


# --- writing --------------------------------------------------------------------------------


def _company_kind(info: BasicInformation) -> str:
    name = unicodedata.normalize("NFKC", info.name)
    if name and not any(form in name for form in COMPANY_FORMS):
        return OrganisationKind.OTHER  # 一般社団法人, 財団法人, 組合…: not a company
    capital = info.organisation_values["capital_yen"]
    employees = info.organisation_values["employees"]
    if (
        capital is not None
        and employees is not None
        and capital > SME_MAX_CAPITAL_YEN
        and employees > SME_MAX_EMPLOYEES
    ):
        return OrganisationKind.LARGE_ENTERPRISE
    return OrganisationKind.SME


class GbizinfoSource:
    """The gBizINFO adapter of `records.do_import_records` (基本情報, and 特許 through the patent
    adapter)."""

    source = ImportSource.GBIZINFO

    def __init__(self, *, create_missing: bool = False) -> None:
        self.create_missing = create_missing
        self._patents: PatentSource | None = None

    @property
    def replaces_repeated_keys(self) -> bool:
        # The basic file: a later row of the same corporation wins. Patent rows complete each other.
        return self._patents is None

    def parse(self, stream: BinaryIO, state: ParseState) -> Iterator[Outcome]:
        found = detect_file(stream)
        if found == PATENT_FILE:
            self._patents = PatentSource()
            yield from self._patents.parse(stream, state)
            return
        if found and found != "kihon":
            raise _unsupported(found)
        known = (
            None
            if self.create_missing
            else set(Organisation.objects.exclude(corporate_number=None).values_list("corporate_number", flat=True))
        )
        for outcome in parse_kihon_rows(stream, state):
            if known is not None and isinstance(outcome, ParsedRecord) and outcome.key not in known:
                yield SkippedRow(outcome.line_number)  # not in the directory: nothing is created
            else:
                yield outcome

    def write(self, record: ParsedRecord, context: WriteContext) -> str:
        if self._patents is not None:
            return self._patents.write(record, context)
        info: BasicInformation = record.data
        organisation = Organisation.objects.filter(corporate_number=info.corporate_number).first()
        created = organisation is None
        if created:
            organisation = self._new_organisation(info, context)
        elif context.user is not None and not can_edit_organisation(context.user, organisation):
            raise PermissionDenied(
                "You may not change the organisation with this corporate number (it is looked after by "
                "another cluster, or your role does not edit the directory); its gBizINFO information "
                "was not imported."
            )
        # An empty cell keeps the stored value: gBizINFO does not know every company's figures.
        changed = [
            name
            for name, value in info.organisation_values.items()
            if value not in (None, "") and getattr(organisation, name) != value
        ]
        for name in changed:
            setattr(organisation, name, info.organisation_values[name])
        if created or changed:
            save_validated(organisation, actor=context.user, reason="gBizINFO import")
        profile = CorporateProfile.objects.filter(organisation=organisation).first()
        if profile is None:
            profile = CorporateProfile(organisation=organisation, corporate_number=info.corporate_number)
            profile_changed = True
        else:
            profile_changed = False
        for name, value in {"corporate_number": info.corporate_number, **info.profile_values}.items():
            if getattr(profile, name) != value:
                setattr(profile, name, value)
                profile_changed = True
        if profile_changed:
            profile.run = context.run
            profile.full_clean(exclude=["organisation"], validate_unique=False, validate_constraints=False)
            profile.save()
        if created:
            return CREATED
        return UPDATED if changed or profile_changed else UNCHANGED

    def _new_organisation(self, info: BasicInformation, context: WriteContext) -> Organisation:
        if context.user is not None and not can_create_organisation(context.user):
            raise PermissionDenied("You may not create organisations.")
        if not info.name:
            raise RowError("法人名", "missing: an organisation needs its name")
        postal = info.postal_code
        return Organisation(
            kind=_company_kind(info),
            name_ja=info.name[:200],
            name_kana=info.kana[:200],
            name_en=info.name_en[:200],
            corporate_number=info.corporate_number,
            postal_code=f"{postal[:3]}-{postal[3:]}" if len(postal) == 7 else postal,
            address=info.location[:300],
            prefecture_id=context.organisations.prefecture_of(info.location) or None,
            visibility=Visibility.RESTRICTED,
            source=RecordSource.IMPORT,
            source_note="gBizINFO 基本情報",
        )
