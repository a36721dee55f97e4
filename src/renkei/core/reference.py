"""Reference data every installation needs: METI bureau regions, the 47 prefectures, every
municipality of Japan (全国地方公共団体コード: cities, towns, villages, Tokyo's special wards and
the wards of designated cities), JSIC divisions and major groups of Rev.12 and Rev.13, and the
technology fields the clusters are tagged with.

The rows live as CSV files in `core/data/` (UTF-8, one header line). `load_reference()` creates
the rows that are missing and updates those that differ, so running it again changes nothing
unless a file changed. It never deletes: a municipality the file no longer lists keeps its row
(records and statistics may point at it); an abolished code is listed with `valid_until`.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from renkei.core.models import BureauRegion, IndustryClass, Municipality, Prefecture, TechField
from renkei.core.validators import validate_local_government_code

DATA_DIR = Path(__file__).resolve().parent / "data"
# The revision organisations are classified in; older revisions are loaded for old statistics.
JSIC_REVISION = "13"
# Each loaded JSIC revision and its file: the 12th (2007, applied to surveys from 2009 to 2013)
# and the 13th (2013, from 2014).
JSIC_FILES = {"12": "jsic_rev12.csv", "13": "jsic_rev13.csv"}
MUNICIPALITY_FIELDS = (
    "prefecture_id", "name_ja", "name_en", "name_kana", "kind", "parent_id", "valid_from", "valid_until",
)  # fmt: skip


@dataclass(frozen=True)
class ReferenceCounts:
    regions: int
    prefectures: int
    municipalities: int
    industries: int  # classes of the current revision (JSIC_REVISION)
    fields: int
    older_industries: tuple[tuple[str, int], ...] = ()  # (revision, classes) of the older ones

    def summary(self) -> str:
        older = "".join(f", {count} JSIC Rev.{revision} classes" for revision, count in self.older_industries)
        return (
            f"Reference data loaded: {self.regions} bureau regions, {self.prefectures} prefectures, "
            f"{self.municipalities} municipalities, {self.industries} JSIC Rev.{JSIC_REVISION} classes{older}, "
            f"{self.fields} technology fields."
        )


class ReferenceDataError(ValueError):
    """A reference file holds a row that cannot be loaded; the message names the file, line and field."""


def read_rows(name: str) -> Iterator[dict[str, str]]:
    """The rows of one reference file as dicts of stripped strings."""
    for _line, row in read_numbered_rows(name):
        yield row


def read_numbered_rows(name: str) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) for each data row of one reference file; the header is line 1."""
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        for row in reader:
            yield reader.line_num, {key: (value or "").strip() for key, value in row.items()}


def _bad_row(name: str, line: int, field: str, reason: str) -> ReferenceDataError:
    return ReferenceDataError(f"{name}, line {line}, field {field!r}: {reason}")


@transaction.atomic
def load_reference() -> ReferenceCounts:
    """Create or update every reference row; return how many of each the files hold."""
    regions = {}
    for row in read_rows("bureau_regions.csv"):
        regions[row["code"]], _ = BureauRegion.objects.update_or_create(
            code=row["code"],
            defaults={"name_ja": row["name_ja"], "name_en": row["name_en"], "sort_order": int(row["sort_order"])},
        )

    prefectures: set[str] = set()
    for line, row in read_numbered_rows("prefectures.csv"):
        if row["region"] not in regions:
            raise _bad_row("prefectures.csv", line, "region", f"unknown bureau region {row['region']!r}")
        if not (len(row["code"]) == 2 and row["code"].isdigit() and 1 <= int(row["code"]) <= 47):
            raise _bad_row("prefectures.csv", line, "code", f"{row['code']!r} is not a JIS code 01–47")
        Prefecture.objects.update_or_create(
            code=row["code"],
            defaults={
                "name_ja": row["name_ja"],
                "name_en": row["name_en"],
                "name_kana": row["name_kana"],
                "region": regions[row["region"]],
            },
        )
        prefectures.add(row["code"])

    municipalities = load_municipalities(prefectures)
    industries = {revision: load_industries(revision) for revision in JSIC_FILES}

    fields = 0
    for row in read_rows("tech_fields.csv"):
        TechField.objects.update_or_create(
            code=row["code"],
            defaults={"name_ja": row["name_ja"], "name_en": row["name_en"], "sort_order": int(row["sort_order"])},
        )
        fields += 1

    return ReferenceCounts(
        regions=len(regions),
        prefectures=len(prefectures),
        municipalities=municipalities,
        industries=industries[JSIC_REVISION],
        fields=fields,
        older_industries=tuple((rev, count) for rev, count in industries.items() if rev != JSIC_REVISION),
    )


def _date(name: str, line: int, field: str, text: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise _bad_row(name, line, field, f"{text!r} is not a date written YYYY-MM-DD") from None


def load_municipalities(prefectures: set[str]) -> int:
    """Create or update every municipality of municipalities.csv; return how many it lists.

    1. Check each row: the code and its check digit, its prefecture, its kind, its designated
       city (a city listed above it, in the same prefecture), its dates.
    2. Compare with the stored rows (one query) and write only what is new or changed, in bulk:
       the file lists about 1,900 rows and tests and the demo load it often.
    """
    name = "municipalities.csv"
    wanted: dict[str, Municipality] = {}
    for line, row in read_numbered_rows(name):
        code = row["code"]
        try:
            validate_local_government_code(code)
        except ValidationError as exc:
            raise _bad_row(name, line, "code", " ".join(exc.messages)) from exc
        # The first two digits of a local government code are the prefecture's JIS code.
        if code[:2] not in prefectures:
            raise _bad_row(name, line, "code", f"no prefecture {code[:2]} in prefectures.csv")
        if code in wanted:
            raise _bad_row(name, line, "code", f"{code} is listed twice")
        kind = row.get("kind", "")
        if kind not in Municipality.Kind.values:
            raise _bad_row(name, line, "kind", f"{kind!r} is not one of {Municipality.Kind.values}")
        parent = row.get("parent_code", "")
        if kind == Municipality.Kind.WARD:
            city = wanted.get(parent)
            if city is None or city.kind != Municipality.Kind.CITY or parent[:2] != code[:2]:
                reason = f"{parent!r} is not a city of the same prefecture listed above"
                raise _bad_row(name, line, "parent_code", reason)
        elif parent:
            raise _bad_row(name, line, "parent_code", "only a ward of a designated city has a parent city")
        valid_from = _date(name, line, "valid_from", row.get("valid_from", ""))
        valid_until = _date(name, line, "valid_until", row.get("valid_until", ""))
        if valid_from and valid_until and valid_until < valid_from:
            raise _bad_row(name, line, "valid_until", "ends before valid_from")
        wanted[code] = Municipality(
            code=code,
            prefecture_id=code[:2],
            name_ja=row["name_ja"],
            name_en=row["name_en"],
            name_kana=row["name_kana"],
            kind=kind,
            parent_id=parent or None,
            valid_from=valid_from,
            valid_until=valid_until,
        )
    stored = {m.code: m for m in Municipality.objects.filter(code__in=wanted)}
    # In code order, so a designated city is written before its wards.
    Municipality.objects.bulk_create([m for code, m in sorted(wanted.items()) if code not in stored], batch_size=500)
    changed: list[Municipality] = []
    for code, row in stored.items():
        if any(getattr(row, f) != getattr(wanted[code], f) for f in MUNICIPALITY_FIELDS):
            for f in MUNICIPALITY_FIELDS:
                setattr(row, f, getattr(wanted[code], f))
            changed.append(row)
    Municipality.objects.bulk_update(sorted(changed, key=lambda m: m.code), MUNICIPALITY_FIELDS, batch_size=500)
    return len(wanted)


def load_industries(revision: str) -> int:
    """Create or update the JSIC divisions and major groups of one revision; return how many."""
    name = JSIC_FILES[revision]
    # Divisions come before their major groups in the file, so each parent exists when needed.
    industries: dict[str, IndustryClass] = {}
    for line, row in read_numbered_rows(name):
        if row["parent_code"] and row["parent_code"] not in industries:
            raise _bad_row(name, line, "parent_code", f"{row['parent_code']!r} is not listed above it")
        if row["level"] not in IndustryClass.Level.values:
            raise _bad_row(name, line, "level", f"{row['level']!r} is not one of {IndustryClass.Level.values}")
        industries[row["code"]], _ = IndustryClass.objects.update_or_create(
            revision=revision,
            code=row["code"],
            defaults={
                "level": row["level"],
                "parent": industries[row["parent_code"]] if row["parent_code"] else None,
                "name_ja": row["name_ja"],
                "name_en": row["name_en"],
            },
        )
    return len(industries)


def reference_is_loaded() -> bool:
    """Whether the prefectures, every listed municipality, the JSIC major groups of each loaded
    revision and the technology fields are all present (the demo needs them)."""
    return (
        Prefecture.objects.count() >= 47
        and Municipality.objects.count() >= sum(1 for _ in read_rows("municipalities.csv"))
        and all(
            IndustryClass.objects.filter(revision=revision, level=IndustryClass.Level.MAJOR_GROUP).count()
            >= sum(1 for row in read_rows(file) if row["level"] == "major_group")
            for revision, file in JSIC_FILES.items()
        )
        and TechField.objects.filter(code__in=[row["code"] for row in read_rows("tech_fields.csv")]).count()
        == sum(1 for _ in read_rows("tech_fields.csv"))
    )
