from __future__ import annotations

import time

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_ratelimit.core import get_usage

from shequ.accounts import access, services
from shequ.accounts.backends import resolve_login
from shequ.accounts.forms import LoginForm, TokenForm
from shequ.accounts.middleware import LOGIN_AT_KEY, MEMBERSHIP_KEY
from shequ.accounts.models import ApiToken
from shequ.audit.services import audit, hashed
from shequ.core.forms import form_post


def _login_ip(group, request) -> str:
    return get_client_ip_address(request) or ""


def _ip_throttled(request, *, count_failure: bool) -> bool:
    """Failed logins per client address (``LOGIN_IP_RATE``, e.g. 20 in 15 minutes): past it, the address may not
    try again until the window ends, before any account's own lockout is reached."""
    usage = get_usage(request, group="login-ip", key=_login_ip, rate=settings.LOGIN_IP_RATE, increment=count_failure)
    return usage is not None and usage["count"] >= usage["limit"]


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if _ip_throttled(request, count_failure=False):
            audit(None, "auth.ip_throttled", detail={"ip_failures": True}, success=False, request=request)
            return render(request, "accounts/locked.html", status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        self.request.session[LOGIN_AT_KEY] = time.time()
        audit(self.request.user, "auth.login", self.request.user, request=self.request)
        return response

    def form_invalid(self, form):
        # What was typed is kept only as a keyed hash: a password typed into the name field must not reach the log.
        _ip_throttled(self.request, count_failure=True)
        login = (form.data.get("username") or "")[:150]
        target = resolve_login(login)
        first = target.memberships.select_related("org").first() if target else None
        audit(
            None,
            "auth.login_failed",
            target,
            {
                "login_hash": hashed(login.strip(), context="audit.login"),
                "locked": bool(getattr(self.request, "axes_locked_out", False)),
            },
            success=False,
            request=self.request,
            org=first.org if first else None,
        )
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            audit(request.user, "auth.logout", request.user, request=request)
        return super().post(request, *args, **kwargs)


@login_required
@require_POST
def switch_membership(request, pk: int):
    if not any(m.pk == pk for m in access.memberships(request.user)):
        raise Http404
    request.session[MEMBERSHIP_KEY] = pk
    target = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=True):
        target = "dashboard"  # only a page of this site: never a redirect elsewhere
    return redirect(target)


@login_required
def token_list(request):
    if not access.is_staff_user(request.user):
        raise access.PermissionDenied("只有工作人员可以申请API令牌。")
    new_key = None
    form = TokenForm(request.POST or None)
    posted = form_post(request, form, lambda d: services.token_create(actor=request.user, **d))
    if posted:
        _, new_key = posted.result
        form = TokenForm()
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created_at")
    return render(request, "accounts/tokens.html", {"tokens": tokens, "new_key": new_key, "form": form})


@login_required
@require_POST
def token_revoke(request, pk: int):
    services.token_revoke(actor=request.user, token=get_object_or_404(ApiToken, pk=pk, user=request.user))
    messages.success(request, "令牌已吊销。")
    return redirect("accounts:tokens")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = "/"

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed(actor=self.request.user)
        messages.success(self.request, "密码已修改。")
        return response
