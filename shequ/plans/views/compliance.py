"""Compliance pages: a community's calendar of target states; a street's or district's overview."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from shequ.core.replica import stale_ok
from shequ.orgs.models import Area
from shequ.plans import selectors
from shequ.plans.compliance import State
from shequ.plans.views.common import org_param, year_param


@login_required
def org_calendar(request):
    org = org_param(request)
    year = year_param(request)
    area = request.GET.get("area", "")
    results = selectors.org_compliance(request.user, org=org, year=year, area=area)
    chart = {
        "targets": [f"{r.target.plan.area.name}·{r.target.title[:18]}" for r in results],
        "data": [
            [m, i, State.LEVELS.get(s, 0), State.LABELS.get(s, "不适用") if s else "不适用"]
            for i, r in enumerate(results)
            for m, s in enumerate(r.months)
        ],
        "legend": [{"value": v, "label": State.LABELS[k]} for k, v in State.LEVELS.items()],
    }
    return render(
        request,
        "plans/calendar.html",
        {
            "org": org,
            "year": year,
            "area": area,
            "areas": Area.objects.filter(is_active=True),
            "results": results,
            "chart": chart,
            "months": range(1, 13),
            "state_labels": State.LABELS,
        },
    )


@login_required
@stale_ok
def overview(request):
    root = org_param(request)
    year = year_param(request)
    area = request.GET.get("area", "")
    data = selectors.overview(request.user, root=root, year=year, area=area)
    for row in data["rows"]:
        row.cols = row.cell_list(data["columns"])
    return render(
        request,
        "plans/overview.html",
        {
            "root": root,
            "year": year,
            "area": area,
            "areas": Area.objects.filter(is_active=True),
            **data,
            "State": State,
        },
    )
