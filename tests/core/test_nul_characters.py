"""A NUL character in a parameter gets one clear 400 on every page and API call, on SQLite and
PostgreSQL alike (PostgreSQL cannot compare text holding one)."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from renkei.directory.models import Organisation


@pytest.mark.parametrize(
    "path",
    [
        "/ja/directory/organisations/?q=%00abc",
        "/ja/programmes/clusters/?region=%00",
        "/ja/matching/search/?q=x&region=ka%00nto",
    ],
)
def test_a_page_refuses_a_nul_character_in_the_query(cast, client_for, path):
    response = client_for(cast.national).get(path)

    assert response.status_code == 400
    assert "NUL" in response.content.decode()


@pytest.mark.parametrize(
    "path", ["/api/organisations/?prefecture=%00", "/api/matching/search/?q=x&region=%00", "/api/clusters/?q=a%00"]
)
def test_the_api_refuses_it_with_a_json_detail(cast, client_for, path):
    response = client_for(cast.national).get(path, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.json() == {"detail": "Request parameters must not contain NUL characters."}


def test_a_form_post_with_one_saves_nothing(cast, client_for):
    count = Organisation.objects.count()
    body = urlencode({"kind": "sme", "name_ja": "ヌル\x00工業", "visibility": "public"})
    response = client_for(cast.admin).post(
        "/en/directory/organisations/new/", body, content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 400
    assert Organisation.objects.count() == count


def test_ordinary_parameters_pass(cast, client_for):
    assert client_for(cast.national).get("/ja/directory/organisations/?q=アルファ").status_code == 200
