from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine

from shequ.reports import selectors, services
from shequ.reports.models import ReportForm

TZ = ZoneInfo("Asia/Shanghai")


def form(code: str = "dispute_monthly") -> ReportForm:
    return ReportForm.objects.select_related("area").get(code=code)


def at(y: int, m: int, d: int, h: int = 10):
    return time_machine.travel(datetime(y, m, d, h, tzinfo=TZ), tick=False)


def submit(actor, org, *, code="dispute_monthly", year=2026, no=1, values=None, zero=False, on=(2026, 2, 3)):
    """Submit a period's report as the page does: pre-filled, with ``values`` typed over the computed ones."""
    f = form(code)
    with at(*on):
        sub, computed = selectors.report_for(f, org, year, no)
        typed = {k: ("" if v is None else v) for k, v in computed.items()}
        for spec in f.fields:
            typed.setdefault(spec["code"], "" if spec.get("kind") == "text" else 0)
        typed.update(values or {})
        return services.submit(
            actor=actor, form=f, org=org, year=year, period_no=no, values=typed, computed=computed, zero=zero,
            version=sub.version if sub else None,
        )  # fmt: skip
