"""Events: who may create and edit them, who sees drafts, the public calendar and detail page,
and who runs the check-in desk."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from renkei.events import services
from renkei.events.choices import EventKind, EventStatus, RegistrationStatus
from renkei.events.models import Event, Registration, Table, TimeSlot

ROLES = ["anonymous", "participant", "coordinator_a", "hq_a", "hq_b", "national", "admin"]
LOGIN = "login"


def make_event(cluster, *, status=EventStatus.PUBLISHED, capacity=None, days=10, deadline=None, **extra) -> Event:
    starts = (timezone.now() + timedelta(days=days)).replace(second=0, microsecond=0)
    event = Event.objects.create(
        kind=extra.pop("kind", EventKind.SEMINAR),
        title_ja=extra.pop("title_ja", "糖鎖工学セミナー"),
        title_en=extra.pop("title_en", "Glycotechnology seminar"),
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        venue="札幌コンベンションセンター",
        capacity=capacity,
        registration_deadline=deadline,
        status=status,
        **extra,
    )
    event.clusters.add(cluster)
    return event


def url(name: str, *args) -> str:
    return reverse(f"events:{name}", args=args)


def form_data(cluster, **overrides) -> dict:
    data = {
        "kind": EventKind.BUSINESS_MATCHING,
        "clusters": [cluster.pk],
        "title_ja": "ビジネスマッチング会",
        "title_en": "Business matching day",
        "description_ja": "",
        "description_en": "",
        "starts_at": "2027-02-10T10:00",
        "ends_at": "2027-02-10T17:00",
        "venue": "Sapporo",
        "online_url": "",
        "capacity": "50",
        "registration_deadline": "2027-02-01T17:00",
        "language": "ja_en",
        "status": EventStatus.DRAFT,
    }
    data.update(overrides)
    return data


def _status(response) -> object:
    if response.status_code == 302 and "/login" in response["Location"]:
        return LOGIN
    return response.status_code


# --- who may create and edit ----------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    list(zip(ROLES, [LOGIN, 403, 403, 200, 200, 403, 200], strict=True)),
)
def test_only_hq_staff_may_open_the_new_event_form(cast, client_for, role, expected):
    response = client_for(cast.users()[role]).get(url("event_create"))
    assert _status(response) == expected


def test_hq_staff_create_an_event_for_their_cluster(cast, client_for):
    response = client_for(cast.hq_a).post(url("event_create"), form_data(cast.cluster_a))
    event = Event.objects.get(title_en="Business matching day")
    assert response.status_code == 302 and response["Location"] == event.get_absolute_url()
    assert list(event.clusters.all()) == [cast.cluster_a]
    assert event.status == EventStatus.DRAFT
    assert timezone.localtime(event.starts_at).hour == 10  # read in Asia/Tokyo, stored aware
    assert event.history.first().history_user == cast.hq_a


def test_hq_staff_cannot_create_an_event_for_another_cluster(cast, client_for):
    response = client_for(cast.hq_a).post(url("event_create"), form_data(cast.cluster_b))
    assert response.status_code == 200
    assert "clusters" in response.context["form"].errors
    assert not Event.objects.exists()


def test_the_service_refuses_another_clusters_event_too(cast):
    event = Event(
        kind=EventKind.SEMINAR,
        title_en="Sneaky",
        starts_at=timezone.now() + timedelta(days=1),
        ends_at=timezone.now() + timedelta(days=1, hours=1),
        venue="x",
    )
    with pytest.raises(PermissionDenied):
        services.do_save_event(cast.hq_a, event, clusters=[cast.cluster_b])
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    ("role", "expected"),
    list(zip(ROLES, [LOGIN, 403, 403, 200, 403, 403, 200], strict=True)),
)
def test_only_hq_of_the_events_cluster_may_edit_a_published_event(cast, client_for, role, expected):
    event = make_event(cast.cluster_a)
    response = client_for(cast.users()[role]).get(url("event_edit", event.pk))
    assert _status(response) == expected


def test_hq_of_another_cluster_gets_404_on_a_draft_and_403_on_a_published_event(cast, client_for):
    draft = make_event(cast.cluster_a, status=EventStatus.DRAFT)
    published = make_event(cast.cluster_a)
    client = client_for(cast.hq_b)
    assert client.get(url("event_edit", draft.pk)).status_code == 404
    assert client.post(url("event_edit", published.pk), form_data(cast.cluster_b)).status_code == 403
    assert list(published.clusters.all()) == [cast.cluster_a]


def test_editing_keeps_a_partner_clusters_place_and_records_the_change(cast, client_for):
    event = make_event(cast.cluster_a)
    event.clusters.add(cast.cluster_b)
    data = form_data(cast.cluster_a, clusters=[cast.cluster_a.pk, cast.cluster_b.pk], title_en="Renamed")
    response = client_for(cast.hq_a).post(url("event_edit", event.pk), data)
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title_en == "Renamed"
    assert set(event.clusters.all()) == {cast.cluster_a, cast.cluster_b}
    assert event.history.count() == 2


def test_hq_staff_may_not_drop_a_partner_cluster(cast):
    event = make_event(cast.cluster_a)
    event.clusters.add(cast.cluster_b)
    with pytest.raises(PermissionDenied):
        services.do_save_event(cast.hq_a, event, clusters=[cast.cluster_a])
    assert event.clusters.count() == 2


def test_bad_event_input_names_the_fields_and_saves_nothing(cast, client_for):
    data = form_data(cast.cluster_a, ends_at="2027-02-10T09:00", venue="", title_ja="", title_en="")
    response = client_for(cast.hq_a).post(url("event_create"), data)
    errors = response.context["form"].errors
    assert response.status_code == 200
    assert {"ends_at", "venue", "title_ja"} <= set(errors)
    assert not Event.objects.exists()


def test_deadline_after_the_end_is_refused(cast, client_for):
    data = form_data(cast.cluster_a, registration_deadline="2027-03-01T00:00")
    response = client_for(cast.hq_a).post(url("event_create"), data)
    assert "registration_deadline" in response.context["form"].errors


def test_hq_staff_add_time_slots_and_tables(cast, client_for):
    event = make_event(cast.cluster_a)
    client = client_for(cast.hq_a)
    start = timezone.localtime(event.starts_at)
    slot = {
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M"),
    }
    assert client.post(url("time_slot_create", event.pk), slot).status_code == 302
    assert client.post(url("table_create", event.pk), {"name": "T1", "capacity": "2"}).status_code == 302
    assert TimeSlot.objects.filter(event=event).count() == 1
    assert Table.objects.get(event=event).capacity == 2
    outside = {
        "starts_at": (start - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": start.strftime("%Y-%m-%dT%H:%M"),
    }
    response = client.post(url("time_slot_create", event.pk), outside)
    assert response.status_code == 200 and "starts_at" in response.context["form"].errors
    assert client_for(cast.hq_b).post(url("table_create", event.pk), {"name": "T9", "capacity": "1"}).status_code == 403
    assert Table.objects.filter(event=event).count() == 1


# --- the public calendar --------------------------------------------------------------


def test_drafts_are_invisible_to_the_public_and_to_other_clusters(cast, client_for):
    draft = make_event(cast.cluster_a, status=EventStatus.DRAFT, title_en="Secret plans", title_ja="秘密の計画")
    published = make_event(cast.cluster_a, title_en="Open day", title_ja="公開日")
    for role in ("anonymous", "participant", "hq_b"):
        client = client_for(cast.users()[role])
        listing = client.get(url("event_list")).content.decode()
        assert "公開日" in listing and "秘密の計画" not in listing
        assert client.get(url("event_detail", draft.pk)).status_code == 404
        assert client.get(url("event_detail", published.pk)).status_code == 200
    for role in ("hq_a", "coordinator_a", "national"):
        assert client_for(cast.users()[role]).get(url("event_detail", draft.pk)).status_code == 200


def test_the_calendar_lists_upcoming_events_and_past_ones_on_request(cast, client_for):
    make_event(cast.cluster_a, title_ja="来月の交流会")
    make_event(cast.cluster_a, title_ja="昨年の発表会", days=-400)
    client = client_for(None)
    upcoming = client.get(url("event_list")).content.decode()
    past = client.get(url("event_list") + "?past=1").content.decode()
    assert "来月の交流会" in upcoming and "昨年の発表会" not in upcoming
    assert "昨年の発表会" in past and "来月の交流会" not in past


def test_the_event_page_shows_english_when_asked(cast, client, english):
    event = make_event(cast.cluster_a)
    page = client.get(url("event_detail", event.pk)).content.decode()
    assert "Glycotechnology seminar" in page


def test_the_nav_links_to_events_for_everyone(cast, client_for):
    page = client_for(None).get(reverse("programs:programme_list")).content.decode()
    assert url("event_list") in page


# --- check-in -------------------------------------------------------------------------


def _visitor(event, name="田中 美咲", email="misaki@example.jp", status=RegistrationStatus.CONFIRMED):
    return Registration.objects.create(
        event=event, visitor_name=name, visitor_email=email, consent_to_data_use=True, status=status
    )


@pytest.mark.parametrize(
    ("role", "expected"),
    list(zip(ROLES, [LOGIN, 403, 200, 200, 403, 403, 200], strict=True)),
)
def test_only_the_events_staff_open_the_check_in_desk(cast, client_for, role, expected):
    event = make_event(cast.cluster_a)
    assert _status(client_for(cast.users()[role]).get(url("event_check_in", event.pk))) == expected


def test_staff_search_a_name_and_mark_attended(cast, client_for):
    event = make_event(cast.cluster_a)
    misaki = _visitor(event)
    _visitor(event, name="John Smith", email="john@example.com")
    client = client_for(cast.coordinator_a)
    found = client.get(url("event_check_in", event.pk), {"q": "田中"}).context["registrations"]
    assert found == [misaki]
    response = client.post(url("event_check_in", event.pk), {"registration": misaki.pk, "q": "田中"})
    assert response.status_code == 302
    misaki.refresh_from_db()
    assert misaki.checked_in_at is not None
    assert abs((timezone.now() - misaki.checked_in_at).total_seconds()) < 60
    page = client_for(None).get(url("event_detail", event.pk))
    assert page.context["counts"] == {"confirmed": 2, "waitlisted": 0, "attended": 1}


def test_check_in_search_finds_a_participant_by_kana(cast, client_for):
    event = make_event(cast.cluster_a)
    registration = Registration.objects.create(event=event, person=cast.researcher_a, consent_to_data_use=True)
    found = client_for(cast.hq_a).get(url("event_check_in", event.pk), {"q": "やまだ"}).context["registrations"]
    assert found == [registration]


def test_a_cancelled_registration_cannot_be_checked_in(cast, client_for, english):
    event = make_event(cast.cluster_a)
    gone = _visitor(event, status=RegistrationStatus.CANCELLED)
    response = client_for(cast.hq_a).post(url("event_check_in", event.pk), {"registration": gone.pk}, follow=True)
    gone.refresh_from_db()
    assert gone.checked_in_at is None
    assert "was cancelled" in response.content.decode()


def test_hq_of_another_cluster_cannot_check_in(cast, client_for):
    event = make_event(cast.cluster_a)
    registration = _visitor(event)
    assert (
        client_for(cast.hq_b).post(url("event_check_in", event.pk), {"registration": registration.pk}).status_code
        == 403
    )
    with pytest.raises(PermissionDenied):
        services.do_check_in(cast.hq_b, registration)
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_registrations_are_shown_to_staff_only(cast, client_for):
    event = make_event(cast.cluster_a)
    _visitor(event)
    assert "misaki@example.jp" in client_for(cast.hq_a).get(url("event_detail", event.pk)).content.decode()
    for role in ("anonymous", "participant", "hq_b"):
        assert (
            "misaki@example.jp"
            not in client_for(cast.users()[role]).get(url("event_detail", event.pk)).content.decode()
        )
