"""One search across seeds, needs and capabilities, as a user may see them.

The engine ranks; this module decides what it may rank: `allow_mask` turns the user's
visibility and the page's filters into the engine's `allow` mask over the index's fields, and
`run_search` turns the engine's matches back into rows with their reasons (shared terms,
highlighted passage), keeping only rows the database says the user may see (`visible_rows`)."""

from __future__ import annotations

import datetime as dt
import weakref
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Q, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from renkei.accounts.scope import Scope, scope_for
from renkei.core.models import Visibility
from renkei.directory.access import SIGNED_IN_LEVELS, visible_organisations
from renkei.directory.models import Organisation
from renkei.matching import access, indexing
from renkei.matching.choices import ListingVisibility
from renkei.matching.engine import Match, MatchIndex, SharedTerm
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


def visible_rows(user, filters: SearchFilters | None = None) -> dict[str, QuerySet]:
    """The database's answer: for each kind, the rows the user may see that pass the filters.

    The search ranks over ``allow_mask`` (the same rules over the index's fields) and keeps only
    the results these querysets hold, so a listing changed a moment ago is never shown on the
    strength of its indexed fields."""
    f = filters or SearchFilters()
    seeds = access.visible_seeds(user).filter(_listing_q(f))
    needs = access.visible_needs(user).filter(_listing_q(f))
    if f.stage:
        seeds = seeds.filter(stage=f.stage)
    rows = {"seed": seeds, "need": needs, "org": visible_organisations(user).filter(_organisation_q(f))}
    for kind, model in (("seed", Seed), ("need", Need)):
        if f.on_organisation and _kind_searched(kind, f):
            rows[kind] = rows[kind].exclude(pk__in=access.anonymised_hidden_from(user, model))
    return {kind: qs if _kind_searched(kind, f) else qs.none() for kind, qs in rows.items()}


def _kind_searched(kind: str, f: SearchFilters) -> bool:
    return kind in f.kinds and (kind == "seed" or not f.stage)  # only seeds have a stage


def allow_mask(index: MatchIndex, user, filters: SearchFilters | None = None) -> np.ndarray:
    """The index positions the user may see that pass the filters: the engine's ``allow``.

    The rules of ``access`` and ``visible_rows``, applied to the documents' fields
    (indexing.py) as boolean arrays: a few milliseconds at a million documents, where a set of
    ids from the database took seconds. Proved equal to ``visible_rows`` by
    tests/matching/test_search_masks.py."""
    f = filters or SearchFilters()
    scope = scope_for(user)
    kinds = [kind for kind in KINDS if _kind_searched(kind, f)]
    if not kinds:
        return np.zeros(len(index.documents), dtype=bool)
    mask = index.field_mask(kind=kinds) & _visible_mask(index, user, scope) & _filter_mask(index, f)
    if f.on_organisation and not scope.reads_all:
        mask &= ~_anonymised_hidden_mask(index, user, scope)
    return mask


def seed_mask(index: MatchIndex, user) -> np.ndarray:
    """The seeds the user may see (``access.visible_seeds`` over the index): what alerts and a
    need's seed suggestions rank. Proved equal by tests/matching/test_suggestion_masks.py."""
    return allow_mask(index, user, SearchFilters(kinds=("seed",)))


def partner_mask(index: MatchIndex, user, need: Need) -> np.ndarray:
    """What may count as partner evidence for ``need`` (partners.py): seeds the user may see
    whose owner they may know, and the capabilities of organisations they may see, the need's
    own organisation left out. Proved equal to the database's rule by
    tests/matching/test_suggestion_masks.py."""
    scope = scope_for(user)
    visible = allow_mask(index, user, SearchFilters(kinds=("seed", "org")))
    seeds = visible & index.field_mask(kind="seed")
    if not scope.reads_all:
        seeds &= ~_anonymised_hidden_mask(index, user, scope)
    organisations = visible & index.field_mask(kind="org")
    organisations &= ~index.field_mask(kind="org", organisation=need.organisation_id)
    return seeds | organisations


def mask_allows(index: MatchIndex, mask: np.ndarray, doc_id: str) -> bool:
    """Whether the document is in the index and allowed by ``mask``."""
    position = index.positions.get(doc_id)
    return position is not None and bool(mask[position])


# What a visitor (not signed in) may see, per loaded index: the same for every visitor, and the
# site's most common search (five field masks, ~6 ms at a million documents; benchmarks.md).
_VISITOR_MASKS: weakref.WeakKeyDictionary[MatchIndex, np.ndarray] = weakref.WeakKeyDictionary()


def _visible_mask(index: MatchIndex, user, scope: Scope) -> np.ndarray:
    if scope.authenticated or scope.reads_all:
        return _visible_mask_of(index, user, scope)
    cached = _VISITOR_MASKS.get(index)
    # A position's document never changes (an edit appends a new version), so the mask holds
    # while the index has as many positions; a removal only clears ``alive``, which every
    # search ANDs in.
    if cached is None or len(cached) != len(index.documents):
        cached = _VISITOR_MASKS[index] = _visible_mask_of(index, user, scope)
        cached.flags.writeable = False  # shared: callers combine it into new arrays
    return cached


def _visible_mask_of(index: MatchIndex, user, scope: Scope) -> np.ndarray:
    listings = index.field_mask(kind=["seed", "need"])
    organisations = index.field_mask(kind="org")
    if scope.reads_all:
        return listings | organisations
    return (listings & _listing_rule(index, user, scope)) | (organisations & _organisation_rule(index, scope))


def _listing_rule(index: MatchIndex, user, scope: Scope) -> np.ndarray:
    """access._visible_q over the index: public, or the user's clusters, or their own."""
    mask = index.field_mask(visibility=ListingVisibility.PUBLIC)
    if not scope.authenticated:
        return mask
    mask |= index.field_mask(visibility=ListingVisibility.CLUSTER, clusters=access.member_cluster_ids(scope))
    mask |= index.field_mask(visibility=ListingVisibility.COORDINATORS, clusters=scope.staff_cluster_ids)
    return mask | _owned_mask(index, user, scope)


def _owned_mask(index: MatchIndex, user, scope: Scope) -> np.ndarray:
    return index.field_mask(organisation=scope.own_organisation_ids) | index.field_mask(created_by=user.pk)


def _organisation_rule(index: MatchIndex, scope: Scope) -> np.ndarray:
    """directory.access's organisation rule over the index."""
    if not scope.authenticated:
        return index.field_mask(org_visibility=Visibility.PUBLIC)
    staff = Organisation.objects.filter(scope.staff_organisations_q()).values_list("pk", flat=True)
    return index.field_mask(org_visibility=SIGNED_IN_LEVELS) | index.field_mask(
        organisation=set(staff) | scope.own_organisation_ids
    )


def _anonymised_hidden_mask(index: MatchIndex, user, scope: Scope) -> np.ndarray:
    """access.anonymised_hidden_from over the index: anonymised listings whose owner the user
    may not know (an owner filter must not single them out)."""
    hidden = index.field_mask(anonymised=True)
    if scope.authenticated:
        hidden &= ~_owned_mask(index, user, scope) & ~index.field_mask(clusters=scope.staff_cluster_ids)
    return hidden


def _filter_mask(index: MatchIndex, f: SearchFilters) -> np.ndarray:
    """The page's filters as ``_listing_q`` and ``_organisation_q`` apply them."""
    wanted = {
        "tech_fields": f.field,
        "prefecture": f.prefecture,
        "region": f.region,
        "organisation_kind": f.organisation_kind,
        "cluster_codes": f.cluster,
        "programmes": f.programme,
        "stage": f.stage,
    }
    mask = index.field_mask(**{name: value for name, value in wanted.items() if value})
    if f.since:
        since = f.since.isoformat()
        mask &= index.field_mask(created=[day for day in index.field_values("created") if day >= since])
    return mask


@dataclass
class Result:
    kind: str  # "seed", "need" or "org"
    obj: Seed | Need | Organisation
    match: Match
    show_owner: bool = True
    terms: list[str] = field(default_factory=list)
    passage: SafeString = mark_safe("")
    by_meaning: bool = False
    # The same terms with what they stand for in the query when shared through a translation.
    shared_terms: tuple[SharedTerm, ...] = ()

    @property
    def title(self) -> str:
        return self.obj.title if self.kind != "org" else self.obj.name


def highlighted(match: Match) -> SafeString:
    """The best passage, HTML-escaped first, then the matched spans wrapped in <mark>."""
    explanation = match.explanation
    if explanation is None or explanation.passage is None:
        return mark_safe("")
    return mark_safe(explanation.passage.marked("<mark>", "</mark>", escape=escape))  # noqa: S308 - escaped above


def results_for(user, matches: list[Match], filters: SearchFilters | None = None) -> list[Result]:
    """Load the rows behind matches (one query per kind) and attach their reasons. Only rows
    the user may see (and, with ``filters``, that pass them) are kept."""
    wanted: dict[str, list[int]] = {"seed": [], "need": [], "org": []}
    for m in matches:
        kind, pk = indexing.parse_doc_id(m.id)
        wanted[kind].append(pk)
    # Fetched through the access helpers once more: the index may be a moment behind.
    querysets = visible_rows(user, filters)
    rows: dict[str, dict[int, Any]] = {
        kind: (qs if kind == "org" else qs.select_related("organisation")).in_bulk(wanted[kind])
        for kind, qs in querysets.items()
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
                shared_terms=explanation.shared_terms if explanation else (),
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
    if index is None or not indexing.has_current_fields(index):
        raise IndexMissing
    allow = allow_mask(index, user, filters)
    if not allow.any():
        return []
    return results_for(user, index.search(text, top=top, allow=allow), filters)


def need_text(need: Need) -> str:
    return "\n".join(t for t in (need.title_ja, need.title_en, need.description_ja, need.description_en) if t)
