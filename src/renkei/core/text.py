"""Normalisation of names for search: one form for Japanese and English, kana and width."""

from __future__ import annotations

import unicodedata

import jaconv


def normalise_for_search(*parts: str | None) -> str:
    """Fold the given texts into one searchable string.

    NFKC turns full-width letters and half-width kana into their standard forms, katakana becomes
    hiragana so that ヤマダ and やまだ meet, and case is folded for English.
    """
    joined = " ".join(p for p in parts if p)
    folded = unicodedata.normalize("NFKC", joined)
    return jaconv.kata2hira(folded).casefold()
