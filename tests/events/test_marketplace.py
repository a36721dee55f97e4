"""The marketplace of a business-matching event: profiles and availability (own, confirmed
registrations only), who sees the marketplace, and the matcher's suggestions with their reasons,
including the clear message while the matching index is not built."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from renkei.core.models import TechField
from renkei.events import access, marketplace, meetings, services
from renkei.events.models import Availability, MarketplaceProfile, TimeSlot
from tests.events.meeting_helpers import matching_event, participant, profile_of, registered

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(cast):
    return matching_event(cast.cluster_a, slots=3)


# --- profile ---------------------------------------------------------------------------------


def test_a_confirmed_participant_fills_in_their_profile(event):
    user = participant("aoki")
    registration = services.do_register_person(user, event)
    field = TechField.objects.get(code="life-science")
    marketplace.do_save_profile(
        user,
        event,
        offer="糖鎖の解析技術",
        looking_for="創薬ベンチャーとの共同研究",
        keywords="糖鎖、創薬",
        language="ja_en",
        fields=[field],
    )
    profile = profile_of(registration)
    assert profile.keyword_list == ["糖鎖", "創薬"]
    assert list(profile.fields.all()) == [field]
    marketplace.do_save_profile(user, event, offer="改訂版", looking_for="")
    assert MarketplaceProfile.objects.count() == 1
    assert profile_of(registration).offer == "改訂版"


def test_an_empty_profile_is_refused_naming_the_field(event):
    user = participant("aoki")
    services.do_register_person(user, event)
    with pytest.raises(ValidationError) as error:
        marketplace.do_save_profile(user, event, offer="  ", looking_for="")
    assert "offer" in error.value.message_dict
    assert not MarketplaceProfile.objects.exists()


def test_only_a_confirmed_registration_has_a_profile(cast):
    event = matching_event(cast.cluster_a, capacity=1)
    first, second = participant("aoki"), participant("baba")
    services.do_register_person(first, event)
    services.do_register_person(second, event)  # waiting list
    with pytest.raises(PermissionDenied):
        marketplace.do_save_profile(second, event, offer="x", looking_for="y")
    with pytest.raises(PermissionDenied):
        marketplace.do_save_profile(cast.hq_a, event, offer="x", looking_for="y")
    assert not MarketplaceProfile.objects.exists()


def test_the_profile_page_edits_only_your_own_profile(event, client_for):
    aoki, baba = participant("aoki"), participant("baba")
    mine = registered(aoki, event)
    theirs = registered(baba, event, offer="既存の紹介", looking_for="パートナー")
    client = client_for(aoki)
    response = client.post(
        reverse("events:marketplace_profile", args=[event.pk]),
        {"form": "profile", "offer": "燃料電池", "looking_for": "", "keywords": "", "language": "ja"},
    )
    assert response.status_code == 302
    assert profile_of(mine).offer == "燃料電池"
    assert profile_of(theirs).offer == "既存の紹介"


def test_the_profile_page_shows_the_error_and_saves_nothing(event, client_for):
    aoki = participant("aoki")
    registered(aoki, event)
    response = client_for(aoki).post(
        reverse("events:marketplace_profile", args=[event.pk]),
        {"form": "profile", "offer": "", "looking_for": "", "keywords": "", "language": "ja"},
    )
    assert response.status_code == 200
    assert "has-error" in response.content.decode()
    assert not MarketplaceProfile.objects.exists()


def test_someone_not_registered_gets_no_profile_page(cast, event, client_for):
    assert client_for(cast.participant).get(reverse("events:marketplace_profile", args=[event.pk])).status_code == 403


# --- availability ------------------------------------------------------------------------------


def test_a_participant_states_the_slots_they_can_meet(event):
    user = participant("aoki")
    registration = registered(user, event)
    slots = list(event.time_slots.all())
    marketplace.do_set_availability(user, event, slots[:2])
    assert set(Availability.objects.filter(registration=registration).values_list("slot", flat=True)) == {
        s.pk for s in slots[:2]
    }
    assert meetings.available_slots_of(registration) == [s.pk for s in slots[:2]]
    marketplace.do_set_availability(user, event, [])
    assert meetings.available_slots_of(registration) == [s.pk for s in slots]  # none stated: all


def test_a_slot_of_another_event_is_refused(cast, event):
    user = participant("aoki")
    registered(user, event)
    other = matching_event(cast.cluster_a)
    with pytest.raises(ValidationError) as error:
        marketplace.do_set_availability(user, event, [other.time_slots.first()])
    assert "slots" in error.value.message_dict
    assert not Availability.objects.exists()


def test_a_slot_holding_your_meeting_cannot_be_dropped(cast, event):
    aoki, baba = participant("aoki"), participant("baba")
    registered(aoki, event, offer="a", looking_for="b")
    other = registered(baba, event, offer="b", looking_for="a")
    request = meetings.do_send_request(aoki, event, [other])
    meetings.do_accept_request(baba, request)
    meetings.do_schedule_meetings(cast.hq_a, event)
    booked_slot = request.meetings.get().slot
    free = [s for s in event.time_slots.all() if s.pk != booked_slot.pk]
    with pytest.raises(ValidationError) as error:
        marketplace.do_set_availability(aoki, event, free)
    assert "slots" in error.value.message_dict
    assert not Availability.objects.exists()


def test_availability_through_the_page(event, client_for):
    user = participant("aoki")
    registration = registered(user, event)
    slot = TimeSlot.objects.filter(event=event).first()
    response = client_for(user).post(
        reverse("events:marketplace_profile", args=[event.pk]), {"form": "availability", "slots": [slot.pk]}
    )
    assert response.status_code == 302
    assert list(Availability.objects.filter(registration=registration).values_list("slot", flat=True)) == [slot.pk]


# --- who sees the marketplace ---------------------------------------------------------------------


def test_participants_of_the_event_and_its_staff_see_the_marketplace(cast, event, client_for):
    aoki = participant("aoki")
    registered(aoki, event, offer="糖鎖の解析", looking_for="共同研究")
    url = reverse("events:marketplace", args=[event.pk])
    for user in (aoki, cast.hq_a, cast.coordinator_a, cast.national):
        response = client_for(user).get(url)
        assert response.status_code == 200, user
    assert "糖鎖の解析" in client_for(cast.hq_a).get(url).content.decode()
    for user in (cast.participant, cast.hq_b):  # not registered; another cluster's staff
        assert client_for(user).get(url).status_code == 403
    assert "/login" in client_for(None).get(url)["Location"]


def test_profiles_of_cancelled_registrations_leave_the_marketplace(event):
    aoki, baba = participant("aoki"), participant("baba")
    registered(aoki, event, offer="a", looking_for="b")
    gone = registered(baba, event, offer="去る人", looking_for="b")
    services.do_cancel_registration(baba, gone)
    assert gone.pk not in [p.registration_id for p in access.visible_profiles(aoki, event)]


def test_a_seminar_has_no_marketplace(cast, client_for):
    from tests.events.test_event_pages import make_event

    seminar = make_event(cast.cluster_a)
    assert client_for(cast.hq_a).get(reverse("events:marketplace", args=[seminar.pk])).status_code == 404


def test_without_the_matching_index_the_marketplace_says_so(event, client_for, settings, tmp_path):
    settings.DATA_DIR = tmp_path  # no index built here
    aoki, baba = participant("aoki"), participant("baba")
    mine = registered(aoki, event, offer="燃料電池", looking_for="量産")
    registered(baba, event, offer="量産の受託", looking_for="電池")
    assert marketplace.suggest_for(mine).ready is False
    page = client_for(aoki).get(reverse("events:marketplace", args=[event.pk]))
    assert 'id="suggestions-unavailable"' in page.content.decode()
    assert "量産の受託" in page.content.decode()  # the profiles are still listed


# --- suggestions (with the real engine) -------------------------------------------------------------


@pytest.fixture
def matching_index(settings, tmp_path):
    """A built platform index in a private data directory, and the session's embedder."""
    from renkei.matching import indexing
    from renkei.matching.engine import Embedder

    settings.DATA_DIR = tmp_path
    indexing.set_embedder(Embedder(workers=1))
    indexing.rebuild()
    yield
    indexing._cache.clear()


def test_the_matcher_suggests_whom_to_meet_and_says_why(event, matching_index, client_for):
    aoki, baba, chiba = participant("aoki"), participant("baba"), participant("chiba")
    mine = registered(
        aoki,
        event,
        offer="燃料電池の電極触媒の開発技術",
        looking_for="電極触媒の量産を受託できる精密加工メーカー",
        keywords="燃料電池",
    )
    fit = registered(
        baba,
        event,
        offer="精密加工メーカーとして電極触媒の量産を受託します",
        looking_for="燃料電池の電極触媒の技術",
    )
    registered(chiba, event, offer="観光地の多言語案内アプリ", looking_for="自治体の観光部門")
    found = marketplace.suggest_for(mine)
    assert found.ready and not found.profile_missing
    assert [item.profile.registration_id for item in found.items][0] == fit.pk
    first = found.items[0]
    assert first.rank == 1
    assert first.they_offer or first.they_seek or first.by_meaning
    page = client_for(aoki).get(reverse("events:marketplace", args=[event.pk]))
    body = page.content.decode()
    assert 'id="suggestions"' in body and "baba" in body.lower()

    request = meetings.do_send_request(aoki, event, [fit])
    assert request.matcher_rank == 1
    assert request.priority >= 3


def test_suggestions_follow_a_changed_profile(event, matching_index):
    aoki, baba = participant("aoki"), participant("baba")
    mine = registered(aoki, event, offer="燃料電池の電極", looking_for="医療機器の販路")
    other = registered(baba, event, offer="観光アプリ", looking_for="自治体")
    assert other.pk not in [i.profile.registration_id for i in marketplace.suggest_for(mine).items]
    marketplace.do_save_profile(baba, event, offer="医療機器の販路開拓を支援します", looking_for="燃料電池の電極")
    assert other.pk in [i.profile.registration_id for i in marketplace.suggest_for(mine).items]


def test_someone_looking_for_the_same_thing_is_not_offered_as_a_match(event, matching_index):
    # My "looking for" is matched against the others' offers only, never their own needs.
    mine = registered(
        participant("aoki"), event, offer="観光案内アプリ", looking_for="電極触媒の量産を受託できる加工メーカー"
    )
    rival = registered(
        participant("baba"), event, offer="地域の農産物", looking_for="電極触媒の量産を受託できる加工メーカー"
    )
    found = marketplace.suggest_for(mine)
    assert rival.pk not in [item.profile.registration_id for item in found.items]


def test_without_your_own_profile_there_is_nothing_to_match(event, matching_index):
    mine = registered(participant("aoki"), event)
    registered(participant("baba"), event, offer="量産", looking_for="電池")
    found = marketplace.suggest_for(mine)
    assert found.ready and found.profile_missing and found.items == []


def test_the_event_page_links_the_marketplace_for_participants_and_staff(cast, event, client_for):
    aoki = participant("aoki")
    registered(aoki, event)
    detail = reverse("events:event_detail", args=[event.pk])
    mine = client_for(aoki).get(detail).content.decode()
    assert reverse("events:marketplace", args=[event.pk]) in mine
    assert reverse("events:meeting_requests", args=[event.pk]) in mine
    staff = client_for(cast.hq_a).get(detail).content.decode()
    assert reverse("events:event_meetings", args=[event.pk]) in staff
    outsider = client_for(cast.hq_b).get(detail).content.decode()
    assert reverse("events:marketplace", args=[event.pk]) not in outsider
