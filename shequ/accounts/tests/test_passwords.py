"""The password policy as 等保 assessors apply it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from shequ.accounts import services
from shequ.accounts.models import User
from shequ.accounts.roles import Role


def _refused(password: str, user=None) -> bool:
    try:
        validate_password(password, user)
    except ValidationError:
        return True
    return False


@pytest.mark.parametrize(
    "password",
    [
        "Admin@123",  # the classic
        "Shequ@2026",  # the published demo password
        "Woaini@1314",  # pinyin word with digits
        "P@ssw0rd",
        "Qwerty!2026",
        "abcdefgh12",  # two classes only
        "ABCDEFGH!!",  # two classes only
        "Ab1!",  # too short
        "Zhongguo#88",
    ],
)
def test_weak_and_common_passwords_are_refused(password):
    assert _refused(password)


def test_the_accounts_own_name_phone_and_pinyin_are_refused():
    user = User(username="zhangwei01", name="张伟", phone="13912345678")
    for password in ["Zhangwei@2026", "Weizhang#2026", "X13912345678a", "张伟Abc12345", "Zw-zhangwei01!"]:
        assert _refused(password, user), password


@pytest.mark.parametrize("password", ["Lan-Tian-Bai-Yun7", "River#Stone42", "9ke-Xia-Mo!"])
def test_strong_passwords_pass(password):
    user = User(username="zhangwei01", name="张伟", phone="13912345678")
    assert not _refused(password, user)


def test_refusals_are_explained_in_chinese():
    with pytest.raises(ValidationError) as exc:
        validate_password("abcdefgh12")
    assert "至少三类" in " ".join(exc.value.messages)


def test_an_initial_password_must_be_changed_at_first_login(personas, client_for):
    user = services.user_create(
        actor=personas.admin,
        username="new_grid",
        password="Start-Grid-2026",
        name="新网格员",
        org=personas.grid_a,
        role=Role.GRID,
    )
    page = client_for(user)
    response = page.get(reverse("dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:password"))
    page.post(
        reverse("accounts:password"),
        {"old_password": "Start-Grid-2026", "new_password1": "Own-Choice-77x", "new_password2": "Own-Choice-77x"},
    )
    user.refresh_from_db()
    assert not user.must_change_password
    assert client_for(user).get(reverse("dashboard")).status_code == 200


def test_a_staff_password_older_than_ninety_days_must_change(personas, client_for, settings):
    assert settings.PASSWORD_MAX_AGE_DAYS == 90
    User.objects.filter(pk=personas.worker_a.pk).update(password_changed_at=timezone.now() - timedelta(days=91))
    personas.worker_a.refresh_from_db()
    response = client_for(personas.worker_a).get(reverse("records:list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:password"))


def test_the_age_limit_is_configurable_and_residents_are_not_held_to_it(personas, client_for, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 30
    old = timezone.now() - timedelta(days=31)
    User.objects.filter(pk__in=[personas.worker_a.pk, personas.resident.pk]).update(password_changed_at=old)
    personas.worker_a.refresh_from_db()
    personas.resident.refresh_from_db()
    assert client_for(personas.worker_a).get(reverse("records:list")).status_code == 302
    assert client_for(personas.resident).get(reverse("portal:mine")).status_code == 200


def test_demo_accounts_keep_their_password_in_development_only(personas, client_for, settings):
    demo = User.objects.create(username="a_worker", name="王专干", password_changed_at=timezone.now() - timedelta(400))
    demo.memberships.create(org=personas.community_a, role=Role.GRID)
    settings.DEMO_ACCOUNTS_RELAXED = True
    assert client_for(demo).get(reverse("dashboard")).status_code == 200
    settings.DEMO_ACCOUNTS_RELAXED = False
    assert client_for(demo).get(reverse("dashboard")).status_code == 302
