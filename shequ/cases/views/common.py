from __future__ import annotations

from django.core.exceptions import PermissionDenied

from shequ.accounts import access
from shequ.accounts.roles import Perm


def require_staff(request) -> None:
    """The worker pages are for those with a data scope; residents use the portal."""
    if not access.can_anywhere(request.user, Perm.VIEW):
        raise PermissionDenied("事项办理页面仅限工作人员使用，居民请使用居民端。")
