"""Reading the text of import files row by row: encoding detection, over-long lines, CSV rows that
span lines, and JSON documents, each bad part rejected with its line number rather than raised.

Used by the record importers (researchmap, KAKEN, patents, gBizINFO, e-Stat); the corporate number parser in `nta`
has its own, faster loop for its fixed layout.
"""

from __future__ import annotations

import csv
import json
import unicodedata
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

from django.conf import settings

from renkei.imports.files import ImportFileError, detect_encoding
from renkei.imports.nta import ParseState, RowError, RowRejection

MAX_LINE_BYTES = 1024 * 1024
RAW_KEEP_CHARS = 2000
HEAD_BYTES = 64 * 1024
# A JSON document (not JSON Lines) is parsed whole; past this it is refused.
DEFAULT_MAX_JSON_BYTES = 256 * 1024 * 1024


def raw_text(text: str) -> str:
    return text.rstrip("\r\n")[:RAW_KEEP_CHARS]


def start_text(stream: BinaryIO, state: ParseState) -> None:
    """Detect the encoding from the first 64 KB (UTF-8 with or without BOM, or Shift_JIS read as
    cp932), record it in STATE and skip a byte-order mark."""
    head = stream.peek(HEAD_BYTES)[:HEAD_BYTES]  # type: ignore[attr-defined]
    state.encoding = detect_encoding(head, complete=len(head) < HEAD_BYTES)
    if state.encoding == "utf-8-sig":
        stream.read(3)
        state.encoding = "utf-8"


def header_key(text: str) -> str:
    """A column header folded for matching: NFKC, case, spaces and underscores removed."""
    folded = unicodedata.normalize("NFKC", text or "").strip().casefold()
    return folded.replace(" ", "").replace("_", "").replace("\u3000", "")


class ColumnLayout:
    """The columns of one CSV file: field name → (index, header as written). A subclass sets
    ALIASES (field name → the headers it may have, the first as the one to name in errors); a
    field takes the column of the first alias the header holds."""

    aliases: dict[str, tuple[str, ...]] = {}

    def __init__(self, header: list[str]) -> None:
        self.width = len(header)
        keys = [header_key(h) for h in header]
        self.columns: dict[str, tuple[int, str]] = {}
        for name, aliases in self.aliases.items():
            index = self.find(name, aliases, keys)
            if index is not None:
                self.columns[name] = (index, header[index].strip())

    def find(self, name: str, aliases: tuple[str, ...], keys: list[str]) -> int | None:
        for alias in aliases:
            wanted = header_key(alias)
            if wanted in keys:
                return keys.index(wanted)
        return None

    def cell(self, cells: list[str], name: str) -> str:
        found = self.columns.get(name)
        if found is None or found[0] >= len(cells):
            return ""
        return cells[found[0]].strip()

    def header(self, name: str) -> str:
        return self.columns.get(name, (0, self.aliases[name][0]))[1]


class CsvRows:
    """The rows of a CSV stream: `(line_number, cells, raw)` for each row, or a RowRejection for a
    row that cannot be read (a line that is not in the file's encoding, over-long or bad CSV).

    A quoted cell may span lines (an abstract with line breaks); the row's line number is its
    first line. Blank lines are passed over."""

    def __init__(self, stream: BinaryIO, state: ParseState) -> None:
        self.stream = stream
        self.state = state
        self.line = 0
        self._texts: list[str] = []
        self._problem: tuple[str, str] | None = None

    def _lines(self) -> Iterator[str]:
        readline = self.stream.readline
        encoding = self.state.encoding
        while True:
            data = readline(MAX_LINE_BYTES)
            if not data:
                return
            self.line += 1
            self.state.lines_read = self.line
            if len(data) == MAX_LINE_BYTES and not data.endswith(b"\n"):
                while True:  # skip the rest of the over-long line without keeping it
                    rest = readline(MAX_LINE_BYTES)
                    if not rest or rest.endswith(b"\n"):
                        break
                self._problem = self._problem or ("line", f"line {self.line} is longer than {MAX_LINE_BYTES:,} bytes")
                text = data.decode(encoding, "replace")[:RAW_KEEP_CHARS] + "\n"
            else:
                try:
                    text = data.decode(encoding)
                except UnicodeDecodeError as exc:
                    self._problem = self._problem or (
                        "encoding",
                        f"byte {exc.start + 1} of line {self.line} is not valid {encoding} text",
                    )
                    text = data.decode(encoding, "replace")
            self._texts.append(text)
            yield text

    def __iter__(self) -> Iterator[tuple[int, list[str], str] | RowRejection]:
        reader = csv.reader(self._lines(), strict=False)
        while True:
            first = self.line + 1
            self._texts.clear()
            self._problem = None
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                self.state.rows_read += 1
                yield RowRejection(first, "line", f"not valid CSV: {exc}", raw_text("".join(self._texts)))
                continue
            if not cells or all(not c.strip() for c in cells):
                continue
            raw = raw_text("".join(self._texts))
            if self._problem:
                self.state.rows_read += 1
                yield RowRejection(first, self._problem[0], self._problem[1], raw)
                continue
            yield first, cells, raw


def read_json_document(stream: BinaryIO, state: ParseState) -> str:
    """The whole text of a JSON document, at most IMPORT_MAX_JSON_BYTES (JSON Lines files are
    read line by line instead and have no such limit)."""
    limit = getattr(settings, "IMPORT_MAX_JSON_BYTES", DEFAULT_MAX_JSON_BYTES)
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise ImportFileError(
            f"The JSON document is over {limit:,} bytes; give it as JSON Lines (one record a line) instead."
        )
    try:
        return data.decode(state.encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportFileError(f"Line {line} of the JSON document is not valid {state.encoding} text.") from None


def json_array_items(text: str, start: int) -> Iterator[tuple[int, object] | RowRejection]:
    """The items of the JSON array opening at TEXT[START] ('['), each with its line number. A
    damaged item ends the reading with one rejection naming the line where it broke (a JSON
    array cannot be resynchronised); the items before it stand."""
    decoder = json.JSONDecoder()
    position = start + 1
    line = text.count("\n", 0, position) + 1
    length = len(text)

    def skip_space(at: int) -> int:
        while at < length and text[at] in " \t\r\n":
            at += 1
        return at

    position = skip_space(position)
    if position < length and text[position] == "]":
        return
    while True:
        line += text.count("\n", start, position)
        start = position
        try:
            item, end = decoder.raw_decode(text, position)
        except json.JSONDecodeError as exc:
            yield RowRejection(exc.lineno, "json", f"not valid JSON: {exc.msg}; the rest of the file is not read", "")
            return
        yield line, item
        position = skip_space(end)
        if position >= length:
            yield RowRejection(text.count("\n") + 1, "json", "the file ends inside the array (is it truncated?)", "")
            return
        if text[position] == "]":
            return
        if text[position] != ",":
            where = text.count("\n", 0, position) + 1
            yield RowRejection(where, "json", "expected ',' or ']' between records; the rest is not read", "")
            return
        position = skip_space(position + 1)


def headed_csv_rows(
    stream: BinaryIO,
    state: ParseState,
    *,
    probe_rows: int,
    find_layout: Callable[[list[str]], Any],
    convert: Callable[[Any, int, list[str], str], Any],
    not_recognised: Callable[[str], ImportFileError],
) -> Iterator[Any]:
    """The rows of a CSV whose header row stands among its first PROBE_ROWS rows (title and note
    rows before it are passed over), each converted on its own.

    `find_layout(cells)` gives the layout when the row is the header row, else None (it may raise
    ImportFileError for a file it knows to be of another kind); `convert(layout, line, cells,
    raw)` gives the row's outcome or raises RowError, which rejects that row alone;
    `not_recognised(detail)` is the error for a file without a header row."""
    start_text(stream, state)
    layout = None
    probed = 0
    for entry in CsvRows(stream, state):
        if layout is None:
            probed += 1
            if not isinstance(entry, RowRejection):
                layout = find_layout(entry[1])
                if layout is not None:
                    state.skipped_header = True
                    continue
            if probed >= probe_rows:
                raise not_recognised(f"none of the first {probed} rows is its header row")
            continue
        if isinstance(entry, RowRejection):
            yield entry
            continue
        line, cells, raw = entry
        state.rows_read += 1
        try:
            outcome = convert(layout, line, cells, raw)
        except RowError as error:
            outcome = RowRejection(line, error.field, error.reason, raw)
        yield outcome
    if layout is None:
        raise not_recognised("no header row was found" if probed else "the file is empty")
