"""Token and session authentication of the API."""

from __future__ import annotations

from django.test import override_settings
from rest_framework.authtoken.models import Token

from tests.cast import PASSWORD

TOKEN_URL = "/api/auth/token/"


def test_it_gives_a_token_for_a_username_and_password(cast, api):
    response = api(None).post(TOKEN_URL, {"username": "hq_a", "password": PASSWORD})
    assert response.status_code == 200
    assert response.json()["token"] == Token.objects.get(user=cast.hq_a).key
    # The same token on a second request.
    again = api(None).post(TOKEN_URL, {"username": "hq_a", "password": PASSWORD})
    assert again.json()["token"] == response.json()["token"]


def test_the_token_authenticates_requests(cast, api):
    token = api(None).post(TOKEN_URL, {"username": "coordinator_a", "password": PASSWORD}).json()["token"]
    client = api(None)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get(f"/api/organisations/{cast.secret_company_a.pk}/").status_code == 200
    client.credentials()
    assert client.get(f"/api/organisations/{cast.secret_company_a.pk}/").status_code == 404


def test_a_wrong_password_gets_no_token(cast, api):
    response = api(None).post(TOKEN_URL, {"username": "hq_a", "password": "wrong"})
    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    assert not Token.objects.filter(user=cast.hq_a).exists()


def test_missing_credentials_are_named(cast, api):
    response = api(None).post(TOKEN_URL, {"username": "hq_a"})
    assert response.status_code == 400
    assert list(response.json()) == ["password"]


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_repeated_failures_lock_the_username_out(cast, api):
    client = api(None)
    for _ in range(3):
        assert client.post(TOKEN_URL, {"username": "hq_a", "password": "wrong"}).status_code == 400
    locked = client.post(TOKEN_URL, {"username": "hq_a", "password": PASSWORD})
    assert locked.status_code == 429
    assert "detail" in locked.json()


def test_token_requests_are_rate_limited_per_address(cast, api):
    client = api(None)
    statuses = [client.post(TOKEN_URL, {"username": "hq_a", "password": PASSWORD}).status_code for _ in range(21)]
    assert statuses == [200] * 20 + [429]


def test_a_bad_token_is_a_401(cast, api):
    client = api(None)
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = client.get("/api/organisations/")
    assert response.status_code == 401
    assert response.json()["detail"]


def test_anonymous_writes_are_a_401(cast, api):
    response = api(None).post("/api/organisations/", {"kind": "sme", "name_ja": "匿名"})
    assert response.status_code == 401


def test_session_authentication_works_too(cast, api):
    client = api(None)
    client.force_login(cast.hq_a)
    assert client.get(f"/api/organisations/{cast.secret_company_a.pk}/").status_code == 200
