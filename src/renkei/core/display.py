"""Helpers for showing model fields on detail pages."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone


def field_rows(obj, names: list[str]) -> list[dict[str, Any]]:
    """Rows of {name, label, value} for a definition list: labels come from the model, so they
    match the forms; choice fields show their display value."""
    rows = []
    for name in names:
        field = obj._meta.get_field(name)
        display = getattr(obj, f"get_{name}_display", None)
        value = display() if display and getattr(obj, name) not in (None, "") else getattr(obj, name)
        rows.append({"name": name, "label": field.verbose_name, "value": value})
    return rows


def period_text(start: datetime, end: datetime) -> str:
    """A period in the site's time zone: "2026-05-20 13:00–17:00", or with both dates when it
    runs over more than one day ("2026-05-20 10:00 – 2026-05-21 17:00")."""
    start, end = timezone.localtime(start), timezone.localtime(end)
    if start.date() == end.date():
        return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"
    return f"{start:%Y-%m-%d %H:%M} – {end:%Y-%m-%d %H:%M}"
