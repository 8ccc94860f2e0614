from __future__ import annotations

from django.http import Http404
from django.utils import timezone

from shequ.accounts.orgtree import selectors as org_selectors


def year_param(request) -> int:
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def org_param(request):
    """The org of ``?org=`` in the user's scope (404 otherwise), or the org the user acts in."""
    raw = request.GET.get("org")
    if raw:
        try:
            return org_selectors.org_get(request.user, int(raw))
        except ValueError as exc:
            raise Http404 from exc
    membership = getattr(request, "membership", None)
    if membership is None:
        raise Http404
    return membership.org
