"""Reading the jobs' environment variables. Imported by settings.py, so it imports no models."""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

BROKER_SCHEMES = frozenset({"redis", "rediss", "amqp", "amqps", "pyamqp"})


def broker_url(name: str) -> str:
    """The broker URL in `name`, or "" when unset (jobs then run inline).

    Only Redis and RabbitMQ (AMQP) are accepted: they are the brokers renkei is tested with.
    The error names the variable and the scheme, never the URL (it may hold a password)."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return ""
    scheme, separator, _rest = raw.partition("://")
    if not separator or scheme.lower() not in BROKER_SCHEMES:
        shown = scheme if separator else "(no scheme)"
        raise ImproperlyConfigured(
            f"{name} must be a redis://… or amqp://… URL (scheme {shown!r} is not supported); "
            "leave it unset to run jobs inline"
        )
    return raw
