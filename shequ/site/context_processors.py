from __future__ import annotations

from shequ.accounts import access
from shequ.core import registry
from shequ.portal.selectors import reporting_memberships
from shequ.site.nav import nav_items


class _Anywhere:
    """``{% if can_anywhere.export %}``: whether the user holds a right somewhere (no query: grants are cached)."""

    def __init__(self, user):
        self.user = user

    def __getitem__(self, perm: str) -> bool:
        return access.can_anywhere(self.user, perm)


def shell(request):
    """What the page shell needs: the user's memberships, the current one, and the navigation."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_items": nav_items(user, request.path),
        "my_memberships": access.memberships(user),
        "current_membership": getattr(request, "membership", None),
        # Only residents and supervisors post on the residents' side (the memberships are already loaded).
        "can_report": bool(reporting_memberships(user)),
        # API tokens are for staff; the link sits in the personal menu, not among the lines of work.
        "may_hold_tokens": access.is_staff_user(user),
        "can_anywhere": _Anywhere(user),
        # Links of the residents' side declared by lines of work (a helper's own page), for those with the right.
        "portal_links": [
            {"label": e.label, "url_name": e.url_name}
            for e in registry.portal_links()
            if e.perm is None or access.can_anywhere(user, e.perm)
        ],
    }
