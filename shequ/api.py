"""The HTTP API: django-ninja, session or token authentication, one error shape.

Each app adds its router here. Every endpoint reads through the app's scoped selectors.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DataError
from django.http import Http404
from django.http.request import RawPostDataException
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyHeader, SessionAuth

from shequ.accounts import access
from shequ.accounts.models import ApiToken, TokenScope
from shequ.audit.services import refused
from shequ.core.filters import FilterError
from shequ.core.versioning import StaleEdit

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Searches that take their terms in the body (a whole ID or phone number stays out of the URL) but change nothing.
READ_ONLY_POSTS = frozenset({"search_persons"})


class TokenAuth(APIKeyHeader):
    """``Authorization: Token <key>`` for scripts and other systems: a staff member's live token; a read-only
    token is refused on a request that changes data."""

    param_name = "Authorization"

    def authenticate(self, request, key):
        if not key or not key.startswith("Token "):
            return None
        token = ApiToken.find(key.removeprefix("Token ").strip())
        if token is None or not access.is_staff_user(token.user):
            return None
        match = getattr(request, "resolver_match", None)
        reads_only = request.method in SAFE_METHODS or (match is not None and match.url_name in READ_ONLY_POSTS)
        if token.scope != TokenScope.WRITE and not reads_only:
            raise PermissionDenied("该令牌为只读令牌，不能修改数据。")
        request.user = token.user
        return token.user


api = NinjaAPI(
    title="Shequ API",
    version="1",
    description="社区工作平台接口。所有数据按用户的组织范围过滤；错误统一为 {code, message, detail}。",
    auth=[SessionAuth(), TokenAuth()],
    urls_namespace="api",
    docs_url=None,  # the Swagger page loads scripts from a CDN; the schema is at /api/openapi.json
)


def _error(request, status: int, code: str, message: str, detail=None):
    return api.create_response(request, {"code": code, "message": message, "detail": detail}, status=status)


@api.exception_handler(Http404)
def not_found(request, exc):
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        refused(request, "auth.not_found", {"path": request.path, "api": True})
    return _error(request, 404, "not_found", "对象不存在或不在您的管辖范围内。")


@api.exception_handler(PermissionDenied)
def denied(request, exc):
    refused(request, "auth.denied", {"path": request.path, "api": True})
    return _error(request, 403, "forbidden", str(exc) or "没有权限。")


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return _error(request, 401, "unauthenticated", "请先登录或提供有效的令牌。")


@api.exception_handler(NinjaValidationError)
def invalid_input(request, exc):
    return _error(request, 422, "invalid", "输入有误。", exc.errors)


@api.exception_handler(DataError)
@api.exception_handler(OverflowError)
def out_of_range(request, exc):
    # A number beyond what the database can store (an id or offset of 2**63): the input is wrong.
    return _error(request, 400, "invalid", "参数超出允许的范围。")


@api.exception_handler(FilterError)
def invalid_filter(request, exc):
    # A list's filter value its FilterSet refused: the Chinese message of each field, by the parameter's name.
    return _error(request, 400, "invalid", FilterError.message_text, exc.message_dict)


@api.exception_handler(RawPostDataException)
def form_body(request, exc):
    # A form-encoded post to an endpoint that takes JSON (its body was read as a form first): the input is wrong.
    return _error(request, 422, "invalid", "请求体应为JSON（Content-Type: application/json）。")


@api.exception_handler(StaleEdit)
def stale(request, exc):
    # Optimistic locking: the object changed after the caller read it (the version it sent is behind).
    return _error(request, 409, "conflict", exc.messages[0], {"version": exc.version})


@api.exception_handler(ValidationError)
def invalid_data(request, exc):
    detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
    return _error(request, 400, "invalid", "数据校验未通过。", detail)


# Routers attach after the api exists.
from shequ.accounts.orgtree.api import router as orgs_router  # noqa: E402
from shequ.cases.api import router as cases_router  # noqa: E402
from shequ.groups.api import router as groups_router  # noqa: E402
from shequ.letters.api import router as letters_router  # noqa: E402
from shequ.plans.api import router as plans_router  # noqa: E402
from shequ.records.api import router as records_router  # noqa: E402
from shequ.reports.api import router as reports_router  # noqa: E402
from shequ.residents.api import router as residents_router  # noqa: E402
from shequ.surveys.api import router as surveys_router  # noqa: E402

api.add_router("/orgs", orgs_router)
api.add_router("/residents", residents_router)
api.add_router("/plans", plans_router)
api.add_router("/records", records_router)
api.add_router("/cases", cases_router)
api.add_router("/surveys", surveys_router)
api.add_router("/groups", groups_router)
api.add_router("/letters", letters_router)
api.add_router("/reports", reports_router)
