"""Helpers for showing model fields on detail pages."""

from __future__ import annotations

from typing import Any


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
