"""Deployment checks of the settings, run by ``manage.py check --deploy``."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


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


@register(Tags.database, deploy=True)
def statement_timeout_under_worker_timeout(app_configs, **kwargs):
    """The database cancels a web request's query before gunicorn kills the worker that waits for it."""
    db, web = getattr(settings, "DB_STATEMENT_TIMEOUT", 0), getattr(settings, "WEB_TIMEOUT", 0)
    if db and web and db < web:
        return []
    return [
        Error(
            f"DB_STATEMENT_TIMEOUT（{db} 秒）应大于 0 且小于 WEB_TIMEOUT（{web} 秒）。",
            hint="两者一起设置，例如 20 和 30：查询超时先于工作进程超时。",
            id="shequ.E020",
        )
    ]


@register(Tags.security, deploy=True)
def media_not_served_as_static(app_configs, **kwargs):
    """Uploaded files are answered only by views that check the object's scope: the static server (whitenoise)
    must never find them, so media lies outside every static folder."""
    media = Path(settings.MEDIA_ROOT).resolve()
    dirs = [d[1] if isinstance(d, tuple | list) else d for d in settings.STATICFILES_DIRS]
    static = [Path(settings.STATIC_ROOT), *(Path(d) for d in dirs)]
    if any(media == s.resolve() or s.resolve() in media.parents for s in static if str(s)):
        return [
            Error(
                "MEDIA_ROOT 位于静态文件目录之内：上传的文件会被按路径直接访问。",
                hint="把 MEDIA_ROOT 设在 STATIC_ROOT 和 STATICFILES_DIRS 之外。",
                id="shequ.E030",
            )
        ]
    return []


@register(Tags.caches, deploy=True)
def shared_cache_for_several_workers(app_configs, **kwargs):
    """Phone codes, login rate limits and refusal counts live in the cache: without Redis each gunicorn worker has
    its own, so a code sent by one worker is unknown to the next and every limit is multiplied by the workers."""
    if settings.REDIS_URL or os.environ.get("WEB_WORKERS") == "1":
        return []
    return [
        Warning(
            "没有设置 REDIS_URL：多个 web 工作进程各有各的缓存，手机验证码、登录限速和拒绝计数不能在进程之间共享。",
            hint="设置 REDIS_URL（会话和缓存放在 Redis），或只用一个工作进程（WEB_WORKERS=1）。",
            id="shequ.W040",
        )
    ]
