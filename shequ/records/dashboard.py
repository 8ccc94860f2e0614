"""The records' part of the workbench: the quick action to record work, and this year's records per month
by line of work as a chart (one query over the monthly counts, whatever the number of records)."""

from __future__ import annotations

from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.core.charts import stacked_months
from shequ.records.models import RecordMonth


def record_cards(user) -> list[dict]:
    today = timezone.localdate()
    rows = (
        RecordMonth.objects.visible_to(user)
        .filter(year=today.year)
        .values_list("area__name", "month")
        .annotate(n=Sum("n"))
        .order_by("area__name", "month")
    )
    series: dict[str, list[int]] = {}
    for area, m, n in rows:
        series.setdefault(area, [0] * 12)[m - 1] += n
    cards = []
    if access.can_anywhere(user, Perm.RECORD_WORK):
        cards.append({"label": "登记工作记录", "action": reverse("records:create")})
    if series:
        month = sum(v[today.month - 1] for v in series.values())
        cards.append(
            {
                "label": f"{today.year}年各月工作记录（按条线）",
                "chart": "months",
                "months": stacked_months(series),
                "hint": f"本月{month}条",
                "url": f"{reverse('records:list')}?year={today.year}",
            }
        )
    return cards
