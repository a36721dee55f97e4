"""Bulk upsert of corporations, one batch at a time, through each database's fast path.

PostgreSQL: COPY the batch into a temporary table, then one `INSERT … SELECT … ON CONFLICT DO
UPDATE … WHERE <something differs>`; rows that did not change are not written at all (no dead
tuples, `updated_at` kept). SQLite: `executemany` of the same upsert, row by row in C.

Both return how many rows were created, updated and left unchanged. The caller holds the
transaction: a batch is written whole or not at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.backends.base.base import BaseDatabaseWrapper

from renkei.imports.models import Corporation
from renkei.imports.nta import FIELDS

STAGE_TABLE = "imports_corporation_stage"
# Keys per `IN (…)` query on SQLite, well under its limit on bound parameters.
SQLITE_KEY_CHUNK = 900
# Page cache of the importing connection on SQLite, in KiB (negative PRAGMA value = KiB).
SQLITE_CACHE_KIB = 256 * 1024


class CorporationLoader:
    """Writes batches of corporation rows (tuples in `nta.FIELDS` order) to the reference table."""

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection
        self.vendor = connection.vendor
        if self.vendor not in ("postgresql", "sqlite"):
            raise NotImplementedError(f"bulk corporation import supports PostgreSQL and SQLite, not {self.vendor}")
        quote = connection.ops.quote_name
        self.table = quote(Corporation._meta.db_table)
        self.key = quote("corporate_number")
        self.columns = [quote(name) for name in FIELDS]
        self.data_columns = self.columns[1:]  # everything but the key
        self._sql = self._postgres_sql() if self.vendor == "postgresql" else self._sqlite_sql()
        if self.vendor == "sqlite":
            # SQLite's page cache is 2 MB by default: past a few hundred thousand rows nearly every
            # insert into the name index then reads pages from disk. Give this connection more.
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")

    # --- SQL ---------------------------------------------------------------------------------

    def _set_and_where(self) -> tuple[str, str]:
        assignments = ", ".join(f"{c} = EXCLUDED.{c}" for c in self.data_columns)
        assignments += ', "updated_at" = EXCLUDED."updated_at"'
        if self.vendor == "postgresql":
            ours = ", ".join(f"{self.table}.{c}" for c in self.data_columns)
            theirs = ", ".join(f"EXCLUDED.{c}" for c in self.data_columns)
            return assignments, f"({ours}) IS DISTINCT FROM ({theirs})"
        return assignments, " OR ".join(f"{self.table}.{c} IS NOT EXCLUDED.{c}" for c in self.data_columns)

    def _postgres_sql(self) -> str:
        columns = ", ".join(self.columns)
        assignments, changed = self._set_and_where()
        # Names come from the model's metadata, values go as parameters.
        return (
            f"WITH upserted AS ("  # noqa: S608
            f' INSERT INTO {self.table} ({columns}, "created_at", "updated_at")'
            f" SELECT {columns}, %s, %s FROM {STAGE_TABLE}"
            f" ON CONFLICT ({self.key}) DO UPDATE SET {assignments} WHERE {changed}"
            # xmax is 0 on a freshly inserted row version and set on an updated one.
            f" RETURNING (xmax = 0) AS inserted)"
            f" SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM upserted"
        )

    def _sqlite_sql(self) -> str:
        columns = ", ".join(self.columns)
        placeholders = ", ".join(["%s"] * (len(self.columns) + 2))
        assignments, changed = self._set_and_where()
        # Names come from the model's metadata, values go as parameters.
        return (
            f'INSERT INTO {self.table} ({columns}, "created_at", "updated_at") VALUES ({placeholders})'  # noqa: S608
            f" ON CONFLICT ({self.key}) DO UPDATE SET {assignments} WHERE {changed}"
        )

    # --- writing -----------------------------------------------------------------------------

    def upsert(self, rows: Sequence[tuple], now: dt.datetime) -> tuple[int, int, int]:
        """Insert or update ROWS (unique corporate numbers); return (created, updated, unchanged)."""
        if not rows:
            return 0, 0, 0
        if self.vendor == "postgresql":
            created, updated = self._upsert_postgres(rows, now)
        else:
            created, updated = self._upsert_sqlite(rows, now)
        return created, updated, len(rows) - created - updated

    def _upsert_postgres(self, rows: Sequence[tuple], now: dt.datetime) -> tuple[int, int]:
        with self.connection.cursor() as cursor:
            # One per connection; emptied at each commit.
            cursor.execute(
                f"CREATE TEMP TABLE IF NOT EXISTS {STAGE_TABLE} ON COMMIT DELETE ROWS AS"  # noqa: S608
                f" SELECT {', '.join(self.columns)} FROM {self.table} WITH NO DATA"
            )
            # A previous batch on this connection that failed inside a savepoint leaves no rows
            # behind (the transaction rolled back), but be explicit: the stage starts empty.
            cursor.execute(f"TRUNCATE {STAGE_TABLE}")
            with cursor.cursor.copy(f"COPY {STAGE_TABLE} ({', '.join(self.columns)}) FROM STDIN") as copy:
                write_row = copy.write_row
                for row in rows:
                    write_row(row)
            cursor.execute(self._sql, [now, now])
            created, updated = cursor.fetchone()
        return created, updated

    def _existing_keys(self, cursor, keys: list[str]) -> int:
        found = 0
        for start in range(0, len(keys), SQLITE_KEY_CHUNK):
            chunk = keys[start : start + SQLITE_KEY_CHUNK]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"SELECT count(*) FROM {self.table} WHERE {self.key} IN ({marks})", chunk)  # noqa: S608
            found += cursor.fetchone()[0]
        return found

    def _upsert_sqlite(self, rows: Sequence[tuple], now: dt.datetime) -> tuple[int, int]:
        stamp = self.connection.ops.adapt_datetimefield_value(now)
        with self.connection.cursor() as cursor:
            existing = self._existing_keys(cursor, [row[0] for row in rows])
            cursor.executemany(self._sql, [(*row, stamp, stamp) for row in rows])
            written = cursor.rowcount
        created = len(rows) - existing
        return created, written - created
