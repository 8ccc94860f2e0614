"""The Redis database the tests use (``TEST_REDIS_URL``, database 7 of the local server by default): the
``redis_store`` fixture (conftest.py) empties it before and after a test, and only it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import redis

URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/7")


@contextmanager
def emptied() -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.fail(f"Redis is not reachable at {URL} (set TEST_REDIS_URL)")
    client.flushdb()
    try:
        yield client
    finally:
        client.flushdb()
        client.close()
