"""English glosses of Japanese words, as extra BM25 keys: the lexical bridge between languages.

A Japanese word the index holds (燃料電池, 触媒, 糖鎖) also yields the English keys of its first
JMdict sense (fuel cell → "fuel", "cell"; catalyst; glycan, sugar chain), analysed as English
text is. A Japanese document then shares terms with an English query and the reverse, so BM25
can rank across languages and the fusion no longer depends on the dense side alone there.

The dictionary is JMdict as packaged by `jamdict-data` (an SQLite file inside the wheel; no
download). JMdict is © the Electronic Dictionary Research and Development Group, used under its
licence (CC BY-SA 4.0): docs/matching.md, "Cross-language terms".
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterable
from functools import cache, lru_cache
from importlib import resources

from .text import BIGRAM_PREFIX, has_japanese, index_terms

GLOSSES_PER_WORD = 2  # of the first sense: later ones are rarer meanings (分子: numerator, molecule)
MAX_GLOSS_WORDS = 4  # longer glosses are explanations, not translations
# A document's gloss keys are indexed under this prefix ("≈fuel"), in posting lists of their own:
# an English query then reads the English documents' "fuel" list in full and the Japanese
# documents' "≈fuel" list only where it needs it (index.py, ``gloss_scoring``).
GLOSS_PREFIX = "≈"
_PARENTHESES = re.compile(r"\([^)]*\)")
_lock = threading.Lock()


@cache
def _connection() -> sqlite3.Connection:
    try:
        path = resources.files("jamdict_data") / "jamdict.db"
    except ModuleNotFoundError as exc:  # a dependency of renkei: only a broken install lacks it
        raise RuntimeError("the matching engine needs the 'jamdict-data' package (JMdict) for its glosses") from exc
    return sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)


@lru_cache(maxsize=200_000)
def glosses(word: str) -> tuple[str, ...]:
    """The English glosses of ``word``'s first JMdict sense (written form first, then reading)."""
    with _lock:
        db = _connection()
        row = db.execute("SELECT idseq FROM Kanji WHERE text = ? ORDER BY ID LIMIT 1", (word,)).fetchone()
        if row is None:
            row = db.execute("SELECT idseq FROM Kana WHERE text = ? ORDER BY ID LIMIT 1", (word,)).fetchone()
        if row is None:
            return ()
        texts = db.execute(
            "SELECT g.text FROM SenseGloss g WHERE g.sid = (SELECT MIN(ID) FROM Sense WHERE idseq = ?)"
            " AND (g.lang = 'eng' OR g.lang IS NULL) ORDER BY g.rowid",
            (row[0],),
        ).fetchall()
    out: list[str] = []
    for (text,) in texts:
        gloss = " ".join(_PARENTHESES.sub(" ", text).split())
        if gloss and len(gloss.split()) <= MAX_GLOSS_WORDS:
            out.append(gloss)
        if len(out) == GLOSSES_PER_WORD:
            break
    return tuple(out)


@lru_cache(maxsize=200_000)
def gloss_phrases(key: str) -> tuple[tuple[str, ...], ...]:
    """The BM25 keys of each gloss of ``key``, one tuple per gloss (燃料電池 → (("fuel",
    "cell"),); 電池 → (("batteri",), ("cell",))): stemmed English words, stop words dropped; a
    gloss of stop words only is left out."""
    phrases = (tuple(index_terms(gloss, parts=False, pairs=False)) for gloss in glosses(key))
    return tuple(phrase for phrase in phrases if phrase)


def gloss_keys(key: str) -> tuple[str, ...]:
    """The BM25 keys of all of ``key``'s glosses, in order."""
    return tuple(k for phrase in gloss_phrases(key) for k in phrase)


def with_glosses(keys: Iterable[str], prefix: str = "") -> list[str]:
    """``keys`` followed by the gloss keys of each distinct Japanese word among them, each with
    ``prefix`` in front (character bigrams, "2:…", are not words and get none)."""
    keys = list(keys)
    extra: list[str] = []
    seen: set[str] = set()
    for key in keys:
        if key in seen or key.startswith(BIGRAM_PREFIX) or not has_japanese(key):
            continue
        seen.add(key)
        extra.extend(prefix + k for k in gloss_keys(key))
    return keys + extra
