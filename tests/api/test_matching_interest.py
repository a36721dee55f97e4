"""Expressions of interest, alerts and the inbox over the API: who sends, receives and declines,
duplicate and flood refusal, and each user's own alerts and inbox."""

from __future__ import annotations

import pytest

from renkei.accounts.models import Role, RoleKind
from renkei.matching import services
from renkei.matching.models import Alert, InboxItem, Interest
from tests.cast import _user
from tests.matching.listings import *  # noqa: F403

BODY = {
    "sender_name": "田中 太郎",
    "sender_organisation": "田中製作所",
    "sender_email": "tanaka@example.jp",
    "message": "この技術のサンプル提供について相談したい。",
}
URL = "/api/expressions-of-interest/"


@pytest.fixture
def university_user(cast):
    """A participant speaking for university A (the owner of the cast's seeds)."""
    user = _user("university_a_tlo")
    Role.objects.create(user=user, kind=RoleKind.PARTICIPANT, organisation=cast.university_a)
    return user


def _send(client, **body):
    return client.post(URL, {**BODY, **body})


# --- sending -------------------------------------------------------------------------------


def test_a_visitor_writes_about_a_public_seed_and_it_reaches_the_owner(cast, listings, api, university_user):
    response = _send(api(None), seed=listings.public_seed.pk)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["listing_kind"], body["seed"], body["status"]) == ("seed", listings.public_seed.pk, "sent")
    assert body["routed_to_coordinator"] is False
    item = InboxItem.objects.get(user=university_user)
    assert item.interest_id == body["id"] and item.kind == "interest"


def test_interest_in_an_anonymised_seed_goes_to_the_coordinator(cast, listings, api, university_user):
    response = _send(api(cast.participant), seed=listings.anonymous_seed.pk)
    assert response.status_code == 201
    assert response.json()["routed_to_coordinator"] is True
    assert list(InboxItem.objects.values_list("user", flat=True)) == [cast.coordinator_a.pk]


def test_a_signed_in_sender_may_leave_out_name_and_email(cast, listings, api):
    cast.participant.email = "takahashi@alpha.example"
    cast.participant.save()
    response = api(cast.participant).post(URL, {"need": listings.public_need.pk, "message": "相談したい"})
    assert response.status_code == 201, response.json()
    assert response.json()["sender_email"] == "takahashi@alpha.example"
    assert response.json()["sent_by_you"] is True


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"sender_email": "not-an-address"}, "sender_email"),
        ({"sender_email": ""}, "sender_email"),
        ({"sender_name": ""}, "sender_name"),
        ({"message": ""}, "message"),
        ({"message": "x" * 2001}, "message"),
        ({"seed": "one"}, "seed"),
        ({"seed": 999999}, "seed"),
        ({"seed": None}, "seed"),
        ({"seed": "both", "need": "both"}, "seed"),
    ],
)
def test_a_bad_expression_of_interest_names_the_field_and_sends_nothing(cast, listings, api, change, field):
    body = {"seed": listings.public_seed.pk, **change}
    if body.get("seed") == "both":
        body.update(seed=listings.public_seed.pk, need=listings.public_need.pk)
    response = _send(api(None), **body)
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not Interest.objects.exists() and not InboxItem.objects.exists()


def test_a_listing_the_sender_may_not_see_reads_as_unknown(cast, listings, api):
    response = _send(api(cast.hq_b), seed=listings.cluster_seed.pk)
    assert response.status_code == 400 and "seed" in response.json()
    response = _send(api(None), need=listings.cluster_need.pk)
    assert response.status_code == 400 and "need" in response.json()
    assert not Interest.objects.exists()


def test_a_closed_need_takes_no_interest(cast, listings, api):
    listings.public_need.status = "closed"
    listings.public_need.save()
    response = _send(api(None), need=listings.public_need.pk)
    assert response.status_code == 400 and "message" in response.json()


def test_a_duplicate_is_refused_naming_the_message(cast, listings, api):
    client = api(cast.participant)
    assert _send(client, seed=listings.public_seed.pk).status_code == 201
    again = _send(client, seed=listings.public_seed.pk)
    assert again.status_code == 400 and "message" in again.json()
    assert Interest.objects.count() == 1


def test_a_sender_may_not_flood(cast, api):
    seeds = [
        make_seed(cast.university_a, clusters=[cast.cluster_a], title_ja=f"シーズ{i}", visibility="public")  # noqa: F405
        for i in range(services.INTEREST_DAILY_LIMIT + 1)
    ]
    client = api(None)
    for seed in seeds[:-1]:
        assert _send(client, seed=seed.pk).status_code == 201
    response = _send(client, seed=seeds[-1].pk)
    assert response.status_code == 400 and "message" in response.json()
    assert Interest.objects.count() == services.INTEREST_DAILY_LIMIT


# --- listing and declining -----------------------------------------------------------------


def _ids(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


def test_senders_and_receivers_list_their_own(cast, listings, api, university_user):
    mine = _send(api(cast.participant), seed=listings.public_seed.pk).json()["id"]
    anonymous = _send(api(cast.participant), seed=listings.anonymous_seed.pk).json()["id"]
    other = _send(api(None), need=listings.public_need.pk).json()["id"]
    assert _ids(api(cast.participant), box="sent") == [anonymous, mine]
    # The participant's company owns the public need: they received that one.
    assert _ids(api(cast.participant), box="received") == [other]
    assert set(_ids(api(cast.participant))) == {mine, anonymous, other}
    assert _ids(api(university_user), box="received") == [anonymous, mine]
    assert _ids(api(cast.coordinator_a), box="received") == [anonymous]  # anonymised: brokered contact
    assert _ids(api(cast.hq_b)) == []
    assert api(None).get(URL).status_code == 401
    assert api(cast.hq_b).get(f"{URL}{mine}/").status_code == 404
    assert api(cast.participant).get(URL, {"box": "everything"}).status_code == 400


def test_the_owner_declines_with_a_coded_reason_and_the_sender_hears_it(cast, listings, api, university_user):
    interest = _send(api(cast.participant), seed=listings.public_seed.pk).json()
    assert interest["can_decline"] is False
    row = api(university_user).get(f"{URL}{interest['id']}/").json()
    assert row["can_decline"] is True
    response = api(university_user).post(f"{URL}{interest['id']}/decline/", {"decline_reason": "too_early"})
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["decline_reason"]) == ("declined", "too_early")
    assert response.json()["can_decline"] is False
    assert InboxItem.objects.filter(user=cast.participant, kind="decline").exists()
    again = api(university_user).post(f"{URL}{interest['id']}/decline/", {"decline_reason": "too_early"})
    assert again.status_code == 400 and "decline_reason" in again.json()


def test_the_coordinator_declines_for_an_anonymised_listing(cast, listings, api):
    interest = _send(api(cast.participant), seed=listings.anonymous_seed.pk).json()
    response = api(cast.coordinator_a).post(
        f"{URL}{interest['id']}/decline/", {"decline_reason": "other", "decline_text": "既に提携先あり"}
    )
    assert response.status_code == 200, response.json()


def test_declining_needs_the_right_and_a_reason(cast, listings, api, university_user):
    interest = _send(api(cast.participant), seed=listings.public_seed.pk).json()
    url = f"{URL}{interest['id']}/decline/"
    assert api(cast.participant).post(url, {"decline_reason": "too_early"}).status_code == 403  # the sender
    assert api(cast.hq_b).post(url, {"decline_reason": "too_early"}).status_code == 404
    assert api(None).post(url, {"decline_reason": "too_early"}).status_code == 401
    for body, field in (
        ({}, "decline_reason"),
        ({"decline_reason": "boring"}, "decline_reason"),
        ({"decline_reason": "other"}, "decline_text"),
        ({"decline_reason": "other", "decline_text": "x" * 501}, "decline_text"),
    ):
        response = api(university_user).post(url, body)
        assert response.status_code == 400 and field in response.json(), body
    assert Interest.objects.get().status == "sent"
    assert api(university_user).post(f"{URL}999999/decline/", {"decline_reason": "too_early"}).status_code == 404


# --- alerts and inbox ----------------------------------------------------------------------


def test_a_user_saves_lists_and_deletes_their_alerts(cast, listings, api):
    client = api(cast.participant)
    by_text = client.post("/api/alerts/", {"name": "燃料電池", "query": "燃料電池 白金"})
    assert by_text.status_code == 201, by_text.json()
    by_need = client.post("/api/alerts/", {"need": listings.public_need.pk})
    assert by_need.status_code == 201, by_need.json()
    assert by_need.json()["name"] == str(listings.public_need)
    rows = client.get("/api/alerts/").json()["results"]
    assert {r["id"] for r in rows} == {by_text.json()["id"], by_need.json()["id"]}
    assert api(cast.hq_a).get("/api/alerts/").json()["results"] == []
    assert api(cast.hq_a).delete(f"/api/alerts/{by_text.json()['id']}/").status_code == 404
    assert client.delete(f"/api/alerts/{by_text.json()['id']}/").status_code == 204
    assert list(Alert.objects.values_list("pk", flat=True)) == [by_need.json()["id"]]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "query"),
        ({"query": "   "}, "query"),
        ({"query": "x" * 5001}, "query"),
        ({"need": "one"}, "need"),
        ({"need": 999999}, "need"),
        ({"name": "x" * 201, "query": "燃料電池"}, "name"),
    ],
)
def test_a_bad_alert_names_the_field(cast, listings, api, body, field):
    response = api(cast.participant).post("/api/alerts/", body)
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not Alert.objects.exists()


def test_an_alert_on_a_hidden_need_reads_as_unknown(cast, listings, api):
    response = api(cast.hq_b).post("/api/alerts/", {"need": listings.cluster_need.pk})
    assert response.status_code == 400 and "need" in response.json()


def test_visitors_have_no_alerts_or_inbox(api, cast):
    client = api(None)
    assert client.get("/api/alerts/").status_code == 401
    assert client.post("/api/alerts/", {"query": "燃料電池"}).status_code == 401
    assert client.get("/api/inbox/").status_code == 401


def test_the_inbox_lists_a_users_items_and_marks_them_read(cast, listings, api, university_user):
    _send(api(cast.participant), seed=listings.public_seed.pk)
    client = api(university_user)
    rows = client.get("/api/inbox/").json()["results"]
    assert [(r["kind"], r["seed"]["id"], r["read"]) for r in rows] == [("interest", listings.public_seed.pk, False)]
    item = rows[0]["id"]
    assert api(cast.participant).get(f"/api/inbox/{item}/").status_code == 404
    assert api(cast.participant).post(f"/api/inbox/{item}/read/").status_code == 404
    response = client.post(f"/api/inbox/{item}/read/")
    assert response.status_code == 200 and response.json()["read"] is True
    assert client.get("/api/inbox/", {"read": "false"}).json()["results"] == []
    assert [r["id"] for r in client.get("/api/inbox/", {"read": "true"}).json()["results"]] == [item]
    assert client.get("/api/inbox/", {"kind": "nonsense"}).status_code == 400


def test_the_inbox_leaves_out_seeds_the_user_may_no_longer_see(cast, listings, api):
    seed = listings.public_seed
    InboxItem.objects.create(user=cast.hq_b, kind="alert_match", seed=seed, reason="燃料電池")
    assert len(api(cast.hq_b).get("/api/inbox/").json()["results"]) == 1
    seed.visibility = "coordinators"
    seed.save()
    assert api(cast.hq_b).get("/api/inbox/").json()["results"] == []
