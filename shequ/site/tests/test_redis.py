"""Stateless web processes: with Redis the cache and the sessions live there, shared by every process, and the
rate limits count across processes. Runs against the local Redis, on a database number of its own
(``TEST_REDIS_URL``, default ``redis://127.0.0.1:6379/7``), which it empties."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from shequ.testing import redis_db
from shequ.testing.factories import TEST_PASSWORD

ROOT = Path(__file__).resolve().parents[3]
REDIS = redis_db.URL
REDIS_CACHE = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS, "KEY_PREFIX": "shequ"}


@pytest.fixture
def on_redis(settings, redis_store):
    settings.CACHES = {**settings.CACHES, "default": REDIS_CACHE}
    yield redis_store
    caches["default"].close()


def settings_with(**env: str) -> dict:
    """The cache and session settings a process started with this environment has."""
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'cache': s.CACHES['default']['BACKEND'], 'location': s.CACHES['default'].get('LOCATION'),"
        " 'progress': s.CACHES['progress']['BACKEND'], 'session': s.SESSION_ENGINE}))"
    )
    base = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "SESSION_STORE")}
    done = subprocess.run(  # noqa: S603 - this interpreter, our settings
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "shequ.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0 or not env.get("ok", True), done.stderr[-2000:]
    return json.loads(done.stdout) if done.returncode == 0 else {"error": done.stderr}


def test_redis_url_moves_the_cache_and_sessions_to_redis():
    assert settings_with() == {
        "cache": "django.core.cache.backends.locmem.LocMemCache",
        "location": None,
        "progress": "django.core.cache.backends.filebased.FileBasedCache",
        "session": "django.contrib.sessions.backends.db",
    }
    assert settings_with(REDIS_URL=REDIS) == {
        "cache": "django.core.cache.backends.redis.RedisCache",
        "location": REDIS,
        "progress": "django.core.cache.backends.redis.RedisCache",
        "session": "django.contrib.sessions.backends.cached_db",
    }
    assert settings_with(REDIS_URL=REDIS, SESSION_STORE="cache")["session"] == "django.contrib.sessions.backends.cache"
    assert "needs REDIS_URL" in settings_with(SESSION_STORE="cache", ok="")["error"]


def signed_in(client: Client) -> bool:
    """The dashboard opens, or asks for the second factor's enrolment; not the login page."""
    response = client.get(reverse("dashboard"))
    return response.status_code == 200 or "/accounts/mfa/" in response.get("Location", "")


@pytest.mark.django_db
def test_a_session_in_redis_serves_any_process_and_goes_with_redis(on_redis, settings, personas):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    first = Client()
    assert first.post(reverse("login"), {"username": "p_worker_a", "password": TEST_PASSWORD}).status_code == 302
    cookie = first.cookies[settings.SESSION_COOKIE_NAME].value
    assert any(cookie.encode() in key for key in on_redis.keys("*")), "the session is not in Redis"

    other = Client()  # another process: only the cookie, the session read from Redis
    other.cookies[settings.SESSION_COOKIE_NAME] = cookie
    assert signed_in(other)

    on_redis.flushdb()
    assert not signed_in(other)  # the session lived in Redis alone


@pytest.mark.django_db
def test_failed_logins_per_address_count_in_redis(on_redis, settings, personas):
    settings.LOGIN_IP_RATE = "3/15m"
    for name in ["p_worker_a", "p_leader_a", "p_worker_b"]:
        Client().post(reverse("login"), {"username": name, "password": "wrong-password"})
    assert on_redis.keys("*login-ip*") or on_redis.keys("*rl:*"), "the address's failures are not counted in Redis"
    # Another process, its own client: the same address is throttled by the count in Redis.
    throttled = Client().post(reverse("login"), {"username": "p_supervisor", "password": TEST_PASSWORD})
    assert throttled.status_code == 429

    on_redis.flushdb()
    assert Client().post(reverse("login"), {"username": "p_supervisor", "password": TEST_PASSWORD}).status_code == 302


def test_the_deploy_check_warns_of_several_workers_without_redis(settings, monkeypatch):
    from shequ.core.checks import shared_cache_for_several_workers

    settings.REDIS_URL = ""
    monkeypatch.delenv("WEB_WORKERS", raising=False)
    assert [w.id for w in shared_cache_for_several_workers(None)] == ["shequ.W040"]
    monkeypatch.setenv("WEB_WORKERS", "1")
    assert shared_cache_for_several_workers(None) == []
    monkeypatch.setenv("WEB_WORKERS", "4")
    settings.REDIS_URL = REDIS
    assert shared_cache_for_several_workers(None) == []
