"""Periods as the event pages, agendas and mails write them, in Japan time."""

from __future__ import annotations

from datetime import UTC, datetime

from renkei.core.display import period_text


def test_a_period_within_one_day_names_the_date_once():
    # 04:00–08:00 UTC is 13:00–17:00 in Tokyo.
    start, end = datetime(2026, 5, 20, 4, 0, tzinfo=UTC), datetime(2026, 5, 20, 8, 0, tzinfo=UTC)
    assert period_text(start, end) == "2026-05-20 13:00–17:00"


def test_a_period_over_two_days_in_japan_names_both_dates():
    # 10:00–16:00 UTC on one UTC day runs from 19:00 to 01:00 the next day in Tokyo.
    start, end = datetime(2026, 5, 20, 10, 0, tzinfo=UTC), datetime(2026, 5, 20, 16, 0, tzinfo=UTC)
    assert period_text(start, end) == "2026-05-20 19:00 – 2026-05-21 01:00"
