from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.core.dashboard import dashboard_cards


@login_required
def dashboard(request):
    # Residents, volunteers' and supervisors' accounts have no data scope: their home is the residents' side.
    if not access.can_anywhere(request.user, Perm.VIEW) and not request.user.is_superuser:
        return redirect("portal:mine")
    return render(request, "core/dashboard.html", {"cards": dashboard_cards(request.user)})


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
