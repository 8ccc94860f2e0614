"""Tampering as someone with the database's owner rights would: the guards switched off for a moment."""

from __future__ import annotations

from contextlib import contextmanager

import pgtrigger
from django.db import connection

from shequ.audit import guards


@contextmanager
def guards_off():
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for sql in guards.SQLITE_GUARDS_DROP[:2]:
                cursor.execute(sql)
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                for sql in guards.SQLITE_GUARDS[1:]:
                    cursor.execute(sql)
    else:
        with pgtrigger.ignore("audit.AuditLog:audit_no_update", "audit.AuditLog:audit_no_delete"):
            yield


def raw(sql: str, params=()) -> None:
    with guards_off(), connection.cursor() as cursor:
        cursor.execute(sql, params)
