"""Check digits of the identifiers users already know: corporate numbers (法人番号) and local
government codes (全国地方公共団体コード)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from renkei.core.validators import (
    corporate_number_check_digit,
    is_valid_corporate_number,
    is_valid_local_government_code,
    local_government_check_digit,
    validate_corporate_number,
    validate_local_government_code,
)

digits = st.text(alphabet="0123456789", min_size=1, max_size=1)
corporate_bases = st.text(alphabet="0123456789", min_size=12, max_size=12)
prefecture_codes = st.integers(min_value=1, max_value=47).map(lambda n: f"{n:02d}")
municipal_parts = st.text(alphabet="0123456789", min_size=3, max_size=3)


# --- corporate numbers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    [
        "7000012050002",  # National Tax Agency, which assigns the numbers
        "4000012090001",  # a ministry's published number
    ],
)
def test_it_accepts_published_corporate_numbers(number):
    validate_corporate_number(number)
    assert is_valid_corporate_number(number)


@pytest.mark.usefixtures("english")
def test_it_rejects_a_corporate_number_with_a_wrong_check_digit_and_says_which_is_right():
    with pytest.raises(ValidationError) as error:
        validate_corporate_number("6000012050002")
    assert error.value.code == "corporate_number_check_digit"
    assert "expected 7" in error.value.messages[0]


@pytest.mark.parametrize("value", ["", "700001205000", "70000120500021", "70000120500O2", "７０００01205000２"])
def test_it_rejects_a_corporate_number_that_is_not_13_ascii_digits(value):
    with pytest.raises(ValidationError) as error:
        validate_corporate_number(value)
    assert error.value.code == "corporate_number_format"


@given(corporate_bases)
def test_a_base_with_its_computed_check_digit_is_always_valid(base):
    number = f"{corporate_number_check_digit(base)}{base}"
    validate_corporate_number(number)
    assert 1 <= int(number[0]) <= 9


@given(corporate_bases, digits)
def test_any_other_leading_digit_is_rejected(base, digit):
    if int(digit) == corporate_number_check_digit(base):
        return
    assert not is_valid_corporate_number(f"{digit}{base}")
    with pytest.raises(ValidationError):
        validate_corporate_number(f"{digit}{base}")


@given(corporate_bases, st.integers(min_value=0, max_value=11), st.integers(min_value=1, max_value=8))
def test_changing_one_base_digit_by_less_than_nine_is_caught(base, position, delta):
    number = f"{corporate_number_check_digit(base)}{base}"
    changed_digit = (int(base[position]) + delta) % 10
    if (changed_digit - int(base[position])) % 9 == 0:  # 0 <-> 9 keeps the sum modulo 9
        return
    changed = number[: position + 1] + str(changed_digit) + number[position + 2 :]
    assert not is_valid_corporate_number(changed)


@given(st.text(max_size=20))
def test_arbitrary_text_gets_a_validation_error_or_passes_never_a_crash(text):
    try:
        validate_corporate_number(text)
    except ValidationError:
        return
    assert is_valid_corporate_number(text)


# --- local government codes --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "name"),
    [("011002", "札幌市"), ("131016", "千代田区"), ("141003", "横浜市"), ("271004", "大阪市"), ("472018", "那覇市")],
)
def test_it_accepts_real_local_government_codes(code, name):
    validate_local_government_code(code)
    assert is_valid_local_government_code(code)


@pytest.mark.usefixtures("english")
def test_it_rejects_a_local_government_code_with_a_wrong_check_digit_and_says_which_is_right():
    with pytest.raises(ValidationError) as error:
        validate_local_government_code("131017")
    assert error.value.code == "lg_code_check_digit"
    assert "expected 6" in error.value.messages[0]


@pytest.mark.parametrize("code", ["001007", "481009", "991008"])
def test_it_rejects_a_code_outside_the_47_prefectures(code):
    with pytest.raises(ValidationError) as error:
        validate_local_government_code(code)
    assert error.value.code == "lg_code_prefecture"


@pytest.mark.parametrize("value", ["", "13101", "1310166", "13101a", "１３１０１６"])
def test_it_rejects_a_local_government_code_that_is_not_6_ascii_digits(value):
    with pytest.raises(ValidationError) as error:
        validate_local_government_code(value)
    assert error.value.code == "lg_code_format"


@given(prefecture_codes, municipal_parts)
def test_a_code_with_its_computed_check_digit_is_always_valid(prefecture, rest):
    base = prefecture + rest
    validate_local_government_code(f"{base}{local_government_check_digit(base)}")


@given(prefecture_codes, municipal_parts, digits)
def test_any_other_last_digit_is_rejected(prefecture, rest, digit):
    base = prefecture + rest
    if int(digit) == local_government_check_digit(base):
        return
    with pytest.raises(ValidationError) as error:
        validate_local_government_code(f"{base}{digit}")
    assert error.value.code == "lg_code_check_digit"


@given(st.text(max_size=10))
def test_arbitrary_text_never_crashes_the_local_government_code_validator(text):
    try:
        validate_local_government_code(text)
    except ValidationError:
        return
    assert is_valid_local_government_code(text)
