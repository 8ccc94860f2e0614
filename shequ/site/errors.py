"""Shequ's own pages for 400, 403, 404, 500 and a refused form (CSRF): Chinese, inside the page shell (the
residents' shell on the residents' side), saying what happened and where to go next."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template import loader
from django.urls import reverse

from shequ.accounts import access
from shequ.accounts.roles import Perm

PAGES = {
    400: ("请求无法处理", "提交的内容不完整或格式不对，系统无法处理。请返回上一页重新填写后再提交。"),
    403: ("没有权限", "您当前的身份没有进行这项操作的权限。如确需办理，请联系本单位管理员分配权限。"),
    404: ("页面不存在", "您要找的内容不存在、已被删除，或者不在您的管辖范围内。"),
    500: ("系统出错了", "系统处理时出了错，已经记录下来，管理员会尽快处理。请稍后再试；刚才填写的内容可能没有保存。"),
    "csrf": (
        "页面已过期",
        "为了安全，这个表单已经失效(可能是页面打开太久，或已经退出登录)。请返回上一页、刷新后重新提交。",
    ),
}


def _is_portal(request) -> bool:
    """The residents' side: its own pages, and every page a user without office data opens."""
    if request.path.startswith("/p/"):
        return True
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    return not (user.is_superuser or access.can_anywhere(user, Perm.VIEW))


def _reason(exception) -> str:
    """The server's own Chinese reason, where it gave one (never Django's English default)."""
    text = str(exception or "").strip() if isinstance(exception, PermissionDenied) else ""
    return text if text and any("\u4e00" <= ch <= "\u9fff" for ch in text) else ""


def _page(request, status, key, exception=None) -> HttpResponse:
    title, explanation = PAGES[key]
    portal = _is_portal(request)
    context = {
        "status": status,
        "title": title,
        "explanation": explanation,
        "reason": _reason(exception),
        "home_url": reverse("portal:home") if portal else reverse("dashboard"),
        "home_label": "返回居民端首页" if portal else "返回工作台",
        "layout": "portal/_base.html" if portal else "base.html",
        "portal": portal,
    }
    body = loader.render_to_string("site/error.html", context, request)
    return HttpResponse(body, status=status)


def bad_request(request, exception=None):
    return _page(request, 400, 400, exception)


def permission_denied(request, exception=None):
    return _page(request, 403, 403, exception)


def page_not_found(request, exception=None):
    return _page(request, 404, 404, exception)


def server_error(request):
    """Rendered without the request's context: whatever broke (the database too) must not break this page."""
    title, explanation = PAGES[500]
    body = loader.render_to_string("site/500.html", {"title": title, "explanation": explanation})
    return HttpResponse(body, status=500)


def csrf_failure(request, reason=""):
    return _page(request, 403, "csrf")
