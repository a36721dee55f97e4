"""A small business-matching event for the marketplace, request and scheduling tests: slots,
tables, and participants who sign in with their own person record and are registered."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model

from renkei.accounts.models import Role, RoleKind
from renkei.directory.models import Affiliation, Person
from renkei.events import marketplace, services
from renkei.events.choices import EventKind, RequestMode, SchedulingMode
from renkei.events.models import Event, MarketplaceProfile, Registration, Table, TimeSlot
from tests.events.test_event_pages import make_event

SLOT_MINUTES = 20


def matching_event(
    cluster,
    *,
    slots: int = 3,
    tables: int = 1,
    table_capacity: int = 1,
    request_mode: str = RequestMode.ACCEPT,
    scheduling_mode: str = SchedulingMode.ORGANISER,
    **extra,
) -> Event:
    event = make_event(
        cluster,
        kind=EventKind.BUSINESS_MATCHING,
        title_ja="ビジネスマッチング商談会",
        title_en="Business matching day",
        request_mode=request_mode,
        scheduling_mode=scheduling_mode,
        **extra,
    )
    for n in range(slots):
        start = event.starts_at + timedelta(minutes=SLOT_MINUTES * n)
        TimeSlot.objects.create(event=event, starts_at=start, ends_at=start + timedelta(minutes=SLOT_MINUTES))
    for n in range(tables):
        Table.objects.create(event=event, name=f"T{n + 1}", capacity=table_capacity)
    return event


def participant(username: str, *, organisation=None):
    """A signed-in participant with their own person record (at `organisation`, if given)."""
    user = get_user_model().objects.create_user(username=username, password="x")
    person = Person.objects.create(
        family_name_ja=username,
        given_name_ja="太郎",
        family_name_en=username.capitalize(),
        given_name_en="Taro",
        email=f"{username}@example.jp",
        user=user,
    )
    if organisation is not None:
        Affiliation.objects.create(person=person, organisation=organisation)
        Role.objects.create(user=user, kind=RoleKind.PARTICIPANT, organisation=organisation)
    return user


def registered(user, event: Event, *, offer: str = "", looking_for: str = "", **profile) -> Registration:
    """Register the user and, when given an offer or a need, fill in their profile."""
    registration = services.do_register_person(user, event)
    if offer or looking_for:
        marketplace.do_save_profile(user, event, offer=offer, looking_for=looking_for, **profile)
    return registration


def profile_of(registration: Registration) -> MarketplaceProfile:
    return MarketplaceProfile.objects.get(registration=registration)
