"""The indicator catalogue page, and the rows behind each side of a computed target (分子、分母明细)."""

from __future__ import annotations

from datetime import date, datetime

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from shequ.core.indicators import Period
from shequ.core.paging import paginate
from shequ.core.templatetags.shequ import cn_date
from shequ.plans import selectors
from shequ.plans.indicators import compute, registry
from shequ.plans.models import TargetKind

SIDES = {"numerator": "分子", "denominator": "分母"}


@login_required
def indicator_list(request):
    """Every indicator of the catalogue with its formula and what it needs."""
    return render(request, "plans/indicator_list.html", {"groups": selectors.indicator_catalogue()})


def _text(value) -> str:
    if isinstance(value, date | datetime):
        return cn_date(value)
    return "" if value is None else str(value)


@login_required
def target_indicator_rows(request, pk: int, side: str):
    """The rows a computed target's numerator or denominator counts, in the plan org's subtree."""
    target = selectors.target_get(request.user, pk)
    indicator = registry.get(target.indicator) if target.kind == TargetKind.INDICATOR else None
    if indicator is None or side not in SIDES or (side == "denominator" and (indicator.is_count or indicator.figures)):
        raise Http404
    period = Period(target.plan.year, timezone.localdate())
    measure, qs = compute.rows(request.user, indicator, target.population, side, target.plan.org, period)
    noun = registry.nouns()[measure.noun]
    page = paginate(request, qs)
    rows = [
        {
            "url": noun.url(obj) if noun.url else "",
            "cells": [{"label": c.header, "text": _text(c.value(obj))} for c in noun.columns],
        }
        for obj in page
    ]
    return render(
        request,
        "plans/indicator_rows.html",
        {
            "target": target,
            "indicator": indicator,
            "side": SIDES[side],
            "measure": measure,
            "formula": compute.describe(measure),
            "headers": [c.header for c in noun.columns],
            "rows": rows,
            "page": page,
        },
    )
