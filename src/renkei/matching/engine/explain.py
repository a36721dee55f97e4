"""Why a document matched: the terms it shares with the query and its best passage."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .glosses import gloss_phrases
from .text import COMPOUND, Term, analyze, has_japanese, normalize, split_passages


@dataclass(frozen=True, slots=True)
class SharedTerm:
    """A term found in both the query and the document, as written in the document.

    ``via`` is empty for a term both texts contain. For a term shared through a JMdict gloss
    (a Japanese word on one side, its English translation on the other) it is the query's
    wording: the document says ``term`` ("fuel cell"), the query ``via`` ("燃料電池").
    ``key`` is the document's key (the English keys joined by a space for a phrase).
    """

    term: str
    key: str
    weight: float
    via: str = ""

    @property
    def label(self) -> str:
        """How a reason shows it: the term, or "document's wording ≈ query's wording"."""
        return f"{self.term} ≈ {self.via}" if self.via else self.term


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

    @property
    def labels(self) -> list[str]:
        """The shared terms as reasons show them (``SharedTerm.label``)."""
        return [t.label for t in self.shared_terms]


@dataclass(slots=True)
class QueryTerms:
    """The query's analysed terms, computed once per query for all explained results.

    With ``glosses`` (the index's ``ja_glosses``) it also keeps what translated terms need:
    the query's English words (for its wording) and the gloss phrases of its Japanese words.
    """

    keys: set[str] = field(default_factory=set)
    glosses: bool = False
    latin: _Latin | None = None  # the query's English words, for its wording of a gloss
    # (Japanese key, its surface in the query, the English keys of one of its glosses)
    phrases: list[tuple[str, str, tuple[str, ...]]] = field(default_factory=list)

    @classmethod
    def of(cls, text: str, *, glosses: bool = False) -> QueryTerms:
        text = normalize(text)
        terms = analyze(text, normalized=True, compounds_whole=True)
        keys = {t.key for t in terms}
        if not glosses:
            return cls(keys)
        phrases, seen = [], set()
        for t in terms:
            if t.key not in seen and has_japanese(t.key):
                seen.add(t.key)
                phrases.extend((t.key, t.surface, phrase) for phrase in gloss_phrases(t.key))
        return cls(keys, True, _Latin([(text, terms)]), phrases)


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
    3. With ``query.glosses``, translated terms too (``_translated``): a Japanese word of one
       text whose gloss has all its English keys in the other text.
    4. Best passage = the body passage with the most shared-term weight; if no term is shared
       (a cross-lingual match without a translated term), the passage whose embedding is
       closest (``passage_scores``).
    """
    body = normalize(text)
    head = normalize(" ".join([title, *keywords]))
    head_terms = analyze(head, normalized=True, compounds_whole=True)
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
    shared = [SharedTerm(surfaces[k], k, round(weights[k], 3)) for k in kept]
    passage_weights = weights
    if query.glosses:
        passage_weights = dict(weights)
        translated = _translated(query, head, head_terms, body, body_terms, weights, shared, idf, passage_weights)
        if translated:
            shared = sorted(shared + translated, key=lambda t: -t.weight)  # stable: direct first on ties
    passage, by = _best_passage(body, body_terms, passage_weights, passage_scores, passage_chars)
    return Explanation(tuple(shared[:max_terms]), passage, by)


def _translated(
    query: QueryTerms,
    head: str,
    head_terms: list[Term],
    body: str,
    body_terms: list[Term],
    direct: dict[str, float],
    shared: list[SharedTerm],
    idf: Callable[[str], float],
    passage_weights: dict[str, float],
) -> list[SharedTerm]:
    """Terms shared through a translation, both ways, and their keys' passage weights.

    A Japanese word counts as shared when ALL the keys of one of its glosses occur in the other
    text (燃料電池 needs both "fuel" and "cell"; 電池's single-word gloss "cell" needs "cell").
    Weight = idf of the document's key(s) as for a direct term: a Japanese compound ×1.5, an
    English phrase its rarest word ×1.5. Dropped: a word the texts share directly, a word inside
    a longer shared one (燃料 ≈ fuel under 燃料電池 ≈ fuel cell), a translation whose document
    keys are all shared directly or by a kept translation.
    """
    doc_keys = {t.key for t in head_terms} | {t.key for t in body_terms}
    doc_latin: _Latin | None = None
    found: list[tuple[SharedTerm, str, frozenset[str]]] = []  # (term, its Japanese surface, doc keys)
    # Japanese words of the query, translated in the document.
    for word, surface, phrase in query.phrases:
        if word in direct or not all(k in doc_keys for k in phrase):
            continue
        base = max(idf(k) or 3.0 for k in phrase)
        weight = base * (1.5 if len(phrase) > 1 else 1.0)
        for k in phrase:
            passage_weights.setdefault(k, idf(k) or 3.0)
        if doc_latin is None:
            doc_latin = _Latin([(head, head_terms), (body, body_terms)])
        found.append(
            (
                SharedTerm(doc_latin.wording(phrase), " ".join(phrase), round(weight, 3), surface),
                surface,
                frozenset(phrase),
            )
        )
    # Japanese words of the document, translated in the query.
    seen: set[str] = set(direct)
    for t in head_terms + body_terms:
        if t.key in seen:
            continue
        seen.add(t.key)
        if not has_japanese(t.key) or query.latin is None or not query.latin.first:
            continue
        for phrase in gloss_phrases(t.key):
            if all(k in query.keys for k in phrase):
                weight = (idf(t.key) or 3.0) * (1.5 if t.kind == COMPOUND else 1.0)
                passage_weights.setdefault(t.key, weight)
                found.append(
                    (
                        SharedTerm(t.surface, t.key, round(weight, 3), query.latin.wording(phrase)),
                        t.surface,
                        frozenset([t.key]),
                    )
                )
                break
    if not found:
        return []
    covered = set(direct)
    japanese = [t.term for t in shared if _is_cjk(t.term)]
    kept: list[SharedTerm] = []
    found.sort(key=lambda f: (-len(f[1]), -f[0].weight))
    for term, surface, keys in found:
        if any(surface in other for other in japanese) or keys <= covered:
            continue
        kept.append(term)
        japanese.append(surface)
        covered |= keys
    return kept


_GAP = re.compile(r"[\s\-‐/]{0,3}")


class _Latin:
    """The English words of a text (its parts: title, body), to say how it writes a gloss."""

    __slots__ = ("first", "parts")

    def __init__(self, parts: list[tuple[str, list[Term]]]) -> None:
        self.first: dict[str, str] = {}  # key -> surface of its first occurrence
        self.parts: list[tuple[str, list[Term], dict[str, list[int]]]] = []
        for text, terms in parts:
            latin = [t for t in terms if not has_japanese(t.key)]  # in text order
            where: dict[str, list[int]] = {}
            for i, t in enumerate(latin):
                self.first.setdefault(t.key, t.surface)
                where.setdefault(t.key, []).append(i)
            self.parts.append((text, latin, where))

    def wording(self, phrase: tuple[str, ...]) -> str:
        """The gloss's words next to each other as the text has them ("fuel cells"), else the
        first occurrence of each, in the gloss's order."""
        if len(phrase) > 1:
            for text, latin, where in self.parts:
                for i in where.get(phrase[0], ()):
                    run = latin[i : i + len(phrase)]
                    if [r.key for r in run] == list(phrase) and all(
                        _GAP.fullmatch(text[a.end : b.start]) for a, b in zip(run, run[1:], strict=False)
                    ):
                        return text[run[0].start : run[-1].end]
        return " ".join(self.first.get(k, k) for k in phrase)


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
