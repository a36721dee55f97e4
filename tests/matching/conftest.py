from __future__ import annotations

import json
from pathlib import Path

import pytest

from renkei.matching.engine import Document, Embedder, MatchIndex

DATA = Path(__file__).parent / "data"


def load_crosslingual() -> list[dict]:
    with (DATA / "crosslingual.jsonl").open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def as_document(row: dict) -> Document:
    return Document(
        id=f"{row['kind']}-{row['topic']}-{row['lang']}", lang=row["lang"], title=row["title"], text=row["text"]
    )


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """One in-process embedder for the whole session: the model loads once (a few seconds)."""
    embedder = Embedder(workers=1)
    embedder.encode(["warm up"])
    return embedder


@pytest.fixture(scope="session")
def crosslingual() -> list[dict]:
    return load_crosslingual()


@pytest.fixture(scope="session")
def seed_index(embedder: Embedder, crosslingual: list[dict]) -> MatchIndex:
    """Every seed of the fixed JA/EN set, both languages in one index."""
    return MatchIndex.build([as_document(r) for r in crosslingual if r["kind"] == "seed"], embedder=embedder)
