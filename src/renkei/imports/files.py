"""Opening an import file safely: size limits, zip archives (and zip bombs), text encodings.

Every importer reads its file through `open_import_file`, which yields a binary stream of the
data itself (the CSV inside a zip, or the file as it is) and refuses, with a message that says
why, a file over the size limit, a zip holding too many members, a member whose declared size or
compression ratio is out of bounds, or a damaged archive. Limits come from settings so that an
operator can raise them (IMPORT_MAX_FILE_BYTES, IMPORT_MAX_UNCOMPRESSED_BYTES,
IMPORT_MAX_COMPRESSION_RATIO, IMPORT_MAX_ZIP_MEMBERS).
"""

from __future__ import annotations

import codecs
import hashlib
import io
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.conf import settings

GIB = 1024**3
# The national 全件 zip is about 255 MB and its CSV about 1.5–2.5 GB; leave headroom.
DEFAULT_MAX_FILE_BYTES = 4 * GIB
DEFAULT_MAX_UNCOMPRESSED_BYTES = 8 * GIB
# Real CSV compresses 5–15 times; a zip bomb a thousand times or more.
DEFAULT_MAX_COMPRESSION_RATIO = 100
DEFAULT_MAX_ZIP_MEMBERS = 16
# Members that travel with the data and are not read: NTA signs each zip with an OpenPGP .asc.
IGNORED_SUFFIXES = (".asc", ".sig", ".txt", ".pdf", ".md")


class ImportFileError(Exception):
    """The file cannot be imported at all (as opposed to a bad row, which is rejected)."""


@dataclass
class LimitSettings:
    max_file_bytes: int
    max_uncompressed_bytes: int
    max_compression_ratio: float
    max_zip_members: int

    @classmethod
    def from_settings(cls) -> LimitSettings:
        return cls(
            max_file_bytes=getattr(settings, "IMPORT_MAX_FILE_BYTES", DEFAULT_MAX_FILE_BYTES),
            max_uncompressed_bytes=getattr(settings, "IMPORT_MAX_UNCOMPRESSED_BYTES", DEFAULT_MAX_UNCOMPRESSED_BYTES),
            max_compression_ratio=getattr(settings, "IMPORT_MAX_COMPRESSION_RATIO", DEFAULT_MAX_COMPRESSION_RATIO),
            max_zip_members=getattr(settings, "IMPORT_MAX_ZIP_MEMBERS", DEFAULT_MAX_ZIP_MEMBERS),
        )


@dataclass
class OpenedFile:
    """The data stream of an import file and what is known about it."""

    stream: BinaryIO
    member: str  # the zip member read, or "" for a plain file
    size_on_disk: int
    # Position in the file on disk (the compressed position for a zip), for progress bars.
    position: callable  # type: ignore[valid-type]


def _human(size: float) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:,.0f} {unit}" if unit == "bytes" else f"{size:,.1f} {unit}"
        size /= 1024
    return f"{size:,.1f} GiB"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise ImportFileError(f"{path}: cannot be read ({exc.strerror}).") from None
    with handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


class _LimitedReader(io.RawIOBase):
    """Reads a zip member and stops with ImportFileError once more bytes come out than allowed:
    the declared size can lie, so the bytes actually produced are what is checked."""

    def __init__(self, member: BinaryIO, limit: int, name: str) -> None:
        self._member = member
        self._limit = limit
        self._name = name
        self.produced = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        try:
            data = self._member.read(len(buffer))
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            raise ImportFileError(
                f"The zip member {self._name} is damaged or truncated after {_human(self.produced)}: {exc}"
            ) from None
        self.produced += len(data)
        if self.produced > self._limit:
            raise ImportFileError(
                f"The zip member {self._name} expands beyond {_human(self._limit)}; refused as a possible zip bomb."
            )
        buffer[: len(data)] = data
        return len(data)


def _choose_member(archive: zipfile.ZipFile, limits: LimitSettings, name: str) -> zipfile.ZipInfo:
    members = archive.infolist()
    if len(members) > limits.max_zip_members:
        raise ImportFileError(
            f"{name} holds {len(members):,} files; at most {limits.max_zip_members} are accepted in one zip."
        )
    data = [m for m in members if not m.is_dir() and not m.filename.lower().endswith(IGNORED_SUFFIXES)]
    if not data:
        raise ImportFileError(
            f"{name} holds no data file (only {', '.join(m.filename for m in members) or 'nothing'})."
        )
    if len(data) > 1:
        listed = ", ".join(m.filename for m in data[:5])
        raise ImportFileError(f"{name} holds {len(data)} data files ({listed}); import them one at a time.")
    member = data[0]
    if member.flag_bits & 0x1:
        raise ImportFileError(f"{name}: the member {member.filename} is encrypted.")
    if member.file_size > limits.max_uncompressed_bytes:
        raise ImportFileError(
            f"{name}: the member {member.filename} declares {_human(member.file_size)} uncompressed; "
            f"the limit is {_human(limits.max_uncompressed_bytes)}."
        )
    ratio = member.file_size / max(member.compress_size, 1)
    if ratio > limits.max_compression_ratio:
        raise ImportFileError(
            f"{name}: the member {member.filename} is compressed {ratio:,.0f} to 1 (limit "
            f"{limits.max_compression_ratio:,.0f} to 1); refused as a possible zip bomb."
        )
    return member


def check_file_size(path: Path, limits: LimitSettings | None = None) -> int:
    """The size of PATH in bytes; ImportFileError if it is missing, unreadable or over the limit."""
    limits = limits or LimitSettings.from_settings()
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ImportFileError(f"{path}: no such file.") from None
    except OSError as exc:
        raise ImportFileError(f"{path}: cannot be read ({exc.strerror}).") from None
    if not path.is_file():
        raise ImportFileError(f"{path}: not a regular file.")
    if size > limits.max_file_bytes:
        raise ImportFileError(
            f"{path.name} is {_human(size)}; the limit is {_human(limits.max_file_bytes)} (IMPORT_MAX_FILE_BYTES)."
        )
    return size


@contextmanager
def open_import_file(path: str | Path, limits: LimitSettings | None = None) -> Iterator[OpenedFile]:
    """Open PATH for reading its data, unzipping it on the fly when it is a zip archive.

    1. Refuse a missing, unreadable or over-sized file.
    2. A zip archive: check the member count, pick the one data member (skipping signatures),
       check its declared size and compression ratio, and stream it, counting the bytes it
       really produces against both limits.
    3. Anything else is read as it is.
    """
    limits = limits or LimitSettings.from_settings()
    path = Path(path)
    size = check_file_size(path, limits)
    try:
        raw = path.open("rb", buffering=1024 * 1024)  # peek() then sees the first 64 KB
    except OSError as exc:
        raise ImportFileError(f"{path}: cannot be read ({exc.strerror}).") from None
    with raw:
        if zipfile.is_zipfile(raw):
            raw.seek(0)
            try:
                archive = zipfile.ZipFile(raw)
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
                raise ImportFileError(f"{path.name} is not a readable zip archive: {exc}") from None
            with archive:
                member = _choose_member(archive, limits, path.name)
                limit = min(
                    limits.max_uncompressed_bytes,
                    # The bytes produced may not exceed what the ratio allows either.
                    int(max(member.compress_size, 1) * limits.max_compression_ratio),
                )
                try:
                    inner = archive.open(member)
                except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as exc:
                    raise ImportFileError(f"{path.name}: cannot open {member.filename}: {exc}") from None
                with inner:
                    reader = io.BufferedReader(_LimitedReader(inner, limit, member.filename), 1024 * 1024)
                    yield OpenedFile(reader, member.filename, size, raw.tell)
        else:
            raw.seek(0)
            yield OpenedFile(raw, "", size, raw.tell)


# --- encodings -----------------------------------------------------------------------------

UTF8_BOM = codecs.BOM_UTF8


def _decodes(line: bytes, encoding: str) -> bool:
    try:
        line.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(head: bytes, complete: bool = False) -> str:
    """The encoding of a file from its first bytes: UTF-8 (with or without a byte-order mark)
    or Shift_JIS, read as cp932 (Microsoft's superset, which is what NTA and Excel write).

    Judged line by line over the lines holding non-ASCII bytes, so that one damaged line does
    not decide for the file (it is rejected on its own later). UTF-8 wins a tie: cp932 decodes
    many byte sequences, UTF-8 very few by accident. COMPLETE says HEAD is the whole file (its
    last line is not cut short).
    """
    if head.startswith(UTF8_BOM):
        return "utf-8-sig"
    lines = head.split(b"\n")
    if not complete and len(lines) > 1:
        lines = lines[:-1]  # possibly cut in the middle of a character
    non_ascii = [line for line in lines if not line.isascii()]
    if not non_ascii:
        return "utf-8"
    utf8 = sum(_decodes(line, "utf-8") for line in non_ascii)
    cp932 = sum(_decodes(line, "cp932") for line in non_ascii)
    if utf8 and utf8 >= cp932:
        return "utf-8"
    if cp932:
        return "cp932"
    raise ImportFileError(
        "The file is neither UTF-8 nor Shift_JIS (cp932) text; NTA publishes the CSV in these two encodings."
    )
