"""The National Tax Agency's corporate number file (法人番号公表サイト 全件データ / 差分データ).

Layout (/work/shared/formats.md §1): no header row, 30 columns in the current layout, 24–29 in
older ones (missing trailing columns are read as empty). Text quoted, codes and dates bare, dates
`YYYY-MM-DD`. The Web-API's CSV (type 01/02) is the same with one summary line on top
(`lastUpdateDate,count,divideNumber,divideSize`), which is skipped.

`parse_corporation_rows` streams a binary file line by line and yields, for each row, either a
`CorporationRow` (the values ready for the loader) or a `RowRejection` (line, field, reason, the
raw text). It never raises for a bad row; it raises `ImportFileError` only when the file as a
whole is not this layout.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from renkei.imports.files import ImportFileError, detect_encoding

MIN_COLUMNS = 24
MAX_COLUMNS = 30
# A real row is under 1 KB; a longer line is refused without holding more of it in memory.
MAX_LINE_BYTES = 64 * 1024
# Rows checked before deciding that a file is not this layout at all.
LAYOUT_PROBE_ROWS = 20
RAW_KEEP_CHARS = 2000

# Resource names of the 30 columns, in file order (the NTA's own English names).
COLUMNS = (
    "sequenceNumber",
    "corporateNumber",
    "process",
    "correct",
    "updateDate",
    "changeDate",
    "name",
    "nameImageId",
    "kind",
    "prefectureName",
    "cityName",
    "streetNumber",
    "addressImageId",
    "prefectureCode",
    "cityCode",
    "postCode",
    "addressOutside",
    "addressOutsideImageId",
    "closeDate",
    "closeCause",
    "successorCorporateNumber",
    "changeCause",
    "assignmentDate",
    "latest",
    "enName",
    "enPrefectureName",
    "enCityName",
    "enAddressOutside",
    "furigana",
    "hihyoji",
)

# Model fields the loader writes, in this order, for each accepted row.
FIELDS = (
    "corporate_number",
    "process",
    "correction",
    "update_date",
    "change_date",
    "name",
    "name_image_id",
    "kind",
    "prefecture_name",
    "city_name",
    "street_number",
    "address_image_id",
    "prefecture_code",
    "city_code",
    "post_code",
    "address_outside",
    "address_outside_image_id",
    "close_date",
    "close_cause",
    "successor_corporate_number",
    "change_cause",
    "assignment_date",
    "latest",
    "name_en",
    "prefecture_name_en",
    "city_name_en",
    "address_outside_en",
    "furigana",
    "hidden_from_search",
    "layout_columns",
    "name_key",
)

_FLAG = {"0": False, "1": True}

# Words of legal form that people leave out when they type a name (after NFKC, so （株） is (株)).
LEGAL_FORMS = (
    "株式会社",
    "有限会社",
    "合同会社",
    "合名会社",
    "合資会社",
    "一般社団法人",
    "一般財団法人",
    "公益社団法人",
    "公益財団法人",
    "特定非営利活動法人",
    "国立研究開発法人",
    "地方独立行政法人",
    "独立行政法人",
    "国立大学法人",
    "公立大学法人",
    "学校法人",
    "医療法人",
    "社会福祉法人",
    "(株)",
    "(有)",
)


def name_key(name: str) -> str:
    """The form of a name that look-up matches a typed prefix against: NFKC (full-width letters
    and digits folded), legal-form words and spaces removed, case folded.
    「株式会社みらい精工」→「みらい精工」, 「ＭＩＲＡＩ（株）」→「mirai」."""
    key = unicodedata.normalize("NFKC", name)
    for form in LEGAL_FORMS:
        if form in key:
            key = key.replace(form, "")
    return key.replace(" ", "").casefold()


class RowError(Exception):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason


@dataclass(slots=True)
class CorporationRow:
    line_number: int
    values: tuple  # in FIELDS order

    @property
    def corporate_number(self) -> str:
        return self.values[0]

    @property
    def latest(self) -> bool:
        return self.values[22]


@dataclass(slots=True)
class RowRejection:
    line_number: int
    field: str
    reason: str
    raw: str


@dataclass
class ParseState:
    """What the parser learnt about the file, read by the caller during and after the run."""

    encoding: str = ""
    lines_read: int = 0
    rows_read: int = 0
    skipped_header: bool = False
    layout: int = 0  # the column count of the file's first accepted row: every row must have it


def _is_digits(value: str, length: int) -> bool:
    return len(value) == length and value.isascii() and value.isdigit()


# Dates repeat a great deal (a few thousand distinct values in five million rows): remember the
# good ones instead of building a date object for each cell.
_GOOD_DATES: set[str] = set()
_GOOD_DATES_LIMIT = 200_000


def _date(value: str, column: str) -> str | None:
    """A `YYYY-MM-DD` date, kept as that text (both databases take it as it is), or None."""
    if not value:
        return None
    if value in _GOOD_DATES:
        return value
    if len(value) != 10 or value[4] != "-" or value[7] != "-" or not _is_digits(value[:4] + value[5:7] + value[8:], 8):
        raise RowError(column, f"{value!r} is not a date written YYYY-MM-DD")
    try:
        dt.date(int(value[:4]), int(value[5:7]), int(value[8:]))
    except ValueError:
        raise RowError(column, f"{value!r} is not a real date") from None
    if len(_GOOD_DATES) < _GOOD_DATES_LIMIT:
        _GOOD_DATES.add(value)
    return value


def _corporate_number(value: str, column: str) -> str:
    """The check digit as in `renkei.core.validators.corporate_number_check_digit`, computed on
    the ASCII bytes: base digits at odd positions of the number weigh 2, at even positions 1."""
    if not (len(value) == 13 and value.isascii() and value.isdigit()):
        raise RowError(column, f"{value!r} is not a 13-digit corporate number")
    raw = value.encode("ascii")
    total = 2 * (sum(raw[1:13:2]) - 288) + (sum(raw[2:13:2]) - 288)  # 288 = 6 × ord("0")
    expected = 9 - total % 9
    if raw[0] - 48 != expected:
        raise RowError(column, f"the check digit of {value} is wrong (expected {expected})")
    return value


def _code(value: str, length: int, column: str, required: bool = False) -> str:
    if not value:
        if required:
            raise RowError(column, "is empty")
        return value
    if not (len(value) == length and value.isascii() and value.isdigit()):
        raise RowError(column, f"{value!r} is not a {length}-digit code")
    return value


def _flag(value: str, column: str, default: bool) -> bool:
    if not value:
        return default
    try:
        return _FLAG[value]
    except KeyError:
        raise RowError(column, f"{value!r} is neither 0 nor 1") from None


def _image_id(value: str, column: str) -> str:
    if value and (len(value) > 16 or not value.isascii() or not value.isdigit()):
        raise RowError(column, f"{value!r} is not a numeric image ID")
    return value


def convert_row(cells: list[str], line_number: int) -> CorporationRow:
    """Check one row's cells and turn them into the loader's values; RowError names the column."""
    count = len(cells)
    if not MIN_COLUMNS <= count <= MAX_COLUMNS:
        raise RowError("columns", f"{count} columns; the NTA layout has {MIN_COLUMNS} to {MAX_COLUMNS}")
    if "\x00" in "".join(cells):
        # PostgreSQL text cannot hold NUL, and no published value contains it.
        index = next(i for i, cell in enumerate(cells) if "\x00" in cell)
        raise RowError(COLUMNS[index], "contains a NUL character")
    if count < MAX_COLUMNS:
        cells = cells + [""] * (MAX_COLUMNS - count)
    sequence = cells[0]
    if not (sequence and len(sequence) <= 12 and sequence.isascii() and sequence.isdigit()):
        raise RowError("sequenceNumber", f"{sequence[:40]!r} is not a sequence number")
    number = _corporate_number(cells[1], "corporateNumber")
    process = _code(cells[2], 2, "process", required=True)
    name = cells[6]
    name_image_id = _image_id(cells[7], "nameImageId")
    if not name and not name_image_id:
        raise RowError("name", "is empty (and there is no name image either)")
    successor = cells[20]
    if successor:
        _corporate_number(successor, "successorCorporateNumber")
    prefecture_code = _code(cells[13], 2, "prefectureCode")
    if prefecture_code and not 1 <= int(prefecture_code) <= 47:
        raise RowError("prefectureCode", f"{prefecture_code!r} is not a prefecture code 01–47")
    values = (
        number,
        process,
        _flag(cells[3], "correct", False),
        _date(cells[4], "updateDate"),
        _date(cells[5], "changeDate"),
        name,
        name_image_id,
        _code(cells[8], 3, "kind"),
        cells[9],
        cells[10],
        cells[11],
        _image_id(cells[12], "addressImageId"),
        prefecture_code,
        _code(cells[14], 3, "cityCode"),
        _code(cells[15], 7, "postCode"),
        cells[16],
        _image_id(cells[17], "addressOutsideImageId"),
        _date(cells[18], "closeDate"),
        _code(cells[19], 2, "closeCause"),
        successor,
        cells[21],
        _date(cells[22], "assignmentDate"),
        _flag(cells[23], "latest", True),
        cells[24],
        cells[25],
        cells[26],
        cells[27],
        cells[28],
        _flag(cells[29], "hihyoji", False),
        count,
        name_key(name),
    )
    return CorporationRow(line_number, values)


def _is_web_api_summary(cells: list[str]) -> bool:
    """`lastUpdateDate,count,divideNumber,divideSize`: the Web-API CSV's first line."""
    if len(cells) != 4:
        return False
    try:
        _date(cells[0], "lastUpdateDate")
    except RowError:
        return False
    return all(c.isascii() and c.isdigit() for c in cells[1:])


def _is_header(cells: list[str]) -> bool:
    """A header row someone added (the NTA files have none): names instead of a number."""
    return (
        len(cells) >= 2
        and not cells[1].isdigit()
        and any(label in cells[1] for label in ("corporateNumber", "法人番号", "corporate_number"))
    )


class _OneLine:
    """Feeds the csv reader one line at a time, so that a stray quote costs one row: at the end
    of the line the reader finds no more input and closes the field (strict=False)."""

    __slots__ = ("line",)

    def __init__(self) -> None:
        self.line: str | None = None

    def __iter__(self) -> _OneLine:
        return self

    def __next__(self) -> str:
        line = self.line
        if line is None:
            raise StopIteration
        self.line = None
        return line


def _raw_text(data: bytes | str, encoding: str) -> str:
    text = data if isinstance(data, str) else data.decode(encoding, "replace")
    return text.rstrip("\r\n")[:RAW_KEEP_CHARS]


def _parse(
    stream: BinaryIO, state: ParseState, first: bool = True
) -> Iterator[tuple[CorporationRow | RowRejection, bool]]:
    """Each row's outcome, and whether a rejection says the line is not of this layout at all.

    Lines are numbered on from `state.lines_read`; FIRST: the first row may be a header or a
    Web-API summary line (only at the top of the file)."""
    encoding = state.encoding
    readline = stream.readline
    feed = _OneLine()
    reader = csv.reader(feed, strict=False)
    number = state.lines_read
    layout = state.layout
    while True:
        line = readline(MAX_LINE_BYTES)
        if not line:
            return
        number += 1
        state.lines_read = number
        if len(line) == MAX_LINE_BYTES and not line.endswith(b"\n"):
            # Skip the rest of the over-long line without keeping it.
            while True:
                rest = readline(MAX_LINE_BYTES)
                if not rest or rest.endswith(b"\n"):
                    break
            state.rows_read += 1
            yield RowRejection(number, "line", f"longer than {MAX_LINE_BYTES:,} bytes", _raw_text(line, encoding)), True
            continue
        try:
            text = line.decode(encoding)
        except UnicodeDecodeError as exc:
            state.rows_read += 1
            reason = f"byte {exc.start + 1} of the line is not valid {encoding} text"
            yield RowRejection(number, "encoding", reason, _raw_text(line, encoding)), True
            continue
        feed.line = text
        try:
            cells = next(reader)
        except StopIteration:
            continue
        except csv.Error as exc:
            state.rows_read += 1
            yield RowRejection(number, "line", f"not valid CSV: {exc}", _raw_text(text, encoding)), True
            continue
        if not cells or cells == [""]:
            continue  # a blank line, e.g. at the end of the file
        if first:
            first = False
            if _is_web_api_summary(cells) or _is_header(cells):
                state.skipped_header = True
                continue
        state.rows_read += 1
        try:
            if layout and len(cells) != layout:
                # Every row of one file has the same layout; a short last row is a cut file.
                raise RowError("columns", f"{len(cells)} columns where this file's rows have {layout}")
            row = convert_row(cells, number)
        except RowError as error:
            structural = error.field == "columns" or not _is_digits(cells[1] if len(cells) > 1 else "", 13)
            yield RowRejection(number, error.field, error.reason, _raw_text(text, encoding)), structural
            continue
        if not layout:
            layout = state.layout = len(cells)
        yield row, False


def _peek(stream: BinaryIO, size: int) -> bytes:
    """Up to SIZE bytes from the start of STREAM without consuming them."""
    if not hasattr(stream, "peek"):
        raise TypeError("the stream must be buffered (io.BufferedReader)")
    # peek() returns what one read fills the buffer with: the import files' readers have 1 MB
    # buffers, so fewer than SIZE bytes means the whole file.
    return stream.peek(size)[:size]


def parse_corporation_rows(
    stream: BinaryIO, state: ParseState | None = None
) -> Iterator[CorporationRow | RowRejection]:
    """Yield each row of an NTA corporate number CSV as a CorporationRow or a RowRejection.

    1. Detect the encoding from the first 64 KB (UTF-8 with or without BOM, else cp932).
    2. Read line by line (LF or CRLF), each line decoded and split on its own, so a bad byte or
       a stray quote costs one row, not the file.
    3. Skip a Web-API summary line or a header row at the top.
    4. Hold back the first rows until one is accepted: if the file starts with rows that are not
       of this layout at all, raise ImportFileError before anything is yielded (and saved).
    """
    state = state or ParseState()
    head = _peek(stream, 64 * 1024)
    state.encoding = detect_encoding(head, complete=len(head) < 64 * 1024)
    if state.encoding == "utf-8-sig":
        stream.read(3)
        state.encoding = "utf-8"
    held: list[CorporationRow | RowRejection] = []
    structural = 0
    outcomes = _parse(stream, state)
    for outcome, not_layout in outcomes:
        held.append(outcome)
        structural += not_layout
        if isinstance(outcome, CorporationRow):
            break
        if structural >= LAYOUT_PROBE_ROWS:
            raise ImportFileError(_not_this_layout(structural))
    else:
        if held and structural == len(held):
            raise ImportFileError(_not_this_layout(structural))
    yield from held
    held.clear()
    for outcome, _not_layout in outcomes:
        yield outcome


def parse_block(data: bytes, state: ParseState) -> list[CorporationRow | RowRejection]:
    """The rows of DATA, whole lines from the middle of a file whose top `parse_corporation_rows`
    has read: STATE gives the encoding, the file's layout and the line number DATA starts after.
    The outcomes are those that `parse_corporation_rows` gives for the same lines (tested)."""
    return [outcome for outcome, _ in _parse(io.BufferedReader(io.BytesIO(data)), state, first=False)]


def _not_this_layout(count: int) -> str:
    return (
        f"This is not an NTA corporate number file: none of the first {count} rows has the layout "
        f"({MIN_COLUMNS}–{MAX_COLUMNS} columns, a 13-digit corporate number in the second)."
    )
