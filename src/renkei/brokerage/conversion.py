"""Conversion through the introduction pipeline, for HQ: the share of introductions that reached
each stage, by coordinator, by fiscal year (April–March) of the introduction and by technology
field.

An introduction has reached a stage when it stood at that stage or a later one at some point
(stages may be skipped: an NDA signed at the first meeting counts as "met" too). A closed
introduction keeps the stages it reached before it was closed.

The fields of an introduction are those of the need and seed it was made for; when these name
none (or there are none), those of the two parties (organisations and people). An introduction
in several fields counts in each, so the rows by field may add up to more than the total."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet

from renkei.brokerage.choices import PIPELINE
from renkei.brokerage.models import Introduction, StageChange
from renkei.brokerage.services import user_name
from renkei.core.fiscal import fiscal_year_of
from renkei.core.models import TechField
from renkei.directory.models import Organisation, Person
from renkei.matching.models import Need, Seed


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


def _field_links(model, ids: set[int]) -> dict[int, set[int]]:
    """{record id: its technology field ids} for records of a model with a `fields` relation."""
    through = model.fields.through
    owner = f"{model._meta.model_name}_id"
    links: dict[int, set[int]] = defaultdict(set)
    for record_id, field_id in through.objects.filter(**{f"{owner}__in": ids}).values_list(owner, "techfield_id"):
        links[record_id].add(field_id)
    return links


def introduction_fields(introductions: QuerySet[Introduction]) -> dict[int, set[int]]:
    """For each introduction, the ids of its technology fields (see the module docstring)."""
    rows = list(
        introductions.order_by().values_list(
            "pk",
            "source_need_id",
            "source_seed_id",
            "party_a_organisation_id",
            "party_b_organisation_id",
            "party_a_person_id",
            "party_b_person_id",
        )
    )
    need = _field_links(Need, {r[1] for r in rows if r[1]})
    seed = _field_links(Seed, {r[2] for r in rows if r[2]})
    org = _field_links(Organisation, {x for r in rows for x in r[3:5] if x})
    person = _field_links(Person, {x for r in rows for x in r[5:7] if x})
    fields: dict[int, set[int]] = {}
    for pk, need_id, seed_id, org_a, org_b, person_a, person_b in rows:
        found = need.get(need_id, set()) | seed.get(seed_id, set())
        if not found:
            found = (
                org.get(org_a, set())
                | org.get(org_b, set())
                | person.get(person_a, set())
                | person.get(person_b, set())
            )
        fields[pk] = found
    return fields


def _row(label: str, indexes: list[int]) -> ConversionRow:
    return ConversionRow(label, len(indexes), [sum(1 for i in indexes if i >= s) for s in range(len(PIPELINE))])


def compute_conversion(
    introductions: QuerySet[Introduction], *, field: TechField | None = None, no_field_label: str = "—"
) -> dict[str, list[ConversionRow]]:
    """Rows by coordinator (sorted by name), by fiscal year (in order), by technology field (in
    the fields' order, then those without a field) and one for all. With `field`, only the
    introductions in that field count."""
    fields_of = introduction_fields(introductions)
    if field is not None:
        introductions = introductions.filter(pk__in=[pk for pk, ids in fields_of.items() if field.pk in ids])
    furthest = furthest_stage_index(introductions)
    by_coordinator: dict[str, list[int]] = defaultdict(list)
    by_year: dict[int, list[int]] = defaultdict(list)
    by_field: dict[int | None, list[int]] = defaultdict(list)
    for intro in introductions.select_related("coordinator").order_by():
        index = furthest[intro.pk]
        by_coordinator[user_name(intro.coordinator)].append(index)
        by_year[fiscal_year_of(intro.introduced_on)].append(index)
        for field_id in fields_of[intro.pk] or {None}:
            by_field[field_id].append(index)
    tech_fields = TechField.objects.filter(pk__in=[f for f in by_field if f is not None])
    field_rows = [_row(str(f.name), by_field[f.pk]) for f in tech_fields]
    if None in by_field:
        field_rows.append(_row(no_field_label, by_field[None]))
    return {
        "coordinators": [_row(name, by_coordinator[name]) for name in sorted(by_coordinator)],
        "years": [_row(f"FY{year}", by_year[year]) for year in sorted(by_year)],
        "fields": field_rows,
        "total": [_row("", list(furthest.values()))],
    }
