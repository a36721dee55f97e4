"""The bulk loader's PostgreSQL fast path: rows formatted as COPY text by the parser thread are
stored exactly as the same rows adapted by the driver, and the secondary indexes dropped for a
first load into an empty table are always there again when an import ends."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.forms.models import model_to_dict
from django.utils import timezone
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from renkei.imports.files import ImportFileError
from renkei.imports.loader import SECONDARY_INDEXES, CorporationLoader, copy_text
from renkei.imports.models import Corporation
from renkei.imports.nta import CorporationRow
from renkei.imports.services import do_import_corporations
from renkei.imports.synthetic import corporate_number

from .helpers import SABUN_UTF8, ZENKEN_SJIS, ZENKEN_UTF8, parse_bytes
from .test_parser_properties import GOOD_CELLS, csv_line, one_line_text

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's COPY path")

# Text that COPY's text format must escape, or that looks like its markers.
copy_tricky_text = st.one_of(
    one_line_text,
    st.sampled_from(["\\", "\\N", "\\t", "a\tb", "\\\\N", "x\\", "\t", "N", "t", "f", ""]),
)


def _indexes() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'imports_corporation'")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'imports_corporation'")
        return {name for (name,) in cursor.fetchall()}


def _stored(number: str) -> dict:
    return model_to_dict(Corporation.objects.get(pk=number), exclude=["created_at", "updated_at"])


class _Rollback(Exception):
    pass


def _store_both_ways(row: CorporationRow) -> tuple[dict, dict]:
    """The record stored from ROW's values adapted by the driver, then from its COPY text line."""
    loader = CorporationLoader(connection)
    stored = []
    for rows in ([row.values], [copy_text(row.values)]):
        try:
            with transaction.atomic():
                assert loader.upsert(rows, timezone.now()) == (1, 0, 0)
                stored.append(_stored(row.corporate_number))
                raise _Rollback
        except _Rollback:
            pass
    return stored[0], stored[1]


@postgres_only
@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(copy_tricky_text, min_size=4, max_size=4), base=st.integers(0, 10**12 - 1))
def test_copy_text_stores_any_accepted_text_as_the_driver_does(texts, base):
    cells = list(GOOD_CELLS)
    cells[1] = corporate_number(base)
    cells[6], cells[11], cells[21], cells[24] = texts
    try:
        outcomes, _ = parse_bytes(csv_line(cells).encode("utf-8"))
    except ImportFileError:
        outcomes = []
    assume(outcomes and isinstance(outcomes[0], CorporationRow))
    by_driver, by_copy_text = _store_both_ways(outcomes[0])
    assert by_copy_text == by_driver
    assert (by_copy_text["name"], by_copy_text["street_number"]) == (texts[0], texts[1])


TEXT_COLUMNS = (6, 9, 10, 11, 16, 21, 24, 25, 26, 27, 28)
DATE_COLUMNS = (4, 5, 18, 22)
FLAG_COLUMNS = (3, 23, 29)


@postgres_only
@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    texts=st.dictionaries(st.sampled_from(TEXT_COLUMNS), copy_tricky_text),
    dates=st.dictionaries(st.sampled_from(DATE_COLUMNS), st.sampled_from(["", "2024-02-29", "1999-12-31"])),
    flags=st.dictionaries(st.sampled_from(FLAG_COLUMNS), st.sampled_from(["", "0", "1"])),
    columns=st.integers(24, 30),
)
def test_copy_text_stores_varied_rows_as_the_driver_does(texts, dates, flags, columns):
    cells = list(GOOD_CELLS)
    for changes in (texts, dates, flags):
        for index, value in changes.items():
            cells[index] = value
    cells = cells[:columns]
    try:
        outcomes, _ = parse_bytes(csv_line(cells).encode("utf-8"))
    except ImportFileError:
        outcomes = []
    assume(outcomes and isinstance(outcomes[0], CorporationRow))
    by_driver, by_copy_text = _store_both_ways(outcomes[0])
    assert by_copy_text == by_driver


@postgres_only
@pytest.mark.django_db
def test_the_sample_files_import_alike_through_copy_text_and_the_driver():
    loader = CorporationLoader(connection)
    for path in (ZENKEN_UTF8, ZENKEN_SJIS, SABUN_UTF8):
        rows = [o for o in parse_bytes(path.read_bytes())[0] if isinstance(o, CorporationRow)]
        latest = {row.corporate_number: row.values for row in rows if row.latest}
        stored = []
        for batch in (list(latest.values()), [copy_text(values) for values in latest.values()]):
            try:
                with transaction.atomic():
                    Corporation.objects.all().delete()
                    assert loader.upsert(batch, timezone.now()) == (len(latest), 0, 0)
                    stored.append([_stored(number) for number in sorted(latest)])
                    raise _Rollback
            except _Rollback:
                pass
        assert stored[0] == stored[1]


@pytest.mark.django_db
def test_a_first_load_rebuilds_the_indexes_it_dropped(tmp_path):
    assert not Corporation.objects.exists()
    assert set(SECONDARY_INDEXES[connection.vendor]) <= _indexes()

    run = do_import_corporations(ZENKEN_UTF8, batch_size=3)

    assert run.created > 0
    assert set(SECONDARY_INDEXES[connection.vendor]) <= _indexes()
    # A second import into the filled table leaves them in place (nothing to defer).
    assert not CorporationLoader(connection).defer_indexes()
    assert set(SECONDARY_INDEXES[connection.vendor]) <= _indexes()


@pytest.mark.django_db
def test_a_failed_first_load_rebuilds_the_indexes_too(tmp_path):
    not_nta = tmp_path / "other.csv"
    not_nta.write_text("a,b,c\n" * 30, encoding="utf-8")

    with pytest.raises(ImportFileError):
        do_import_corporations(not_nta)

    assert set(SECONDARY_INDEXES[connection.vendor]) <= _indexes()


@pytest.mark.django_db
def test_indexes_left_missing_by_a_killed_load_are_built_by_the_next_import():
    do_import_corporations(ZENKEN_UTF8)
    with connection.cursor() as cursor:  # as a run killed after its first batches leaves them
        for name in SECONDARY_INDEXES[connection.vendor]:
            cursor.execute(f"DROP INDEX {name}")

    run = do_import_corporations(ZENKEN_UTF8)

    assert run.created == 0
    assert set(SECONDARY_INDEXES[connection.vendor]) <= _indexes()


@pytest.mark.django_db
def test_only_postgresql_takes_copy_text():
    assert CorporationLoader(connection).takes_copy_text == (connection.vendor == "postgresql")
