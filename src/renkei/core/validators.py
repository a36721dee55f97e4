"""Validators for the identifiers Japanese users already know.

Each validator raises ValidationError with a message that names what is wrong, so forms, the API
and importers all report the same reason.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def corporate_number_check_digit(base12: str) -> int:
    """Check digit of a corporate number (法人番号) from its 12-digit base.

    1. Number the base digits P1..P12 from the right.
    2. Weight odd positions by 1 and even positions by 2 and sum them.
    3. The check digit is 9 minus the sum modulo 9.
    """
    total = sum(int(d) * (2 if i % 2 == 0 else 1) for i, d in enumerate(reversed(base12), start=1))
    return 9 - total % 9


def is_valid_corporate_number(value: str) -> bool:
    return (
        isinstance(value, str)
        and len(value) == 13
        and value.isascii()
        and value.isdigit()
        and int(value[0]) == corporate_number_check_digit(value[1:])
    )


def validate_corporate_number(value: str) -> None:
    if not (isinstance(value, str) and len(value) == 13 and value.isascii() and value.isdigit()):
        raise ValidationError(_("A corporate number has exactly 13 digits."), code="corporate_number_format")
    if not is_valid_corporate_number(value):
        raise ValidationError(
            _("The check digit of corporate number %(value)s is wrong (expected %(expected)s)."),
            code="corporate_number_check_digit",
            params={"value": value, "expected": corporate_number_check_digit(value[1:])},
        )


def local_government_check_digit(base5: str) -> int:
    """Check digit of a local government code (全国地方公共団体コード) from its 5-digit base.

    S = d1·6 + d2·5 + d3·4 + d4·3 + d5·2; the digit is (11 − S mod 11) mod 10.
    """
    total = sum(int(d) * w for d, w in zip(base5, (6, 5, 4, 3, 2), strict=True))
    return (11 - total % 11) % 10


def is_valid_local_government_code(value: str) -> bool:
    return (
        isinstance(value, str)
        and len(value) == 6
        and value.isascii()
        and value.isdigit()
        and 1 <= int(value[:2]) <= 47
        and int(value[5]) == local_government_check_digit(value[:5])
    )


def validate_local_government_code(value: str) -> None:
    if not (isinstance(value, str) and len(value) == 6 and value.isascii() and value.isdigit()):
        raise ValidationError(_("A local government code has exactly 6 digits."), code="lg_code_format")
    if not 1 <= int(value[:2]) <= 47:
        raise ValidationError(
            _("A local government code starts with a prefecture code 01–47."),
            code="lg_code_prefecture",
        )
    if not is_valid_local_government_code(value):
        raise ValidationError(
            _("The check digit of local government code %(value)s is wrong (expected %(expected)s)."),
            code="lg_code_check_digit",
            params={"value": value, "expected": local_government_check_digit(value[:5])},
        )


def validate_fiscal_year(value: int) -> None:
    if not 1950 <= value <= 2100:
        raise ValidationError(
            _("Fiscal year %(value)s is outside 1950–2100."), code="fiscal_year", params={"value": value}
        )


def validate_postal_code(value: str) -> None:
    digits = value.replace("-", "")
    if not (len(digits) == 7 and digits.isascii() and digits.isdigit()):
        raise ValidationError(_("A postal code has 7 digits, as 123-4567."), code="postal_code")
