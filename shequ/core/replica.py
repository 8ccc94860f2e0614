"""Reads that may be seconds stale go to a PostgreSQL read replica (``DATABASE_REPLICA_URL``), the rest to the primary.

A view that only shows figures a few seconds old would do no harm with (the workbench, the overviews, the
ledgers) is marked :func:`stale_ok`; while it runs on a GET, :class:`ReplicaRouter` sends its reads to the
``replica`` alias. Everything else reads the primary: every write, every form, and every page for a few seconds
(``REPLICA_PIN_SECONDS``) after the same browser wrote anything (:class:`PinAfterWriteMiddleware` marks it with a
cookie), so that a worker who has just saved a record sees it in the list that follows. Without a replica
configured, nothing changes: every read goes to ``default``.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.db import connections

REPLICA = "replica"
PIN_COOKIE = "shequ_primary"
SAFE = ("GET", "HEAD")

_reads: ContextVar[str | None] = ContextVar("replica_reads", default=None)


def configured() -> bool:
    """Whether a replica is configured (its alias is one of the connections)."""
    return REPLICA in connections.settings


def pinned(request) -> bool:
    """Whether this browser wrote something a moment ago: its pages read the primary for a while."""
    return PIN_COOKIE in request.COOKIES


def stale_ok(view: Callable) -> Callable:
    """Mark a view whose reads may be a few seconds stale: on a GET, not just after a write, they go to the replica."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in SAFE or not configured() or pinned(request):
            return view(request, *args, **kwargs)
        token = _reads.set(REPLICA)
        try:
            return view(request, *args, **kwargs)
        finally:
            _reads.reset(token)

    return wrapped


class ReplicaRouter:
    """Reads inside a :func:`stale_ok` view go to the replica; writes and migrations always to the primary."""

    def db_for_read(self, model, **hints):
        if _reads.get() is None or connections["default"].in_atomic_block:
            return None  # the primary: a read inside a write's transaction must see what it wrote
        return REPLICA

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database seen through two doors: a row read from the replica may point at the primary's

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return None if db == "default" else False  # the replica follows the primary; nothing is migrated on it


class PinAfterWriteMiddleware:
    """After a request that may have written (not GET/HEAD), the browser reads the primary for a few seconds."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in SAFE and configured():
            response.set_cookie(
                PIN_COOKIE, "1", max_age=settings.REPLICA_PIN_SECONDS, httponly=True, samesite="Lax",
                secure=request.is_secure(),
            )  # fmt: skip
        return response
