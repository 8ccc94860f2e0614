from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.core.replica import stale_ok
from shequ.site.dashboard import workbench


@login_required
@stale_ok
def dashboard(request):
    # Residents, volunteers' and supervisors' accounts have no data scope: their home is the residents' side.
    if not access.can_anywhere(request.user, Perm.VIEW) and not request.user.is_superuser:
        # A course's teacher starts at their courses.
        return redirect("education:teach" if access.can_anywhere(request.user, Perm.TEACH) else "portal:mine")
    return render(request, "site/dashboard.html", workbench(request.user))
