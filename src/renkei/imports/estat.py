"""e-Stat Economic Census tables (CSV) → establishments and employees by municipality × JSIC.

The layout is e-Stat's simple CSV (`getSimpleStatsData`, and the download of a table from the
e-Stat site): one figure a row, `tab_code, 表章項目, cat01_code, 産業分類, area_code, 地域,
time_code, 時間軸, unit, value, annotation` (formats.md §6; the labels are uncertain, so columns
are found by name and title or note rows before the header are passed over).

- The measure is told by the 表章項目 name (事業所数 → establishments, 従業者数 → employees);
  other measures (売上金額, …) are skipped.
- The area code has 5 digits without the check digit; the check digit is added to find the
  reference municipality (`core.Municipality`, 6 digits: every city, town, village, special ward
  and ward of a designated city, 札幌市中央区 01101 included). National (00000) and prefecture
  (pp000) rows are skipped; a code not in the reference table is rejected.
- The industry code is a JSIC division letter (E) or a major group, with or without its letter
  (E26, 26); all-industry totals are skipped; 3- and 4-digit groups are rejected (the reference
  table holds divisions and major groups).
- The year comes from time_code; it also tells the survey (activity survey 2012, 2016, 2021;
  basic survey 2009, 2014, 2019, 2024) and the JSIC revision (Rev.12 before 2013, Rev.13 after,
  Rev.14 from 2024). A header that names the classification's revision (産業分類(平成19年改定),
  …(平成25年改定), …(令和5年改定)) is followed instead. A revision the reference table does not
  hold (Rev.14 for now) rejects the row saying so.
- A value that is a symbol (X secret, - none, … not available) is stored as no value with
  `suppressed` set and the symbol kept.

Once the whole file has been read and its batches committed, the figures of each survey, year
and municipality it holds that it no longer lists are deleted (the file replaces them) and
counted in the run's `deleted`.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import BinaryIO

from django.db import transaction

from renkei.core.models import IndustryClass, Municipality
from renkei.core.validators import local_government_check_digit
from renkei.imports.choices import ImportSource, StatisticsMeasure, StatisticsSurvey
from renkei.imports.files import ImportFileError
from renkei.imports.models import RegionalIndustryStatistic
from renkei.imports.nta import ParseState, RowError
from renkei.imports.records import (
    CREATED,
    UNCHANGED,
    UPDATED,
    Outcome,
    ParsedRecord,
    SkippedRow,
    WriteContext,
    assign_changed,
)
from renkei.imports.textfiles import ColumnLayout, headed_csv_rows, header_key

HEADER_PROBE_ROWS = 30

ALIASES: dict[str, tuple[str, ...]] = {
    "tab_code": ("tab_code", "表章項目コード"),
    "tab_name": ("表章項目", "tab_name"),
    "industry_code": ("cat01_code", "産業分類コード"),
    "industry_name": ("産業分類", "cat01_name"),
    "area_code": ("area_code", "地域コード"),
    "area_name": ("地域", "area_name"),
    "time_code": ("time_code", "時間軸コード"),
    "unit": ("unit", "単位"),
    "value": ("value", "値"),
    "annotation": ("annotation", "注釈"),
}
REQUIRED = ("industry_code", "area_code", "time_code", "value")
# Header words that find a code column whose label carries a qualifier (産業分類(平成25年改定)コード).
CODE_COLUMN_WORDS = {"industry_code": "産業", "area_code": "地域", "time_code": "時間軸"}

# Survey years of the Economic Census: the survey and the JSIC revision its tables use.
CENSUS_YEARS: dict[int, tuple[str, str]] = {
    2009: (StatisticsSurvey.ECONOMIC_CENSUS_BASIC, "12"),
    2012: (StatisticsSurvey.ECONOMIC_CENSUS_ACTIVITY, "12"),
    2014: (StatisticsSurvey.ECONOMIC_CENSUS_BASIC, "13"),
    2016: (StatisticsSurvey.ECONOMIC_CENSUS_ACTIVITY, "13"),
    2019: (StatisticsSurvey.ECONOMIC_CENSUS_BASIC, "13"),
    2021: (StatisticsSurvey.ECONOMIC_CENSUS_ACTIVITY, "13"),
    2024: (StatisticsSurvey.ECONOMIC_CENSUS_BASIC, "14"),
}
# How a header names a JSIC revision: the year of its notice (平成19年 = 2007, 平成25年 = 2013,
# 令和5年 = 2023) or its number (第12回改定).
REVISION_MARKS: dict[str, tuple[str, ...]] = {
    "12": ("平成19年", "2007年", "第12回", "REV.12"),
    "13": ("平成25年", "2013年", "第13回", "REV.13"),
    "14": ("令和5年", "2023年", "第14回", "REV.14"),
}
SYMBOLS = {"X", "x", "χ", "-", "−", "‐", "―", "—", "…", "...", "***", "*", ""}
TOTAL_CODES = {"AS", "AR", "A-S", "A-R", "A~S", "A~R", "A〜S", "A〜R", "00", "000", "0000", "TOTAL", "ALL"}
_DIVISION = re.compile(r"\A([A-T])\Z")
_MAJOR_GROUP = re.compile(r"\A([A-T])?(\d{2})\Z")
_GROUP = re.compile(r"\A([A-T])?(\d{3,4})\Z")
MAX_VALUE = 10**12


@dataclass(frozen=True)
class Figure:
    """One figure of the table, checked: which survey, year, area and industry, and its value."""

    survey: str
    year: int
    jsic_revision: str
    municipality_code: str  # 6 digits with the check digit
    area_name: str
    division: str  # the JSIC letter as written ("" when the code is a bare major group)
    industry_code: str  # the division letter, or the 2-digit major group
    measure: str
    value: int | None
    symbol: str
    annotation: str
    area_column: str = "area_code"  # the headers as the file writes them, for rejections
    industry_column: str = "cat01_code"

    @property
    def area(self) -> tuple[str, int, str]:
        return (self.survey, self.year, self.municipality_code)

    @property
    def figure_key(self) -> tuple[str, str, str]:
        return (self.jsic_revision, self.industry_code, self.measure)


class Layout(ColumnLayout):
    """The columns of one table: a field takes the first column that one of its aliases names
    (or, for a code field, whose header ends in コード after the field's word)."""

    aliases = ALIASES

    def find(self, name: str, aliases: tuple[str, ...], keys: list[str]) -> int | None:
        wanted = [header_key(a) for a in aliases]
        word = CODE_COLUMN_WORDS.get(name)
        for index, key in enumerate(keys):
            if key in wanted or (word and word in key and key.endswith("コード")):
                return index
        return None

    @cached_property
    def jsic_revision(self) -> str:
        """The JSIC revision the industry columns' headers name, or "" when they name none."""
        for name in ("industry_code", "industry_name"):
            if name not in self.columns:
                continue
            text = unicodedata.normalize("NFKC", self.header(name)).upper().replace(" ", "")
            for revision, marks in REVISION_MARKS.items():
                if any(mark in text for mark in marks):
                    return revision
        return ""

    @property
    def complete(self) -> bool:
        return all(name in self.columns for name in REQUIRED) and (
            "tab_code" in self.columns or "tab_name" in self.columns
        )


def _measure(layout: Layout, cells: list[str]) -> str:
    name = unicodedata.normalize("NFKC", layout.cell(cells, "tab_name"))
    if "事業所数" in name or "establishments" in name.casefold():
        return StatisticsMeasure.ESTABLISHMENTS
    if "従業者数" in name or "employees" in name.casefold():
        return StatisticsMeasure.EMPLOYEES
    if not name:
        unit = unicodedata.normalize("NFKC", layout.cell(cells, "unit"))
        return {"事業所": StatisticsMeasure.ESTABLISHMENTS, "人": StatisticsMeasure.EMPLOYEES}.get(unit, "")
    return ""


def _year(layout: Layout, cells: list[str]) -> tuple[int, str, str]:
    text = unicodedata.normalize("NFKC", layout.cell(cells, "time_code"))
    if not (len(text) >= 4 and text.isascii() and text.isdigit()):
        raise RowError(layout.header("time_code"), f"{text!r} is not an e-Stat time code (2021000000)")
    year = int(text[:4])
    if year not in CENSUS_YEARS:
        years = ", ".join(str(y) for y in CENSUS_YEARS)
        raise RowError(layout.header("time_code"), f"{year} is not a year of the Economic Census ({years})")
    survey, revision = CENSUS_YEARS[year]
    return year, survey, layout.jsic_revision or revision


def _area(layout: Layout, cells: list[str]) -> str | None:
    """The 6-digit local government code of the row's municipality; None for the nation or a
    prefecture (rows to skip)."""
    text = unicodedata.normalize("NFKC", layout.cell(cells, "area_code"))
    column = layout.header("area_code")
    if not (len(text) in (5, 6) and text.isascii() and text.isdigit()):
        raise RowError(column, f"{text!r} is not an area code (5 digits, as 13201)")
    base = text[:5]
    if len(text) == 6 and int(text[5]) != local_government_check_digit(base):
        raise RowError(column, f"the check digit of {text!r} is wrong")
    if base == "00000":
        return None
    if not 1 <= int(base[:2]) <= 47:
        raise RowError(column, f"{text!r} does not start with a prefecture code 01–47")
    if base[2:] == "000":
        return None
    return f"{base}{local_government_check_digit(base)}"


def _industry(layout: Layout, cells: list[str]) -> tuple[str, str] | None:
    """(division letter as written, JSIC code to look up); None for an all-industry total."""
    text = unicodedata.normalize("NFKC", layout.cell(cells, "industry_code")).strip().upper().replace(" ", "")
    name = unicodedata.normalize("NFKC", layout.cell(cells, "industry_name"))
    if text in TOTAL_CODES or "全産業" in name:
        return None
    column = layout.header("industry_code")
    if _DIVISION.match(text):
        return text, text
    found = _MAJOR_GROUP.match(text)
    if found:
        return found.group(1) or "", found.group(2)
    if _GROUP.match(text):
        raise RowError(column, f"{text!r} is a JSIC group (小分類/細分類): only divisions and major groups are stored")
    raise RowError(column, f"{text!r} is not a JSIC code (a division letter A–T, or E26 / 26)")


def _value(layout: Layout, cells: list[str]) -> tuple[int | None, str]:
    raw = layout.cell(cells, "value")
    text = unicodedata.normalize("NFKC", raw).replace(",", "").strip()
    if text in SYMBOLS or raw.strip() in SYMBOLS:
        return None, raw.strip()
    if not (text.isascii() and text.isdigit()) or int(text) > MAX_VALUE:
        raise RowError(layout.header("value"), f"{raw!r} is neither a whole number nor a symbol (X, -, …)")
    return int(text), ""


def convert_row(layout: Layout, cells: list[str]) -> Figure | None:
    """A row as a Figure, or None for a row to skip (another measure, the nation or a prefecture,
    an all-industry total); RowError names the column as the file's header writes it."""
    if len(cells) != layout.width:
        raise RowError("columns", f"{len(cells)} columns where the header has {layout.width}")
    for index, cell in enumerate(cells):
        if "\x00" in cell:
            raise RowError(f"column {index + 1}", "contains a NUL character")
    measure = _measure(layout, cells)
    year, survey, revision = _year(layout, cells)
    municipality = _area(layout, cells)
    industry = _industry(layout, cells)
    value, symbol = _value(layout, cells)
    if not measure or municipality is None or industry is None:
        return None
    return Figure(
        survey=survey,
        year=year,
        jsic_revision=revision,
        municipality_code=municipality,
        area_name=layout.cell(cells, "area_name")[:64],
        division=industry[0],
        industry_code=industry[1],
        measure=measure,
        value=value,
        symbol=symbol[:8],
        annotation=layout.cell(cells, "annotation")[:200],
        area_column=layout.header("area_code"),
        industry_column=layout.header("industry_code"),
    )


def _not_estat(detail: str) -> ImportFileError:
    return ImportFileError(
        f"This is not an e-Stat statistics table: {detail}. A header row naming the industry "
        "(cat01_code), area (area_code), time (time_code) and value columns, and the measure "
        f"(tab_code / 表章項目), is needed within the first {HEADER_PROBE_ROWS} rows (see the import guide)."
    )


def parse_statistics_rows(stream: BinaryIO, state: ParseState | None = None) -> Iterator[Outcome]:
    """Yield each row of an e-Stat table as a ParsedRecord (data: Figure), a SkippedRow or a
    RowRejection.

    1. Detect the encoding (UTF-8 with or without BOM, or Shift_JIS).
    2. Pass over title and note rows to the header row; refuse the file when there is none.
    3. Convert each row after it on its own.
    """
    return headed_csv_rows(
        stream,
        state or ParseState(),
        probe_rows=HEADER_PROBE_ROWS,
        find_layout=_statistics_layout,
        convert=_statistics_outcome,
        not_recognised=_not_estat,
    )


def _statistics_layout(cells: list[str]) -> Layout | None:
    layout = Layout(cells)
    return layout if layout.complete else None


def _statistics_outcome(layout: Layout, line: int, cells: list[str], raw: str) -> Outcome:
    figure = convert_row(layout, cells)
    if figure is None:
        return SkippedRow(line)
    key = ":".join((figure.survey, str(figure.year), figure.municipality_code, *figure.figure_key))
    return ParsedRecord(line, key, figure, raw)


# --- writing --------------------------------------------------------------------------------


class EstatSource:
    """The e-Stat adapter of `records.do_import_records`."""

    source = ImportSource.ESTAT
    replaces_repeated_keys = True

    def __init__(self) -> None:
        self._municipalities: set[str] | None = None
        self._industries: dict[tuple[str, str], tuple[int, str]] | None = None
        self._listed: dict[tuple[str, int, str], set[tuple[str, str, str]]] = defaultdict(set)

    def parse(self, stream: BinaryIO, state: ParseState) -> Iterator[Outcome]:
        for outcome in parse_statistics_rows(stream, state):
            if isinstance(outcome, ParsedRecord):
                self._listed[outcome.data.area].add(outcome.data.figure_key)
            yield outcome

    def finish(self, context: WriteContext) -> None:
        """The whole file is read and written: what it lists for each of its areas is complete.
        Delete the figures it no longer lists and count them on the run, in one transaction."""
        run = context.run
        with transaction.atomic():
            deleted = remove_unlisted_figures(self._listed)
            if deleted:
                run.deleted += deleted
                run.save(update_fields=["deleted"])

    def write(self, record: ParsedRecord, context: WriteContext) -> str:
        figure: Figure = record.data
        municipality_id = self._municipality(figure)
        industry_id = self._industry(figure)
        values = {
            "value": figure.value,
            "suppressed": figure.value is None,
            "symbol": figure.symbol,
            "annotation": figure.annotation,
        }
        stored = RegionalIndustryStatistic.objects.filter(
            survey=figure.survey,
            year=figure.year,
            municipality_id=municipality_id,
            industry_id=industry_id,
            measure=figure.measure,
        ).first()
        if stored is None:
            RegionalIndustryStatistic.objects.create(
                survey=figure.survey,
                year=figure.year,
                municipality_id=municipality_id,
                industry_id=industry_id,
                measure=figure.measure,
                run=context.run,
                **values,
            )
            return CREATED
        changed = assign_changed(stored, values)
        if not changed:
            return UNCHANGED
        stored.run = context.run
        stored.save(update_fields=[*changed, "run", "updated_at"])
        return UPDATED

    def _municipality(self, figure: Figure) -> str:
        if self._municipalities is None:
            self._municipalities = set(Municipality.objects.values_list("code", flat=True))
        if figure.municipality_code not in self._municipalities:
            raise RowError(
                figure.area_column,
                f"{figure.municipality_code[:5]} {figure.area_name} is not in the reference municipalities "
                f"(local government code {figure.municipality_code})",
            )
        return figure.municipality_code

    def _industry(self, figure: Figure) -> int:
        if self._industries is None:
            self._industries = {
                (revision, code): (pk, parent or "")
                for pk, revision, code, parent in IndustryClass.objects.values_list(
                    "pk", "revision", "code", "parent__code"
                )
            }
        found = self._industries.get((figure.jsic_revision, figure.industry_code))
        if found is None and not any(revision == figure.jsic_revision for revision, _code in self._industries):
            loaded = ", ".join(f"Rev.{r}" for r in sorted({revision for revision, _code in self._industries}))
            raise RowError(
                figure.industry_column,
                f"the table uses JSIC Rev.{figure.jsic_revision} ({figure.year}), which the reference table does "
                f"not hold (loaded: {loaded or 'none'}); the figures cannot be stored against its codes",
            )
        if found is None:
            raise RowError(
                figure.industry_column,
                f"{figure.division}{figure.industry_code if figure.division != figure.industry_code else ''} "
                f"is not in the reference JSIC table (Rev.{figure.jsic_revision} divisions and major groups)",
            )
        pk, parent = found
        if figure.division and figure.division != figure.industry_code and parent and parent != figure.division:
            raise RowError(
                figure.industry_column,
                f"{figure.division}{figure.industry_code}: major group {figure.industry_code} belongs to "
                f"division {parent}, not {figure.division}",
            )
        return pk


def remove_unlisted_figures(listed: dict[tuple[str, int, str], set[tuple[str, str, str]]]) -> int:
    """Delete the stored figures of each (survey, year, municipality) in LISTED that the file no
    longer lists; return how many were deleted."""
    deleted = 0
    with transaction.atomic():
        for (survey, year, municipality), keys in listed.items():
            stored = RegionalIndustryStatistic.objects.filter(
                survey=survey, year=year, municipality_id=municipality
            ).values_list("pk", "industry__revision", "industry__code", "measure")
            gone = [pk for pk, revision, code, measure in stored if (revision, code, measure) not in keys]
            if gone:
                deleted += RegionalIndustryStatistic.objects.filter(pk__in=gone).delete()[0]
    return deleted
