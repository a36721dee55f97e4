"""Organisation look-up: what an organisation form fills in from the NTA corporate number
reference table (`imports.Corporation`), mapped onto the directory's own reference tables.

The JSON look-up (`imports:corporation-lookup`) adds these values to each result for the
browser; the form uses the same helper when it fills itself on the server (no JavaScript).
The imports app sits above the directory, so its models are imported inside the functions.
"""

from __future__ import annotations

import time
import unicodedata
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache

from renkei.core.models import Municipality, Prefecture
from renkei.core.validators import local_government_check_digit

# The designated cities (政令指定都市): the NTA gives a ward's code (札幌市中央区 01101), the
# directory keys the city (札幌市 011002). A ward's code follows its city's within the prefecture.
DESIGNATED_CITY_CODES = (
    "01100",  # 札幌市
    "04100",  # 仙台市
    "11100",  # さいたま市
    "12100",  # 千葉市
    "14100",  # 横浜市
    "14130",  # 川崎市
    "14150",  # 相模原市
    "15100",  # 新潟市
    "22100",  # 静岡市
    "22130",  # 浜松市
    "23100",  # 名古屋市
    "26100",  # 京都市
    "27100",  # 大阪市
    "27140",  # 堺市
    "28100",  # 神戸市
    "33100",  # 岡山市
    "34100",  # 広島市
    "40100",  # 北九州市
    "40130",  # 福岡市
    "43100",  # 熊本市
)

LOOKUP_RATE_LIMIT = 120  # look-ups a user may make per window (typing with a debounce: ~3 a second)
LOOKUP_RATE_WINDOW_SECONDS = 60


def municipality_code_for(prefecture_code: str, city_code: str) -> str:
    """The 6-digit local government code (with its check digit) of the NTA's prefecture and
    3-digit city code, a designated city's ward mapped to the city; "" when either is missing."""
    if not (len(prefecture_code) == 2 and len(city_code) == 3 and (prefecture_code + city_code).isdigit()):
        return ""
    code = prefecture_code + city_code
    if city_code.startswith("1") and not city_code.endswith("00"):
        cities = [c for c in DESIGNATED_CITY_CODES if c[:2] == prefecture_code and c <= code]
        if cities and code not in DESIGNATED_CITY_CODES:
            code = max(cities)
    return code + str(local_government_check_digit(code))


def bulk_form_values(corporations: Iterable[Any]) -> list[dict[str, object]]:
    """For each corporation, the values of the organisation form's fields: names, corporate
    number, postal code, address, and the prefecture and municipality codes when the directory's
    reference tables hold them (otherwise "" and the address keeps the city's name).

    `closed_on` (ISO date or None) and `municipality_label` are given for the look-up's display.
    Two queries whatever the number of corporations."""
    corporations = list(corporations)
    wanted = {municipality_code_for(c.prefecture_code, c.city_code) for c in corporations} - {""}
    municipalities = {m.code: m for m in Municipality.objects.filter(code__in=wanted).select_related("prefecture")}
    prefectures = set(
        Prefecture.objects.filter(code__in={c.prefecture_code for c in corporations}).values_list("code", flat=True)
    )
    values = []
    for corporation in corporations:
        prefecture = corporation.prefecture_code if corporation.prefecture_code in prefectures else ""
        municipality = municipalities.get(municipality_code_for(corporation.prefecture_code, corporation.city_code))
        if municipality is not None and municipality.prefecture_id != prefecture:
            municipality = None
        # The form has fields for the prefecture and municipality: the address holds the rest,
        # unless the municipality is not in the reference table, when its name stays there.
        street = corporation.street_number if municipality else corporation.city_name + corporation.street_number
        if not prefecture:
            street = corporation.prefecture_name + street
        post_code = corporation.post_code
        values.append(
            {
                "corporate_number": corporation.corporate_number,
                "name_ja": corporation.name,
                "name_en": corporation.name_en,
                "name_kana": corporation.furigana,
                "postal_code": f"{post_code[:3]}-{post_code[3:]}" if len(post_code) == 7 else "",
                "address": street or corporation.address_outside,
                "prefecture": prefecture,
                "municipality": municipality.code if municipality else "",
                "municipality_label": f"{municipality.prefecture.name} {municipality.name}" if municipality else "",
                "closed_on": corporation.close_date.isoformat() if corporation.close_date else None,
            }
        )
    return values


def normalise_lookup_text(text: str) -> str:
    """What was typed in the look-up box, NFKC-folded: a corporate number typed with an IME in
    full-width digits (「１２３…」, 「－」) is then found like one in ASCII digits; names match the
    same, as their look-up key is NFKC-folded anyway."""
    return unicodedata.normalize("NFKC", text).strip()


def get_form_values(corporate_number: str) -> dict[str, object] | None:
    """The form values of the corporation with this number, or None when the reference table
    does not hold it (deleted records and those excluded from search are not offered)."""
    from renkei.imports.services import get_corporation_matches

    digits = normalise_lookup_text(corporate_number).replace("-", "").replace(" ", "")
    if not (len(digits) == 13 and digits.isascii() and digits.isdigit()):
        return None
    matches = get_corporation_matches(digits, limit=1)
    return bulk_form_values(matches)[0] if matches else None


def reference_table_is_empty() -> bool:
    """Whether no corporate number file has been imported (a fresh installation)."""
    from renkei.imports.models import Corporation

    return not Corporation.objects.exists()


def can_import_corporations(user) -> bool:
    from renkei.imports.access import can_start_imports

    return can_start_imports(user)


def lookup_rate_exceeded(user) -> bool:
    """Count one look-up for the user and say whether they have gone past the limit of the
    current window (so a script cannot page through the table)."""
    window = int(time.time()) // LOOKUP_RATE_WINDOW_SECONDS
    key = f"directory:corporation-lookup:{getattr(user, 'pk', None)}:{window}"
    cache.add(key, 0, timeout=LOOKUP_RATE_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=LOOKUP_RATE_WINDOW_SECONDS)
        count = 1
    limit = getattr(settings, "CORPORATION_LOOKUP_RATE_LIMIT", LOOKUP_RATE_LIMIT)
    return count > limit


def get_corporations(text: str) -> list[Any]:
    """The corporations the look-up offers for a name or a corporate number."""
    from renkei.imports.services import get_corporation_matches

    return get_corporation_matches(normalise_lookup_text(text[:100]))
