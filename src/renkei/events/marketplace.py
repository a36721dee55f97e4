"""The marketplace of a business-matching event (商談会): participants' profiles and stated
availability, and the matching engine's suggestions of whom to meet.

Suggestions rank the other participants' profiles against yours in both directions — what they
offer against what you look for, and what they look for against what you offer — with the
platform's matching engine (renkei.matching.engine), and say why (shared terms, shared fields).
The event's profiles are kept in a small in-process index per event, brought up to date from the
profiles' ``updated_at`` on every use (one profile's change embeds one profile). Suggestions need
the platform's matching index to be built (`renkei reindex`): until then the marketplace lists
the profiles and says that suggestions are not available yet."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from renkei.core.models import TechField
from renkei.core.services import save_validated
from renkei.events import access
from renkei.events.choices import EventKind, EventLanguage, EventStatus, MeetingStatus, RegistrationStatus
from renkei.events.models import Availability, Event, MarketplaceProfile, Meeting, Registration, TimeSlot
from renkei.matching import indexing
from renkei.matching.engine import Document, Match, MatchIndex
from renkei.matching.search import is_relevant

SUGGESTIONS = 10
SHOWN_TERMS = 6
# Meetings that hold a slot: placed, announced or held (not cancelled, not missed).
LIVE_MEETING = (MeetingStatus.SCHEDULED, MeetingStatus.ANNOUNCED, MeetingStatus.HELD)


# --- checks shared with the meeting services ----------------------------------------------------


def check_business_matching(event: Event) -> None:
    if event.kind != EventKind.BUSINESS_MATCHING:
        raise ValidationError(_("Only business-matching events have a marketplace."), code="not_matching")


def check_event_not_over(event: Event) -> None:
    if event.status != EventStatus.PUBLISHED:
        raise ValidationError(_("This event is not open for meetings."), code="not_open")
    if timezone.now() >= event.ends_at:
        raise ValidationError(_("This event is over."), code="over")


def require_own_registration(actor, event: Event) -> Registration:
    """The actor's confirmed registration for the event; participants act only through it."""
    registration = access.own_registration(actor, event)
    if registration is None:
        raise PermissionDenied("Only confirmed participants of this event take part in its marketplace.")
    return registration


# --- profile and availability -----------------------------------------------------------------


def do_save_profile(
    actor,
    event: Event,
    *,
    offer: str,
    looking_for: str,
    keywords: str = "",
    language: str = EventLanguage.JAPANESE,
    fields: Iterable[TechField] = (),
) -> MarketplaceProfile:
    """Create or change the actor's own marketplace profile for the event."""
    check_business_matching(event)
    registration = require_own_registration(actor, event)
    check_event_not_over(event)
    profile = MarketplaceProfile.objects.filter(registration=registration).first()
    if profile is None:
        profile = MarketplaceProfile(registration=registration)
    profile.offer, profile.looking_for = offer.strip(), looking_for.strip()
    profile.keywords, profile.language = keywords.strip(), language
    return save_validated(profile, actor=actor, m2m={"fields": list(fields)})


def do_set_availability(actor, event: Event, slots: Iterable[TimeSlot]) -> list[TimeSlot]:
    """Replace the slots at which the actor can meet. A slot holding one of the actor's meetings
    cannot be dropped: the meeting must be cancelled first."""
    check_business_matching(event)
    registration = require_own_registration(actor, event)
    check_event_not_over(event)
    chosen = {slot.pk: slot for slot in slots}
    foreign = [slot for slot in chosen.values() if slot.event_id != event.pk]
    if foreign:
        raise ValidationError({"slots": _("A chosen slot belongs to another event.")})
    with transaction.atomic():
        Event.objects.select_for_update().get(pk=event.pk)  # bookings read availability under this lock
        stated = set(Availability.objects.filter(registration=registration).values_list("slot_id", flat=True))
        all_slots = set(event.time_slots.values_list("pk", flat=True))
        # No stated slot means "available throughout": dropping slots from that is also a change.
        before = stated or all_slots
        after = set(chosen) or all_slots
        dropped = before - after
        if dropped:
            busy = Meeting.objects.filter(slot_id__in=dropped, status__in=LIVE_MEETING).filter(
                Q(request__requester=registration) | Q(request__recipients=registration)
            )
            clash = list(busy.select_related("slot").distinct())
            if clash:
                times = ", ".join(sorted(timezone.localtime(m.slot.starts_at).strftime("%H:%M") for m in clash))
                raise ValidationError(
                    {
                        "slots": _("You have a meeting at %(times)s; cancel it before removing that slot.")
                        % {"times": times}
                    }
                )
        Availability.objects.filter(registration=registration).exclude(slot_id__in=chosen).delete()
        Availability.objects.bulk_create(
            [Availability(registration=registration, slot=slot) for pk, slot in chosen.items() if pk not in stated]
        )
    return sorted(chosen.values(), key=lambda slot: slot.starts_at)


def available_slot_ids(registration: Registration, all_slot_ids: Iterable[int]) -> list[int]:
    """The slots at which a participant can meet: those stated, or every slot when none is."""
    stated = list(Availability.objects.filter(registration=registration).values_list("slot_id", flat=True))
    return stated or list(all_slot_ids)


# --- the event's profile index ----------------------------------------------------------------


def _offer_document(profile: MarketplaceProfile) -> Document:
    fields = [name for f in profile.fields.all() for name in (f.name_ja, f.name_en)]
    return Document(
        id=f"offer-{profile.pk}",
        lang="en" if profile.language == EventLanguage.ENGLISH else "ja",
        text=profile.offer,
        keywords=tuple(profile.keyword_list + fields),
    )


def _seek_document(profile: MarketplaceProfile) -> Document:
    return Document(
        id=f"seek-{profile.pk}",
        lang="en" if profile.language == EventLanguage.ENGLISH else "ja",
        text=profile.looking_for,
    )


class _EventIndex:
    """One event's profiles in a MatchIndex: documents ``offer-<pk>`` and ``seek-<pk>``."""

    def __init__(self) -> None:
        self.index: MatchIndex | None = None
        self.stamps: dict[int, datetime] = {}
        self.lock = threading.Lock()

    def refresh(self, profiles: list[MarketplaceProfile]) -> MatchIndex:
        with self.lock:
            if self.index is None:
                self.index = MatchIndex(embedder=indexing.get_embedder())
            current = {profile.pk: profile.updated_at for profile in profiles}
            gone = [pk for pk in self.stamps if pk not in current]
            changed = [p for p in profiles if self.stamps.get(p.pk) != p.updated_at]
            if gone:
                self.index.remove([f"{kind}-{pk}" for pk in gone for kind in ("offer", "seek")])
            if changed:
                documents = []
                for profile in changed:
                    documents.append(_offer_document(profile))
                    documents.append(_seek_document(profile))
                self.index.add(documents)
            if gone or changed:
                self.index.lexical.refresh()
            self.stamps = current
            return self.index


# The indexes of the events used most recently, at most MAX_EVENT_INDEXES per process.
MAX_EVENT_INDEXES = 8
_indexes: OrderedDict[int, _EventIndex] = OrderedDict()
_indexes_lock = threading.Lock()


def _event_index(event: Event, profiles: list[MarketplaceProfile]) -> MatchIndex:
    with _indexes_lock:
        holder = _indexes.pop(event.pk, None) or _EventIndex()
        _indexes[event.pk] = holder
        while len(_indexes) > MAX_EVENT_INDEXES:
            _indexes.popitem(last=False)
    return holder.refresh(profiles)


# --- suggestions ------------------------------------------------------------------------------


@dataclass
class Suggestion:
    """Another participant worth meeting, with the reasons."""

    profile: MarketplaceProfile
    rank: int
    score: float
    they_offer: list[str] = field(default_factory=list)  # terms of their offer you look for
    they_seek: list[str] = field(default_factory=list)  # terms of what they look for you offer
    by_meaning: bool = False  # close in meaning, without a shared term
    shared_fields: list[TechField] = field(default_factory=list)
    language_mismatch: bool = False
    organisation_name: str = ""  # filled by the page, as the viewer may see it


@dataclass
class Suggestions:
    ready: bool  # False: the matching index is not built; no suggestions
    profile_missing: bool = False  # the user has no profile of their own to match from
    items: list[Suggestion] = field(default_factory=list)

    def rank_of(self, registration_id: int) -> int | None:
        for item in self.items:
            if item.profile.registration_id == registration_id:
                return item.rank
        return None


def _terms(match: Match) -> list[str]:
    return match.explanation.terms[:SHOWN_TERMS] if match.explanation is not None else []


def _languages_meet(a: str, b: str) -> bool:
    return a == EventLanguage.BOTH or b == EventLanguage.BOTH or a == b


def matching_ready() -> bool:
    """Suggestions need the platform's matching index built (`renkei reindex`): the sign that the
    engine and its model are set up here. Only its manifest is looked at, not loaded."""
    return (indexing.index_path() / "manifest.json").exists()


def suggest_for(registration: Registration, *, limit: int = SUGGESTIONS) -> Suggestions:
    """Whom ``registration`` should meet: the other profiles of the event, best first.

    1. Query the event index with your "looking for" over the others' offers, and with your
       offer over what the others look for (both in one batch).
    2. Keep relevant matches (a shared term, or close in meaning: matching.search.is_relevant).
    3. Score each profile by the sum of its two fused scores, plus a little per shared field.
    """
    if not matching_ready():
        return Suggestions(ready=False)
    mine = MarketplaceProfile.objects.filter(registration=registration).prefetch_related("fields").first()
    if mine is None:
        return Suggestions(ready=True, profile_missing=True)
    profiles = list(
        MarketplaceProfile.objects.filter(
            registration__event_id=registration.event_id, registration__status=RegistrationStatus.CONFIRMED
        )
        .select_related("registration__person")
        .prefetch_related("fields")
    )
    others = {p.pk: p for p in profiles if p.pk != mine.pk}
    if not others:
        return Suggestions(ready=True)
    index = _event_index(registration.event, profiles)
    queries, kinds = [], []
    if mine.looking_for:
        queries.append(mine.looking_for + "\n" + " / ".join(mine.keyword_list))
        kinds.append("offer")
    if mine.offer:
        queries.append(mine.offer + "\n" + " / ".join(mine.keyword_list))
        kinds.append("seek")
    found: dict[int, Suggestion] = {}
    # One batch for both queries, so each query's matches are filtered to its own kind: a
    # "looking for" text must not match other people's "looking for" texts.
    allow = [f"{k}-{pk}" for k in set(kinds) for pk in others]
    results = index.search_many(queries, top=len(allow), allow=allow, explain=True)
    for kind, matches in zip(kinds, results, strict=True):
        for match in matches:
            match_kind, _, match_pk = match.id.partition("-")
            if match_kind != kind or not is_relevant(match):
                continue
            pk = int(match_pk)
            item = found.setdefault(pk, Suggestion(profile=others[pk], rank=0, score=0.0))
            item.score += match.score
            terms = _terms(match)
            if kind == "offer":
                item.they_offer = terms
            else:
                item.they_seek = terms
            if not terms:
                item.by_meaning = True
    my_fields = {f.pk for f in mine.fields.all()}
    for item in found.values():
        item.shared_fields = [f for f in item.profile.fields.all() if f.pk in my_fields]
        item.score += 0.05 * len(item.shared_fields)
        item.language_mismatch = not _languages_meet(mine.language, item.profile.language)
    ranked = sorted(found.values(), key=lambda item: (-item.score, item.profile.pk))[:limit]
    for position, item in enumerate(ranked, start=1):
        item.rank = position
    return Suggestions(ready=True, items=ranked)
