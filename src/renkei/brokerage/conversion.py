"""Conversion through the introduction pipeline, for HQ: the share of introductions that reached
each stage, by coordinator and by fiscal year (April–March) of the introduction.

An introduction has reached a stage when it stood at that stage or a later one at some point
(stages may be skipped: an NDA signed at the first meeting counts as "met" too). A closed
introduction keeps the stages it reached before it was closed."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet

from renkei.brokerage.choices import PIPELINE
from renkei.brokerage.models import Introduction, StageChange
from renkei.core.fiscal import fiscal_year_of


@dataclass
class ConversionRow:
    """One group (a coordinator or a fiscal year): how many introductions, how many reached each
    stage of PIPELINE (in order) and the share of the group that did."""

    label: str
    total: int
    reached: list[int]

    @property
    def shares(self) -> list[float]:
        return [n / self.total if self.total else 0.0 for n in self.reached]

    @property
    def cells(self) -> list[tuple[int, int]]:
        """(count, whole percent) per stage, for the table."""
        return [(n, round(100 * share)) for n, share in zip(self.reached, self.shares, strict=True)]


def furthest_stage_index(introductions: QuerySet[Introduction]) -> dict[int, int]:
    """For each introduction, the index in PIPELINE of the furthest open stage it ever stood at."""
    furthest = dict.fromkeys(introductions.values_list("pk", flat=True), 0)
    order = {stage.value: i for i, stage in enumerate(PIPELINE)}
    changes = StageChange.objects.filter(introduction_id__in=list(furthest)).values_list("introduction_id", "to_stage")
    for introduction_id, to_stage in changes:
        if to_stage in order:
            furthest[introduction_id] = max(furthest[introduction_id], order[to_stage])
    return furthest


def _row(label: str, indexes: list[int]) -> ConversionRow:
    return ConversionRow(label, len(indexes), [sum(1 for i in indexes if i >= s) for s in range(len(PIPELINE))])


def compute_conversion(introductions: QuerySet[Introduction]) -> dict[str, list[ConversionRow]]:
    """Rows by coordinator (sorted by name), by fiscal year (in order) and one for all."""
    furthest = furthest_stage_index(introductions)
    by_coordinator: dict[str, list[int]] = defaultdict(list)
    by_year: dict[int, list[int]] = defaultdict(list)
    for intro in introductions.select_related("coordinator").order_by():
        index = furthest[intro.pk]
        name = intro.coordinator.get_full_name() or intro.coordinator.get_username()
        by_coordinator[name].append(index)
        by_year[fiscal_year_of(intro.introduced_on)].append(index)
    return {
        "coordinators": [_row(name, by_coordinator[name]) for name in sorted(by_coordinator)],
        "years": [_row(f"FY{year}", by_year[year]) for year in sorted(by_year)],
        "total": [_row("", list(furthest.values()))],
    }
