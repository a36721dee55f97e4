"""Why a document matched: the terms it shares with the query and its best passage."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .text import COMPOUND, Term, analyze, normalize, split_passages


@dataclass(frozen=True, slots=True)
class SharedTerm:
    """A term found in both the query and the document, as written in the document."""

    term: str
    key: str
    weight: float


@dataclass(frozen=True, slots=True)
class Passage:
    """A passage of the (normalised) document text; ``spans`` mark the matched terms."""

    text: str
    spans: tuple[tuple[int, int], ...] = ()
    start: int = 0

    def marked(self, open_mark: str = "【", close_mark: str = "】", escape: Callable[[str], str] | None = None) -> str:
        """The passage with every matched span wrapped in the marks (``escape`` for HTML)."""
        esc = escape or (lambda s: s)
        out, cursor = [], 0
        for start, end in self.spans:
            out.append(esc(self.text[cursor:start]))
            out.append(open_mark + esc(self.text[start:end]) + close_mark)
            cursor = end
        out.append(esc(self.text[cursor:]))
        return "".join(out)


@dataclass(frozen=True, slots=True)
class Explanation:
    shared_terms: tuple[SharedTerm, ...] = ()
    passage: Passage | None = None
    passage_by: str = "terms"  # "terms" (lexical overlap) or "meaning" (dense similarity)

    @property
    def terms(self) -> list[str]:
        return [t.term for t in self.shared_terms]


@dataclass(slots=True)
class QueryTerms:
    """The query's analysed terms, computed once per query for all explained results."""

    keys: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, text: str) -> QueryTerms:
        return cls({t.key for t in analyze(text, compounds_whole=True)})


def explain(
    query: QueryTerms,
    title: str,
    keywords: tuple[str, ...],
    text: str,
    *,
    idf: Callable[[str], float],
    passage_scores: Callable[[], np.ndarray] | None = None,
    passage_chars: int = 400,
    max_terms: int = 10,
) -> Explanation:
    """Shared terms (longest compounds first, their parts folded in) and the best passage.

    1. Analyse the document (title, keywords, body) with whole noun compounds.
    2. Shared terms = document terms whose key is a query key; a term inside a longer shared
       compound is dropped (燃料電池 hides 燃料 and 電池). Weight = idf, compounds boosted.
    3. Best passage = the body passage with the most shared-term weight; if no term is shared
       (a cross-lingual match), the passage whose embedding is closest (``passage_scores``).
    """
    body = normalize(text)
    head_terms = analyze(normalize(" ".join([title, *keywords])), normalized=True, compounds_whole=True)
    body_terms = analyze(body, normalized=True, compounds_whole=True)
    matched = [t for t in head_terms + body_terms if t.key in query.keys]
    weights: dict[str, float] = {}
    surfaces: dict[str, str] = {}
    for term in matched:
        if term.key not in weights:
            base = idf(term.key) or 3.0
            weights[term.key] = base * (1.5 if term.kind == COMPOUND else 1.0)
            surfaces[term.key] = term.surface
    keys = sorted(weights, key=lambda k: (-len(surfaces[k]) if _is_cjk(surfaces[k]) else 0, -weights[k]))
    kept: list[str] = []
    for key in keys:
        if any(surfaces[key] in surfaces[other] and _is_cjk(surfaces[key]) for other in kept):
            continue
        kept.append(key)
    kept.sort(key=lambda k: -weights[k])
    shared = tuple(SharedTerm(surfaces[k], k, round(weights[k], 3)) for k in kept[:max_terms])
    passage, by = _best_passage(body, body_terms, weights, passage_scores, passage_chars)
    return Explanation(shared, passage, by)


def _is_cjk(s: str) -> bool:
    return any(ord(c) > 0x3000 for c in s)


def _best_passage(
    body: str,
    terms: list[Term],
    weights: dict[str, float],
    passage_scores: Callable[[], np.ndarray] | None,
    embedded_chars: int,
    display_chars: int = 240,
) -> tuple[Passage | None, str]:
    spans = split_passages(body, size=display_chars)
    if not spans:
        return None, "terms"
    scores = []
    for start, end in spans:
        keys = {t.key for t in terms if start <= t.start and t.end <= end and t.key in weights}
        scores.append(sum(weights[k] for k in keys))
    by = "terms"
    best = int(np.argmax(scores))
    if scores[best] == 0:
        best = 0
        similarities = passage_scores() if passage_scores is not None else None
        if similarities is not None and len(similarities):
            # The embedded passages are longer than the displayed ones: show the start of the
            # embedded passage closest in meaning to the query.
            embedded = split_passages(body, size=embedded_chars)
            target = embedded[min(int(np.argmax(similarities)), len(embedded) - 1)][0]
            best = max(i for i, (start, _) in enumerate(spans) if start <= target) if spans[0][0] <= target else 0
            by = "meaning"
    start, end = spans[best]
    marks = _merge(
        [(t.start - start, t.end - start) for t in terms if start <= t.start and t.end <= end and t.key in weights]
    )
    return Passage(body[start:end], tuple(marks), start), by


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
