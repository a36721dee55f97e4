"""Property-based tests: whatever bytes or rows the parser is fed, it never crashes, and every
row comes out either accepted with sound values or rejected with a field and a reason."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db import connection, transaction
from django.utils import timezone
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from renkei.core.validators import is_valid_corporate_number
from renkei.imports.files import ImportFileError
from renkei.imports.loader import CorporationLoader
from renkei.imports.models import Corporation
from renkei.imports.nta import COLUMNS, FIELDS, CorporationRow, RowRejection
from renkei.imports.synthetic import corporate_number

from .helpers import GOOD_ROW, parse_bytes

GOOD_CELLS = next(csv.reader([GOOD_ROW]))
REJECTION_FIELDS = set(COLUMNS) | {"columns", "line", "encoding"}
DATE_FIELDS = {"update_date", "change_date", "close_date", "assignment_date"}
CODE_LENGTHS = {"process": 2, "kind": 3, "prefecture_code": 2, "city_code": 3, "post_code": 7, "close_cause": 2}

cell_text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=40)
# NTA cells never span lines; a quoted line break splits a row and is rejected (tested above).
one_line_text = st.text(alphabet=st.characters(exclude_categories=("Cs",), exclude_characters="\r\n"), max_size=40)
tricky_cells = st.one_of(
    cell_text,
    st.sampled_from(["", "0", "1", "=1+1", "@x", "-", '"', '""', ",", "\r", "２０２４", "2024-02-29", "2023-02-29"]),
    st.from_regex(r"\A[0-9]{1,14}\Z"),
    st.from_regex(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\Z"),
)


def csv_line(cells: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(cells)
    return buffer.getvalue()


@st.composite
def mutated_rows(draw) -> list[str]:
    cells = list(GOOD_CELLS)
    for _ in range(draw(st.integers(0, 4))):
        action = draw(st.sampled_from(["replace", "replace", "delete", "insert"]))
        if action == "replace" and cells:
            cells[draw(st.integers(0, len(cells) - 1))] = draw(tricky_cells)
        elif action == "delete" and cells:
            del cells[draw(st.integers(0, len(cells) - 1))]
        else:
            cells.insert(draw(st.integers(0, len(cells))), draw(tricky_cells))
    return cells


def check_outcomes(outcomes: list, physical_lines: int) -> None:
    numbers = [o.line_number for o in outcomes]
    assert numbers == sorted(set(numbers)), "one outcome per line at most, in file order"
    for outcome in outcomes:
        assert 1 <= outcome.line_number <= physical_lines
        if isinstance(outcome, RowRejection):
            assert outcome.field in REJECTION_FIELDS
            assert outcome.reason
            continue
        assert isinstance(outcome, CorporationRow)
        values = dict(zip(FIELDS, outcome.values, strict=True))
        assert is_valid_corporate_number(values["corporate_number"])
        for name in DATE_FIELDS:
            assert values[name] is None or dt.date.fromisoformat(values[name])
        for name, length in CODE_LENGTHS.items():
            assert values[name] == "" or (len(values[name]) == length and values[name].isdigit())
        assert 24 <= values["layout_columns"] <= 30
        assert not any(isinstance(v, str) and "\x00" in v for v in outcome.values)


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=3000))
def test_random_bytes_never_crash_the_parser(data):
    try:
        outcomes, _ = parse_bytes(data)
    except ImportFileError as error:
        assert str(error)
        return
    check_outcomes(outcomes, data.count(b"\n") + 1)


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(mutated_rows(), min_size=1, max_size=8), encoding=st.sampled_from(["utf-8", "cp932"]))
def test_mutated_rows_are_each_accepted_or_rejected_with_a_field_and_a_reason(rows, encoding):
    text = csv_line(GOOD_CELLS) + "".join(csv_line(cells) for cells in rows)
    data = text.encode(encoding, errors="replace")

    outcomes, _ = parse_bytes(data)  # the good first row fixes the layout: never a file error

    check_outcomes(outcomes, data.count(b"\n") + 1)
    assert isinstance(outcomes[0], CorporationRow)
    # Pair rows with outcomes by line number: a blank row has no outcome, and a cell holding a
    # line break moves the rows after it down (those are not paired at all).
    by_line = {outcome.line_number: outcome for outcome in outcomes}
    for index, cells in enumerate(rows):
        if any("\r" in cell or "\n" in cell for cell in cells):
            break
        outcome = by_line.get(index + 2)
        if cells == GOOD_CELLS and isinstance(outcome, CorporationRow):
            assert outcome.values == outcomes[0].values


@settings(max_examples=200, deadline=None)
@given(data=st.binary(min_size=1, max_size=200), position=st.integers(0, len(GOOD_ROW.encode())))
def test_bytes_spliced_into_a_good_file_cost_at_most_the_lines_they_touch(data, position):
    good = GOOD_ROW.encode()
    spliced = good[:position] + data + good[position:]
    file = b"\r\n".join([good, good, spliced, good, good]) + b"\r\n"

    outcomes, _ = parse_bytes(file)

    check_outcomes(outcomes, file.count(b"\n") + 1)
    accepted_lines = {o.line_number for o in outcomes if isinstance(o, CorporationRow)}
    assert {1, 2} <= accepted_lines
    last = file.count(b"\n")
    assert {last - 1, last} <= accepted_lines


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=one_line_text, street=one_line_text, base=st.integers(0, 10**12 - 1))
def test_any_accepted_text_is_stored_and_read_back_exactly(name, street, base):
    cells = list(GOOD_CELLS)
    cells[1], cells[6], cells[11] = corporate_number(base), name, street
    try:
        outcomes, _ = parse_bytes(csv_line(cells).encode("utf-8"))
    except ImportFileError:
        outcomes = []
    assume(outcomes and isinstance(outcomes[0], CorporationRow))
    (row,) = outcomes
    try:
        with transaction.atomic():
            created, updated, unchanged = CorporationLoader(connection).upsert([row.values], timezone.now())
            stored = Corporation.objects.get(pk=row.corporate_number)
            assert (stored.name, stored.street_number) == (name, street)
            assert (created, updated, unchanged) == (1, 0, 0)
            assert CorporationLoader(connection).upsert([row.values], timezone.now()) == (0, 0, 1)
            raise _Rollback
    except _Rollback:
        pass


class _Rollback(Exception):
    pass


@settings(max_examples=500, deadline=None)
@given(number=st.from_regex(r"\A[0-9]{13}\Z"))
def test_the_parser_accepts_exactly_the_numbers_the_core_validator_accepts(number):
    cells = list(GOOD_CELLS)
    cells[1] = number
    outcomes, _ = parse_bytes((GOOD_ROW + "\r\n" + csv_line(cells)).encode())

    assert isinstance(outcomes[1], CorporationRow) == is_valid_corporate_number(number)
