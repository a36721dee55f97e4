"""Japanese fiscal years run April–March: FY2005 is 2005-04-01 … 2006-03-31."""

from __future__ import annotations

import datetime as dt


def fiscal_year_of(day: dt.date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_range(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 4, 1), dt.date(year + 1, 3, 31)


def current_fiscal_year() -> int:
    return fiscal_year_of(dt.date.today())
