"""Building blocks for the apps' service functions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models, transaction


def save_validated(
    instance: models.Model,
    *,
    actor,
    m2m: Mapping[str, Iterable[Any]] | None = None,
    reason: str = "",
) -> models.Model:
    """Validate and save one record with its many-to-many values in a single transaction,
    recording `actor` as the author of the change in the record's history.

    full_clean() runs the field validators, clean() and the unique checks, so the API and the
    importers get the same errors as the forms; on any error nothing is written."""
    instance.full_clean()
    if actor is not None and getattr(actor, "is_authenticated", False):
        instance._history_user = actor
    if reason:
        instance._change_reason = reason
    with transaction.atomic():
        instance.save()
        for name, values in (m2m or {}).items():
            getattr(instance, name).set(values)
    return instance
