"""Synthetic files in the exact NTA corporate number layout, for tests and benchmarks.

The values are invented (names from a small vocabulary, addresses from the 47 prefectures);
corporate numbers carry correct check digits; the layout (30 columns, quoting, dates, full-width
street numbers, CRLF) follows /work/shared/formats.md §1.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

from renkei.core.validators import corporate_number_check_digit

PREFECTURES = (
    ("01", "北海道", "Hokkaido"), ("02", "青森県", "Aomori"), ("03", "岩手県", "Iwate"), ("04", "宮城県", "Miyagi"),
    ("05", "秋田県", "Akita"), ("06", "山形県", "Yamagata"), ("07", "福島県", "Fukushima"), ("08", "茨城県", "Ibaraki"),
    ("09", "栃木県", "Tochigi"), ("10", "群馬県", "Gunma"), ("11", "埼玉県", "Saitama"), ("12", "千葉県", "Chiba"),
    ("13", "東京都", "Tokyo"), ("14", "神奈川県", "Kanagawa"), ("15", "新潟県", "Niigata"), ("16", "富山県", "Toyama"),
    ("17", "石川県", "Ishikawa"), ("18", "福井県", "Fukui"), ("19", "山梨県", "Yamanashi"), ("20", "長野県", "Nagano"),
    ("21", "岐阜県", "Gifu"), ("22", "静岡県", "Shizuoka"), ("23", "愛知県", "Aichi"), ("24", "三重県", "Mie"),
    ("25", "滋賀県", "Shiga"), ("26", "京都府", "Kyoto"), ("27", "大阪府", "Osaka"), ("28", "兵庫県", "Hyogo"),
    ("29", "奈良県", "Nara"), ("30", "和歌山県", "Wakayama"), ("31", "鳥取県", "Tottori"), ("32", "島根県", "Shimane"),
    ("33", "岡山県", "Okayama"), ("34", "広島県", "Hiroshima"), ("35", "山口県", "Yamaguchi"),
    ("36", "徳島県", "Tokushima"), ("37", "香川県", "Kagawa"), ("38", "愛媛県", "Ehime"), ("39", "高知県", "Kochi"),
    ("40", "福岡県", "Fukuoka"), ("41", "佐賀県", "Saga"), ("42", "長崎県", "Nagasaki"), ("43", "熊本県", "Kumamoto"),
    ("44", "大分県", "Oita"), ("45", "宮崎県", "Miyazaki"), ("46", "鹿児島県", "Kagoshima"),
    ("47", "沖縄県", "Okinawa"),
)  # fmt: skip
STEMS = ("みらい", "ひかり", "やまと", "さくら", "あおば", "とうほく", "きんき", "くろしお", "あさひ", "ほくりく")
TRADES = ("精工", "電子", "製作所", "バイオ", "化学", "ソフト", "光学", "工業", "食品", "医工ラボ")
KINDS = (("301", "株式会社"), ("305", "合同会社"), ("399", "一般社団法人"), ("302", "有限会社"))
FULL_WIDTH = str.maketrans("0123456789-", "０１２３４５６７８９－")


def corporate_number(base: int) -> str:
    """A valid 13-digit corporate number from a 12-digit base."""
    base12 = f"{base:012d}"
    return f"{corporate_number_check_digit(base12)}{base12}"


def corporation_line(sequence: int, base: int, rng: random.Random, process: str = "01", name_suffix: str = "") -> str:
    """One CRLF-terminated row of the 30-column layout."""
    pref_code, pref_ja, pref_en = PREFECTURES[base % 47]
    kind_code, kind_ja = KINDS[base % len(KINDS)]
    stem, trade = STEMS[rng.randrange(10)], TRADES[rng.randrange(10)]
    name = f"{kind_ja}{stem}{trade}{base % 9973}{name_suffix}"
    street = f"本町{base % 9 + 1}丁目{base % 97 + 1}-{base % 13 + 1}".translate(FULL_WIDTH)
    city_code = f"{201 + base % 30:03d}"
    post = f"{base % 10_000_000:07d}"
    return (
        f'{sequence},{corporate_number(base)},{process},0,2024-06-28,2015-10-05,"{name}",,{kind_code},'
        f'"{pref_ja}","架空市","{street}",,{pref_code},{city_code},{post},,,,,,,2015-10-05,1,'
        f'"{stem.upper()} Co., Ltd.","{pref_en}","{base % 97 + 1}-{base % 13 + 1} Honmachi, Kaku shi",,'
        f'"カブシキガイシャ",0\r\n'
    )


def corporation_lines(rows: int, seed: int = 7, start_base: int = 100_000_000_000, **kwargs) -> Iterator[str]:
    rng = random.Random(seed)
    for index in range(rows):
        yield corporation_line(index + 1, start_base + index * 7, rng, **kwargs)


def write_corporation_file(path: Path, rows: int, encoding: str = "utf-8", seed: int = 7, **kwargs) -> Path:
    """Write ROWS synthetic rows to PATH (a .csv) in ENCODING (utf-8 or cp932)."""
    with path.open("w", encoding=encoding, newline="") as handle:
        buffer: list[str] = []
        for line in corporation_lines(rows, seed=seed, **kwargs):
            buffer.append(line)
            if len(buffer) >= 10_000:
                handle.write("".join(buffer))
                buffer.clear()
        handle.write("".join(buffer))
    return path
