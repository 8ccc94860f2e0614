"""Deployment checks of the settings, run by ``manage.py check --deploy``."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def development_keys_refused(app_configs, **kwargs):
    """Refuse to deploy with the public development keys."""
    errors = []
    if settings.SECRET_KEY == settings.DEV_SECRET_KEY:
        errors.append(Error("SECRET_KEY 仍是开发用的公开密钥。", id="shequ.E001"))
    if settings.DEV_FIELD_KEY in settings.FIELD_ENCRYPTION_KEYS:
        errors.append(Error("FIELD_ENCRYPTION_KEYS 含有开发用的公开密钥。", id="shequ.E002"))
    if settings.AUDIT_KEY == settings.DEV_AUDIT_KEY:
        errors.append(Error("AUDIT_KEY 仍是开发用的公开密钥。", id="shequ.E004"))
    if settings.DEMO_ACCOUNTS_RELAXED:
        errors.append(Error("DEMO_ACCOUNTS_RELAXED 只能用于开发环境。", id="shequ.E005"))
    return errors
