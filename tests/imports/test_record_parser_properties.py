"""Property-based tests of the researchmap, KAKEN and patent parsers: whatever they are fed —
random bytes, mutated rows, mutated XML elements, random JSON values — they never crash, and every
row comes out parsed, skipped, or rejected with a field and a reason."""

from __future__ import annotations

import csv
import io
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from renkei.imports.files import ImportFileError
from renkei.imports.kaken import Grant, parse_grant_awards
from renkei.imports.nta import ParseState, RowRejection
from renkei.imports.patents import PatentRow, parse_patent_rows
from renkei.imports.records import ParsedRecord, SkippedRow
from renkei.imports.researchmap import Researcher, parse_researchers

from .helpers import DATA

PATENT_LINES = (DATA / "jp_patent_list_canonical.csv").read_text(encoding="utf-8").splitlines()
PATENT_HEADER = next(csv.reader([PATENT_LINES[0]]))
PATENT_ROW = next(csv.reader([PATENT_LINES[1]]))
PROFILE = json.loads((DATA / "researchmap_researcher.json").read_text(encoding="utf-8"))
KAKEN = (DATA / "kaken_grantAwards.xml").read_text(encoding="utf-8")
AWARD = KAKEN[KAKEN.index("<grantAward ") : KAKEN.index("</grantAward>") + len("</grantAward>")]

text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=30)
tricky = st.one_of(
    text,
    st.sampled_from(["", "=1+1", "+1", "-1", "@SUM(A1)", '"', ",", "\r\n", "\x00", "特願平99-1", "2024-02-30", "0"]),
    st.from_regex(r"\A[0-9]{1,14}\Z"),
    st.from_regex(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\Z"),
)


def outcomes_of(parser, data: bytes) -> list:
    return list(parser(io.BufferedReader(io.BytesIO(data)), ParseState()))


def check(outcomes: list, lines: int, data_type: type) -> None:
    for outcome in outcomes:
        assert 1 <= outcome.line_number <= lines
        if isinstance(outcome, RowRejection):
            assert outcome.field and outcome.reason
        elif isinstance(outcome, ParsedRecord):
            assert isinstance(outcome.data, data_type) and outcome.key
        else:
            assert isinstance(outcome, SkippedRow)


def csv_line(cells: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(cells)
    return buffer.getvalue()


@st.composite
def mutated_cells(draw, cells: list[str]) -> list[str]:
    cells = list(cells)
    for _ in range(draw(st.integers(0, 4))):
        action = draw(st.sampled_from(["replace", "replace", "delete", "insert"]))
        if action == "replace" and cells:
            cells[draw(st.integers(0, len(cells) - 1))] = draw(tricky)
        elif action == "delete" and cells:
            del cells[draw(st.integers(0, len(cells) - 1))]
        else:
            cells.insert(draw(st.integers(0, len(cells))), draw(tricky))
    return cells


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=2000))
def test_random_bytes_never_crash_any_parser(data):
    for parser in (parse_patent_rows, parse_researchers, parse_grant_awards):
        try:
            outcomes = outcomes_of(parser, data)
        except ImportFileError as error:
            assert str(error)
            continue
        check(outcomes, data.count(b"\n") + 1, object)


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(mutated_cells(PATENT_ROW), min_size=1, max_size=8), encoding=st.sampled_from(["utf-8", "cp932"]))
def test_mutated_patent_rows_are_each_parsed_skipped_or_rejected(rows, encoding):
    content = csv_line(PATENT_HEADER) + "".join(csv_line(cells) for cells in rows)
    data = content.encode(encoding, errors="replace")

    outcomes = outcomes_of(parse_patent_rows, data)

    check(outcomes, data.count(b"\n") + 1, PatentRow)
    assert len(outcomes) <= len(rows)
    for outcome in outcomes:
        if isinstance(outcome, ParsedRecord):
            assert outcome.key.startswith("JP") and len(outcome.key) == 12 and outcome.data.values["title"]


def _mutate_json(draw, value, depth: int = 0):
    if isinstance(value, dict) and value and depth < 4:
        key = draw(st.sampled_from(sorted(value)))
        value = dict(value)
        choice = draw(st.integers(0, 3))
        if choice == 0:
            del value[key]
        elif choice == 1:
            value[key] = draw(st.one_of(tricky, st.integers(), st.none(), st.lists(tricky, max_size=2), st.booleans()))
        else:
            value[key] = _mutate_json(draw, value[key], depth + 1)
        return value
    if isinstance(value, list) and value and depth < 4:
        value = list(value)
        index = draw(st.integers(0, len(value) - 1))
        value[index] = _mutate_json(draw, value[index], depth + 1)
        return value
    return draw(st.one_of(tricky, st.integers(), st.none(), st.booleans(), st.just({}), st.just([])))


@st.composite
def mutated_profiles(draw):
    profile = PROFILE
    for _ in range(draw(st.integers(0, 4))):
        profile = _mutate_json(draw, profile)
    return profile


@settings(max_examples=200, deadline=None)
@given(profiles=st.lists(mutated_profiles(), min_size=1, max_size=6), lines=st.booleans())
def test_mutated_researchmap_profiles_are_each_parsed_or_rejected(profiles, lines):
    if lines:
        data = "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in [PROFILE, *profiles]).encode()
    else:
        data = json.dumps([PROFILE, *profiles], ensure_ascii=False, indent=1).encode()

    outcomes = outcomes_of(parse_researchers, data)

    check(outcomes, data.count(b"\n") + 1, Researcher)
    assert isinstance(outcomes[0], ParsedRecord)
    assert len(outcomes) == len(profiles) + 1
    for outcome in outcomes:
        if isinstance(outcome, ParsedRecord):
            person = outcome.data
            assert person.family_name_ja or person.family_name_en
            assert all(len(code) == 8 and code.isdigit() for code in person.erad_codes)


XML_PIECES = ["2019", "20X9", "-1", "", "&amp;", "<b>x</b>", "99999999", "1", "=1+1", "2024-02-30", "\u3000"]


@st.composite
def mutated_awards(draw):
    award = AWARD
    for _ in range(draw(st.integers(0, 4))):
        # Replace the text between two tags, or an attribute's value, with something else.
        spots = [i for i, ch in enumerate(award) if ch in '>"']
        at = draw(st.sampled_from(spots))
        end = award.find("<" if award[at] == ">" else '"', at + 1)
        if end == -1:
            continue
        piece = draw(st.one_of(st.sampled_from(XML_PIECES), st.text(alphabet="abc123-_ 漢字", max_size=8)))
        award = award[: at + 1] + piece + award[end:]
    return award


@settings(max_examples=200, deadline=None)
@given(awards=st.lists(mutated_awards(), min_size=1, max_size=5))
def test_mutated_kaken_awards_are_each_parsed_or_rejected(awards):
    data = ("<grantAwards>\n" + AWARD + "\n" + "\n".join(awards) + "\n</grantAwards>\n").encode()

    outcomes = outcomes_of(parse_grant_awards, data)

    check(outcomes, data.count(b"\n") + 1, Grant)
    assert isinstance(outcomes[0], ParsedRecord)
    for outcome in outcomes:
        if isinstance(outcome, ParsedRecord):
            values = outcome.data.values
            start, end = values["start_fiscal_year"], values["end_fiscal_year"]
            assert start is None or end is None or start <= end
            assert all(v is None or v >= 0 for k, v in values.items() if k.endswith("_cost"))
