"""The second factor's pages: enrolment at first login, the code at each login, new recovery codes, and unlocking a
locked account with the second factor."""

from __future__ import annotations

from axes.helpers import get_client_ip_address
from axes.utils import reset as axes_reset
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from shequ.accounts import secondfactor
from shequ.accounts.backends import resolve_login
from shequ.audit.services import audit, hashed


class CodeForm(forms.Form):
    code = forms.CharField(
        label="验证码",
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
        help_text="验证器App中的6位数字；手机不在身边时，可输入一个恢复码。",
    )


class UnlockForm(CodeForm):
    username = forms.CharField(label="用户名或手机号", max_length=150)

    field_order = ["username", "code"]


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=True):
        return target
    return "/"


@login_required
def setup(request):
    """Enrolment: scan the QR code, type the first code; the recovery codes are shown once."""
    if secondfactor.has_device(request.user):
        return redirect("accounts:mfa_verify")
    device = secondfactor.pending_device(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = secondfactor.confirm(request, device, form.cleaned_data["code"])
        if codes is not None:
            audit(request.user, "auth.mfa_enrol", request.user, request=request)
            return render(request, "accounts/mfa_codes.html", {"codes": codes, "next": _next(request)})
        audit(request.user, "auth.mfa_failed", request.user, {"step": "enrol"}, success=False, request=request)
        form.add_error("code", "验证码不正确，请核对手机时间后重试。")
    return render(
        request,
        "accounts/mfa_setup.html",
        {
            "form": form,
            "qr": secondfactor.qr_svg(device),
            "secret": secondfactor.secret_text(device),
            "next": _next(request),
        },
    )


@login_required
def verify(request):
    """The second step of each login."""
    if not secondfactor.has_device(request.user):
        return redirect("accounts:mfa_setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = secondfactor.check(request.user, form.cleaned_data["code"])
        if device is not None:
            secondfactor.otp_login(request, device)
            audit(request.user, "auth.mfa_verify", request.user, {"kind": device.name}, request=request)
            return redirect(_next(request))
        audit(request.user, "auth.mfa_failed", request.user, {"step": "login"}, success=False, request=request)
        form.add_error("code", "验证码不正确或已用过。")
    return render(request, "accounts/mfa_verify.html", {"form": form, "next": _next(request)})


@login_required
@require_POST
def recovery_codes(request):
    """A new set of recovery codes (the old ones stop working); only in a session verified with the second factor."""
    if not secondfactor.verified(request):
        return redirect("accounts:mfa_verify")
    codes = secondfactor.new_recovery_codes(request.user)
    audit(request.user, "auth.mfa_codes", request.user, request=request)
    return render(request, "accounts/mfa_codes.html", {"codes": codes, "next": "/"})


def unlock(request):
    """A locked account unlocks with its second factor (the account's authenticator code or a recovery code).

    Throttled per address; the answer is the same whether or not the account exists or has a second factor.
    """
    form = UnlockForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        limited = is_ratelimited(
            request, group="unlock", key=lambda _g, r: get_client_ip_address(r) or "", rate="10/h", increment=True
        )
        login = form.cleaned_data["username"].strip()
        user = None if limited else resolve_login(login)
        device = secondfactor.check(user, form.cleaned_data["code"]) if user is not None else None
        if device is not None:
            axes_reset(username=user.username)
            audit(None, "auth.unlock", user, {"kind": device.name}, request=request, actor_name=user.display_name)
            messages.success(request, "账号已解锁，请重新登录。")
            return redirect("login")
        audit(None, "auth.unlock_failed", user, {"login_hash": hashed(login, context="audit.login")}, success=False)
        form.add_error(None, "无法解锁：用户名或验证码不正确，或请求过于频繁。也可以联系系统管理员解锁。")
    return render(request, "accounts/unlock.html", {"form": form})
