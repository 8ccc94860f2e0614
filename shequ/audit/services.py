"""Writing the audit log: the only way rows get there.

A row names its object by type and id only, and its detail holds ids, codes and keyed hashes, never a resident's
name, number or address (:func:`hashed` gives the keyed hash of a value that must be matched later).
"""

from __future__ import annotations

import hashlib
import time
from array import array
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import models

from shequ.audit.chain import seal_after_commit
from shequ.audit.context import client_ip, current_request
from shequ.audit.models import AuditLog, AuditPerson
from shequ.core import crypto


class ActingOrg:
    """Which org an actor acts for when no request says so (a background task, a command, a test).

    The accounts app knows the memberships and provides the finder at start-up (``AccountsConfig.ready``):
    the log sits below accounts and does not import it.
    """

    def __init__(self) -> None:
        self._find: Callable[[Any], int | None] | None = None

    def provide(self, find: Callable[[Any], int | None]) -> None:
        self._find = find

    def of(self, user) -> int | None:
        return self._find(user) if self._find is not None else None


acting_org = ActingOrg()


class RefusalAlerts:
    """Who hears of a burst of refusals from one account: the bell lives in a higher app, which provides the
    sender at start-up (``PlansConfig.ready``)."""

    def __init__(self) -> None:
        self._send: Callable[..., None] | None = None

    def provide(self, send: Callable[..., None]) -> None:
        self._send = send

    def send(self, *, user, org_id: int | None, count: int, minutes: int) -> None:
        if self._send is not None:
            self._send(user=user, org_id=org_id, count=count, minutes=minutes)


refusal_alerts = RefusalAlerts()


def refused(request, action: str, detail: dict[str, Any]) -> None:
    """One audit row for a refused request (403, or 404 for what is outside the user's scope), and the count of
    the account's refusals: when it reaches ``REFUSAL_ALERT_COUNT`` within ``REFUSAL_ALERT_MINUTES``, the
    administrators above the account are alerted (once per window) and that is audited too."""
    user = getattr(request, "user", None)
    row = audit(user, action, detail=detail, success=False, request=request)
    if user is None or not user.is_authenticated:
        return
    minutes = settings.REFUSAL_ALERT_MINUTES
    window = int(time.time() // (minutes * 60))
    key = f"shequ:refusals:{user.pk}:{window}"
    cache.add(key, 0, timeout=minutes * 120)
    count = cache.incr(key)
    if count == settings.REFUSAL_ALERT_COUNT:
        audit(user, "auth.refusal_burst", detail={"count": count, "minutes": minutes}, success=False, request=request)
        refusal_alerts.send(user=user, org_id=row.actor_org_id, count=count, minutes=minutes)


def hashed(value: Any, *, context: str = "audit") -> str:
    """A keyed hash of ``value`` for the log: equal values match, the value itself is not kept."""
    return crypto.keyed_hash("" if value is None else str(value), context=context)[:32]


def audit(
    actor,
    action: str,
    obj: models.Model | None = None,
    detail: dict[str, Any] | None = None,
    *,
    success: bool = True,
    request=None,
    actor_name: str = "",
    org=None,
) -> AuditLog:
    """Append one audit row. ``action`` is dotted: "org.create", "person.view_id", "auth.login_failed"."""
    request = request or current_request.get()
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    membership = getattr(request, "membership", None) if request is not None else None
    if org is not None:
        actor_org_id = org.pk
    elif membership is not None:
        actor_org_id = membership.org_id
    else:
        actor_org_id = acting_org.of(user) if user is not None else None
    row = AuditLog.objects.create(
        actor=user,
        actor_name=actor_name or (user.display_name if user else ""),
        actor_org_id=actor_org_id,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        ip=client_ip(request),
        success=success,
        detail=detail or {},
    )
    seal_after_commit()
    return row


def audit_many(
    actor, action: str, model: type[models.Model], entries: list[tuple[int, dict[str, Any]]], *, org=None
) -> None:
    """Append one audit row per object in one bulk insert: ``entries`` are (pk, detail). For bulk changes
    (an import updating thousands of persons) where each object's change must stay on record."""
    if not entries:
        return
    request = current_request.get()
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    label = model._meta.label_lower
    ip = client_ip(request)
    AuditLog.objects.bulk_create(
        [
            AuditLog(
                actor=user,
                actor_name=user.display_name if user else "",
                actor_org_id=org.pk if org is not None else None,
                action=action,
                object_type=label,
                object_id=str(pk),
                ip=ip,
                detail=detail,
            ).prepare()
            for pk, detail in entries
        ],
        batch_size=1000,
    )
    seal_after_commit()


PERSONS_BATCH = 5000


def persons_digest(person_ids: array) -> str:
    """A digest of the ids an export held (kept in its audit row, so that the side rows can be checked)."""
    return hashlib.sha256(person_ids.tobytes()).hexdigest()[:16]


def audit_persons(row: AuditLog, person_ids: array) -> None:
    """The persons ``row`` covered, one side row each, in bulk (a roster of a million residents: 200 inserts)."""
    for start in range(0, len(person_ids), PERSONS_BATCH):
        AuditPerson.objects.bulk_create(
            [AuditPerson(audit_id=row.pk, person_id=pk) for pk in person_ids[start : start + PERSONS_BATCH]]
        )
