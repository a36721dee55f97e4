"""What a need's page (and its API) suggests: one ranking of the need's text over the seeds and
partner candidates the user may see, the relevant matches kept, the first ten seeds, and the
partners ranked from the same matches, with the coordinators' feedback where the user may see it."""

from __future__ import annotations

from dataclasses import dataclass, field

from renkei.matching import access, indexing, partners
from renkei.matching.models import Feedback, Need
from renkei.matching.search import Result, is_relevant, need_text, partner_mask, results_for, seed_mask

SEED_SUGGESTIONS = 10

FeedbackByTarget = dict[tuple[str, int], list[Feedback]]


@dataclass
class NeedSuggestions:
    index_ready: bool
    seeds: list[Result] = field(default_factory=list)
    organisations: list[partners.Partner] = field(default_factory=list)
    people: list[partners.Partner] = field(default_factory=list)
    feedback: FeedbackByTarget = field(default_factory=dict)


def feedback_by_target(need: Need) -> FeedbackByTarget:
    out: FeedbackByTarget = {}
    for item in need.feedback.select_related("author"):
        out.setdefault((item.target_kind, item.target_id), []).append(item)
    return out


def suggest_for_need(user, need: Need) -> NeedSuggestions:
    index = indexing.get_index()
    found = NeedSuggestions(index_ready=index is not None)
    if access.can_see_feedback(user, need):
        found.feedback = feedback_by_target(need)
    if index is None:
        return found
    # Masks over the index's fields (search.py), not sets of ids from the database; the rows
    # are checked against the database again (results_for, partners.recommend).
    partners_allowed = partner_mask(index, user, need)
    allow = seed_mask(index, user) | partners_allowed
    if allow.any():
        matches = [m for m in index.search(need_text(need), top=partners.CANDIDATES, allow=allow) if is_relevant(m)]
        seeds = [m for m in matches if indexing.parse_doc_id(m.id)[0] == "seed"]
        found.seeds = results_for(user, seeds[:SEED_SUGGESTIONS])
        found.organisations, found.people = partners.recommend(
            user, need, matches=matches, index=index, allow=partners_allowed
        )
    return found
