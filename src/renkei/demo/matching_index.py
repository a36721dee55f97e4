"""The demo's matching index: whether the saved index matches the database, and building it.

The demo loader writes seeds, needs and organisations with bulk_create, which does not touch the
index, so `renkei demo` builds the index once after loading (the same `indexing.rebuild` as
`renkei reindex`) and skips it on later runs while the saved index still holds exactly the
documents the database gives.
"""

from __future__ import annotations

from collections.abc import Callable

from renkei.matching import indexing
from renkei.matching.engine import Embedder, EngineConfig, MatchIndex, MatchIndexError

IndexProgress = Callable[[str, int, int | None], None]  # (stage, advance, total once at the start)


def index_is_current() -> tuple[bool, int]:
    """Whether the saved platform index holds exactly the documents the database gives now,
    built with the current engine settings; and how many documents it holds (0 when none).

    Documents are compared whole (title, text, keywords, language), so an edit the index missed
    counts as well as a row added or deleted. This reads the index and the rows, no model."""
    try:
        index = MatchIndex.load(indexing.index_path(), embedder=Embedder(workers=1), with_journal=True)
    except (MatchIndexError, FileNotFoundError, ValueError, TypeError):
        return False, 0
    stored = {doc.id: doc for doc in index.documents if doc is not None}
    if index.config != EngineConfig():
        return False, len(stored)
    wanted = {doc.id: doc for doc in indexing.all_documents()}
    return stored == wanted, len(stored)


def do_build_index(progress: IndexProgress | None = None, workers: int | None = None) -> int:
    """Build the platform index from the database (as `renkei reindex`); returns the document count."""
    embedder = Embedder(workers=workers)
    try:
        return indexing.rebuild(progress=progress, embedder=embedder)
    finally:
        embedder.close()
