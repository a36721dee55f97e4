"""Exported cells never turn into spreadsheet formulas."""

from __future__ import annotations

import io

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from renkei.core.export import FORMULA_PREFIXES, csv_response, neutralise_cell, xlsx_response


@given(st.text())
def test_no_neutralised_text_starts_with_a_formula_prefix(text):
    assert not str(neutralise_cell(text)).startswith(FORMULA_PREFIXES)


def test_numbers_and_plain_text_pass_through_unchanged():
    assert neutralise_cell(-5) == -5
    assert neutralise_cell("東北大学") == "東北大学"


def test_csv_starts_with_a_bom_and_quotes_formulas():
    response = csv_response("t", ["name"], [['=HYPERLINK("http://x")'], ["@SUM(A1)"], ["ok"]])
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeffname")
    assert "'=HYPERLINK" in body and "'@SUM(A1)" in body


def test_xlsx_cells_are_text_not_formulas():
    response = xlsx_response("t", ["name"], [["=1+1"], ["+81-3-1234"]])
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert values == ["'=1+1", "'+81-3-1234"]
