"""Dashboard cards of work records: this month's and this year's count in the user's scope."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from shequ.records.selectors import visible_records


def record_cards(user) -> list[dict]:
    today = timezone.localdate()
    first = today.replace(day=1)
    qs = visible_records(user).filter(year=today.year)
    month = qs.filter(date__gte=first).count()
    year = qs.count()
    url = reverse("records:list")
    return [
        {
            "label": "本月工作记录",
            "value": month,
            "url": f"{url}?date_from={first.isoformat()}",
            "tone": "warn" if month == 0 else "",
            "hint": "本月还没有登记" if month == 0 else "",
        },
        {"label": f"{today.year}年工作记录", "value": year, "url": f"{url}?year={today.year}"},
    ]
