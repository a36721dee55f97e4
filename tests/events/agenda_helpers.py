"""A small business-matching fair with Japanese names for the agenda, printout and report tests:
the cast's participant (高橋 三郎, アルファ精密) meets 山田 花子 (アルファ大学); 鈴木 一郎
(ベータデバイス) is registered too but meets nobody. Requests, acceptance, scheduling and the
announcement go through the meeting services, as on the pages."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from renkei.accounts.models import Role, RoleKind
from renkei.directory.models import Affiliation, Person
from renkei.events import meetings
from renkei.events.models import Event, Meeting, Registration
from tests.events.meeting_helpers import matching_event, registered


def japanese_participant(username: str, family: str, given: str, organisation):
    user = get_user_model().objects.create_user(username=username, password="x")
    person = Person.objects.create(
        family_name_ja=family,
        given_name_ja=given,
        family_name_en=username.capitalize(),
        given_name_en="Taro",
        email=f"{username}@example.jp",
        user=user,
    )
    Affiliation.objects.create(person=person, organisation=organisation)
    Role.objects.create(user=user, kind=RoleKind.PARTICIPANT, organisation=organisation)
    return user


@dataclass
class Fair:
    event: Event
    buyer: object  # the cast's participant user
    seller: object
    bystander: object
    buyer_registration: Registration
    seller_registration: Registration
    bystander_registration: Registration
    meeting: Meeting | None


def build_fair(cast, *, announce: bool = True, slots: int = 3, tables: int = 2) -> Fair:
    event = matching_event(cast.cluster_a, slots=slots, tables=tables)
    seller = japanese_participant("yamada", "山田", "花子", cast.university_a)
    bystander = japanese_participant("suzuki", "鈴木", "一郎", cast.public_company_b)
    buyer_registration = registered(cast.participant, event, offer="精密加工の受託", looking_for="糖鎖の分析")
    seller_registration = registered(
        seller, event, offer="糖鎖工学の分析技術", looking_for="量産パートナー", keywords="糖鎖, 診断薬"
    )
    bystander_registration = registered(bystander, event, offer="小型センサー")
    request = meetings.do_send_request(cast.participant, event, [seller_registration])
    meetings.do_accept_request(seller, request)
    meeting = None
    if slots and tables:
        meetings.do_schedule_meetings(cast.hq_a, event)
        if announce:
            meetings.do_announce_schedule(cast.hq_a, event)
        meeting = Meeting.objects.get(request=request)
    return Fair(
        event=event,
        buyer=cast.participant,
        seller=seller,
        bystander=bystander,
        buyer_registration=buyer_registration,
        seller_registration=seller_registration,
        bystander_registration=bystander_registration,
        meeting=meeting,
    )


def pdf_text(content: bytes) -> str:
    """The text of every page, whitespace removed (extraction may split a line anywhere)."""
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    return "".join("".join(page.extract_text().split()) for page in reader.pages)


def pdf_pages(content: bytes) -> int:
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(content)).pages)
