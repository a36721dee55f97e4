from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.api.schema_check import check_response


class SchemaCheckedClient(APIClient):
    """An API test client that sends JSON and checks every response against the OpenAPI schema."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.default_format = "json"

    def request(self, **request):
        response = super().request(**request)
        check_response(
            response.request["REQUEST_METHOD"],
            response.request["PATH_INFO"],
            response.status_code,
            response.get("Content-Type", ""),
            response.content,
        )
        return response


@pytest.fixture
def api(db):
    """`api(user)`: a schema-checked client authenticated with the user's API token (no
    credentials for None or the anonymous visitor)."""

    def client_for(user=None) -> SchemaCheckedClient:
        client = SchemaCheckedClient()
        if user is not None and user.is_authenticated:
            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return client_for
