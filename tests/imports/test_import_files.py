"""Opening import files: zips as published (with their signature), and the files that must be
refused whole — too big, zip bombs, too many members, damaged archives."""

from __future__ import annotations

import zipfile

import pytest

from renkei.imports.files import ImportFileError, LimitSettings, open_import_file
from renkei.imports.nta import CorporationRow, parse_corporation_rows
from renkei.imports.synthetic import corporation_lines

from .helpers import ZENKEN_SJIS, ZENKEN_UTF8, zip_of

LIMITS = LimitSettings(
    max_file_bytes=10_000_000, max_uncompressed_bytes=50_000_000, max_compression_ratio=100, max_zip_members=16
)


def read_all(path, limits=LIMITS) -> list:
    with open_import_file(path, limits) as opened:
        return list(parse_corporation_rows(opened.stream))


def test_it_streams_the_csv_out_of_a_zip_and_skips_the_signature(tmp_path):
    archive = zip_of(
        tmp_path / "13_tokyo_all_20240628.zip",
        {"13_tokyo_all_20240628.csv": ZENKEN_SJIS.read_bytes(), "13_tokyo_all_20240628.asc": b"-----BEGIN PGP"},
    )

    rows = read_all(archive)

    assert len(rows) == 5 and all(isinstance(r, CorporationRow) for r in rows)
    assert rows[0].values[5] == "株式会社みらい精工"


def test_it_reads_a_plain_csv_as_it_is():
    assert len(read_all(ZENKEN_UTF8)) == 5


def test_a_file_over_the_size_limit_is_refused_before_reading(tmp_path):
    big = tmp_path / "big.csv"
    big.write_bytes(b"x" * 2_000)
    limits = LimitSettings(1_000, 50_000_000, 100, 16)

    with pytest.raises(ImportFileError, match=r"big.csv is 2.0 KiB; the limit is 1,000 bytes"):
        read_all(big, limits)


def test_a_zip_bomb_is_refused_by_its_compression_ratio(tmp_path):
    bomb = zip_of(tmp_path / "bomb.zip", {"data.csv": b"0" * 20_000_000})

    with pytest.raises(ImportFileError, match="possible zip bomb"):
        read_all(bomb)


def test_a_member_declaring_more_than_the_uncompressed_limit_is_refused(tmp_path):
    archive = zip_of(tmp_path / "huge.zip", {"data.csv": ZENKEN_UTF8.read_bytes() * 50}, zipfile.ZIP_STORED)
    limits = LimitSettings(10_000_000, 10_000, 100, 16)

    with pytest.raises(ImportFileError, match="declares .* uncompressed; the limit is"):
        read_all(archive, limits)


def test_a_member_that_produces_more_than_it_declares_is_stopped(tmp_path):
    path = zip_of(tmp_path / "liar.zip", {"data.csv": ZENKEN_UTF8.read_bytes() * 200}, zipfile.ZIP_STORED)
    # Rewrite the declared sizes in both headers to claim a tiny member.
    data = bytearray(path.read_bytes())
    real = len(ZENKEN_UTF8.read_bytes() * 200).to_bytes(4, "little")
    data = data.replace(real + real, (100).to_bytes(4, "little") * 2)
    path.write_bytes(bytes(data))

    with pytest.raises(ImportFileError):
        read_all(path, LimitSettings(10_000_000, 10_000_000, 100, 16))


def test_a_zip_with_too_many_members_is_refused(tmp_path):
    archive = zip_of(tmp_path / "many.zip", {f"{n}.txt": b"x" for n in range(20)})

    with pytest.raises(ImportFileError, match="holds 20 files; at most 16"):
        read_all(archive)


def test_a_zip_with_two_csv_files_asks_for_one_at_a_time(tmp_path):
    archive = zip_of(tmp_path / "two.zip", {"a.csv": b"1", "b.csv": b"2"})

    with pytest.raises(ImportFileError, match="holds 2 data files"):
        read_all(archive)


def test_a_zip_holding_only_a_signature_is_refused(tmp_path):
    archive = zip_of(tmp_path / "sig.zip", {"a.asc": b"sig"})

    with pytest.raises(ImportFileError, match="holds no data file"):
        read_all(archive)


def test_a_truncated_zip_is_refused_with_a_clear_message(tmp_path):
    whole = zip_of(tmp_path / "whole.zip", {"data.csv": ZENKEN_UTF8.read_bytes() * 100})
    cut = tmp_path / "cut.zip"
    cut.write_bytes(whole.read_bytes()[:400])

    # Without its central directory a zip is not recognised as one, so it is read as text and
    # the compressed bytes are refused as text in neither encoding (or as not this layout).
    with pytest.raises(ImportFileError):
        read_all(cut)


def test_a_zip_damaged_in_the_middle_is_refused_with_a_clear_message(tmp_path):
    rows = "".join(corporation_lines(3000)).encode()
    path = zip_of(tmp_path / "damaged.zip", {"data.csv": rows})
    data = bytearray(path.read_bytes())
    for offset in range(20_000, 20_400):
        data[offset] ^= 0x5A
    path.write_bytes(bytes(data))

    with pytest.raises(ImportFileError, match="damaged or truncated"):
        read_all(path)


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(ImportFileError, match="no such file"):
        read_all(tmp_path / "nothing.zip")


def test_a_folder_is_not_a_file(tmp_path):
    with pytest.raises(ImportFileError, match="not a regular file"):
        read_all(tmp_path)
