"""Writing the audit log: the only way rows get there."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models

from shequ.audit.context import client_ip, current_request
from shequ.audit.models import AuditLog


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
    return AuditLog.objects.create(
        actor=user,
        actor_name=actor_name or (user.display_name if user else ""),
        actor_org_id=actor_org_id,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        ip=client_ip(request),
        success=success,
        detail=detail or {},
    )


def audit_many(
    actor, action: str, model: type[models.Model], entries: list[tuple[int, str, dict[str, Any]]], *, org=None
) -> None:
    """Append one audit row per object in one bulk insert: ``entries`` are (pk, repr, detail). For bulk changes
    (an import updating thousands of persons) where each object's old values must stay on record."""
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
                object_repr=text[:200],
                ip=ip,
                detail=detail,
            )
            for pk, text, detail in entries
        ],
        batch_size=1000,
    )
