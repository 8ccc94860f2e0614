"""The request being served, so that services can record IP and org without passing it around."""

from __future__ import annotations

from contextvars import ContextVar

current_request: ContextVar = ContextVar("shequ_current_request", default=None)


def client_ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None
