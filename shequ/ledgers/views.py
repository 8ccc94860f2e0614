"""The one export view: every declared ledger, every format, through the same checks."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.core.replica import stale_ok
from shequ.ledgers.declare import BadFilter, Context, Ledger
from shequ.ledgers.fonts import PdfUnavailable
from shequ.ledgers.registry import ledgers
from shequ.ledgers.services import ledger_export
from shequ.orgs.models import Area, Org

if TYPE_CHECKING:
    from shequ.accounts.models import User

YEARS = range(1990, 2101)


def parse_filters(ledger: Ledger, params) -> dict:
    """The declared filters found in the query string, parsed; unknown parameters are ignored."""
    out = {}
    for f in ledger.filters:
        raw = (params.get(f.name) or "").strip()
        if not raw:
            continue
        try:
            out[f.name] = f.parse(raw)
        except (ValueError, TypeError) as exc:
            raise BadFilter(f"筛选条件“{f.label}”无效：{exc or raw}") from exc
    return out


def _area(ledger: Ledger, filters: dict) -> Area | None:
    code = filters.get("area") if ledger.area == "?" else ledger.area
    if ledger.area == "?" and not code:
        raise Http404("请选择工作条线。")
    return get_object_or_404(Area, code=code) if code else None


@login_required
@stale_ok
def export(request: HttpRequest, code: str, org: int, fmt: str, year: int | None = None) -> HttpResponseBase:
    """/ledgers/<code>/<org>/<year>.<fmt> (or /ledgers/<code>/<org>.<fmt> for ledgers of no year)."""
    ledger = ledgers.get(code)
    if ledger is None or ledger.yearly != (year is not None) or (year is not None and year not in YEARS):
        raise Http404
    org_obj = get_object_or_404(Org.objects.visible_to(request.user, Perm.VIEW), pk=org)
    try:
        filters = parse_filters(ledger, request.GET)
    except BadFilter as exc:
        return render(request, "ledgers/error.html", {"message": str(exc)}, status=400)
    ctx = Context(
        actor=cast("User", request.user),  # login_required: a signed-in user
        org=org_obj,
        year=year,
        fmt=fmt,
        today=timezone.localdate(),
        filters=filters,
        area=_area(ledger, filters),
    )
    if ledger.prepare is not None:
        try:
            ledger.prepare(ctx)
        except BadFilter as exc:
            return render(request, "ledgers/error.html", {"message": str(exc)}, status=400)
    access.check(request.user, org_obj, Perm.EXPORT, area=ctx.area)
    try:
        return ledger_export(ledger=ledger, ctx=ctx)
    except PdfUnavailable as exc:
        return render(request, "ledgers/error.html", {"message": str(exc)}, status=503)
