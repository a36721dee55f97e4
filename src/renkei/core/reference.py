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

from django.db import transaction

from renkei.core.models import BureauRegion, IndustryClass, Municipality, Prefecture, TechField

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


def read_rows(name: str) -> Iterator[dict[str, str]]:
    """The rows of one reference file as dicts of stripped strings."""
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            yield {key: (value or "").strip() for key, value in row.items()}


@transaction.atomic
def load_reference() -> ReferenceCounts:
    """Create or update every reference row; return how many of each the files hold."""
    regions = {}
    for row in read_rows("bureau_regions.csv"):
        regions[row["code"]], _ = BureauRegion.objects.update_or_create(
            code=row["code"],
            defaults={"name_ja": row["name_ja"], "name_en": row["name_en"], "sort_order": int(row["sort_order"])},
        )

    prefectures = 0
    for row in read_rows("prefectures.csv"):
        Prefecture.objects.update_or_create(
            code=row["code"],
            defaults={
                "name_ja": row["name_ja"],
                "name_en": row["name_en"],
                "name_kana": row["name_kana"],
                "region": regions[row["region"]],
            },
        )
        prefectures += 1

    municipalities = 0
    for row in read_rows("municipalities.csv"):
        # The first two digits of a local government code are the prefecture's JIS code.
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
    for row in read_rows("jsic_rev13.csv"):
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
        prefectures=prefectures,
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
