"""``manage.py check --deploy`` refuses the demo's public password on a live account."""

from __future__ import annotations

from shequ.accounts.demo import DEMO_PASSWORD
from shequ.site.checks import demo_passwords_refused
from shequ.testing.factories import UserFactory


def test_deploy_check_names_demo_accounts_that_keep_the_demo_password(db):
    user = UserFactory(username="a_worker")
    user.set_password(DEMO_PASSWORD)
    user.save()
    errors = demo_passwords_refused(None)
    assert [e.id for e in errors] == ["shequ.E003"] and "a_worker" in errors[0].msg
    user.set_password("another-Secret-2026")
    user.save()
    assert demo_passwords_refused(None) == []


def test_deploy_check_ignores_a_deactivated_demo_account(db):
    user = UserFactory(username="admin", is_active=False)
    user.set_password(DEMO_PASSWORD)
    user.save()
    assert demo_passwords_refused(None) == []
