"""The admin site's side of the log: every change made in ``/admin/`` is audited, and the log itself is read-only.

Every ``ModelAdmin`` of the project derives from :class:`AuditedAdmin` (``site/admin.py`` wraps the libraries'
ones); a test holds every registered admin to it.
"""

from __future__ import annotations

from django.contrib import admin

from shequ.audit.models import AuditLog
from shequ.audit.services import audit


def _fields_only(message) -> list[dict]:
    """The admin's change message without the objects' texts: which fields and which kinds of inline rows."""
    if not isinstance(message, list):
        return [{"changed": {"text": str(message)[:200]}}] if message else []
    out = []
    for item in message:
        for verb, what in item.items():
            kept = {k: what[k] for k in ("name", "fields") if k in what}
            out.append({verb: {k: [str(f) for f in v] if isinstance(v, list) else str(v) for k, v in kept.items()}})
    return out


class AuditedAdmin(admin.ModelAdmin):
    """A ModelAdmin whose additions, changes and deletions each write an audit row in the same transaction."""

    def log_addition(self, request, obj, message):
        audit(request.user, "admin.create", obj, {"changes": _fields_only(message)}, request=request)
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        audit(request.user, "admin.change", obj, {"changes": _fields_only(message)}, request=request)
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            audit(request.user, "admin.delete", obj, request=request)
        return super().log_deletions(request, queryset)


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor_name", "action", "object_type", "object_id", "ip", "success", "chain_seq"]
    list_filter = ["success", "action"]
    search_fields = ["actor_name", "action", "object_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
