import pytest


@pytest.mark.django_db
def test_health_check_answers_ok_without_a_language_prefix(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
