"""Challenges: a need published as a call with a deadline; seed owners answer with short
proposals; the company and its coordinator shortlist."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from renkei.accounts.models import Role, RoleKind
from renkei.matching import services
from renkei.matching.models import Challenge, InboxItem, Proposal
from tests.matching.listings import *  # noqa: F403


def url(name: str, *args) -> str:
    return reverse(f"matching:{name}", args=args)


@pytest.fixture
def university_user(cast):
    from tests.cast import _user

    user = _user("university_a_tlo")
    Role.objects.create(user=user, kind=RoleKind.PARTICIPANT, organisation=cast.university_a)
    return user


@pytest.fixture
def challenge(cast, listings) -> Challenge:
    return services.do_open_challenge(
        cast.participant, listings.public_need, deadline=timezone.localdate() + dt.timedelta(days=30)
    )


def test_the_company_publishes_its_need_as_a_challenge(client_for, cast, listings):
    client = client_for(cast.participant)
    deadline = (timezone.localdate() + dt.timedelta(days=14)).isoformat()
    response = client.post(
        url("challenge_open", listings.public_need.pk), {"deadline": deadline, "brief": "試作品の提案"}
    )
    challenge = Challenge.objects.get()
    assert response["Location"] == challenge.get_absolute_url()
    assert "試作品の提案" in client_for(None).get(url("challenge_detail", challenge.pk)).content.decode()


def test_a_deadline_in_the_past_is_refused_on_its_field(client_for, cast, listings):
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    response = client_for(cast.participant).post(
        url("challenge_open", listings.public_need.pk), {"deadline": yesterday}
    )
    assert "deadline" in response.context["form"].errors
    assert not Challenge.objects.exists()
    assert client_for(cast.hq_b).get(url("challenge_open", listings.public_need.pk)).status_code == 403


def test_a_seed_owner_answers_and_the_company_and_coordinator_are_told(
    client_for, cast, listings, challenge, university_user
):
    client = client_for(university_user)
    response = client.post(
        url("proposal_create", challenge.pk), {"seed": listings.public_seed.pk, "text": "診断薬の技術で応えられます。"}
    )
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    told = set(InboxItem.objects.filter(proposal=proposal).values_list("user", flat=True))
    assert told == {cast.participant.pk, cast.coordinator_a.pk}


def test_one_cannot_answer_with_someone_elses_seed_or_twice(cast, listings, challenge, university_user):
    with pytest.raises(ValidationError) as error:
        services.do_submit_proposal(cast.participant, challenge, listings.public_seed, "横取り")
    assert "seed" in error.value.message_dict
    services.do_submit_proposal(university_user, challenge, listings.public_seed, "提案")
    with pytest.raises(ValidationError):
        services.do_submit_proposal(university_user, challenge, listings.public_seed, "もう一度")
    assert Proposal.objects.count() == 1


def test_a_closed_challenge_takes_no_proposals(cast, listings, challenge, university_user):
    Challenge.objects.filter(pk=challenge.pk).update(deadline=timezone.localdate() - dt.timedelta(days=1))
    challenge.refresh_from_db()
    with pytest.raises(ValidationError):
        services.do_submit_proposal(university_user, challenge, listings.public_seed, "遅れた提案")


def test_the_company_and_its_coordinator_shortlist_others_cannot(
    client_for, cast, listings, challenge, university_user
):
    proposal = services.do_submit_proposal(university_user, challenge, listings.public_seed, "提案")
    client_for(cast.coordinator_a).post(url("proposal_status", proposal.pk), {"status": "shortlisted"})
    proposal.refresh_from_db()
    assert proposal.status == "shortlisted"
    with pytest.raises(PermissionDenied):
        services.do_set_proposal_status(university_user, proposal, "shortlisted")
    with pytest.raises(PermissionDenied):
        services.do_set_proposal_status(cast.hq_b, proposal, "declined")
    # the proposer sees their own proposal; another visitor sees none
    assert list(client_for(university_user).get(url("challenge_detail", challenge.pk)).context["proposals"]) == [
        proposal
    ]
    assert list(client_for(None).get(url("challenge_detail", challenge.pk)).context["proposals"]) == []


def test_a_challenge_on_a_hidden_need_is_hidden(client_for, cast, listings):
    challenge = services.do_open_challenge(
        cast.admin, listings.b_coordinators_need, deadline=timezone.localdate() + dt.timedelta(days=5)
    )
    assert client_for(cast.coordinator_a).get(url("challenge_detail", challenge.pk)).status_code == 404
    assert challenge not in client_for(None).get(url("challenge_list")).context["challenges"]
