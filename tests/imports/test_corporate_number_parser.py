"""The NTA corporate number CSV as the parser reads it: both encodings, both line endings, the
older shorter layouts, and every kind of bad row rejected with its line, field and reason."""

from __future__ import annotations

import codecs

import pytest

from renkei.imports.files import ImportFileError
from renkei.imports.nta import FIELDS, CorporationRow, RowRejection

from .helpers import GOOD_ROW, SABUN_UTF8, WEB_API, ZENKEN_SJIS, ZENKEN_UTF8, parse_bytes, with_cell


def values_of(row: CorporationRow) -> dict:
    return dict(zip(FIELDS, row.values, strict=True))


def test_it_reads_the_shift_jis_and_the_utf8_full_files_to_the_same_rows():
    sjis, sjis_state = parse_bytes(ZENKEN_SJIS.read_bytes())
    utf8, utf8_state = parse_bytes(ZENKEN_UTF8.read_bytes())

    assert sjis_state.encoding == "cp932"
    assert utf8_state.encoding == "utf-8"
    assert [r.values for r in sjis] == [r.values for r in utf8]
    first = values_of(utf8[0])
    assert first["corporate_number"] == "4010001234567"
    assert first["name"] == "株式会社みらい精工"
    assert first["street_number"] == "旭町１２番１号"  # full-width digits kept as published
    assert first["prefecture_code"] == "13" and first["city_code"] == "201"
    assert first["update_date"] == "2023-04-03"
    assert first["name_en"] == "Mirai Seiko Co., Ltd."
    assert first["furigana"] == "ミライセイコウ"
    assert first["correction"] is True and first["latest"] is True and first["hidden_from_search"] is False
    assert first["layout_columns"] == 30
    closed = values_of(utf8[3])
    assert closed["close_date"] == "2024-03-25" and closed["close_cause"] == "01"


def test_it_reads_a_utf8_file_with_a_byte_order_mark_and_lf_endings():
    text = ZENKEN_UTF8.read_text(encoding="utf-8").replace("\r\n", "\n")
    rows, state = parse_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))

    assert state.encoding == "utf-8"
    assert [r.corporate_number for r in rows] == [
        "4010001234567",
        "8120101098765",
        "7100003045678",
        "2080005011223",
        "3000020404004",
    ]


def test_it_reads_the_difference_file_with_successor_and_close_cause():
    rows, _ = parse_bytes(SABUN_UTF8.read_bytes())

    merged = values_of(rows[3])
    assert merged["process"] == "71"
    assert merged["close_cause"] == "11"
    assert merged["successor_corporate_number"] == "4010001234567"
    assert values_of(rows[4])["process"] == "99"


def test_it_skips_the_web_api_summary_line_and_counts_lines_from_the_top():
    rows, state = parse_bytes(WEB_API.read_bytes())

    assert state.skipped_header is True
    assert [r.line_number for r in rows] == [2, 3, 4]
    assert all(isinstance(r, CorporationRow) for r in rows)


@pytest.mark.parametrize("columns", [24, 29])
def test_it_pads_the_older_shorter_layouts(columns):
    row = ",".join(GOOD_ROW.split(",")[:columns]) if columns < 29 else GOOD_ROW.rsplit(",", 1)[0]
    rows, _ = parse_bytes(f"{row}\r\n".encode())

    (parsed,) = rows
    assert isinstance(parsed, CorporationRow)
    values = values_of(parsed)
    assert values["layout_columns"] == columns
    assert values["hidden_from_search"] is False
    if columns == 24:
        assert values["name_en"] == "" and values["furigana"] == ""


@pytest.mark.parametrize(
    ("index", "value", "field", "reason"),
    [
        (1, "5010001234567", "corporateNumber", "check digit"),
        (1, "401000123456", "corporateNumber", "13-digit"),
        (1, "４010001234567", "corporateNumber", "13-digit"),
        (2, "1", "process", "2-digit"),
        (3, "2", "correct", "neither 0 nor 1"),
        (4, "2023-02-30", "updateDate", "not a real date"),
        (5, "2015/10/05", "changeDate", "YYYY-MM-DD"),
        (8, "30A", "kind", "3-digit"),
        (13, "48", "prefectureCode", "01–47"),
        (15, "192-0083", "postCode", "7-digit"),
        (20, "1234567890123", "successorCorporateNumber", "check digit"),
        (22, "20151005", "assignmentDate", "YYYY-MM-DD"),
        (23, "x", "latest", "neither 0 nor 1"),
    ],
)
def test_it_rejects_a_bad_value_naming_the_column_and_the_reason(index, value, field, reason):
    bad = with_cell(GOOD_ROW, index, value)
    rows, _ = parse_bytes(f"{GOOD_ROW}\r\n{bad}\r\n{GOOD_ROW}\r\n".encode())

    assert isinstance(rows[0], CorporationRow) and isinstance(rows[2], CorporationRow)
    rejection = rows[1]
    assert isinstance(rejection, RowRejection)
    assert rejection.line_number == 2
    assert rejection.field == field
    assert reason in rejection.reason
    assert rejection.raw == bad


def test_it_rejects_a_row_with_the_wrong_number_of_columns():
    short = ",".join(GOOD_ROW.split(",")[:20])
    long = GOOD_ROW + ",1,2"
    rows, _ = parse_bytes(f"{GOOD_ROW}\n{short}\n{long}\n".encode())

    assert [(r.line_number, r.field) for r in rows[1:]] == [(2, "columns"), (3, "columns")]
    assert "20 columns" in rows[1].reason


def test_a_line_that_is_not_valid_in_the_file_encoding_costs_only_that_row():
    data = GOOD_ROW.encode() + b"\n" + with_cell(GOOD_ROW, 6, '"X"').encode()[:-1] + b"\xff\xfe\n" + GOOD_ROW.encode()

    rows, state = parse_bytes(data)

    assert state.encoding == "utf-8"
    assert isinstance(rows[0], CorporationRow) and isinstance(rows[2], CorporationRow)
    assert (rows[1].line_number, rows[1].field) == (2, "encoding")
    assert "not valid utf-8" in rows[1].reason


def test_a_stray_quote_costs_one_row_and_not_the_rest_of_the_file():
    broken = with_cell(GOOD_ROW, 6, '"株式会社みらい')
    rows, _ = parse_bytes(f"{broken}\n{GOOD_ROW}\n{GOOD_ROW}\n".encode())

    assert isinstance(rows[0], RowRejection) and rows[0].line_number == 1
    assert [type(r) for r in rows[1:]] == [CorporationRow, CorporationRow]


def test_a_nul_character_is_rejected_because_no_database_text_holds_it():
    rows, _ = parse_bytes(with_cell(GOOD_ROW, 6, '"株式\x00会社"').encode() + b"\n")

    (rejection,) = rows
    assert (rejection.field, rejection.reason) == ("name", "contains a NUL character")


def test_formula_like_text_is_accepted_as_the_text_it_is():
    rows, _ = parse_bytes(with_cell(GOOD_ROW, 6, '"=HYPERLINK(""http://x"",""y"")"').encode() + b"\n")

    assert values_of(rows[0])["name"] == '=HYPERLINK("http://x","y")'


def test_a_truncated_last_line_is_rejected_and_the_rows_before_it_kept():
    data = ZENKEN_UTF8.read_bytes()
    rows, _ = parse_bytes(data[: len(data) - 60])

    assert [type(r) for r in rows] == [CorporationRow] * 4 + [RowRejection]
    assert rows[-1].line_number == 5


def test_blank_lines_are_ignored():
    rows, state = parse_bytes(f"\r\n{GOOD_ROW}\r\n\r\n\r\n".encode())

    assert len(rows) == 1 and state.rows_read == 1


def test_a_file_of_another_layout_is_refused_before_any_row_is_given_out():
    gbiz = "法人番号,法人名,法人名ふりがな\n" + "\n".join(f"{n},名,めい" for n in range(30))
    with pytest.raises(ImportFileError, match="not an NTA corporate number file"):
        parse_bytes(gbiz.encode("utf-8"))


def test_a_short_file_of_another_layout_is_refused_too():
    with pytest.raises(ImportFileError, match="not an NTA corporate number file"):
        parse_bytes(b"a,b,c\n1,2,3\n")


def test_bytes_that_are_neither_utf8_nor_shift_jis_are_refused():
    with pytest.raises(ImportFileError, match="neither UTF-8 nor Shift_JIS"):
        parse_bytes(bytes(range(0x80, 0x100)) * 4)


def test_an_empty_file_has_no_rows():
    rows, state = parse_bytes(b"")

    assert rows == [] and state.rows_read == 0
