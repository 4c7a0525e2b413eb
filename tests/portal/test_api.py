import pytest
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db


def test_api_needs_authentication(client):
    assert client.get("/api/v1/jobs/").status_code in (401, 403)


def test_token_authentication(client, office_user):
    token = Token.objects.create(user=office_user)
    response = client.get("/api/v1/jobs/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert response.json() == {"count": 0, "next": None, "previous": None, "results": []}


def test_schema_and_docs_are_served_locally(office_client):
    schema = office_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert "openapi" in schema.content.decode()[:200]
    docs = office_client.get("/api/docs/")
    html = docs.content.decode()
    assert docs.status_code == 200
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "https://" not in html and "cdn" not in html.lower()


def test_user_rotates_own_api_token(client, viewer_user):
    client.force_login(viewer_user)
    assert "Bạn chưa có mã truy cập" in client.get("/accounts/api-token/").content.decode()
    client.post("/accounts/api-token/")
    first = Token.objects.get(user=viewer_user).key
    client.post("/accounts/api-token/")
    second = Token.objects.get(user=viewer_user).key
    assert first != second
    client.logout()
    assert client.get("/api/v1/jobs/", HTTP_AUTHORIZATION=f"Token {first}").status_code in (
        401,
        403,
    )
    assert client.get("/api/v1/jobs/", HTTP_AUTHORIZATION=f"Token {second}").status_code == 200
