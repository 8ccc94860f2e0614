from __future__ import annotations

from django.db.models import QuerySet

from shequ.accounts.roles import Perm
from shequ.audit.models import AuditLog


def audit_list(actor) -> QuerySet[AuditLog]:
    """Audit rows of the orgs in the actor's audit scope (everything for a superuser), newest first;
    ``auditlog.filters.AuditFilter`` narrows them."""
    qs: QuerySet[AuditLog] = AuditLog.objects.all()
    if not actor.is_superuser:
        qs = AuditLog.objects.visible_to(actor, Perm.VIEW_AUDIT)
    return qs.select_related("actor", "actor_org").order_by("-created_at", "-id")
