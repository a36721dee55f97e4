"""Partner recommendation: which organisations and researchers could answer a need, ranked by
the summed evidence behind them, each with its reasons.

1. Rank the seeds and capabilities the user may see for the need's text (one engine search,
   allowed by search.partner_mask; the rows are checked against the database again).
2. Each matching seed is evidence for its owning organisation and for each of its researchers;
   each matching capability is evidence for its organisation. The evidence weight is the
   match's fused score.
3. A researcher's own research keywords found in the need add evidence (KEYWORD_WEIGHT each).
4. A candidate's score is the sum of its evidence; the need's own organisation is left out.
Anonymised seeds whose owner the user may not see, organisations and people the user may not
see, give no evidence: a recommendation must not reveal who is behind a listing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext as _

from renkei.core.text import normalise_for_search
from renkei.directory.access import visible_organisations, visible_people
from renkei.directory.models import Organisation, Person
from renkei.matching import access, indexing, search
from renkei.matching.engine import Match, MatchIndex, SharedTerm
from renkei.matching.models import KEYWORD_SPLIT, Need, Seed
from renkei.matching.search import is_relevant, need_text

CANDIDATES = 50
KEYWORD_WEIGHT = 0.1


@dataclass
class Evidence:
    kind: str  # "seed", "capability" or "keyword"
    label: str
    weight: float
    shared_terms: tuple[SharedTerm, ...] = ()
    seed: Seed | None = None

    @property
    def terms(self) -> list[str]:
        """The shared terms as written in the seed or capability."""
        return [t.term for t in self.shared_terms]

    def __str__(self) -> str:
        if self.kind == "seed":
            text = _("Seed: %(title)s") % {"title": self.label}
        elif self.kind == "capability":
            text = _("Capabilities match")
        else:
            text = _("Research keyword: %(keyword)s") % {"keyword": self.label}
        if self.shared_terms:
            text += " (" + ", ".join(t.label for t in self.shared_terms[:5]) + ")"
        return text


@dataclass
class Partner:
    kind: str  # "organisation" or "person"
    obj: Organisation | Person
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def score(self) -> float:
        return sum(e.weight for e in self.evidence)

    @property
    def name(self) -> str:
        return self.obj.name


def recommend(
    user,
    need: Need,
    *,
    top: int = 10,
    matches: list[Match] | None = None,
    index: MatchIndex | None = None,
    allow: np.ndarray | None = None,
) -> tuple[list[Partner], list[Partner]]:
    """(organisations, researchers), best first.

    What may count as evidence is ``search.partner_mask`` over the index; the rows behind the
    matches are checked against the database again (the index may be a moment behind: it may
    only hide evidence, never add it). ``matches`` may be a ranking of the need's text the
    caller already has from ``index`` (the need page ranks seeds and capabilities once for both
    lists); only those the mask allows count. ``allow`` is that mask when the caller built it.
    """
    if index is None:
        index = indexing.get_index()
    if index is None:
        return [], []
    if allow is None:
        allow = search.partner_mask(index, user, need)
    if not allow.any():
        return [], []
    if matches is None:
        matches = index.search(need_text(need), top=CANDIDATES, allow=allow)
    matches = [m for m in matches if search.mask_allows(index, allow, m.id) and is_relevant(m)]

    seed_pks = [pk for kind, pk in map(indexing.parse_doc_id, (m.id for m in matches)) if kind == "seed"]
    seed_rows = access.visible_seeds(user).prefetch_related("researchers").in_bulk(seed_pks)
    for pk in access.anonymised_hidden_from(user, Seed, among=list(seed_rows)):
        del seed_rows[pk]
    org_ids = {s.organisation_id for s in seed_rows.values()}
    org_ids |= {pk for kind, pk in map(indexing.parse_doc_id, (m.id for m in matches)) if kind == "org"}
    org_rows = visible_organisations(user).exclude(pk=need.organisation_id).in_bulk(list(org_ids))
    person_ids = {p.pk for s in seed_rows.values() for p in s.researchers.all()}
    person_rows = visible_people(user).in_bulk(list(person_ids))

    organisations: dict[int, Partner] = {}
    people: dict[int, Partner] = {}
    for m in matches:
        kind, pk = indexing.parse_doc_id(m.id)
        terms = m.explanation.shared_terms if m.explanation else ()
        if kind == "org":
            if pk in org_rows and org_rows[pk].capability:
                partner = organisations.setdefault(pk, Partner("organisation", org_rows[pk]))
                partner.evidence.append(Evidence("capability", org_rows[pk].name, m.score, terms))
            continue
        seed = seed_rows.get(pk)
        if seed is None:
            continue
        evidence = Evidence("seed", seed.title, m.score, terms, seed)
        if seed.organisation_id in org_rows:
            organisations.setdefault(
                seed.organisation_id, Partner("organisation", org_rows[seed.organisation_id])
            ).evidence.append(evidence)
        for person in seed.researchers.all():
            if person.pk in person_rows:
                people.setdefault(person.pk, Partner("person", person_rows[person.pk])).evidence.append(evidence)

    wanted = normalise_for_search(need_text(need))
    for partner in people.values():
        for keyword in KEYWORD_SPLIT.split(partner.obj.research_keywords.replace(" ", ",")):
            key = normalise_for_search(keyword.strip())
            if len(key) >= 2 and key in wanted:
                partner.evidence.append(Evidence("keyword", keyword.strip(), KEYWORD_WEIGHT))

    def ranked(partners: dict[int, Partner]) -> list[Partner]:
        return sorted(partners.values(), key=lambda p: (-p.score, p.obj.pk))[:top]

    return ranked(organisations), ranked(people)
