"""Shared helpers of the import tests: the sample files and small file builders."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from renkei.imports.nta import ParseState, parse_corporation_rows

DATA = Path(__file__).parent / "data"
ZENKEN_UTF8 = DATA / "nta_houjin_zenken_unicode.csv"
ZENKEN_SJIS = DATA / "nta_houjin_zenken_sjis.csv"
SABUN_UTF8 = DATA / "nta_houjin_sabun_unicode.csv"
WEB_API = DATA / "nta_webapi_v4_type02.csv"

# The first row of the full-data sample, as text, to mutate in tests.
GOOD_ROW = ZENKEN_UTF8.read_text(encoding="utf-8").splitlines()[0]


def parse_bytes(data: bytes) -> tuple[list, ParseState]:
    state = ParseState()
    return list(parse_corporation_rows(io.BufferedReader(io.BytesIO(data)), state)), state


def with_cell(row: str, index: int, value: str) -> str:
    """ROW with its cell INDEX (0-based, on a naive split; the sample's quoted cells hold no comma
    before column 25) replaced by VALUE."""
    cells = row.split(",")
    cells[index] = value
    return ",".join(cells)


def zip_of(path: Path, members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path
