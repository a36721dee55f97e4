"""Signing in: the role shows in the header, wrong passwords are throttled."""

from __future__ import annotations

import pytest
from django.test import override_settings

from tests.cast import PASSWORD


@pytest.mark.django_db
class TestSignIn:
    def test_a_user_signs_in_and_sees_their_role(self, cast, client):
        response = client.post("/en/login/", {"username": "hq_a", "password": PASSWORD}, follow=True)
        assert response.status_code == 200
        assert response.context["user"].username == "hq_a"
        assert "Cluster HQ staff" in response.content.decode()

    def test_a_wrong_password_is_refused_with_a_message(self, cast, client):
        response = client.post("/en/login/", {"username": "hq_a", "password": "wrong"})
        assert response.status_code == 200
        assert not response.context["user"].is_authenticated
        assert response.context["form"].non_field_errors()

    @override_settings(LOGIN_FAILURE_LIMIT=3)
    def test_repeated_failures_lock_the_account_even_with_the_right_password(self, cast, client):
        for _ in range(3):
            client.post("/en/login/", {"username": "hq_a", "password": "wrong"})
        response = client.post("/en/login/", {"username": "hq_a", "password": PASSWORD})
        assert not response.context["user"].is_authenticated
        assert "Too many failed sign-ins" in response.content.decode()

    @override_settings(LOGIN_FAILURE_LIMIT=3)
    def test_a_successful_sign_in_clears_earlier_failures(self, cast, client):
        for _ in range(2):
            client.post("/en/login/", {"username": "hq_a", "password": "wrong"})
        client.post("/en/login/", {"username": "hq_a", "password": PASSWORD})
        client.logout()
        client.post("/en/login/", {"username": "hq_a", "password": "wrong"})
        response = client.post("/en/login/", {"username": "hq_a", "password": PASSWORD}, follow=True)
        assert response.context["user"].is_authenticated

    def test_the_page_is_served_in_both_languages(self, db, client):
        assert 'lang="ja"' in client.get("/ja/login/").content.decode()
        assert 'lang="en"' in client.get("/en/login/").content.decode()
