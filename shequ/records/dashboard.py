"""Dashboard cards of work records: this month's and this year's count in the user's scope."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from shequ.records.selectors import visible_records


def record_cards(user) -> list[dict]:
    today = timezone.localdate()
    first = today.replace(day=1)
    # One pass over the (org, year, …) index for both figures.
    counts = (
        visible_records(user)
        .filter(year=today.year)
        .aggregate(year=Count("pk"), month=Count("pk", filter=Q(date__gte=first)))
    )
    month, year = counts["month"], counts["year"]
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
