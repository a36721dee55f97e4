"""One search across seeds, needs and capabilities, as a user may see them.

The engine ranks; this module decides what it may rank: `allowed_ids` turns the user's
visibility and the page's filters into the engine's `allow` set, and `run_search` turns the
engine's matches back into rows with their reasons (shared terms, highlighted passage)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from renkei.directory.access import visible_organisations
from renkei.directory.models import Organisation
from renkei.matching import access, indexing
from renkei.matching.engine import Match
from renkei.matching.models import Need, Seed

KINDS = ("seed", "need", "org")
MAX_QUERY_CHARS = 5000
# A match sharing no term with the query is kept only when it is this close in meaning. Unrelated
# texts score about 0.1–0.3 with the multilingual model; a Japanese need and the English seed on
# the same topic score above 0.5 (tests/matching/test_alerts.py, test_pages.py).
MIN_COSINE = 0.45


def is_relevant(match: Match) -> bool:
    """Worth suggesting unprompted: shares a term with the query, or is close in meaning."""
    if match.explanation is not None and match.explanation.shared_terms:
        return True
    return (match.dense_score or 0.0) >= MIN_COSINE


@dataclass
class SearchFilters:
    kinds: tuple[str, ...] = KINDS
    field: str = ""  # TechField code
    prefecture: str = ""  # JIS code
    region: str = ""  # BureauRegion code
    organisation_kind: str = ""
    programme: str = ""  # Programme code
    cluster: str = ""  # Cluster code
    stage: str = ""
    since: dt.date | None = None

    @property
    def on_organisation(self) -> bool:
        """Filters that describe the owner: an anonymised listing must not answer them."""
        return bool(self.prefecture or self.region or self.organisation_kind)

    @classmethod
    def from_cleaned(cls, data: dict[str, Any]) -> SearchFilters:
        kinds = tuple(data.get("kind") or ()) or KINDS
        return cls(
            kinds=kinds,
            field=getattr(data.get("field"), "code", "") or "",
            prefecture=getattr(data.get("prefecture"), "code", "") or "",
            region=getattr(data.get("region"), "code", "") or "",
            organisation_kind=data.get("organisation_kind") or "",
            programme=getattr(data.get("programme"), "code", "") or "",
            cluster=getattr(data.get("cluster"), "code", "") or "",
            stage=data.get("stage") or "",
            since=data.get("since"),
        )


def _listing_q(f: SearchFilters) -> Q:
    q = Q()
    if f.field:
        q &= Q(fields__code=f.field)
    if f.prefecture:
        q &= Q(organisation__prefecture_id=f.prefecture)
    if f.region:
        q &= Q(organisation__prefecture__region__code=f.region)
    if f.organisation_kind:
        q &= Q(organisation__kind=f.organisation_kind)
    if f.cluster:
        q &= Q(clusters__code=f.cluster)
    if f.programme:
        q &= Q(clusters__programme__code=f.programme)
    if f.since:
        q &= Q(created_at__date__gte=f.since)
    return q


def _organisation_q(f: SearchFilters) -> Q:
    q = ~Q(capability="")
    if f.field:
        q &= Q(fields__code=f.field)
    if f.prefecture:
        q &= Q(prefecture_id=f.prefecture)
    if f.region:
        q &= Q(prefecture__region__code=f.region)
    if f.organisation_kind:
        q &= Q(kind=f.organisation_kind)
    if f.cluster:
        q &= Q(memberships__cluster__code=f.cluster)
    if f.programme:
        q &= Q(memberships__cluster__programme__code=f.programme)
    if f.since:
        q &= Q(updated_at__date__gte=f.since)
    return q


def allowed_ids(user, filters: SearchFilters | None = None) -> set[str]:
    """Document ids the user may see that pass the filters."""
    f = filters or SearchFilters()
    ids: set[str] = set()
    if "seed" in f.kinds:
        seeds = access.visible_seeds(user).filter(_listing_q(f))
        if f.stage:
            seeds = seeds.filter(stage=f.stage)
        if f.on_organisation:
            seeds = seeds.exclude(pk__in=access.anonymised_hidden_from(user, Seed))
        ids |= {f"seed-{pk}" for pk in seeds.values_list("pk", flat=True)}
    if "need" in f.kinds and not f.stage:
        needs = access.visible_needs(user).filter(_listing_q(f))
        if f.on_organisation:
            needs = needs.exclude(pk__in=access.anonymised_hidden_from(user, Need))
        ids |= {f"need-{pk}" for pk in needs.values_list("pk", flat=True)}
    if "org" in f.kinds and not f.stage:
        orgs = visible_organisations(user).filter(_organisation_q(f))
        ids |= {f"org-{pk}" for pk in orgs.values_list("pk", flat=True)}
    return ids


@dataclass
class Result:
    kind: str  # "seed", "need" or "org"
    obj: Seed | Need | Organisation
    match: Match
    show_owner: bool = True
    terms: list[str] = field(default_factory=list)
    passage: SafeString = mark_safe("")
    by_meaning: bool = False

    @property
    def title(self) -> str:
        return self.obj.title if self.kind != "org" else self.obj.name


def highlighted(match: Match) -> SafeString:
    """The best passage, HTML-escaped first, then the matched spans wrapped in <mark>."""
    explanation = match.explanation
    if explanation is None or explanation.passage is None:
        return mark_safe("")
    return mark_safe(explanation.passage.marked("<mark>", "</mark>", escape=escape))  # noqa: S308 - escaped above


def results_for(user, matches: list[Match]) -> list[Result]:
    """Load the rows behind matches (one query per kind) and attach their reasons."""
    wanted: dict[str, list[int]] = {"seed": [], "need": [], "org": []}
    for m in matches:
        kind, pk = indexing.parse_doc_id(m.id)
        wanted[kind].append(pk)
    rows: dict[str, dict[int, Any]] = {
        # Fetched through the access helpers once more: the index may be a moment behind.
        "seed": access.visible_seeds(user).select_related("organisation").in_bulk(wanted["seed"]),
        "need": access.visible_needs(user).select_related("organisation").in_bulk(wanted["need"]),
        "org": visible_organisations(user).in_bulk(wanted["org"]),
    }
    out = []
    for m in matches:
        kind, pk = indexing.parse_doc_id(m.id)
        obj = rows[kind].get(pk)
        if obj is None:
            continue
        explanation = m.explanation
        out.append(
            Result(
                kind=kind,
                obj=obj,
                match=m,
                show_owner=kind == "org" or access.shows_owner(user, obj),
                terms=explanation.terms if explanation else [],
                passage=highlighted(m),
                by_meaning=bool(explanation and explanation.passage_by == "meaning"),
            )
        )
    return out


class IndexMissing(Exception):
    """The platform index has not been built yet (run `renkei reindex`)."""


def run_search(user, text: str, filters: SearchFilters | None = None, *, top: int = 20) -> list[Result]:
    text = (text or "").strip()[:MAX_QUERY_CHARS]
    if not text:
        return []
    index = indexing.get_index()
    if index is None:
        raise IndexMissing
    allow = allowed_ids(user, filters)
    if not allow:
        return []
    return results_for(user, index.search(text, top=top, allow=allow))


def need_text(need: Need) -> str:
    return "\n".join(t for t in (need.title_ja, need.title_en, need.description_ja, need.description_en) if t)
