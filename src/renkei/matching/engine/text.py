"""Text pipeline shared by indexing, querying and explanations.

1. ``normalize`` applies Unicode NFKC (full-width ASCII → half-width, half-width katakana →
   full-width, compatibility characters unfolded) and drops control characters.
2. ``analyze`` turns normalised text into terms. Text containing kana or kanji goes through
   SudachiPy (sudachidict_core) in split mode C; Latin-only text takes a fast regex path. In
   both paths Latin words are lower-cased and Snowball-stemmed, so "Fuel cells" inside a
   Japanese abstract meets "fuel cell" in an English one.
3. Japanese terms are Sudachi's normalised forms. Each mode-C word also contributes its
   mode-A parts (機械学習 → 機械, 学習), and every pair of adjacent nouns contributes the
   joined compound (燃料 + 電池 → 燃料電池), because no dictionary keeps every technical
   compound whole. Maximal noun runs (固体高分子形燃料電池) are produced for explanations.

Every term keeps the span it came from, so explanations can highlight it in the normalised text.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

BIGRAM_PREFIX = "2:"  # the keys of kana/kanji character bigrams

# Sudachi rejects inputs over 49,149 bytes; stay well below that (UTF-8 kanji take 3 bytes).
SUDACHI_MAX_BYTES = 40_000

_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u31f0-\u31ff]")
_LATIN_WORD = re.compile(r"[0-9a-zà-ɏ]+(?:['’][a-z]+)?", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ASCIIISH = re.compile(r"^[0-9A-Za-zÀ-ɏ'’.\-]+$")


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Kinds of term: a word of the text, a mode-A part of a longer word, or a noun compound.
WORD, PART, COMPOUND = "w", "p", "c"

ENGLISH_STOP_WORDS = _word_set(
    """
    a about above across after again against all almost also although always am among an and another
    any are aren't around as at be became because become been before being below between both but
    by can cannot could did do does doing done down during each either else etc even ever every
    few for from further had has have having he her here hers herself him himself his how however
    i if in into is isn't it it's its itself just least less made make many may me might more most
    much must my myself neither no nor not now of off often on once one only onto or other others
    our ours ourselves out over own per rather same several shall she should since so some such
    than that the their theirs them themselves then there therefore these they this those though
    through throughout thus to too toward towards under until up upon us very via was we well were
    what whatever when where whereas whether which while who whom whose why will with within without
    would yet you your yours yourself yourselves
    """
)

# Sudachi normalised forms that carry no topic: light verbs, formal nouns, demonstratives.
JAPANESE_STOP_WORDS = _word_set(
    """
    する 為る 有る ある 居る いる 成る なる れる られる せる させる 出来る できる 言う
    いう 思う 行う 用いる 図る 得る 於く 於いて 於ける 依る 因る 拠る 由る 対する 関する
    通す 通じる よる 因る 依る 於る 事 こと 物 もの 為 ため 様 よう 所 ところ 時
    とき 方 ほう 中 うち 等 など 他 ほか 上 下 後 前 此れ これ 其れ それ 彼れ あれ
    此の この 其の その 彼の あの 此処 ここ 其処 そこ 又 また 更に さらに 及び 並びに
    且つ かつ 若しくは 或いは 即ち 特に 本 当 各 諸 同 的 化 性 者 度 年 月 日
    回 つ 個 件 点 目 一 二 三 我々 我が 私 自ら 今 現在 場合 以上 以下 以外 以内
    全て 全く
    """
)

_KEEP_POS = frozenset({"名詞", "動詞", "形容詞", "形状詞", "接頭辞", "副詞"})
# Parts of speech that can sit inside a technical compound (産学官|連携, 固体|高|分子|形).
_COMPOUND_POS = frozenset({"名詞", "接頭辞", "接尾辞"})


@dataclass(frozen=True, slots=True)
class Term:
    """One analysed term: its index key, its surface text and where it sits in the text."""

    key: str
    surface: str
    start: int
    end: int
    kind: str = WORD


def normalize(text: str) -> str:
    """NFKC-normalise ``text`` (width folding included) and drop control characters."""
    return _CONTROL.sub(" ", unicodedata.normalize("NFKC", text))


def has_japanese(text: str) -> bool:
    return _JAPANESE.search(text) is not None


@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    import Stemmer

    return Stemmer.Stemmer("english")


_local = threading.local()


def _sudachi():  # type: ignore[no-untyped-def]
    """One Sudachi tokenizer per thread: the Rust object is not shareable across threads."""
    tokenizer = getattr(_local, "tokenizer", None)
    if tokenizer is None:
        from sudachipy import Dictionary

        tokenizer = _local.tokenizer = Dictionary(dict="core").tokenizer()
    return tokenizer


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return _stemmer().stemWord(word)


def latin_key(word: str) -> str | None:
    """Index key of a Latin word, or None for a stop word or a lone letter."""
    lower = word.lower().replace("’", "'")
    if lower.endswith("'s"):
        lower = lower[:-2]
    if lower in ENGLISH_STOP_WORDS or (len(lower) < 2 and not lower.isdigit()):
        return None
    return stem(lower)


def _latin_terms(text: str, offset: int = 0) -> Iterator[Term]:
    for match in _LATIN_WORD.finditer(text):
        key = latin_key(match.group())
        if key is not None:
            yield Term(key, match.group(), offset + match.start(), offset + match.end())


def sudachi_chunks(text: str, limit: int = SUDACHI_MAX_BYTES) -> Iterator[tuple[int, str]]:
    """Split ``text`` into (offset, chunk) pieces under ``limit`` UTF-8 bytes.

    Cuts after a sentence end or line break when one is near, else at any character, so no
    single Sudachi call sees more than its 49,149-byte input limit.
    """
    start = 0
    while start < len(text):
        # Four bytes per character is the UTF-8 worst case, so this many characters always fit.
        end = min(len(text), start + limit // 4)
        if end < len(text):
            window = text[start:end]
            cut = max(window.rfind(c) for c in "。\n．!?！？.")
            if cut > len(window) // 2:
                end = start + cut + 1
        yield start, text[start:end]
        start = end


def _japanese_terms(text: str, *, compounds_whole: bool, parts: bool = True, pairs: bool = True) -> Iterator[Term]:
    from sudachipy import SplitMode

    tokenizer = _sudachi()
    for offset, chunk in sudachi_chunks(text):
        run: list[tuple[str, str, int, int, str]] = []  # (key, surface, start, end, pos0) of a noun run
        for m in tokenizer.tokenize(chunk, SplitMode.C):
            surface = m.surface()
            start, end = offset + m.begin(), offset + m.end()
            pos = m.part_of_speech()
            pos0 = pos[0]
            if _ASCIIISH.match(surface):
                # Latin word or number inside Japanese text: treat it like English, because
                # Sudachi would otherwise normalise some English words to katakana.
                terms = list(_latin_terms(surface, start))
                yield from terms
                if pos0 == "名詞" and terms:
                    run.append((terms[-1].key, surface, start, end, pos0))
                    continue
                yield from _flush_run(run, compounds_whole, pairs)
                run = []
                continue
            key = m.normalized_form()
            if pos0 in _COMPOUND_POS and pos[1] != "数詞" and key not in JAPANESE_STOP_WORDS:
                run.append((key, surface, start, end, pos0))
            else:
                yield from _flush_run(run, compounds_whole, pairs)
                run = []
            if pos0 not in _KEEP_POS or key in JAPANESE_STOP_WORDS or pos[1] == "数詞":
                continue
            yield Term(key, surface, start, end, WORD)
            if parts and end - start > 2:
                parts = m.split(SplitMode.A)
                if len(parts) > 1:
                    for part in parts:
                        part_key = part.normalized_form()
                        if part_key not in JAPANESE_STOP_WORDS and len(part_key) > 1:
                            yield Term(part_key, part.surface(), offset + part.begin(), offset + part.end(), PART)
        yield from _flush_run(run, compounds_whole, pairs)


def _flush_run(run: list[tuple[str, str, int, int, str]], whole: bool, pairs: bool = True) -> Iterator[Term]:
    """Compounds of a run of adjacent nouns: each adjacent pair, and the whole run if asked."""
    if len(run) < 2:
        return
    for (k1, s1, b1, _, p1), (k2, s2, _, e2, p2) in zip(run, run[1:], strict=False) if pairs else ():
        # A suffix binds to the word before it and a prefix to the word after it.
        if p1 == "接尾辞" or p2 == "接頭辞":
            continue
        yield Term(k1 + k2, s1 + s2, b1, e2, COMPOUND)
    if whole and len(run) > 2:
        while run and run[0][4] == "接尾辞":
            run = run[1:]
        if len(run) > 2:
            yield Term("".join(r[0] for r in run), "".join(r[1] for r in run), run[0][2], run[-1][3], COMPOUND)


def analyze(
    text: str, *, normalized: bool = False, compounds_whole: bool = False, parts: bool = True, pairs: bool = True
) -> list[Term]:
    """Terms of ``text`` with spans in the normalised text.

    ``compounds_whole`` also yields each maximal noun run (used for explanations, where
    固体高分子形燃料電池 reads better than its pairs); indexing leaves it off.
    """
    if not normalized:
        text = normalize(text)
    if has_japanese(text):
        return list(_japanese_terms(text, compounds_whole=compounds_whole, parts=parts, pairs=pairs))
    return list(_latin_terms(text))


def index_terms(text: str, *, parts: bool = True, pairs: bool = True, bigrams: bool = False) -> list[str]:
    """The keys BM25 indexes for ``text``: words, their mode-A parts and adjacent-noun pairs.

    ``bigrams`` adds the character bigrams of every kana/kanji run (keys prefixed "2:"), a
    second view that matches inside compounds the dictionary does not split.
    """
    keys = [term.key for term in analyze(text, parts=parts, pairs=pairs)]
    if bigrams:
        keys += cjk_bigrams(normalize(text))
    return keys


_CJK_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def cjk_bigrams(text: str) -> list[str]:
    out = []
    for match in _CJK_RUN.finditer(text):
        run = match.group()
        out.extend(BIGRAM_PREFIX + run[i : i + 2] for i in range(max(1, len(run) - 1)))
    return out


_PASSAGE_BREAK = re.compile(r"(?<=[。．！？!?])|(?<=[.;:] )|\s*\|\|\s*|\s*／\s*|\n+")


def split_passages(text: str, *, size: int = 400) -> list[tuple[int, int]]:
    """Cut ``text`` into passages of about ``size`` characters at sentence boundaries.

    Returns (start, end) spans. Sentences are merged greedily up to ``size``; a sentence
    longer than ``size`` becomes its own passage, cut at ``size`` characters if longer than twice that.
    """
    spans: list[tuple[int, int]] = []
    position = 0
    pieces: list[tuple[int, int]] = []
    for match in _PASSAGE_BREAK.finditer(text):
        if match.start() > position:
            pieces.append((position, match.start()))
        position = max(position, match.end())
    if position < len(text):
        pieces.append((position, len(text)))
    current: tuple[int, int] | None = None
    for start, end in pieces:
        if not text[start:end].strip():
            continue
        while end - start > 2 * size:
            if current:
                spans.append(current)
                current = None
            spans.append((start, start + size))
            start += size
        if current and end - current[0] <= size:
            current = (current[0], end)
        else:
            if current:
                spans.append(current)
            current = (start, end)
    if current:
        spans.append(current)
    return spans
