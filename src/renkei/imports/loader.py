"""Bulk writing of corporations, one batch at a time, through each database's fast path.

Two ways to write a batch (rows with unique corporate numbers):

- `insert_new`: plain inserts, for rows that are not in the table yet (a first load, or the part
  of a file that a killed run did not reach). PostgreSQL: one `COPY` straight into the table;
  SQLite: `executemany` of a plain `INSERT`. If one corporate number is in the table already it
  raises `AlreadyStored`: the caller rolls the batch's transaction back and upserts the batch.
- `upsert`: PostgreSQL COPYs the batch into a temporary table, then one `INSERT … SELECT … ON
  CONFLICT DO UPDATE … WHERE <something differs>`; rows that did not change are not written at
  all (no dead tuples, `updated_at` kept). SQLite: `executemany` of the same upsert.

Both say how many rows were created, updated and left unchanged. The caller holds the
transaction: a batch is written whole or not at all.

First load: maintaining the secondary indexes (name, kana and English-name look-up; the key's
pattern index on PostgreSQL) row by row costs more than the inserts, so `defer_indexes` drops
them when the table is empty and `ensure_indexes` builds them once at the end of the run (the
import service calls it even when the run fails; a killed run leaves them missing until the
next corporate number import ends, and name look-ups scan the table meanwhile).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from renkei.imports.nta import FIELDS

STAGE_TABLE = "imports_corporation_stage"
# The table's secondary indexes, as the migrations make them on each database (same names and
# definitions): the name look-up index of migration 0002, the kana and English-name look-up
# indexes of migration 0005, and on PostgreSQL the pattern index Django adds to a CharField key.
# A first load drops them and builds each once at the end.
SECONDARY_INDEXES = {
    "postgresql": {
        "imports_corp_name_key_bin_idx": '(name_key COLLATE "C")',
        "imports_corporation_corporate_number_4ac78e1b_like": "(corporate_number varchar_pattern_ops)",
        "imports_corp_furigana_bin_idx": '(furigana COLLATE "C")',
        "imports_corp_name_en_upper_bin_idx": '(UPPER(name_en) COLLATE "C")',
    },
    "sqlite": {
        "imports_corp_name_key_bin_idx": "(name_key)",
        "imports_corp_furigana_bin_idx": "(furigana)",
        "imports_corp_name_en_upper_bin_idx": "(UPPER(name_en))",
    },
}
# Sort memory for building them on PostgreSQL (its default, 64 MB, makes the sorts spill to disk).
INDEX_BUILD_MEMORY = "512MB"
# Keys per `IN (…)` query on SQLite, well under its limit on bound parameters.
SQLITE_KEY_CHUNK = 900
# Page cache of the importing connection on SQLite, in KiB (negative PRAGMA value = KiB).
SQLITE_CACHE_KIB = 256 * 1024


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
# Positions in `nta.FIELDS` of the values that are not text: dates (None when empty), flags, count.
_DATES = tuple(FIELDS.index(f) for f in ("update_date", "change_date", "close_date", "assignment_date"))
_FLAGS = tuple(FIELDS.index(f) for f in ("correction", "latest", "hidden_from_search"))
_COUNT = FIELDS.index("layout_columns")


def copy_text(values: tuple) -> str:
    """One row (in `nta.FIELDS` order) as a line of PostgreSQL's COPY text format.

    The import's parser thread formats the rows, so that the writing thread only hands the
    server a block of text instead of adapting 31 values per row while holding the GIL.
    """
    cells = list(values)
    for i in _FLAGS:
        cells[i] = "t" if cells[i] else "f"
    cells[_COUNT] = str(cells[_COUNT])
    nulls = 0
    for i in _DATES:
        if cells[i] is None:
            cells[i] = "\\N"
            nulls += 1
    line = "\t".join(cells)
    # Nearly every row: no tab, newline or backslash of its own (only the \N markers).
    if line.count("\t") == len(cells) - 1 and line.count("\\") == nulls and "\n" not in line and "\r" not in line:
        return line + "\n"
    cells = [
        cell if isinstance(values[i], bool) or values[i] is None else cell.translate(_COPY_ESCAPES)
        for i, cell in enumerate(cells)
    ]
    return "\t".join(cells) + "\n"


class AlreadyStored(Exception):
    """A batch given to `CorporationLoader.insert_new` holds a number that is stored already."""


class CorporationLoader:
    """Writes batches of corporation rows (tuples in `nta.FIELDS` order) to the reference table."""

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        # Imported here: the import's parser processes use `copy_text` without Django's models.
        from renkei.imports.models import Corporation

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

    # --- secondary indexes --------------------------------------------------------------------

    @property
    def secondary_indexes(self) -> dict[str, str]:
        return SECONDARY_INDEXES[self.vendor]

    def defer_indexes(self) -> bool:
        """Drop the secondary indexes if the table is empty (a first load), to be built once by
        `ensure_indexes`. Returns whether they were dropped."""
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {self.table})")  # noqa: S608
            if cursor.fetchone()[0]:
                return False
            for name in self.secondary_indexes:
                cursor.execute(f"DROP INDEX IF EXISTS {name}")
        return True

    def ensure_indexes(self) -> None:
        """Build the secondary indexes that are missing (after a deferred or a killed first
        load), in one transaction; a no-op when they exist."""
        with transaction.atomic(using=self.connection.alias), self.connection.cursor() as cursor:
            if self.vendor == "postgresql":
                cursor.execute(f"SET LOCAL maintenance_work_mem = '{INDEX_BUILD_MEMORY}'")
            for name, definition in self.secondary_indexes.items():
                cursor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {self.table} {definition}")

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
            f" RETURNING (xmax = 0) AS inserted),"
            # Empty the stage in the same statement (all parts see the rows as they were), not only
            # at commit: several batches may share one transaction (a caller's atomic block).
            f" emptied AS (DELETE FROM {STAGE_TABLE})"
            f" SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM upserted"
        )

    def _sqlite_sql(self) -> str:
        assignments, changed = self._set_and_where()
        # Names come from the model's metadata, values go as parameters.
        return f"{self._sqlite_insert_sql()} ON CONFLICT ({self.key}) DO UPDATE SET {assignments} WHERE {changed}"

    def _sqlite_insert_sql(self) -> str:
        columns = ", ".join(self.columns)
        placeholders = ", ".join(["%s"] * (len(self.columns) + 2))
        return f'INSERT INTO {self.table} ({columns}, "created_at", "updated_at") VALUES ({placeholders})'  # noqa: S608

    # --- writing -----------------------------------------------------------------------------

    def commit_without_flush_wait(self) -> None:
        """On PostgreSQL, let the current transaction's commit return before its WAL reaches the
        disk (`synchronous_commit = off`, this transaction only; ~30 ms saved per batch).

        Safe for an import: a killed import loses nothing that was committed (the server writes
        it); a crash of the server itself may lose the last batches committed in the previous
        few hundred milliseconds, but whole, together with the run's counters committed in the
        same transactions, so the database stays consistent and a rerun completes them."""
        if self.vendor == "postgresql":
            with self.connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")

    @property
    def takes_copy_text(self) -> bool:
        """Whether `upsert` also takes rows already formatted by `copy_text` (PostgreSQL)."""
        return self.vendor == "postgresql"

    def insert_new(self, rows: Sequence[tuple] | Sequence[str], now: dt.datetime) -> int:
        """Insert ROWS (as for `upsert`) as new records; return how many. Raises `AlreadyStored`
        when a corporate number is in the table already: the caller's transaction must then be
        rolled back (it is not usable any more; nothing of the batch is kept), and the batch
        upserted in a new one. No savepoint: two round trips fewer per batch.

        Cheaper than `upsert` (no stage, no look-up of each key, no comparison); a first load into
        an empty table is only this."""
        if not rows:
            return 0
        try:
            with self.connection.wrap_database_errors, self.connection.cursor() as cursor:
                if self.vendor == "postgresql":
                    self._copy_into_table(cursor, rows, now)
                else:
                    stamp = self.connection.ops.adapt_datetimefield_value(now)
                    cursor.executemany(self._sqlite_insert_sql(), [(*row, stamp, stamp) for row in rows])
        except IntegrityError as exc:
            raise AlreadyStored from exc
        return len(rows)

    def _copy_into_table(self, cursor, rows: Sequence[tuple] | Sequence[str], now: dt.datetime) -> None:
        columns = f'{", ".join(self.columns)}, "created_at", "updated_at"'
        with cursor.cursor.copy(f"COPY {self.table} ({columns}) FROM STDIN") as copy:
            if isinstance(rows[0], str):
                # Lines made by `copy_text`: a raw newline only ends a line (theirs are escaped).
                stamps = f"\t{now.isoformat()}\t{now.isoformat()}\n"
                copy.write("".join(rows).replace("\n", stamps))
            else:
                write_row = copy.write_row
                for row in rows:
                    write_row((*row, now, now))

    def upsert(self, rows: Sequence[tuple] | Sequence[str], now: dt.datetime) -> tuple[int, int, int]:
        """Insert or update ROWS (unique corporate numbers): tuples in `nta.FIELDS` order, or on
        PostgreSQL lines made by `copy_text`. Return (created, updated, unchanged)."""
        if not rows:
            return 0, 0, 0
        if self.vendor == "postgresql":
            created, updated = self._upsert_postgres(rows, now)
        else:
            created, updated = self._upsert_sqlite(rows, now)
        return created, updated, len(rows) - created - updated

    def _upsert_postgres(self, rows: Sequence[tuple] | Sequence[str], now: dt.datetime) -> tuple[int, int]:
        with self.connection.cursor() as cursor:
            self._copy_into_stage(cursor, rows)
            cursor.execute(self._sql, [now, now])
            created, updated = cursor.fetchone()
        return created, updated

    def _copy_into_stage(self, cursor, rows: Sequence[tuple] | Sequence[str]) -> None:
        # One per connection, emptied by the statement that reads it and at each commit. Asked
        # for at every batch: its creation may have been rolled back with an earlier one.
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {STAGE_TABLE} ON COMMIT DELETE ROWS AS"  # noqa: S608
            f" SELECT {', '.join(self.columns)} FROM {self.table} WITH NO DATA"
        )
        with cursor.cursor.copy(f"COPY {STAGE_TABLE} ({', '.join(self.columns)}) FROM STDIN") as copy:
            if isinstance(rows[0], str):
                copy.write("".join(rows))  # lines made by `copy_text`
            else:
                write_row = copy.write_row
                for row in rows:
                    write_row(row)

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
