"""Batch matching: JSONL documents and queries in, a TREC run out.

The input checks follow the platform rule for imported files: every problem is reported
with its line number and reason, and nothing is written unless the whole input is valid.
"""

from __future__ import annotations

import codecs
import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .index import Document, EngineConfig, MatchIndex, Progress

MAX_TEXT_CHARS = 1_000_000
MAX_ERRORS_SHOWN = 10
EVIDENCE_KEYS = ("evidence", "n_projects")  # optional document keys read as Document.fields["evidence"]


class BatchInputError(ValueError):
    """An input file cannot be used; the message names the file, the line and the reason."""


@dataclass(frozen=True, slots=True)
class Query:
    id: str
    lang: str
    text: str


_BOMS = {
    codecs.BOM_UTF32_LE: "UTF-32",
    codecs.BOM_UTF32_BE: "UTF-32",
    codecs.BOM_UTF16_LE: "UTF-16",
    codecs.BOM_UTF16_BE: "UTF-16",
}


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    """(line number, text) of the non-blank lines; UTF-8 only (a UTF-8 BOM is tolerated)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise BatchInputError(f"{path}: no such file") from None
    except OSError as exc:
        raise BatchInputError(f"{path}: cannot read ({exc.strerror})") from None
    for bom, name in _BOMS.items():
        if raw.startswith(bom):
            raise BatchInputError(f"{path}: the file is {name}-encoded; save it as UTF-8 (one JSON object per line)")
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    if not raw.strip():
        raise BatchInputError(f"{path}: the file is empty")
    for number, line in enumerate(raw.split(b"\n"), 1):
        if not line.strip():
            continue
        try:
            yield number, line.decode("utf-8")
        except UnicodeDecodeError as exc:
            guess = _guess_encoding(line)
            hint = f" (it looks like {guess})" if guess else ""
            raise BatchInputError(
                f"{path}, line {number}: not valid UTF-8 at byte {exc.start + 1}{hint}; save the file as UTF-8"
            ) from None


def _guess_encoding(line: bytes) -> str | None:
    for name in ("shift_jis", "euc_jp", "cp1252"):
        try:
            line.decode(name)
        except UnicodeDecodeError:
            continue
        return name.replace("_", "-").upper()
    return None


def _objects(path: Path, required: tuple[str, ...], optional: tuple[str, ...]) -> Iterator[tuple[int, dict[str, Any]]]:
    errors: list[str] = []
    seen: dict[str, int] = {}
    count = 0
    for number, line in _lines(path):
        where = f"{path}, line {number}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(f"{where}: not valid JSON ({exc.msg} at column {exc.colno})")
            continue
        if not isinstance(data, dict):
            errors.append(f"{where}: expected a JSON object, found {type(data).__name__}")
            continue
        missing = [k for k in required if k not in data]
        if missing:
            errors.append(f"{where}: missing key{'s' if len(missing) > 1 else ''} {', '.join(map(repr, missing))}")
            continue
        problem = _check_values(data, required + optional)
        if problem:
            errors.append(f"{where}: {problem}")
            continue
        doc_id = str(data["id"])
        if doc_id in seen:
            errors.append(f"{where}: id {doc_id!r} already used on line {seen[doc_id]}")
            continue
        seen[doc_id] = number
        count += 1
        if len(errors) >= MAX_ERRORS_SHOWN:
            break
        yield number, data
    if errors:
        more = "" if len(errors) < MAX_ERRORS_SHOWN else "\n(stopped after the first errors)"
        raise BatchInputError("\n".join(errors) + more)
    if count == 0:
        raise BatchInputError(f"{path}: the file holds no JSON objects")


def _check_values(data: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    value = data.get("id")
    if isinstance(value, bool) or not isinstance(value, str | int):
        return f"'id' must be a string, found {type(value).__name__}"
    if not str(value).strip() or any(c.isspace() for c in str(value)):
        return f"'id' must be non-empty and contain no spaces (TREC run format), found {str(value)!r}"
    for key in keys:
        if key == "id" or key not in data:
            continue
        value = data[key]
        if key in EVIDENCE_KEYS:
            if value is not None and (isinstance(value, bool) or not isinstance(value, int | float) or value < 0):
                return f"{key!r} must be a number of at least 0, found {value!r}"
            continue
        if key == "keywords":
            if value is not None and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
                return "'keywords' must be a list of strings"
            continue
        if value is None and key != "text":
            continue
        if not isinstance(value, str):
            return f"{key!r} must be a string, found {type(value).__name__}"
        if len(value) > MAX_TEXT_CHARS:
            return f"{key!r} is {len(value):,} characters long; the limit is {MAX_TEXT_CHARS:,}"
    return None


def read_documents(path: str | os.PathLike[str]) -> list[Document]:
    """Documents from JSONL: ``{"id", "lang", "title", "text"}`` (+ optional ``keywords``, and
    ``evidence``: how many records stand behind the document, e.g. a partner's projects;
    bench-dev's ``n_projects`` is read as the same). Fusion uses the evidence (fusion.py)."""
    docs = []
    path = Path(path)
    for number, data in _objects(path, ("id", "lang", "title", "text"), ("keywords", *EVIDENCE_KEYS)):
        if not (data["text"].strip() or data["title"].strip()):
            raise BatchInputError(f"{path}, line {number}: 'title' and 'text' are both empty")
        docs.append(
            Document(
                id=str(data["id"]),
                lang=data["lang"] or "",
                title=data["title"] or "",
                text=data["text"],
                keywords=tuple(data.get("keywords") or ()),
                fields=_evidence(data),
            )
        )
    return docs


def _evidence(data: dict[str, Any]) -> dict[str, float]:
    for key in EVIDENCE_KEYS:
        if data.get(key) is not None:
            return {"evidence": float(data[key])}
    return {}


def read_queries(path: str | os.PathLike[str]) -> list[Query]:
    """Queries from JSONL: ``{"id", "lang", "text"}``."""
    queries = []
    path = Path(path)
    for number, data in _objects(path, ("id", "lang", "text"), ()):
        if not data["text"].strip():
            raise BatchInputError(f"{path}, line {number}: 'text' is empty")
        queries.append(Query(str(data["id"]), data["lang"] or "", data["text"]))
    return queries


def run_batch(
    docs_path: str | os.PathLike[str],
    queries_path: str | os.PathLike[str],
    out_path: str | os.PathLike[str],
    *,
    top: int = 100,
    mode: str = "hybrid",
    tag: str = "renkei",
    config: EngineConfig | None = None,
    progress: Progress | None = None,
    index: MatchIndex | None = None,
) -> tuple[int, int]:
    """Rank the documents for every query and write a TREC run; returns (#docs, #queries)."""
    if any(c.isspace() for c in tag) or not tag:
        raise BatchInputError(f"the run tag must be one word, not {tag!r}")
    if top < 1:
        raise BatchInputError("--top must be at least 1")
    queries = read_queries(queries_path)
    if index is None:
        docs = read_documents(docs_path)
        index = MatchIndex.build(docs, config, progress=progress)
    results = index.search_many([q.text for q in queries], top=top, mode=mode, explain=False, progress=progress)
    write_run(out_path, queries, results, tag)
    return len(index), len(queries)


def write_run(out_path: str | os.PathLike[str], queries: list[Query], results: list[list[Any]], tag: str) -> None:
    """Write ``qid Q0 docid rank score tag`` lines atomically (no half-written run on failure)."""
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}-", dir=out.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            for query, matches in zip(queries, results, strict=True):
                for m in matches:
                    f.write(f"{query.id} Q0 {m.id} {m.rank} {m.score:.6f} {tag}\n")
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
