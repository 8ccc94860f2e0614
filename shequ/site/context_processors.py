from __future__ import annotations

from shequ.accounts import access
from shequ.site.nav import nav_items


def shell(request):
    """What the page shell needs: the user's memberships, the current one, and the navigation."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_items": nav_items(user, request.path),
        "my_memberships": access.memberships(user),
        "current_membership": getattr(request, "membership", None),
    }
