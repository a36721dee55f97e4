"""Where indexes live: ``$RENKEI_DATA_DIR/indexes/<name>/``."""

from __future__ import annotations

from pathlib import Path

DEFAULT_INDEX = "platform"


def index_dir(name: str = DEFAULT_INDEX) -> Path:
    from django.conf import settings

    if not name or "/" in name or name.startswith("."):
        raise ValueError(f"bad index name {name!r}")
    return Path(settings.DATA_DIR) / "indexes" / name


def default_index_dir() -> Path:
    """The platform index that the seeds/needs pages maintain (it may not exist yet)."""
    return index_dir(DEFAULT_INDEX)
