"""The matching index: documents, their BM25 terms and vectors, hybrid search with explanations.

One ``MatchIndex`` serves the web pages, the API, ``renkei match`` and ``renkei match-batch``:
all of them call ``search_many`` (``search`` is the one-query case), so the ranking is the same
code everywhere. Visibility is the caller's business and enters as ``allow``: the document ids
the user may see, or a boolean mask over positions (``field_mask``; the site's search builds
one, search.allow_mask). Every stage (BM25, vectors, fusion) honours it, and the final list is
checked against it once more, so a hidden document can never be returned.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Collection, Iterable, Sequence, Sized
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import numpy as np

from . import fusion, journal
from .dense import EMBED_BATCH, MODEL_NAME, Embedder, VectorStore
from .explain import Explanation, QueryTerms, explain
from .glosses import GLOSS_PREFIX, with_glosses
from .journal import Addition, Change
from .lexical import LexicalIndex
from .overlay import shared_copy
from .text import BIGRAM_PREFIX, has_japanese, index_terms, normalize, split_passages

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DOCS_FILE = "documents.jsonl"
MODES = ("hybrid", "bm25", "dense")
BUILD_CHUNK = 2000  # documents analysed and embedded per step of a build

Progress = Callable[[str, int, int | None], None]
"""progress(stage, advance, total): ``total`` is given once when a stage starts."""


@dataclass(frozen=True, slots=True)
class Document:
    """A seed, need, capability or profile as the engine sees it."""

    id: str
    lang: str = ""
    title: str = ""
    text: str = ""
    keywords: tuple[str, ...] = ()
    fields: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        # Field by field, not dataclasses.asdict, which deep-copies every value (~5 s per 100k
        # documents in a save or a merge). ``fields`` is shared, not copied: callers serialise
        # the result or read it (``from_json`` copies).
        return {
            "id": self.id,
            "lang": self.lang,
            "title": self.title,
            "text": self.text,
            "keywords": list(self.keywords),
            "fields": self.fields,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Document:
        return cls(
            id=str(data["id"]),
            lang=data.get("lang", ""),
            title=data.get("title", ""),
            text=data.get("text", ""),
            keywords=tuple(data.get("keywords") or ()),
            fields=dict(data.get("fields") or {}),
        )


# Numeric settings EngineConfig checks: whole numbers with their lowest values; shares in (0, 1];
# numbers of 0 or more (``b`` also at most 1).
_WHOLE_NUMBERS = {
    **dict.fromkeys(("title_weight", "keywords_weight", "body_weight", "bigram_cut_from"), 0),
    **dict.fromkeys(
        (
            "candidates",
            "dense_chars",
            "passage_chars",
            "max_passages",
            "dense_budget",
            "dense_budget_ja",
            "rrf_k",
            "ann_threshold",
        ),
        1,
    ),
}
_SHARES = ("query_max_df", "query_bigram_max_df")
_NON_NEGATIVE = ("k1", "b", "lexical_weight", "dense_weight")


@dataclass(frozen=True)
class EngineConfig:
    """Everything that shapes the ranking. Defaults are the values tuned on bench-dev."""

    # BM25: field weights by repeating a field's terms; Lucene BM25 parameters.
    title_weight: int = 1
    keywords_weight: int = 2
    body_weight: int = 1
    k1: float = 1.2
    b: float = 0.75
    query_unique_terms: bool = False
    # Query terms found in more than this share of the documents are not scored (their posting
    # lists are the longest and their idf the lowest); 1.0 scores every term.
    query_max_df: float = 1.0
    # The same for the query's character bigrams ("2:…") alone, in an index of at least
    # ``bigram_cut_from`` documents: the common bigrams hold most of a Japanese query's postings
    # (over half above 20%), and at a million documents their BM25 time is what stands between
    # a Japanese need and the 100 ms goal; task B pays 0.2% nDCG@10 (docs/benchmarks.md,
    # "One million documents with the glosses"). Below that size every bigram is scored.
    query_bigram_max_df: float = 0.2
    bigram_cut_from: int = 200_000
    ja_parts: bool = True  # index the mode-A parts of long Sudachi words
    ja_pairs: bool = True  # index adjacent-noun compounds (燃料+電池 → 燃料電池)
    ja_bigrams: bool = True  # also index kana/kanji character bigrams
    ja_glosses: bool = True  # add the English JMdict glosses of documents' Japanese words (glosses.py)
    # The documents' gloss keys in posting lists of their own ("≈fuel", glosses.GLOSS_PREFIX)
    # rather than in the English words' lists: English documents keep their statistics, and
    # an English query reads the gloss lists only as ``gloss_scoring`` says.
    gloss_columns: bool = True
    # "candidates": a query's gloss keys are scored only at the fusion's candidates (the dense
    # and BM25 top ``candidates``, the documents the fusion ranks); "all": over every document,
    # as BM25-only ranking ("bm25" mode) always does. docs/matching.md, "Text pipeline", step 5.
    gloss_scoring: str = "candidates"
    query_glosses: bool = False  # the same for queries (measured: costs BM25 time, adds little)
    # Dense: "passages" = the text cut into passages, each embedded, pooled into the document
    # score by "mean" (one vector per document: the normalised mean) or "max" (best passage);
    # "first" = one vector of the opening ``dense_chars`` characters.
    dense_strategy: str = "passages"
    pooling: str = "mean"
    query_pooling: str = "mean"  # "mean" of the query's passages (same cut as documents), or "whole"
    dense_chars: int = 1000
    passage_chars: int = 400
    max_passages: int = 8
    # Embedding budget per document, in characters: Japanese costs the model ~2.7× more per
    # character than English, so it gets a smaller budget (batch time limit, docs/matching.md).
    dense_budget: int = 3200
    dense_budget_ja: int = 1200
    dense_title: bool = True
    ann_threshold: int = 200_000
    # Fusion: "rrf" (reciprocal rank), "weighted" (min–max normalised scores), "maxnorm"
    # (BM25 / best BM25 of the query, plus the raw cosine) or "linear" (fitted weights over
    # fusion.features, read from ``fusion_weights``: a JSON path, empty = the shipped file).
    fusion: str = "linear"
    fusion_weights: str = ""
    rrf_k: int = 60
    lexical_weight: float = 0.6
    dense_weight: float = 0.4
    # Per side (BM25, dense) into the fusion: 300 ranks as 1,000 did on bench-dev and a little
    # better on the cross-lingual check, at less HNSW, fusion and gloss-scoring time per query
    # (benchmarks.md, "One million documents with the glosses").
    candidates: int = 300
    # Score documents in the other language than the query by meaning alone (fusion.py).
    cross_language: bool = True

    def __post_init__(self) -> None:
        choices = {
            "dense_strategy": ("passages", "first"),
            "pooling": ("mean", "max"),
            "query_pooling": ("mean", "whole"),
            "fusion": ("maxnorm", "weighted", "rrf", "linear"),
            "gloss_scoring": ("candidates", "all"),
        }
        for name, allowed in choices.items():
            if getattr(self, name) not in allowed:
                raise ValueError(f"{name} must be one of {', '.join(allowed)}, not {getattr(self, name)!r}")
        for name, lowest in _WHOLE_NUMBERS.items():
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < lowest:
                raise ValueError(f"{name} must be a whole number, {lowest} or more, not {value!r}")
        for name in (*_SHARES, *_NON_NEGATIVE):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0:  # NaN too
                raise ValueError(f"{name} must be a number, 0 or more, not {value!r}")
            if name in _SHARES and not 0 < value <= 1:
                raise ValueError(f"{name} must be above 0 and at most 1, not {value!r}")
        if self.b > 1:
            raise ValueError(f"b must be between 0 and 1, not {self.b!r}")

    @classmethod
    def saved(cls, settings: dict[str, Any]) -> EngineConfig:
        """The configuration a saved manifest records. Indexes saved before the glosses existed
        were analysed without them, so a missing ``ja_glosses`` means off; those saved before
        the gloss keys had their own posting lists hold them among the English words'."""
        return cls(**{"ja_glosses": False, "gloss_columns": False, **settings})

    def with_overrides(self, **overrides: Any) -> EngineConfig:
        names = {f.name for f in fields(self)}
        unknown = set(overrides) - names
        if unknown:
            raise ValueError(f"unknown engine setting(s): {', '.join(sorted(unknown))}")
        return replace(self, **overrides)


@dataclass(frozen=True, slots=True)
class Match:
    """One ranked result. ``lexical_rank``/``dense_rank`` are 1-based, None when not a candidate."""

    id: str
    rank: int
    score: float
    lexical_score: float = 0.0
    dense_score: float | None = None
    lexical_rank: int | None = None
    dense_rank: int | None = None
    explanation: Explanation | None = None


class MatchIndexError(Exception):
    """The index directory is missing, from another version, or damaged."""


class MatchIndex:
    """Documents with their BM25 terms and vectors; add, replace, remove, search, save, load."""

    def __init__(self, config: EngineConfig | None = None, *, embedder: Embedder | None = None) -> None:
        self.config = config or EngineConfig()
        self.embedder = embedder or Embedder()
        self.lexical = LexicalIndex(k1=self.config.k1, b=self.config.b)
        self.vectors = VectorStore(ann_threshold=self.config.ann_threshold)
        self.documents: list[Document | None] = []
        self.positions: dict[str, int] = {}
        self.japanese: list[bool] = []  # per position: is the document written in Japanese?
        self._field_postings: dict[str, dict[Any, np.ndarray]] | None = None  # field_mask's cache
        self.generation = ""  # a new random id at every save (journal.py)

    # ---- contents ----
    def __len__(self) -> int:
        return len(self.positions)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self.positions

    def get(self, doc_id: str) -> Document | None:
        position = self.positions.get(doc_id)
        return None if position is None else self.documents[position]

    def ids(self) -> list[str]:
        return list(self.positions)

    # ---- building and updating ----
    @classmethod
    def build(
        cls,
        documents: Iterable[Document],
        config: EngineConfig | None = None,
        *,
        embedder: Embedder | None = None,
        progress: Progress | None = None,
        total: int | None = None,
        chunk: int = BUILD_CHUNK,
        ann: bool = True,
    ) -> MatchIndex:
        """An index of ``documents``, read as a stream in chunks of ``chunk`` documents.

        Memory beyond the index itself stays bounded: a chunk's passages and unpooled vectors
        are dropped once its documents are added. Passages are handed to the embedder in
        multiples of its batch size, so the vectors (and the ranking) are the same as embedding
        everything at once. ``total`` (the number of documents, if ``documents`` has no length)
        sizes the progress bars, which count documents. ``ann=False`` leaves the HNSW graph to
        a later ``merge`` (a shard of a split rebuild).
        """
        index = cls(config, embedder=embedder)
        index.vectors.defer_ann = not ann
        if total is None and isinstance(documents, Sized):
            total = len(documents)
        if progress:
            progress("analyse", 0, total)
            progress("embed", 0, total)
        stream = _EmbeddingStream(index, progress)
        batch: list[Document] = []
        for doc in documents:
            batch.append(doc)
            if len(batch) >= chunk:
                stream.add(batch)
                batch = []
        stream.add(batch)
        stream.finish()
        index.vectors.defer_ann = False
        if ann and index.vectors.n_slots >= index.config.ann_threshold and not index.vectors.uses_ann:
            index.vectors.build_ann()
        index.lexical.refresh()
        return index

    @classmethod
    def merge(
        cls,
        parts: Iterable[MatchIndex],
        *,
        embedder: Embedder | None = None,
        progress: Progress | None = None,
    ) -> MatchIndex:
        """One index holding the documents of ``parts`` in order, as if built in one go: the
        merge of ``merge_saved`` in a scratch directory, loaded."""
        with tempfile.TemporaryDirectory(prefix="renkei-merge-") as scratch:
            first = cls.merge_saved(parts, Path(scratch) / "merged", progress=progress)
            return cls.load(Path(scratch) / "merged", embedder=embedder or first.embedder)

    @classmethod
    def merge_saved(
        cls, parts: Iterable[MatchIndex], directory: str | os.PathLike[str], *, progress: Progress | None = None
    ) -> MatchIndex:
        """Save the merge of ``parts`` to ``directory`` (atomically), never holding it whole.

        Used by the split rebuild: shards are built (analysed and embedded) by separate
        workers, and the merge renumbers term ids and positions, appends the vectors, and
        builds the BM25 matrix and, past the threshold, the HNSW graph (engine/merge.py): its
        memory is bounded by one part, not the whole index. ``parts`` may be a generator (each
        part is dropped once written); ``progress`` counts parts under the stage "merge".
        Every part must have the same configuration; an id in two parts is an error. Returns
        the first part (its settings and embedder).
        """
        from .merge import merge_into

        target = Path(directory)
        staging = _staging_dir(target)
        try:
            first, _count = merge_into(parts, staging, progress=progress)
            _swap_in(staging, target)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        return first

    def lexical_keys(self, doc: Document) -> list[str]:
        c = self.config
        prefix = GLOSS_PREFIX if c.gloss_columns else ""
        keys = self._keys(doc.text, c.ja_glosses, prefix) * c.body_weight
        if doc.title and c.title_weight:
            keys += self._keys(doc.title, c.ja_glosses, prefix) * c.title_weight
        if doc.keywords and c.keywords_weight:
            keys += self._keys(" / ".join(doc.keywords), c.ja_glosses, prefix) * c.keywords_weight
        return keys

    def query_keys(self, text: str) -> list[str]:
        """A query's BM25 keys. Its Japanese words' glosses (``query_glosses``) are plain English
        keys: they look for the English documents' words."""
        return self._keys(text, self.config.ja_glosses and self.config.query_glosses)

    def _keys(self, text: str, glossed: bool, prefix: str = "") -> list[str]:
        c = self.config
        keys = index_terms(text, parts=c.ja_parts, pairs=c.ja_pairs, bigrams=c.ja_bigrams)
        return with_glosses(keys, prefix) if glossed else keys

    def lexical_query(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """The term ids a query scores: (its own keys, the gloss lists its keys meet).

        The second part is empty unless the documents' glosses have lists of their own
        (``gloss_columns``); then each query key also looks up "≈key", the Japanese documents
        whose words translate to it. A Japanese key has no such list (glosses are English).
        """
        c = self.config
        keys = self.query_keys(text)
        if c.query_bigram_max_df < 1.0 and self.lexical.n_alive >= c.bigram_cut_from:
            bigrams = [k for k in keys if k.startswith(BIGRAM_PREFIX)]
            words = [k for k in keys if not k.startswith(BIGRAM_PREFIX)]
            bigram_ids = self.lexical.query_ids(bigrams, unique=c.query_unique_terms)
            bigram_ids = self.lexical.without_common(bigram_ids, c.query_bigram_max_df)
            ids = np.r_[self.lexical.query_ids(words, unique=c.query_unique_terms), bigram_ids].astype(np.int32)
        else:
            ids = self.lexical.query_ids(keys, unique=c.query_unique_terms)
        if c.query_max_df < 1.0:
            ids = self.lexical.without_common(ids, c.query_max_df)
        gloss_ids = np.zeros(0, dtype=np.int32)
        if c.ja_glosses and c.gloss_columns:
            gloss_ids = self.lexical.query_ids((GLOSS_PREFIX + k for k in keys), unique=c.query_unique_terms)
        return ids, gloss_ids

    def lexical_scores(self, text: str, mask: np.ndarray | None = None) -> np.ndarray:
        """BM25 of every position for a query, gloss lists included in full (``gloss_scoring``
        "all"; benchmarks use it as the exact reference)."""
        ids, gloss_ids = self.lexical_query(text)
        return self.lexical.scores(np.r_[ids, gloss_ids].astype(np.int32), mask, grouped=True)

    def dense_texts(self, doc: Document) -> list[str]:
        """The texts embedded for a document: its passages, or its opening characters."""
        c = self.config
        body = normalize(doc.text)
        if doc.keywords:
            body = body + "\n" + " / ".join(doc.keywords)
        prefix = normalize(doc.title) + ". " if c.dense_title and doc.title else ""
        if c.dense_strategy == "first":
            return [prefix + body[: c.dense_chars]]
        passages = self.budgeted_passages(body)
        passages[0] = prefix + passages[0]
        return passages

    def budgeted_passages(self, text: str) -> list[str]:
        """``text`` (normalised) cut into passages at sentence ends, embedded until the budget.

        The budget is ``dense_budget`` characters, ``dense_budget_ja`` for Japanese text, and at
        most ``max_passages`` passages. Documents and queries go through the same cut.
        """
        c = self.config
        budget = c.dense_budget_ja if has_japanese(text[:2000]) else c.dense_budget
        passages: list[str] = []
        used = 0
        for start, end in split_passages(text, size=c.passage_chars)[: c.max_passages]:
            if passages and used + (end - start) > budget:
                break
            passages.append(text[start : min(end, start + budget)])
            used += end - start
        return passages or [""]

    def add(self, documents: Iterable[Document], *, progress: Progress | None = None) -> None:
        """Add documents, replacing any with the same id (their old vectors are dropped)."""
        docs = list(documents)
        if progress:
            progress("analyse", 0, len(docs))
        positions, texts, counts = self._analyse(docs, progress)
        if progress:
            progress("embed", 0, len(texts))
        vectors = self.embedder.encode(texts, progress=(lambda n: progress("embed", n, None)) if progress else None)
        self._add_vectors(positions, vectors, counts)

    def _analyse(
        self, docs: list[Document], progress: Progress | None = None
    ) -> tuple[list[int], list[str], list[int]]:
        """Give ``docs`` positions and BM25 terms; return their positions and passages to embed."""
        docs = _last_versions(docs)
        self.remove([doc.id for doc in docs if doc.id in self.positions])
        self._field_postings = None
        texts: list[str] = []
        counts: list[int] = []
        positions: list[int] = []
        for doc in docs:
            position = self._append(doc, self.lexical_keys(doc))
            positions.append(position)
            passages = self.dense_texts(doc)
            texts.extend(passages)
            counts.append(len(passages))
            if progress:
                progress("analyse", 1, None)
        return positions, texts, counts

    def _append(self, doc: Document, keys: list[str]) -> int:
        position = self.lexical.add(keys)
        self.documents.append(doc)
        self.japanese.append(_is_japanese(doc))
        self.positions[doc.id] = position
        return position

    # ---- change journal (journal.py) ----
    def prepare_changes(self, documents: Iterable[Document], removed: Iterable[str] = ()) -> Change:
        """``documents`` analysed and embedded as a journal record, without touching this index
        (an empty one with the saved index's settings is enough): what the writer appends."""
        docs = _last_versions(list(documents))
        texts: list[str] = []
        counts: list[int] = []
        for doc in docs:
            passages = self.dense_texts(doc)
            texts.extend(passages)
            counts.append(len(passages))
        vectors = self.embedder.encode(texts) if texts else np.zeros((0, self.embedder.dim), np.float32)
        if self.config.pooling == "mean" and len(vectors):
            vectors, counts = _mean_pool(vectors, counts), [1] * len(counts)
        added, row = [], 0
        for doc, count in zip(docs, counts, strict=True):
            terms: dict[str, int] = {}
            for key in self.lexical_keys(doc):
                terms[key] = terms.get(key, 0) + 1
            added.append(Addition(doc.to_json(), terms, np.ascontiguousarray(vectors[row : row + count])))
            row += count
        return Change(removed=list(removed), added=added)

    def warm(self) -> None:
        """Read the memory-mapped parts of a loaded index into this process once (a serving
        process does it after loading, before its first query: ``LexicalIndex.warm``)."""
        self.lexical.warm()

    def apply_changes(self, changes: Iterable[Change], *, frozen: bool = True) -> int:
        """Apply journal records: removals, then additions with their stored terms and vectors
        (no analysis, no embedding). Returns the number of entries applied.

        ``frozen`` (a reader): no rebuild of the whole BM25 matrix or of the HNSW graph; the
        added documents are scored with the main matrix's statistics in a side matrix, their
        vectors searched exactly beside the graph (lexical.py, dense.py). ``frozen=False``:
        plain additions, the matrix rebuilt exactly at the next refresh or search (a fold in
        memory; the platform's fold streams instead and resolves the records the same way,
        fold.py).
        """
        if frozen:
            self.lexical.freeze()
            self.vectors.begin_tail()
        applied = 0
        for change in changes:
            self._remove(change.removed, keep_postings=frozen)
            latest = {a.document["id"]: a for a in change.added}
            additions = [a for a in change.added if latest[a.document["id"]] is a]
            docs = [Document.from_json(a.document) for a in additions]
            self._remove([doc.id for doc in docs if doc.id in self.positions], keep_postings=frozen)
            positions = [self._append(doc, a.keys()) for doc, a in zip(docs, additions, strict=True)]
            if positions:
                vectors = np.concatenate([a.vectors for a in additions])
                self.vectors.add(positions, vectors, [len(a.vectors) for a in additions])
                if frozen:
                    self._extend_postings(positions)
                else:
                    self._field_postings = None
            applied += change.entries
        return applied

    def fork(self) -> MatchIndex:
        """A copy to apply changes to while this one keeps serving searches in other threads
        (this one must not be changed afterwards): the per-position lists are copied (pointers),
        the id and slot maps shared with an overlay of their changes (overlay.py), the matrices,
        vectors and graph shared."""
        other = object.__new__(MatchIndex)
        other.__dict__.update(self.__dict__)
        other.documents = list(self.documents)
        other.positions = shared_copy(self.positions)
        other.japanese = list(self.japanese)
        if self._field_postings is not None:
            other._field_postings = dict(self._field_postings)
        other.lexical = self.lexical.fork()
        other.vectors = self.vectors.fork()
        return other

    def _extend_postings(self, positions: list[int]) -> None:
        """Add new positions to the cached field postings (copies of the lists they join)."""
        if self._field_postings is None:
            return
        extended: dict[str, dict[Any, np.ndarray]] = {}
        for name, postings in self._field_postings.items():
            additions: dict[Any, list[int]] = {}
            for position in positions:
                doc = self.documents[position]
                if doc is None or name not in doc.fields:
                    continue
                value = doc.fields[name]
                for item in value if isinstance(value, list | tuple) else (value,):
                    additions.setdefault(item, []).append(position)
            if additions:
                postings = dict(postings)
                for value, items in additions.items():
                    old = postings.get(value, np.zeros(0, dtype=np.int64))
                    postings[value] = np.concatenate([old, np.asarray(items, dtype=np.int64)])
            extended[name] = postings
        self._field_postings = extended

    def _add_vectors(self, positions: list[int], vectors: np.ndarray, counts: list[int]) -> None:
        if self.config.pooling == "mean" and len(vectors):
            vectors, counts = _mean_pool(vectors, counts), [1] * len(counts)
        self.vectors.add(positions, vectors, counts)

    def remove(self, doc_ids: Iterable[str]) -> int:
        """Remove documents by id; unknown ids are ignored. Returns how many were removed."""
        return self._remove(doc_ids)

    def _remove(self, doc_ids: Iterable[str], *, keep_postings: bool = False) -> int:
        removed = 0
        for doc_id in doc_ids:
            position = self.positions.pop(doc_id, None)
            if position is None:
                continue
            if not keep_postings:  # (field_mask masks removed positions anyway)
                self._field_postings = None
            self.lexical.remove(position)
            self.vectors.remove(position)
            self.documents[position] = None
            removed += 1
        return removed

    def compact(self) -> MatchIndex:
        """A copy without the holes left by removals, reusing the stored vectors (no re-embedding)."""
        fresh = MatchIndex(self.config, embedder=self.embedder)
        positions, vectors, counts = [], [], []
        for doc in self.documents:
            if doc is None:
                continue
            old = self.positions[doc.id]
            new = fresh.lexical.add(self.lexical_keys(doc))
            fresh.documents.append(doc)
            fresh.japanese.append(self.japanese[old])
            fresh.positions[doc.id] = new
            start, end = self.vectors.doc_slots[old]
            positions.append(new)
            vectors.append(self.vectors._slice(start, end))
            counts.append(end - start)
        if positions:
            fresh.vectors.add(positions, np.concatenate(vectors), counts)
        return fresh

    _LEXICAL_SETTINGS = frozenset(
        {
            "title_weight",
            "keywords_weight",
            "body_weight",
            "k1",
            "b",
            "ja_parts",
            "ja_pairs",
            "ja_bigrams",
            "ja_glosses",
            "gloss_columns",
        }
    )
    _DENSE_SETTINGS = frozenset(
        {
            "dense_strategy",
            "pooling",
            "dense_chars",
            "passage_chars",
            "max_passages",
            "dense_budget",
            "dense_budget_ja",
            "dense_title",
            "ann_threshold",
        }
    )

    def reconfigure(self, **overrides: Any) -> None:
        """Change settings in place: query-time ones at once, lexical ones by re-analysing.

        Dense settings change what is embedded, so they need a rebuild (``MatchIndex.build``).
        """
        config = self.config.with_overrides(**overrides)
        changed = {k for k, v in overrides.items() if getattr(self.config, k) != v}
        if changed & self._DENSE_SETTINGS:
            raise ValueError(f"{', '.join(sorted(changed & self._DENSE_SETTINGS))} need a rebuild of the vectors")
        self.config = config
        if changed & self._LEXICAL_SETTINGS:
            self.lexical.unfreeze()  # fold appended documents into one exact matrix first
            lexical = LexicalIndex(k1=config.k1, b=config.b)
            if changed <= {"k1", "b"}:
                # Only the BM25 parameters: the cached terms stay valid.
                lexical.vocab, lexical.df, lexical.terms = self.lexical.vocab, self.lexical.df, self.lexical.terms
                lexical._alive, lexical.n_alive = self.lexical._alive, self.lexical.n_alive
            else:
                for doc in self.documents:
                    position = lexical.add(self.lexical_keys(doc) if doc is not None else [])
                    if doc is None:
                        lexical.remove(position)
            self.lexical = lexical
            self.lexical.refresh()

    # ---- searching ----
    def allow_mask(self, allow: Iterable[str] | np.ndarray | None) -> np.ndarray | None:
        """``allow`` as a boolean array over positions: from document ids (unknown ones are
        ignored), or a boolean array already (from ``field_mask`` or ``allow_mask``)."""
        if allow is None:
            return None
        if isinstance(allow, np.ndarray):
            if allow.dtype != bool or allow.shape != (len(self.documents),):
                raise ValueError("an allow mask must be a boolean array with one entry per index position")
            return allow
        get = self.positions.get
        found = np.fromiter((get(doc_id, -1) for doc_id in allow), dtype=np.int64)
        mask = np.zeros(len(self.documents), dtype=bool)
        mask[found[found >= 0]] = True
        return mask

    def field_mask(self, **where: Any) -> np.ndarray:
        """Positions whose ``Document.fields`` match every condition, as a boolean array.

        ``field_mask(kind="seed", prefecture=["13", "14"])``: a value, or a collection of values
        (any of them); a document whose field holds a list matches when any item does. Built
        from a per-field inverted list kept until the next change, so a filter over a million
        documents costs milliseconds, without a set of ids. Pass the result as ``allow`` (combine
        masks with ``&``).
        """
        mask = self.lexical.alive
        for name, wanted in where.items():
            postings = self._postings(name)
            values = [wanted] if isinstance(wanted, str) or not isinstance(wanted, Collection) else list(wanted)
            hit = np.zeros(len(self.documents), dtype=bool)
            for value in values:
                positions = postings.get(value)
                if positions is not None:
                    hit[positions] = True
            mask &= hit
        return mask

    def field_values(self, name: str) -> list[Any]:
        """The distinct values of a field over the documents (for range filters over ``field_mask``)."""
        return list(self._postings(name))

    def _postings(self, name: str) -> dict[Any, np.ndarray]:
        if self._field_postings is None:
            self._field_postings = {}
        postings = self._field_postings.get(name)
        if postings is None:
            lists: dict[Any, list[int]] = {}
            for position, doc in enumerate(self.documents):
                if doc is None or name not in doc.fields:
                    continue
                value = doc.fields[name]
                for item in value if isinstance(value, list | tuple) else (value,):
                    lists.setdefault(item, []).append(position)
            postings = {value: np.asarray(items, dtype=np.int64) for value, items in lists.items()}
            self._field_postings[name] = postings
        return postings

    def search(
        self,
        text: str,
        *,
        top: int = 10,
        allow: Iterable[str] | np.ndarray | None = None,
        mode: str = "hybrid",
        explain: bool = True,
    ) -> list[Match]:
        return self.search_many([text], top=top, allow=allow, mode=mode, explain=explain)[0]

    def search_many(
        self,
        texts: Sequence[str],
        *,
        top: int = 10,
        allow: Iterable[str] | np.ndarray | None = None,
        mode: str = "hybrid",
        explain: bool = False,
        progress: Progress | None = None,
    ) -> list[list[Match]]:
        """Rank the documents for each query text. The one ranking path of the platform.

        1. Analyse each query; embed all queries in one batch (dense and hybrid modes).
        2. Lexical candidates: BM25 over allowed documents, top ``candidates`` with a score > 0.
        3. Dense candidates: best-slot cosine over allowed documents, top ``candidates``; then
           the query's gloss lists are scored at both sides' candidates (``gloss_scoring``).
        4. Fuse (RRF or weighted scores), cut to ``top``, drop anything outside ``allow``.
        5. Explain the results if asked (shared terms, best passage).
        """
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
        c = self.config
        mask = self.allow_mask(allow)
        alive = self.lexical.alive
        mask = alive if mask is None else (mask & alive)
        n_candidates = max(c.candidates, top)
        queries = [normalize(t) for t in texts]
        q_vectors = None
        if mode != "bm25":
            q_vectors = self.embed_queries(queries, progress)
        if progress:
            progress("rank", 0, len(queries))
        dense_hits: list[tuple[np.ndarray, np.ndarray]] = []
        if q_vectors is not None:
            dense_hits = self.vectors.search(q_vectors, n_candidates, mask)
        results: list[list[Match]] = []
        for i, query in enumerate(queries):
            lex_scores = None
            lex_pos = np.zeros(0, dtype=np.int64)
            dense_pos, dense_sc = dense_hits[i] if dense_hits else (np.zeros(0, np.int64), np.zeros(0, np.float32))
            if mode != "dense":
                q_ids, gloss_ids = self.lexical_query(query)
                later = mode == "hybrid" and c.gloss_scoring == "candidates"
                if len(gloss_ids) and not later:
                    q_ids, gloss_ids = np.r_[q_ids, gloss_ids].astype(np.int32), gloss_ids[:0]
                lex_pos, lex_scores = self._lexical_candidates(q_ids, n_candidates, mask)
                if len(gloss_ids):
                    lex_pos = self._add_gloss_scores(lex_scores, gloss_ids, lex_pos, dense_pos, n_candidates, mask)
            matches = self._fuse(mode, lex_scores, lex_pos, dense_pos, dense_sc, q_vectors, i, top, has_japanese(query))
            matches = [m for m in matches if mask[self.positions[m.id]]]  # never leak a hidden document
            if explain:
                matches = self._explain(query, matches, q_vectors[i] if q_vectors is not None else None)
            results.append(matches)
            if progress:
                progress("rank", 1, None)
        return results

    def _lexical_candidates(self, q_ids: np.ndarray, n: int, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The ``n`` best BM25 positions (score > 0), and the BM25 scores of all positions.

        Each distinct query term counts once, weighted by its count: 28% less CPU than adding a
        long query's repeated terms one by one; same top 20 on bench-dev. Exhaustive scoring,
        not ``LexicalIndex.top`` (MaxScore): with 1,000 candidates per query MaxScore must still
        read about half the postings and complete ~half the collection, and measured slower
        (docs/benchmarks.md, "BM25 scoring alone").
        """
        scores = self.lexical.scores(q_ids, mask, grouped=True)
        return _top_positive(scores, n), scores

    def _add_gloss_scores(
        self,
        scores: np.ndarray,
        gloss_ids: np.ndarray,
        lex_pos: np.ndarray,
        dense_pos: np.ndarray,
        n: int,
        mask: np.ndarray,
    ) -> np.ndarray:
        """Add the gloss lists' BM25 to ``scores`` at the fusion's candidates only (the BM25 and
        dense top ``n``), and return the BM25 top ``n`` after it (``gloss_scoring``
        "candidates").

        Only candidates gain, and the old top ``n`` are candidates, so the new top ``n`` is
        among them. A Japanese document outside both tops is not looked at, though its glosses
        might have lifted it into BM25's top ``n``: the price of not reading the gloss lists of
        every Japanese document for a long English query (measured on the cross-lingual check:
        the same figures as reading them all; docs/benchmarks.md, "Gloss lists of their own").
        """
        candidates = np.union1d(lex_pos, dense_pos).astype(np.int64)
        candidates = candidates[mask[candidates]]
        if not len(candidates):
            return lex_pos
        scores[candidates] += self.lexical.scores_at(gloss_ids, candidates)
        return candidates[_top_positive(scores[candidates], n)]

    def embed_queries(self, queries: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        """Query vectors (queries already normalised).

        With ``query_pooling == "mean"`` (the default) a query is cut into passages within the
        same budget as a document and their vectors averaged: a long need is a profile too.
        With ``"whole"`` each query is embedded as one text (the model reads ~500 tokens).
        """
        c = self.config
        if c.query_pooling == "whole":
            texts, counts = list(queries), [1] * len(queries)
        else:
            texts, counts = [], []
            for query in queries:
                passages = self.budgeted_passages(query)
                texts.extend(passages)
                counts.append(len(passages))
        step = None
        if progress:
            progress("embed queries", 0, len(texts))
            step = lambda n: progress("embed queries", n, None)  # noqa: E731
        vectors = self.embedder.encode(texts, progress=step)
        return vectors if c.query_pooling == "whole" else _mean_pool(vectors, counts)

    def _fuse(
        self,
        mode: str,
        lex_scores: np.ndarray | None,
        lex_pos: np.ndarray,
        dense_pos: np.ndarray,
        dense_sc: np.ndarray,
        q_vectors: np.ndarray | None,
        qi: int,
        top: int,
        query_japanese: bool,
    ) -> list[Match]:
        c = self.config
        japanese = self.japanese if c.cross_language else None
        lex_rank = {int(p): r for r, p in enumerate(lex_pos.tolist(), 1)}
        dense_rank = {int(p): r for r, p in enumerate(dense_pos.tolist(), 1)}
        dense_score = dict(zip(dense_pos.tolist(), dense_sc.tolist(), strict=True))
        if mode == "bm25":
            ranked = [(int(p), float(lex_scores[p])) for p in lex_pos[:top]]
        elif mode == "dense":
            ranked = list(zip(dense_pos[:top].tolist(), dense_sc[:top].tolist(), strict=True))
        else:
            if c.fusion in ("weighted", "maxnorm", "linear"):
                candidates = np.unique(np.r_[lex_pos, dense_pos]).astype(np.int64)
                missing = np.array([p for p in candidates.tolist() if p not in dense_score], dtype=np.int64)
                if len(missing) and q_vectors is not None:
                    for p, s in zip(
                        missing.tolist(), self.vectors.scores_for(q_vectors[qi], missing).tolist(), strict=True
                    ):
                        dense_score[p] = s
                dense_arr = np.array([dense_score[p] for p in candidates.tolist()], dtype=np.float32)
                cross = (
                    None
                    if japanese is None
                    else np.array([japanese[p] != query_japanese for p in candidates.tolist()], dtype=bool)
                )
                if c.fusion == "linear":
                    fused = fusion.linear(
                        candidates,
                        lex_scores[candidates],
                        dense_arr,
                        fusion.load_weights(c.fusion_weights),
                        evidence=self._evidence(candidates),
                        cross=cross,
                    )
                else:
                    combine = fusion.weighted if c.fusion == "weighted" else fusion.max_normalised
                    fused = combine(
                        candidates, lex_scores[candidates], dense_arr, c.lexical_weight, c.dense_weight, cross=cross
                    )
            else:
                cross = (
                    set()
                    if japanese is None
                    else {p for p in np.r_[lex_pos, dense_pos].tolist() if japanese[p] != query_japanese}
                )
                fused = fusion.rrf([lex_pos, dense_pos], [c.lexical_weight, c.dense_weight], k=c.rrf_k, cross=cross)
            ranked = fused[:top]
        return [
            Match(
                id=self.documents[p].id,
                rank=r,
                score=float(s),
                lexical_score=float(lex_scores[p]) if lex_scores is not None else 0.0,
                dense_score=dense_score.get(p),
                lexical_rank=lex_rank.get(p),
                dense_rank=dense_rank.get(p),
            )
            for r, (p, s) in enumerate(ranked, 1)
        ]

    def _evidence(self, positions: np.ndarray) -> np.ndarray:
        """``Document.fields["evidence"]`` of each position: how many records stand behind the
        document (a partner's seeds or projects), 1 when not given (fusion.features)."""
        known = getattr(self, "_evidence_values", None)
        if known is None or len(known) < len(self.documents):
            # A position's document never changes (a new version gets a new position), so the
            # values are read once per position and kept (a new array, as forks share this one).
            start = 0 if known is None else len(known)
            more = [float((doc.fields.get("evidence") if doc else 1) or 1) for doc in self.documents[start:]]
            known = np.r_[known if known is not None else np.zeros(0), np.asarray(more, dtype=np.float64)]
            self._evidence_values = known
        return known[positions]

    def _explain(self, query: str, matches: list[Match], q_vector: np.ndarray | None) -> list[Match]:
        q_terms = QueryTerms.of(query, glosses=self.config.ja_glosses)
        out = []
        for m in matches:
            doc = self.documents[self.positions[m.id]]
            passage_scores = None
            if q_vector is not None and self.config.dense_strategy == "passages":
                passage_scores = self._passage_scorer(doc, q_vector)
            explanation = explain(
                q_terms,
                doc.title,
                doc.keywords,
                doc.text,
                idf=self.lexical.idf,
                passage_scores=passage_scores,
                passage_chars=self.config.passage_chars,
            )
            out.append(replace(m, explanation=explanation))
        return out

    def _passage_scorer(self, doc: Document, q_vector: np.ndarray) -> Callable[[], np.ndarray]:
        """Similarity of each embedded passage of ``doc`` to the query, computed on demand.

        With max pooling the passage vectors are stored; with mean pooling only their mean
        is, so the passages are embedded again (only for a result sharing no term with the
        query, i.e. a cross-lingual match, and only when explanations are asked for).
        """
        position = self.positions[doc.id]

        def score() -> np.ndarray:
            if self.config.pooling == "max":
                return self.vectors.slot_scores(q_vector, position)
            return self.embedder.encode(self.dense_texts(doc)) @ q_vector

        return score

    # ---- persistence ----
    def save(self, directory: str | os.PathLike[str]) -> Path:
        """Write the index to ``directory`` atomically (a new directory swapped in)."""
        target = Path(directory)
        staging = _staging_dir(target)
        try:
            generation = uuid.uuid4().hex
            manifest = {
                "format": FORMAT_VERSION,
                "model": MODEL_NAME,
                "config": asdict(self.config),
                "documents": len(self),
                "generation": generation,
            }
            (staging / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
            with (staging / DOCS_FILE).open("w", encoding="utf-8") as out:
                for doc in self.documents:
                    out.write(("null" if doc is None else json.dumps(doc.to_json(), ensure_ascii=False)) + "\n")
            self.lexical.save(staging)
            self.vectors.save(staging)
            _swap_in(staging, target)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        self.generation = generation
        return target

    @classmethod
    def load(
        cls, directory: str | os.PathLike[str], *, embedder: Embedder | None = None, with_journal: bool = False
    ) -> MatchIndex:
        """The index saved in ``directory``; ``with_journal`` also applies the changes its
        journal holds (journal.py), as a serving process sees them."""
        path = Path(directory)
        manifest = read_manifest(path)
        config = EngineConfig.saved(manifest["config"])
        index = cls(config, embedder=embedder)
        index.generation = str(manifest.get("generation", ""))
        with (path / DOCS_FILE).open(encoding="utf-8") as lines:
            for position, line in enumerate(lines):
                data = json.loads(line)
                doc = None if data is None else Document.from_json(data)
                index.documents.append(doc)
                index.japanese.append(doc is not None and _is_japanese(doc))
                if doc is not None:
                    index.positions[doc.id] = position
        index.lexical = LexicalIndex.load(path)
        index.vectors = VectorStore.load(path, ann_threshold=config.ann_threshold)
        if len(index.lexical) != len(index.documents):
            raise MatchIndexError(
                f"{path} is damaged: {len(index.documents)} documents but {len(index.lexical)} term lists"
            )
        if with_journal:
            changes, _state = journal.read(journal.journal_path(path), index.generation)
            if changes:
                index.apply_changes(changes)
        return index


def read_manifest(directory: Path) -> dict[str, Any]:
    """The manifest of the index saved in ``directory``; MatchIndexError if there is none or it
    is of another format."""
    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise MatchIndexError(f"no matching index in {directory}") from exc
    if manifest.get("format") != FORMAT_VERSION:
        raise MatchIndexError(f"{directory} holds index format {manifest.get('format')}, expected {FORMAT_VERSION}")
    return manifest


def _staging_dir(target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))


def _swap_in(staging: Path, target: Path) -> None:
    """Put the finished directory ``staging`` in the place of ``target``."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}-old-{os.getpid()}")
        target.rename(old)
    staging.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _is_japanese(doc: Document) -> bool:
    """Written in Japanese: any kana or kanji in the title or the opening text."""
    return has_japanese(doc.title) or has_japanese(doc.text[:2000])


def _last_versions(docs: list[Document]) -> list[Document]:
    """``docs`` with each id once: its last version, where that version stands."""
    latest = {doc.id: doc for doc in docs}
    return [doc for doc in docs if latest[doc.id] is doc]


def _mean_pool(vectors: np.ndarray, counts: Sequence[int]) -> np.ndarray:
    starts = np.r_[0, np.cumsum(counts)[:-1]].astype(np.int64)
    pooled = np.add.reduceat(vectors, starts, axis=0)
    pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
    return pooled.astype(np.float32)


def _top_positive(scores: np.ndarray, k: int) -> np.ndarray:
    """The k best positions with a positive score, best first; equal scores by position, so that
    the same index gives the same ranking on every run."""
    positive = np.flatnonzero(scores > 0)
    if len(positive) > k:
        kth = scores[positive[np.argpartition(-scores[positive], k - 1)[k - 1]]]
        positive = positive[scores[positive] >= kth]  # every tie of the k-th, still by position
    return positive[np.argsort(-scores[positive], kind="stable")][:k]


class _EmbeddingStream:
    """Embeds the passages of documents as chunks of them are analysed (``MatchIndex.build``).

    Passages go to the embedder in whole multiples of its batch size (the last call excepted),
    so every batch holds the same passages as when a collection is embedded in one call: the
    model's output depends slightly on its batch. A document whose passages straddle a call
    waits for the next one; complete documents get their vectors at once.
    """

    def __init__(self, index: MatchIndex, progress: Progress | None) -> None:
        self.index = index
        self.progress = progress
        self.texts: list[str] = []  # passages waiting for the embedder
        self.waiting: list[tuple[int, int]] = []  # (position, passages) of documents without vectors
        self.vectors = np.zeros((0, index.embedder.dim), dtype=np.float32)  # embedded, not yet added

    def add(self, docs: list[Document]) -> None:
        if not docs:
            return
        positions, texts, counts = self.index._analyse(docs, self.progress)
        self.waiting.extend(zip(positions, counts, strict=True))
        self.texts.extend(texts)
        self._embed(len(self.texts) // EMBED_BATCH * EMBED_BATCH)

    def finish(self) -> None:
        self._embed(len(self.texts))

    def _embed(self, n: int) -> None:
        if n:
            texts, self.texts = self.texts[:n], self.texts[n:]
            self.vectors = np.concatenate([self.vectors, self.index.embedder.encode(texts)])
        ready, used = 0, 0
        for _position, count in self.waiting:
            if used + count > len(self.vectors):
                break
            used += count
            ready += 1
        if not ready:
            return
        done, self.waiting = self.waiting[:ready], self.waiting[ready:]
        positions = [p for p, _ in done]
        self.index._add_vectors(positions, self.vectors[:used], [c for _, c in done])
        self.vectors = self.vectors[used:].copy()
        for position in positions:
            if self.index.documents[position] is None:  # replaced by a later version meanwhile
                self.index.vectors.remove(position)
        if self.progress:
            self.progress("embed", ready, None)
