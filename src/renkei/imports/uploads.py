"""Receiving an import file through the web: streamed to `DATA_DIR/uploads/`, the size limit
enforced while the bytes arrive.

Django's default handlers first keep the whole file in memory or a temporary file and only then
hand it to the view. `ImportUploadHandler` instead writes each chunk straight to its final place
and counts it: once the file passes IMPORT_MAX_FILE_BYTES it deletes what it wrote and skips the
rest of the file, so an over-sized upload never fills the disk and nothing of it is kept. The
view asks the handler whether that happened and says so.

Uploaded files are read by the import job, possibly in a worker on another machine: DATA_DIR must
then be a shared volume (docs/jobs.md). The job deletes the file when it has finished.
"""

from __future__ import annotations

import contextlib
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile

from renkei.imports.files import LimitSettings

UPLOAD_FIELD = "file"
# Suffixes kept on the stored name (the importer itself recognises a zip by its content).
KEPT_SUFFIXES = {".csv", ".zip", ".txt", ".json", ".jsonl", ".xml"}


def upload_dir() -> Path:
    return Path(settings.DATA_DIR) / "uploads"


def is_upload_path(path: Path) -> bool:
    """True when PATH is a file directly inside the upload directory (job parameters are checked
    with this before a file is opened or deleted)."""
    try:
        return path.resolve().parent == upload_dir().resolve()
    except OSError:
        return False


def discard_upload(path: Path) -> None:
    """Delete an uploaded file (only ever one in the upload directory)."""
    if is_upload_path(path):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


class StoredUpload(UploadedFile):
    """An upload already written to its place in the upload directory (`path`)."""

    def __init__(self, path: Path, name: str, size: int, content_type: str | None) -> None:
        super().__init__(file=None, name=name, content_type=content_type, size=size)
        self.path = path

    def open(self, mode: str = "rb"):  # type: ignore[override]
        self.file = self.path.open(mode)
        return self

    def close(self) -> None:
        if self.file is not None:
            self.file.close()


class ImportUploadHandler(FileUploadHandler):
    """Streams the `file` field of the request to the upload directory, at most `max_bytes`.

    Other file fields are ignored (skipped). After parsing, `too_large` says whether the file
    was refused for its size (then nothing of it is left on disk)."""

    def __init__(self, request=None, max_bytes: int | None = None) -> None:
        super().__init__(request)
        self.max_bytes = max_bytes if max_bytes is not None else LimitSettings.from_settings().max_file_bytes
        self.too_large = False
        self.received = 0
        self._path: Path | None = None
        self._handle = None

    def new_file(self, field_name, file_name, content_type, content_length, charset=None, content_type_extra=None):
        super().new_file(field_name, file_name, content_type, content_length, charset, content_type_extra)
        if field_name != UPLOAD_FIELD or self._path is not None:
            raise SkipFile()
        directory = upload_dir()
        directory.mkdir(parents=True, exist_ok=True)
        suffix = Path(file_name or "").suffix.lower()
        self._path = directory / f"{uuid.uuid4().hex}{suffix if suffix in KEPT_SUFFIXES else ''}"
        self._handle = self._path.open("xb")
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if self._handle is None:
            return None
        self.received += len(raw_data)
        if self.received > self.max_bytes:
            self.too_large = True
            self._discard()
            raise SkipFile()
        self._handle.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if self._handle is None or self._path is None:
            return None
        self._handle.close()
        self._handle = None
        return StoredUpload(self._path, self.file_name or self._path.name, self.received, self.content_type)

    def upload_interrupted(self) -> None:
        self.discard()

    def discard(self) -> None:
        """Delete what this handler wrote (the view calls it when no job takes the file)."""
        self._discard()

    def _discard(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None
        if self._path is not None:
            discard_upload(self._path)
