"""The person picker: the one search of the registry that forms of other lines of work embed."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.residents import selectors


@login_required
def person_pick(request):
    """htmx: the persons the actor may see matching a name, pinyin, initials, the end of an ID number or a
    phone number, as the options of a picker: checkboxes with ``multi=1`` (a sign-in list), else a select.
    The term is read from a posted body only (a whole phone or ID number never stands in an address or the access
    log); a GET answers the empty picker. ``field`` and ``multi`` name the form's field, not what is searched."""
    if not access.can_anywhere(request.user, Perm.VIEW):
        raise PermissionDenied("查找居民档案仅限工作人员使用。")
    field = request.GET.get("field", "person")
    if not field.replace("-", "").replace("_", "").isalnum():
        raise Http404
    data = request.POST if request.method == "POST" else {}
    q = (data.get(f"{field}-q") or data.get("q") or "").strip()[:30]
    multi = request.GET.get("multi") == "1"
    persons = selectors.person_pick(request.user, q) if q else []
    return render(
        request,
        "residents/partials/person_options.html",
        {"field": field, "persons": persons, "q": q, "multi": multi},
    )
