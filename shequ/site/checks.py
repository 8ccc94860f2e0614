"""Deployment checks that know the apps, run by ``manage.py check --deploy``."""

from __future__ import annotations

from django.core.checks import Error, Tags, register
from django.db import DatabaseError

from shequ.accounts.demo import ACCOUNTS, DEMO_PASSWORD
from shequ.accounts.models import User


@register(Tags.security, deploy=True)
def demo_passwords_refused(app_configs, **kwargs):
    """Refuse to deploy while a demo account still has the documented demo password."""
    names = [row[0] for row in ACCOUNTS]
    try:
        weak = [
            u.username
            for u in User.objects.filter(username__in=names, is_active=True)
            if u.check_password(DEMO_PASSWORD)
        ]
    except DatabaseError:
        weak = []
    if not weak:
        return []
    return [
        Error(
            f"演示账号仍使用公开的演示密码: {', '.join(weak)}。",
            hint="停用这些账号或修改其密码后再部署。",
            id="shequ.E003",
        )
    ]
