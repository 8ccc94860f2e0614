import pytest
import schemathesis
from django.urls import reverse
from hypothesis import HealthCheck, settings

from shequ.accounts.services import token_create
from shequ.wsgi import application


def test_api_needs_authentication(client, db):
    response = client.get("/api/orgs/")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_openapi_schema_is_public(client, db):
    schema = client.get("/api/openapi.json").json()
    assert "/api/orgs/" in schema["paths"]


def test_token_auth_sees_own_scope_only(personas, client):
    _, key = token_create(actor=personas.worker_b, name="测试")
    response = client.get("/api/orgs/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    names = {o["name"] for o in response.json()["items"]}
    assert names == {"社区B"}
    missing = client.get(f"/api/orgs/{personas.community_a.pk}", HTTP_AUTHORIZATION=f"Token {key}")
    assert missing.status_code == 404
    assert missing.json() == {"code": "not_found", "message": "对象不存在或不在您的管辖范围内。", "detail": None}


def test_bad_token_is_refused(client, db):
    assert client.get("/api/orgs/", HTTP_AUTHORIZATION="Token nope").status_code == 401


def test_session_auth_works_for_the_api(personas, client_for):
    response = client_for(personas.supervisor).get(reverse("api:list_orgs"))
    names = {o["name"] for o in response.json()["items"]}
    assert {"和平街道", "社区A", "社区B"} <= names and "社区C" not in names


@pytest.fixture
def district_token(personas):
    return token_create(actor=personas.admin, name="schemathesis")[1]


@pytest.fixture
def keep_test_connection():
    """Requests made straight through the WSGI app must not close the test's database connection
    (Django's test client does the same)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# Loading the schema through the app needs no database: /api/openapi.json is public and static.
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@schema.parametrize()
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@pytest.mark.django_db
def test_api_has_no_server_errors(case, district_token, keep_test_connection):
    """Generated requests of every endpoint: never a 5xx, whatever the input.

    The token's data stays valid across generated inputs, so sharing the fixture is safe.
    """
    response = case.call(headers={"Authorization": f"Token {district_token}"})
    assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.status_code}"


def test_numbers_beyond_the_database_range_are_a_400(personas, client_for):
    client = client_for(personas.admin)
    response = client.get("/api/orgs/", {"offset": 2**63, "limit": 1})
    assert response.status_code == 400
    assert response.json()["message"] == "参数超出允许的范围。"
