from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from shequ.accounts import secondfactor
from shequ.accounts.access import is_staff_user, memberships
from shequ.accounts.passwords import change_due

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


class NoStoreMiddleware:
    """Pages served to a logged-in user hold personal data: no browser or proxy may keep a copy
    (``Cache-Control: no-store``), unless the view set its own caching."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated and not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store"
        return response


# Pages open to a logged-in user before the second factor and a due password change: those steps' own pages,
# logging out, static files and the health check.
OPEN_PREFIXES = ("/accounts/mfa/", "/accounts/password/", "/logout/", "/static/", "/healthz", "/favicon.ico")


def _open(request) -> bool:
    return request.path.startswith(OPEN_PREFIXES)


def _to(request, url_name: str):
    url = reverse(url_name)
    if request.method == "GET" and not request.path.startswith("/api/"):
        url += "?" + urlencode({"next": request.get_full_path()})
    return redirect(url)


class SecondFactorMiddleware:
    """Holds a user who must use a second factor (``secondfactor.required``) on its pages until this session has
    confirmed one: enrolment at the first login, the code at each login after. The admin site included."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not _open(request)
            and not secondfactor.verified(request)
            and secondfactor.enforced(user)
        ):
            return _to(request, "accounts:mfa_verify" if secondfactor.has_device(user) else "accounts:mfa_setup")
        return self.get_response(request)


class PasswordPolicyMiddleware:
    """Sends a user whose password must change (an initial password set by someone else; a staff password older
    than ``PASSWORD_MAX_AGE_DAYS``) to the password page before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not _open(request):
            due = change_due(user, staff=is_staff_user(user))
            if due is not None:
                messages.warning(
                    request,
                    "首次登录，请修改初始密码。" if due == "first" else "密码已使用超过规定期限，请修改密码。",
                )
                return _to(request, "accounts:password")
        return self.get_response(request)
