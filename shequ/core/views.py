from __future__ import annotations

from django.db import connection
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def healthz(request):
    """Liveness and the database's state, as JSON."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        db = {"status": "ok", "vendor": connection.vendor}
        status = 200
    except Exception as exc:  # noqa: BLE001 - report any database failure as unhealthy
        db = {"status": "error", "error": exc.__class__.__name__}
        status = 503
    return JsonResponse({"status": "ok" if status == 200 else "error", "database": db}, status=status)


@require_GET
def favicon(request):
    """The icon's static address, looked up per request (the manifest of static files exists only after
    ``collectstatic``, which runs after ``migrate`` has loaded the URLs)."""
    return HttpResponsePermanentRedirect(static("favicon.png"))
