"""API tokens for staff only, expiring, with scopes; pages of personal data never cached; the membership switcher
redirects only within the site."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from shequ.accounts.models import ApiToken, Membership, TokenScope
from shequ.accounts.services import token_create


def test_a_resident_cannot_make_an_api_token(personas, client_for):
    with pytest.raises(PermissionDenied):
        token_create(actor=personas.resident, name="脚本")
    assert client_for(personas.resident).get(reverse("accounts:tokens")).status_code == 403
    assert not ApiToken.objects.exists()


def test_a_token_expires(personas, client):
    _, key = token_create(actor=personas.worker_a, name="统计", days=7)
    assert client.get("/api/orgs/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        assert client.get("/api/orgs/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401


def test_no_token_lives_longer_than_the_limit(personas, settings):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        token_create(actor=personas.worker_a, name="永久", days=settings.API_TOKEN_MAX_DAYS + 1)
    token, _ = token_create(actor=personas.worker_a, name="默认")
    assert token.expires_at <= timezone.now() + timedelta(days=settings.API_TOKEN_MAX_DAYS)


def test_a_read_only_token_cannot_change_data(personas, client):
    _, read = token_create(actor=personas.admin, name="只读", scope=TokenScope.READ)
    _, write = token_create(actor=personas.admin, name="读写", scope=TokenScope.WRITE)
    body = {"title": "讲座"}
    refused = client.post("/api/records/", body, content_type="application/json", HTTP_AUTHORIZATION=f"Token {read}")
    assert refused.status_code == 403 and "只读" in refused.json()["message"]
    # The read-write token passes the door; the incomplete record is then refused for what it lacks.
    allowed = client.post("/api/records/", body, content_type="application/json", HTTP_AUTHORIZATION=f"Token {write}")
    assert allowed.status_code == 422


def test_a_token_of_someone_no_longer_staff_stops_working(personas, client):
    _, key = token_create(actor=personas.worker_b, name="统计")
    Membership.objects.filter(user=personas.worker_b).update(is_active=False)
    assert client.get("/api/orgs/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401


def test_pages_of_a_logged_in_user_are_not_stored(personas, client_for):
    page = client_for(personas.worker_a)
    for url in [reverse("dashboard"), reverse("residents:list"), reverse("audit:list")]:
        response = page.get(url)
        if response.status_code == 200:
            assert response["Cache-Control"] == "no-store", url
    assert "no-store" in page.get(reverse("residents:list"))["Cache-Control"]


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_the_switcher_redirects_only_within_the_site(personas, client_for, target):
    membership = Membership.objects.get(user=personas.worker_a)
    response = client_for(personas.worker_a).post(reverse("accounts:switch", args=[membership.pk]), {"next": target})
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")


def test_the_switcher_returns_to_a_page_of_the_site(personas, client_for):
    membership = Membership.objects.get(user=personas.worker_a)
    response = client_for(personas.worker_a).post(
        reverse("accounts:switch", args=[membership.pk]), {"next": "/records/?year=2026"}
    )
    assert response["Location"] == "/records/?year=2026"
