"""The second factor: who must use it, enrolment at first login, the code at each login, recovery codes, the
admin site behind it, and unlocking a locked account with it; per-address throttling before the account lockout."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from shequ.accounts import secondfactor
from shequ.audit.models import AuditLog
from shequ.testing.factories import TEST_PASSWORD, totp_code, totp_device


@pytest.fixture(autouse=True)
def _axes_on(settings):
    settings.AXES_ENABLED = True


def later():
    """A minute on: past django-otp's throttling delay after a wrong code, and a fresh TOTP window."""
    return time_machine.travel(timezone.now() + timedelta(minutes=1))


def login(client, username, password=TEST_PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_who_must_use_a_second_factor(personas):
    must = {"admin", "leader_a", "worker_a", "worker_b", "supervisor"}
    for name, user in personas.all_named().items():
        assert secondfactor.required(user) == (name in must), name


def test_first_login_enrols_with_a_qr_code_then_shows_recovery_codes(client, personas):
    login(client, "p_leader_a")
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:mfa_setup"))
    page = client.get(response["Location"]).content.decode()
    assert "<svg" in page and "设置双因素认证" in page and 'name="viewport"' in page
    device = TOTPDevice.objects.get(user=personas.leader_a, confirmed=False)
    assert client.post(reverse("accounts:mfa_setup"), {"code": "000000"}).status_code == 200
    with later():  # a wrong code holds the authenticator back a moment (django-otp's throttling)
        done = client.post(reverse("accounts:mfa_setup"), {"code": totp_code(device)}).content.decode()
    codes = re.findall(r"<li><code>(\w+)</code></li>", done)
    assert len(codes) == 10
    assert client.get(reverse("dashboard")).status_code == 200
    assert AuditLog.objects.filter(action="auth.mfa_enrol", actor=personas.leader_a).exists()


def test_each_login_asks_for_the_code_and_a_recovery_code_works_once(client, personas):
    device = totp_device(personas.worker_a)
    codes = secondfactor.new_recovery_codes(personas.worker_a)
    login(client, "p_worker_a")
    response = client.get(reverse("records:list"))
    assert response["Location"].startswith(reverse("accounts:mfa_verify"))
    wrong = client.post(reverse("accounts:mfa_verify"), {"code": "123456"})
    assert "验证码不正确" in wrong.content.decode()
    assert client.post(reverse("accounts:mfa_verify"), {"code": codes[0]}).status_code == 302
    assert client.get(reverse("records:list")).status_code == 200
    other = Client()
    login(other, "p_worker_a")
    assert "验证码不正确" in other.post(reverse("accounts:mfa_verify"), {"code": codes[0]}).content.decode()
    with later():
        other.post(reverse("accounts:mfa_verify"), {"code": totp_code(device)})
        assert other.get(reverse("records:list")).status_code == 200


def test_the_admin_site_is_behind_the_second_factor(client, personas):
    personas.admin.is_staff = personas.admin.is_superuser = True
    personas.admin.save()
    totp_device(personas.admin)
    login(client, "p_admin")
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:mfa_verify"))


def test_residents_need_no_second_factor(client, personas):
    login(client, "p_resident")
    assert client.get(reverse("portal:mine")).status_code == 200


def test_demo_accounts_may_skip_enrolment_in_development_only(client, personas, settings):
    personas.leader_a.username = "a_leader"
    personas.leader_a.save()
    settings.DEMO_ACCOUNTS_RELAXED = True
    login(client, "a_leader")
    assert client.get(reverse("dashboard")).status_code == 200
    settings.DEMO_ACCOUNTS_RELAXED = False
    assert client.get(reverse("dashboard")).status_code == 302


def test_a_locked_account_unlocks_with_its_second_factor(client, personas):
    device = totp_device(personas.worker_a)
    for _ in range(5):
        login(client, "p_worker_a", "wrong-password")
    assert login(client, "p_worker_a").status_code == 429
    assert client.post(reverse("accounts:unlock"), {"username": "p_worker_a", "code": "000000"}).status_code == 200
    assert login(client, "p_worker_a").status_code == 429
    with later():
        response = client.post(reverse("accounts:unlock"), {"username": "p_worker_a", "code": totp_code(device)})
        assert response.status_code == 302
        assert login(client, "p_worker_a").status_code == 302
    assert AuditLog.objects.filter(action="auth.unlock", object_id=str(personas.worker_a.pk)).exists()


def test_failures_from_one_address_are_throttled_before_any_account_locks(client, personas, settings):
    settings.LOGIN_IP_RATE = "4/15m"
    for name in ["p_worker_a", "p_leader_a", "p_worker_b", "p_resident"]:  # one failure each: no account locked
        login(client, name, "wrong-password")
    response = login(client, "p_supervisor")  # the right password, but from a throttled address
    assert response.status_code == 429
    assert AuditLog.objects.filter(action="auth.ip_throttled").exists()
    other_address = Client(REMOTE_ADDR="10.1.2.3")
    assert login(other_address, "p_worker_a").status_code == 302  # the accounts themselves are not locked
