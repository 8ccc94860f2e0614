from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from shequ.accounts import access
from shequ.core.nav import NAV


def shell(request):
    """What the page shell needs: the user's memberships, the current one, and the navigation."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = []
    for label, name, perm in NAV:
        if perm is not None and not access.can_anywhere(user, perm):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        items.append(
            {"label": label, "url": url, "active": request.path == url or (url != "/" and request.path.startswith(url))}
        )
    return {
        "nav_items": items,
        "my_memberships": access.memberships(user),
        "current_membership": getattr(request, "membership", None),
    }
