"""Shared fixtures: personas, logged-in clients, the browser."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parent / "var" / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(autouse=True)
def _plain_static_and_fast_hashing(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# The rows that data migrations load; a flush (transaction=True tests) removes them.
MIGRATED_MODELS = [
    "orgs.Area",
    "records.ActivityType",
    "plans.PlanTemplate",
    "plans.TemplateTarget",
    "cases.CaseType",
    "surveys.Bank",
    "surveys.BankQuestion",
    "groups.GroupKind",
    "letters.LetterKind",
    "care.VisitSchedule",
    "reports.ReportForm",
    "assessment.Rubric",
]


@pytest.fixture(scope="session")
def migrated_data(django_db_setup, django_db_blocker):
    """The migrated rows, serialized once, so that transaction=True tests can put them back. It is first asked
    for at the start of the first such test, before any flush has removed them."""
    from django.apps import apps
    from django.core import serializers

    with django_db_blocker.unblock():
        return serializers.serialize(
            "json", [o for label in MIGRATED_MODELS for o in apps.get_model(label).objects.all()]
        )


def _is_transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        return True
    if request.node.get_closest_marker("browser") is not None:
        return True
    return "transactional_db" in request.fixturenames or "live_server" in request.fixturenames


@pytest.fixture(autouse=True)
def _restore_migrated_data(request):
    """A transaction=True test (every browser test) ends with a flush that removes the migrated rows: each such
    test takes the snapshot (the first one, before any flush) and puts the rows back when they are gone."""
    if not _is_transactional(request):
        return
    content = request.getfixturevalue("migrated_data")
    request.getfixturevalue("transactional_db")
    from django.apps import apps
    from django.core import serializers

    if not all(apps.get_model(label).objects.exists() for label in MIGRATED_MODELS):
        for obj in serializers.deserialize("json", content):
            obj.save()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits, refusal counts and phone codes live in the cache, target definitions in the process: each test
    starts with none."""
    from django.core.cache import cache

    from shequ.plans.compliance import kept

    cache.clear()
    kept.forget()  # a rolled-back test's target ids come round again on SQLite


@pytest.fixture(autouse=True)
def sms_outbox(settings):
    """Text messages are kept in a list that each test starts empty (``sms_outbox``)."""
    from shequ.core import sms

    settings.SMS_BACKEND = "memory"
    sms.outbox.clear()
    return sms.outbox


@pytest.fixture(scope="session", autouse=True)
def _flush_opens_the_audit_prune_gate():
    """A test database's flush (after each transaction=True test) empties every table with DELETE on SQLite,
    which the audit log's trigger refuses outside pruning: the flush opens the prune gate around its DELETEs.
    (PostgreSQL flushes with TRUNCATE, which the DELETE trigger does not see.)"""
    from django.db.backends.sqlite3.base import DatabaseOperations

    original = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, **kwargs):
        statements = original(self, style, tables, **kwargs)
        if not statements or "audit_auditlog" not in tables:
            return statements
        return ["INSERT INTO audit_prune_gate (id) VALUES (1)", *statements, "DELETE FROM audit_prune_gate"]

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = original


@pytest.fixture
def personas(db):
    from shequ.testing.personas import build_personas

    return build_personas()


@pytest.fixture
def client_for(client):
    """``client_for(user)``: a fresh test client logged in as ``user`` (anonymous when None)."""
    from django.test import Client

    from shequ.testing.factories import log_in

    def make(user):
        c = Client()
        if user is not None and user.is_authenticated:
            log_in(c, user)
        return c

    return make


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (see README)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def redis_store():
    """The tests' Redis database, emptied before and after (``shequ.testing.redis_db``)."""
    from shequ.testing import redis_db

    with redis_db.emptied() as client:
        yield client


@pytest.fixture(scope="session")
def s3_endpoint():
    """moto's S3 server on a loopback port, for the whole run (``shequ.testing.s3``)."""
    from shequ.testing import s3

    with s3.server() as endpoint:
        yield endpoint


@pytest.fixture
def s3_media(s3_endpoint, settings, tmp_path, monkeypatch):
    """Media on a fresh bucket of the S3 server, through django-storages; MEDIA_ROOT an empty folder."""
    from shequ.testing import s3

    for name, value in s3.CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    media = s3.new_bucket(s3_endpoint, tmp_path / "media-unused")
    settings.MEDIA_ROOT = media.media_root
    settings.STORAGES = {**settings.STORAGES, "default": media.storage()}
    return media
