"""The cases app's clock: services and the 督办 sweep read time here, so tests and the demo can set it.

``frozen(dt)`` pins ``now()`` (and ``today()``) to ``dt`` inside a ``with`` block.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from datetime import date, datetime

from django.utils import timezone

_frozen: ContextVar[datetime | None] = ContextVar("shequ_cases_clock", default=None)


def now() -> datetime:
    return _frozen.get() or timezone.now()


def today() -> date:
    return timezone.localdate(now())


@contextlib.contextmanager
def frozen(at: datetime) -> Iterator[datetime]:
    """Pin the clock to ``at`` (aware; a naive datetime is read as Asia/Shanghai)."""
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    token = _frozen.set(at)
    try:
        yield at
    finally:
        _frozen.reset(token)
