"""Property-based tests of the gBizINFO basic-information and e-Stat table parsers: random bytes
and mutated rows never crash them, and every row comes out parsed, skipped, or rejected with a
field and a reason."""

from __future__ import annotations

import csv

from hypothesis import given, settings
from hypothesis import strategies as st

from renkei.core.validators import is_valid_corporate_number, is_valid_local_government_code
from renkei.imports.estat import Figure, parse_statistics_rows
from renkei.imports.files import ImportFileError
from renkei.imports.gbizinfo import BasicInformation, parse_kihon_rows
from renkei.imports.records import ParsedRecord

from .helpers import DATA
from .test_record_parser_properties import check, csv_line, mutated_cells, outcomes_of

KIHON_LINES = (DATA / "gbizinfo_kihon.csv").read_text(encoding="utf-8").splitlines()
KIHON_HEADER = next(csv.reader([KIHON_LINES[0]]))
KIHON_ROW = next(csv.reader([KIHON_LINES[1]]))
ESTAT_LINES = (DATA / "estat_keizai_census_simple.csv").read_text(encoding="utf-8").splitlines()
ESTAT_HEADER = next(csv.reader([ESTAT_LINES[0]]))
ESTAT_ROW = next(csv.reader([ESTAT_LINES[3]]))


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=2000))
def test_random_bytes_never_crash_either_parser(data):
    for parser in (parse_kihon_rows, parse_statistics_rows):
        try:
            outcomes = outcomes_of(parser, data)
        except ImportFileError as error:
            assert str(error)
            continue
        check(outcomes, data.count(b"\n") + 1, object)


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(mutated_cells(KIHON_ROW), min_size=1, max_size=8), encoding=st.sampled_from(["utf-8", "cp932"]))
def test_mutated_basic_information_rows_are_each_parsed_or_rejected(rows, encoding):
    data = (csv_line(KIHON_HEADER) + "".join(csv_line(cells) for cells in rows)).encode(encoding, errors="replace")

    outcomes = outcomes_of(parse_kihon_rows, data)

    check(outcomes, data.count(b"\n") + 1, BasicInformation)
    assert len(outcomes) <= len(rows)
    for outcome in outcomes:
        if isinstance(outcome, ParsedRecord):
            assert is_valid_corporate_number(outcome.key) and outcome.key == outcome.data.corporate_number


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(mutated_cells(ESTAT_ROW), min_size=1, max_size=8), encoding=st.sampled_from(["utf-8", "cp932"]))
def test_mutated_statistics_rows_are_each_parsed_skipped_or_rejected(rows, encoding):
    data = (csv_line(ESTAT_HEADER) + "".join(csv_line(cells) for cells in rows)).encode(encoding, errors="replace")

    outcomes = outcomes_of(parse_statistics_rows, data)

    check(outcomes, data.count(b"\n") + 1, Figure)
    assert len(outcomes) <= len(rows)
    for outcome in outcomes:
        if isinstance(outcome, ParsedRecord):
            figure = outcome.data
            assert is_valid_local_government_code(figure.municipality_code)
            assert figure.value is None or figure.symbol == ""
            assert figure.value is None or figure.value >= 0
