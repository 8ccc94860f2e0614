from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from shequ.audit.context import current_request
from shequ.audit.services import refused


class RefusalAuditMiddleware:
    """Keeps the current request for services, and audits every refusal: a 403, and a 404 answered to a logged-in
    user (what lies outside their scope answers exactly as what does not exist). One row per refused request."""

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
            detail = {"path": request.path, "method": request.method, "reason": str(exception)[:200]}
            refused(request, "auth.denied", detail)
        elif isinstance(exception, Http404) and request.user.is_authenticated:
            refused(request, "auth.not_found", {"path": request.path, "method": request.method})
        return None
