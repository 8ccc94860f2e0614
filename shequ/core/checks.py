"""Deployment checks of our own, run by ``manage.py check --deploy``."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.db import DatabaseError


@register(Tags.security, deploy=True)
def demo_passwords_refused(app_configs, **kwargs):
    """Refuse to deploy while a demo account still has the documented demo password."""
    errors = []
    if settings.SECRET_KEY == settings.DEV_SECRET_KEY:
        errors.append(Error("SECRET_KEY 仍是开发用的公开密钥。", id="shequ.E001"))
    if settings.DEV_FIELD_KEY in settings.FIELD_ENCRYPTION_KEYS:
        errors.append(Error("FIELD_ENCRYPTION_KEYS 含有开发用的公开密钥。", id="shequ.E002"))
    try:
        from shequ.accounts.models import User
        from shequ.orgs.demo import ACCOUNTS, DEMO_PASSWORD

        names = [row[0] for row in ACCOUNTS]
        weak = [
            u.username
            for u in User.objects.filter(username__in=names, is_active=True)
            if u.check_password(DEMO_PASSWORD)
        ]
    except DatabaseError:
        weak = []
    if weak:
        errors.append(
            Error(
                f"演示账号仍使用公开的演示密码: {', '.join(weak)}。",
                hint="停用这些账号或修改其密码后再部署。",
                id="shequ.E003",
            )
        )
    return errors
