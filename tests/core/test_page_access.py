"""The one page-access decorator: visitors go to sign in, refused users get 403, others the page."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.test import RequestFactory

from renkei.brokerage.access import check_can_use_crm
from renkei.core.access import page_access, signed_in_page
from renkei.events.access import can_create_events

pytestmark = pytest.mark.django_db

PATH = "/ja/somewhere/42/?tab=notes&page=2"


def request_as(user):
    request = RequestFactory().get(PATH)
    request.user = user
    return request


class Page:
    """A view that records what it was called with."""

    def __init__(self) -> None:
        self.calls: list[tuple] = []

    def __call__(self, request, *args, **kwargs) -> HttpResponse:
        """The page's own docstring."""
        self.calls.append((request.user, args, kwargs))
        return HttpResponse("the page")


def refusing_rule(user):
    raise AssertionError("a visitor never reaches the role rule")


@pytest.mark.parametrize(
    "decorator",
    [signed_in_page, page_access(check=refusing_rule), page_access(allow=refusing_rule)],
    ids=["signed-in", "check", "allow"],
)
def test_a_visitor_is_sent_to_sign_in_and_back_to_the_same_address(decorator):
    page = Page()
    response = decorator(page)(request_as(AnonymousUser()))

    assert response.status_code == 302
    assert response.url.startswith(resolve_url(settings.LOGIN_URL) + "?")
    assert "next=/ja/somewhere/42/%3Ftab%3Dnotes%26page%3D2" in response.url
    assert page.calls == []


def test_a_check_helper_refuses_with_403(cast):
    page = Page()
    view = page_access(check=check_can_use_crm)(page)

    with pytest.raises(PermissionDenied):
        view(request_as(cast.participant))
    assert page.calls == []
    assert view(request_as(cast.coordinator_a), 7, tab="x").content == b"the page"
    assert page.calls == [(cast.coordinator_a, (7,), {"tab": "x"})]


def test_an_allow_helper_refuses_with_403_and_the_message(cast):
    page = Page()
    view = page_access(allow=can_create_events, message="Only HQ staff create events.")(page)

    with pytest.raises(PermissionDenied, match="Only HQ staff create events."):
        view(request_as(cast.participant))
    assert page.calls == []
    assert view(request_as(cast.hq_a)).status_code == 200
    assert len(page.calls) == 1


def test_an_allow_helper_may_answer_with_any_falsy_value(cast):
    # `can_` helpers may return an empty set or None rather than False: still a refusal.
    for answer in (None, set(), 0):
        with pytest.raises(PermissionDenied):
            page_access(allow=lambda user, answer=answer: answer)(Page())(request_as(cast.hq_a))


def test_a_signed_in_page_lets_every_signed_in_user_through(cast):
    page = Page()
    view = signed_in_page(page)
    for user in (cast.participant, cast.national, cast.coordinator_a):
        assert view(request_as(user)).status_code == 200
    assert [user for user, _args, _kwargs in page.calls] == [cast.participant, cast.national, cast.coordinator_a]


def test_the_decorated_view_keeps_its_name_and_docstring():
    def organisation_create(request):
        """Add an organisation."""

    view = page_access(allow=can_create_events)(organisation_create)
    assert view.__name__ == "organisation_create"
    assert view.__doc__ == "Add an organisation."
