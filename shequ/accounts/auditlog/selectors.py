from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet

from shequ.accounts.roles import Perm
from shequ.audit.models import AuditLog
from shequ.orgs.models import Org


def audit_list(
    actor,
    *,
    action: str = "",
    who: str = "",
    success: str = "",
    since: date | None = None,
    until: date | None = None,
    object_type: str = "",
    object_id: int | None = None,
    org=None,
) -> QuerySet[AuditLog]:
    """Audit rows of the orgs in the actor's audit scope (everything for a superuser), newest first."""
    qs: QuerySet[AuditLog] = AuditLog.objects.select_related("actor", "actor_org")
    if not actor.is_superuser:
        qs = AuditLog.objects.visible_to(actor, Perm.VIEW_AUDIT).select_related("actor", "actor_org")
    if action:
        qs = qs.filter(action=action)
    if who:
        qs = qs.filter(Q(actor_name__contains=who) | Q(actor__username=who))
    if success in {"0", "1"}:
        qs = qs.filter(success=success == "1")
    if since:
        qs = qs.filter(created_at__date__gte=since)
    if until:
        qs = qs.filter(created_at__date__lte=until)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=str(object_id))
    if org is not None:
        qs = qs.filter(actor_org__in=Org.objects.filter(path__startswith=org.path).values("pk"))
    return qs.order_by("-created_at", "-id")
