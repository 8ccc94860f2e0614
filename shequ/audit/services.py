"""Writing the audit log: the only way rows get there."""

from __future__ import annotations

from typing import Any

from django.db import models

from shequ.audit.context import client_ip, current_request
from shequ.audit.models import AuditLog


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
    if membership is None and user is not None:
        from shequ.accounts.access import memberships

        mine = memberships(user)
        membership = mine[0] if mine else None
    return AuditLog.objects.create(
        actor=user,
        actor_name=actor_name or (user.display_name if user else ""),
        actor_org_id=org.pk if org is not None else (membership.org_id if membership is not None else None),
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        ip=client_ip(request),
        success=success,
        detail=detail or {},
    )
