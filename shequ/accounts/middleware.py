from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login

from shequ.accounts.access import memberships

LOGIN_AT_KEY = "shequ_login_at"
MEMBERSHIP_KEY = "shequ_membership"


class SessionLimitMiddleware:
    """Absolute session limit: a session older than SESSION_ABSOLUTE_SECONDS is ended.

    The idle limit is the session cookie's age, renewed on every request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.get(LOGIN_AT_KEY)
            if started is None:
                request.session[LOGIN_AT_KEY] = time.time()
            elif time.time() - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)


def default_org_id(user) -> int | None:
    """The org a user acts for when no request chose one (a task, a command): their first membership's."""
    mine = memberships(user)
    return mine[0].org_id if mine else None


class MembershipMiddleware:
    """Sets ``request.membership``: the membership the user is acting in (the switcher's choice)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = None
        if request.user.is_authenticated:
            mine = memberships(request.user)
            chosen = request.session.get(MEMBERSHIP_KEY)
            request.membership = next((m for m in mine if m.pk == chosen), mine[0] if mine else None)
        return self.get_response(request)
