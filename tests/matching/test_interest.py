"""Expressions of interest: they reach the owner, or the coordinator of an anonymised listing;
they are logged; owners decline with a coded reason and see the reasons in aggregate."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from renkei.accounts.models import Role, RoleKind
from renkei.matching import services
from renkei.matching.models import Feedback, InboxItem, Interest
from tests.matching.listings import *  # noqa: F403

FORM = {
    "sender_name": "田中 太郎",
    "sender_organisation": "田中製作所",
    "sender_email": "tanaka@example.jp",
    "message": "この技術のサンプル提供について相談したい。",
}


def url(name: str, *args) -> str:
    return reverse(f"matching:{name}", args=args)


@pytest.fixture
def university_user(cast):
    """A participant speaking for university A (the owner of the cast's seeds)."""
    from tests.cast import _user

    user = _user("university_a_tlo")
    Role.objects.create(user=user, kind=RoleKind.PARTICIPANT, organisation=cast.university_a)
    return user


def test_a_visitor_sends_interest_in_a_public_seed_and_it_reaches_the_owner(
    client_for, cast, listings, university_user
):
    response = client_for(None).post(url("seed_interest", listings.public_seed.pk), FORM)
    assert response.status_code == 302
    interest = Interest.objects.get()
    assert (interest.seed, interest.sender, interest.routed_to_coordinator) == (listings.public_seed, None, False)
    assert interest.history.count() == 1  # logged
    assert list(InboxItem.objects.filter(interest=interest).values_list("user", flat=True)) == [university_user.pk]
    page = client_for(university_user).get(url("seed_detail", listings.public_seed.pk)).content.decode()
    assert "tanaka@example.jp" in page


def test_interest_in_an_anonymised_seed_goes_to_the_clusters_coordinator(client_for, cast, listings, university_user):
    client_for(cast.participant).post(url("seed_interest", listings.anonymous_seed.pk), FORM)
    interest = Interest.objects.get()
    assert interest.routed_to_coordinator
    assert set(InboxItem.objects.filter(interest=interest).values_list("user", flat=True)) == {cast.coordinator_a.pk}


def test_bad_interest_form_names_the_field_and_sends_nothing(client_for, listings):
    response = client_for(None).post(url("seed_interest", listings.public_seed.pk), {**FORM, "sender_email": "nope"})
    assert response.status_code == 200 and "sender_email" in response.context["form"].errors
    response = client_for(None).post(url("seed_interest", listings.public_seed.pk), {**FORM, "message": "x" * 2001})
    assert "message" in response.context["form"].errors
    assert not Interest.objects.exists() and not InboxItem.objects.exists()


def test_no_one_expresses_interest_in_what_they_cannot_see(client_for, cast, listings):
    assert client_for(cast.hq_b).post(url("seed_interest", listings.coordinators_seed.pk), FORM).status_code == 404
    with pytest.raises(PermissionDenied):
        services.do_express_interest(cast.anonymous, listings.cluster_seed, **FORM)
    assert not Interest.objects.exists()


def test_the_owner_declines_with_a_coded_reason_and_the_sender_hears_it(client_for, cast, listings, university_user):
    interest = services.do_express_interest(cast.participant, listings.public_seed, **FORM)
    owner = client_for(university_user)
    response = owner.post(url("interest_decline", interest.pk), {"decline_reason": "too_early"})
    assert response.status_code == 302
    interest.refresh_from_db()
    assert (interest.status, interest.decline_reason) == ("declined", "too_early")
    assert InboxItem.objects.filter(user=cast.participant, kind="decline", interest=interest).exists()


def test_declining_needs_the_right_and_a_reason(client_for, cast, listings, university_user):
    interest = services.do_express_interest(cast.participant, listings.public_seed, **FORM)
    assert (
        client_for(cast.participant)
        .post(url("interest_decline", interest.pk), {"decline_reason": "too_early"})
        .status_code
        == 403
    )
    with pytest.raises(ValidationError) as error:
        services.do_decline_interest(university_user, interest, "other", "")
    assert "decline_text" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.do_decline_interest(university_user, interest, "because", "")
    assert "decline_reason" in error.value.message_dict
    interest.refresh_from_db()
    assert interest.status == "sent"


def test_the_coordinator_declines_for_an_anonymised_listing(cast, listings):
    interest = services.do_express_interest(cast.participant, listings.anonymous_seed, **FORM)
    services.do_decline_interest(cast.coordinator_a, interest, "outside_field")
    with pytest.raises(PermissionDenied):
        services.do_decline_interest(cast.hq_b, interest, "too_vague")


def test_owners_see_decline_reasons_in_aggregate_without_names(client_for, cast, listings, university_user):
    seed = listings.public_seed
    for reason in ("too_early", "too_early", "route_unclear"):
        interest = services.do_express_interest(cast.participant, seed, **FORM)
        services.do_decline_interest(university_user, interest, reason)
    Feedback.objects.create(
        need=listings.public_need,
        target_kind="seed",
        target_id=seed.pk,
        verdict="not_useful",
        decline_reason="advantage_unclear",
        author=cast.coordinator_a,
    )
    summary = dict(services.decline_summary(seed))
    assert list(summary.values()) == [2, 1, 1]
    page = client_for(university_user).get(url("seed_detail", seed.pk)).content.decode()
    assert 'id="decline-reasons"' in page
    visitor_page = client_for(None).get(url("seed_detail", seed.pk)).content.decode()
    assert 'id="decline-reasons"' not in visitor_page and "tanaka@example.jp" not in visitor_page


def test_interest_in_a_closed_need_is_refused(cast, listings):
    need = listings.public_need
    need.status = "closed"
    need.save()
    with pytest.raises(ValidationError):
        services.do_express_interest(cast.anonymous, need, **FORM)


def test_without_an_owner_account_the_clusters_coordinator_receives_it(cast, listings):
    interest = services.do_express_interest(cast.participant, listings.public_seed, **FORM)  # nobody speaks for uni A
    assert interest.routed_to_coordinator
    assert set(InboxItem.objects.filter(interest=interest).values_list("user", flat=True)) == {cast.coordinator_a.pk}


def test_a_sender_cannot_repeat_a_pending_message_or_flood(cast, listings, university_user):
    services.do_express_interest(cast.anonymous, listings.public_seed, **FORM)
    with pytest.raises(ValidationError) as error:
        services.do_express_interest(
            cast.anonymous, listings.public_seed, **{**FORM, "sender_email": "TANAKA@example.jp"}
        )
    assert "message" in error.value.message_dict
    for _ in range(services.INTEREST_DAILY_LIMIT - 1):
        Interest.objects.create(
            need=listings.public_need, sender_name="x", sender_email=FORM["sender_email"], message="x"
        )
    with pytest.raises(ValidationError):
        services.do_express_interest(cast.anonymous, listings.anonymous_seed, **FORM)
    assert Interest.objects.filter(seed=listings.anonymous_seed).count() == 0
