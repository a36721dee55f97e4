"""Reference data every installation needs: METI bureau regions, the 47 prefectures, the
municipalities the demo and the programmes use, JSIC Rev.13 divisions and major groups, and the
technology fields the clusters are tagged with.

The rows live as CSV files in `core/data/` (UTF-8, one header line). `load_reference()` writes
them with update_or_create, so running it again changes nothing unless a file changed.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from renkei.core.models import BureauRegion, IndustryClass, Municipality, Prefecture, TechField
from renkei.core.validators import validate_local_government_code

DATA_DIR = Path(__file__).resolve().parent / "data"
JSIC_REVISION = "13"


@dataclass(frozen=True)
class ReferenceCounts:
    regions: int
    prefectures: int
    municipalities: int
    industries: int
    fields: int

    def summary(self) -> str:
        return (
            f"Reference data loaded: {self.regions} bureau regions, {self.prefectures} prefectures, "
            f"{self.municipalities} municipalities, {self.industries} JSIC Rev.{JSIC_REVISION} classes, "
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

    municipalities = 0
    for line, row in read_numbered_rows("municipalities.csv"):
        try:
            validate_local_government_code(row["code"])
        except ValidationError as exc:
            raise _bad_row("municipalities.csv", line, "code", " ".join(exc.messages)) from exc
        # The first two digits of a local government code are the prefecture's JIS code.
        if row["code"][:2] not in prefectures:
            raise _bad_row("municipalities.csv", line, "code", f"no prefecture {row['code'][:2]} in prefectures.csv")
        Municipality.objects.update_or_create(
            code=row["code"],
            defaults={
                "prefecture_id": row["code"][:2],
                "name_ja": row["name_ja"],
                "name_en": row["name_en"],
                "name_kana": row["name_kana"],
            },
        )
        municipalities += 1

    # Divisions come before their major groups in the file, so each parent exists when needed.
    industries: dict[str, IndustryClass] = {}
    for line, row in read_numbered_rows("jsic_rev13.csv"):
        if row["parent_code"] and row["parent_code"] not in industries:
            raise _bad_row("jsic_rev13.csv", line, "parent_code", f"{row['parent_code']!r} is not listed above it")
        if row["level"] not in IndustryClass.Level.values:
            raise _bad_row(
                "jsic_rev13.csv", line, "level", f"{row['level']!r} is not one of {IndustryClass.Level.values}"
            )
        industries[row["code"]], _ = IndustryClass.objects.update_or_create(
            revision=JSIC_REVISION,
            code=row["code"],
            defaults={
                "level": row["level"],
                "parent": industries[row["parent_code"]] if row["parent_code"] else None,
                "name_ja": row["name_ja"],
                "name_en": row["name_en"],
            },
        )

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
        industries=len(industries),
        fields=fields,
    )


def reference_is_loaded() -> bool:
    """Whether the prefectures and JSIC major groups are all present (the demo needs both)."""
    return (
        Prefecture.objects.count() >= 47
        and IndustryClass.objects.filter(revision=JSIC_REVISION, level=IndustryClass.Level.MAJOR_GROUP).count() >= 99
        and TechField.objects.filter(code__in=[row["code"] for row in read_rows("tech_fields.csv")]).count()
        == sum(1 for _ in read_rows("tech_fields.csv"))
    )
