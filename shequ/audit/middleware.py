from __future__ import annotations

from django.core.exceptions import PermissionDenied

from shequ.audit.context import current_request
from shequ.audit.services import audit


class RefusalAuditMiddleware:
    """Keeps the current request for services, and audits every permission refusal (403)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)

    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDenied):
            audit(
                request.user,
                "auth.denied",
                detail={"path": request.path, "method": request.method, "reason": str(exception)[:200]},
                success=False,
                request=request,
            )
        return None
