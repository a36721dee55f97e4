"""The built network and its figures, kept in Django's cache until the records change.

Building the platform's network reads every membership, position, affiliation and CRM record of
the clusters asked for, and measuring it runs betweenness and Leiden; both are the same for every
view until a record changes. Entries are keyed by a *data version*: for each table the network is
built from, the row count, the largest primary key and the latest `updated_at`, all read in
one query (every page with introduction paths or the explorer pays it, cache hit or not). Any
insert, delete or save through the ORM changes it, so a stale entry is never read again (it
expires on its own). Bulk `QuerySet.update()` calls that skip `updated_at` are not seen; nothing
in renkei changes these tables that way.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.db.models import Model

from renkei.brokerage.models import Interaction, Introduction, StageChange
from renkei.directory.models import Affiliation, Organisation, Person
from renkei.events.models import Event, Meeting, MeetingRequest, Registration
from renkei.network.builder import build_platform_network
from renkei.network.graph import Network
from renkei.programs.models import Cluster, HQPosition, Membership

CACHE_SECONDS = 24 * 60 * 60
KEY_PREFIX = "renkei:network:"

T = TypeVar("T")


def _source_tables() -> list[tuple[type[Model], str | None]]:
    """(model, its last-changed field or None): every table `build_platform_network` reads."""
    return [
        (Organisation, "updated_at"),
        (Organisation.fields.through, None),
        (Person, "updated_at"),
        (get_user_model(), None),  # coordinators' names
        (Cluster, "updated_at"),
        (Membership, "updated_at"),
        (HQPosition, "updated_at"),
        (Affiliation, "updated_at"),
        (Interaction, "updated_at"),
        (Interaction.organisations.through, None),
        (Interaction.people.through, None),
        (Introduction, "updated_at"),
        (StageChange, None),
        (Event.clusters.through, None),
        (MeetingRequest, "updated_at"),
        (MeetingRequest.recipients.through, None),
        (Meeting, "updated_at"),
        (Registration, "updated_at"),  # who attended as which person
    ]


def _version_sql() -> str:
    """One SELECT with a scalar subquery per source table, each one pass over its table giving
    "rows:largest pk:latest change", so the version costs one round trip instead of one per table."""
    quote = connection.ops.quote_name

    def text(expression: str) -> str:
        return f"COALESCE(CAST({expression} AS TEXT), '')"

    parts: list[str] = []
    for model, changed in _source_tables():
        figures = [text("COUNT(*)"), text(f"MAX({quote(model._meta.pk.column)})")]
        if changed:
            figures.append(text(f"MAX({quote(model._meta.get_field(changed).column)})"))
        joined = " || ':' || ".join(figures)
        # Only our models' table and column names, quoted by the backend: no outside input.
        parts.append(f"(SELECT {joined} FROM {quote(model._meta.db_table)})")  # noqa: S608
    return "SELECT " + ", ".join(parts)


def data_version() -> str:
    """A short digest that changes whenever a record the network is built from changes: one query."""
    with connection.cursor() as cursor:
        cursor.execute(_version_sql())
        row = cursor.fetchone()
    return hashlib.blake2b("|".join(map(str, row)).encode(), digest_size=8).hexdigest()


def cache_key(kind: str, version: str, *parts: object) -> str:
    """A key for `kind` at `version`; the other parts (filters, clusters, a mask digest) are hashed
    so keys stay short whatever they hold."""
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=10).hexdigest()
    return f"{KEY_PREFIX}{kind}:{version}:{digest}"


def cached(key: str, compute: Callable[[], T]) -> T:
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value


def clusters_key(clusters: Iterable[Cluster] | None) -> tuple[int, ...] | str:
    return "national" if clusters is None else tuple(sorted(c.pk for c in clusters))


def cached_platform_network(clusters: Iterable[Cluster] | None = None, *, version: str | None = None) -> Network:
    """`build_platform_network(clusters)`, from the cache while the records stay the same."""
    clusters = None if clusters is None else list(clusters)
    version = version or data_version()
    key = cache_key("graph", version, clusters_key(clusters))
    return cached(key, lambda: build_platform_network(clusters))


def network_digest(network: Network) -> str:
    """A digest of everything the figures and the drawing read from `network`: its nodes with
    their labels and attributes, and its ties. Two equal digests mean the same results."""
    h = hashlib.blake2b(digest_size=20)
    for text in (network.ids, network.labels, network.kinds, network.types):
        h.update("\x1f".join(text).encode())
        h.update(b"\x1e")
    for name in sorted(network.attributes):
        category = network.attributes[name]
        h.update(name.encode() + b"\x1f" + "\x1f".join(category.values).encode())
        h.update(category.codes.tobytes())
    for array in (network.source, network.target, network.weight, network.type_code, network.start_fy, network.end_fy):
        h.update(array.tobytes())
    return h.hexdigest()
