import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from shequ.accounts.middleware import LOGIN_AT_KEY
from shequ.audit.models import AuditLog
from shequ.audit.services import hashed
from shequ.testing.factories import TEST_PASSWORD


@pytest.fixture(autouse=True)
def _axes_on(settings):
    settings.AXES_ENABLED = True


def login(client, username, password=TEST_PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_page_is_chinese(client, db):
    body = client.get(reverse("login")).content.decode()
    assert "用户名或手机号" in body and "登录" in body and 'lang="zh-Hans"' in body


def test_worker_logs_in_by_username_and_is_audited(client, personas):
    response = login(client, "p_worker_a")
    assert response.status_code == 302 and response["Location"] == "/"
    row = AuditLog.objects.get(action="auth.login")
    assert row.actor == personas.worker_a and row.success and row.ip == "127.0.0.1"


def test_login_by_phone_number(client, personas):
    personas.worker_a.phone = "13912345678"
    personas.worker_a.save()
    assert login(client, "13912345678").status_code == 302


def test_failed_login_is_audited_with_chinese_error(client, personas):
    response = login(client, "p_worker_a", "wrong-password")
    assert response.status_code == 200
    assert "用户名/手机号或密码不正确" in response.content.decode()
    row = AuditLog.objects.get(action="auth.login_failed")
    assert not row.success and row.object_id == str(personas.worker_a.pk)
    assert row.actor_org == personas.community_a


def test_failed_login_keeps_a_keyed_hash_of_what_was_typed_not_the_text(client, personas):
    """A password typed into the username field must not land in the log."""
    login(client, "Secret-typed-2026", "whatever")
    row = AuditLog.objects.get(action="auth.login_failed")
    assert "Secret-typed-2026" not in f"{row.actor_name} {row.detail} {row.object_id}"
    assert row.detail["login_hash"] == hashed("Secret-typed-2026", context="audit.login")


def test_account_locks_after_five_failures_even_with_the_right_password(client, personas):
    for _ in range(5):
        login(client, "p_worker_a", "wrong-password")
    response = login(client, "p_worker_a")
    assert response.status_code == 429
    assert "已被锁定30分钟" in response.content.decode()


def test_lockout_is_per_account_whatever_the_spelling(client, personas):
    personas.worker_a.phone = "13912345678"
    personas.worker_a.save()
    for _ in range(5):
        login(client, "13912345678", "wrong-password")
    assert login(client, "p_worker_a").status_code == 429
    assert login(client, "p_leader_a").status_code == 302  # other accounts are not affected


def test_new_session_key_at_login_and_logout_kills_session(client, personas):
    client.get(reverse("login"))
    before = client.session.session_key
    login(client, "p_worker_a")
    after = client.session.session_key
    assert after != before
    client.post(reverse("logout"))
    assert client.get(reverse("dashboard")).status_code == 302
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=after).exists()


def test_idle_timeout_is_thirty_minutes_renewed_on_each_request(settings, client, personas):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    login(client, "p_worker_a")
    client.get(reverse("dashboard"))
    session = client.session
    assert 29 * 60 < session.get_expiry_age() <= 30 * 60


def test_session_older_than_the_absolute_limit_is_ended(client, personas):
    login(client, "p_worker_a")
    session = client.session
    session[LOGIN_AT_KEY] = time.time() - 12 * 60 * 60 - 5
    session.save()
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert client.get(reverse("orgs:list")).status_code == 302


def test_idle_session_expires(client, personas):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    login(client, "p_worker_a")
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    assert client.get(reverse("dashboard")).status_code == 302


@pytest.mark.parametrize("password", ["short1!", "12345678901", "password123"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_refusal_is_audited(personas, client_for):
    response = client_for(personas.worker_a).get(reverse("orgs:edit", args=[personas.community_a.pk]))
    assert response.status_code == 403
    row = AuditLog.objects.get(action="auth.denied")
    assert row.actor == personas.worker_a and not row.success
    assert row.detail["path"].endswith("/edit/")


def test_user_creates_uses_and_revokes_an_api_token(personas, client_for, client):
    from shequ.accounts.models import ApiToken

    page = client_for(personas.worker_a)
    body = page.post(reverse("accounts:tokens"), {"name": "统计系统", "scope": "read", "days": "30"}).content.decode()
    assert "只显示这一次" in body
    token = ApiToken.objects.get(user=personas.worker_a)
    key = body.split('data-testid="new-token">')[1].split("<")[0]
    assert token.digest == ApiToken.hash(key) and key not in token.digest
    assert client.get("/api/orgs/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    page.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert client.get("/api/orgs/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401


def test_password_change_is_audited(personas, client_for):
    page = client_for(personas.worker_a)
    response = page.post(
        reverse("accounts:password"),
        {"old_password": TEST_PASSWORD, "new_password1": "Fresh-pass-2027", "new_password2": "Fresh-pass-2027"},
    )
    assert response.status_code == 302
    assert AuditLog.objects.filter(action="auth.password_change", actor=personas.worker_a).exists()
