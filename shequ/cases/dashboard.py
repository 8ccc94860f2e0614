"""The cases' cards on the home dashboard (one query)."""

from __future__ import annotations

from django.urls import reverse

from shequ.cases import selectors


def case_cards(user) -> list[dict]:
    counts = selectors.box_counts(user)
    url = reverse("cases:inbox")
    return [
        {
            "label": "待受理事项",
            "value": counts["todo"],
            "url": f"{url}?box=todo",
            "tone": "warn" if counts["todo"] else "",
        },
        {"label": "我承办的事项", "value": counts["mine"], "url": f"{url}?box=mine"},
        {
            "label": "超期事项",
            "value": counts["overdue"],
            "url": f"{url}?box=overdue",
            "tone": "bad" if counts["overdue"] else "",
        },
        {
            "label": "督办中",
            "value": counts["supervised"],
            "url": f"{url}?box=supervised",
            "hint": "普通、黄牌、红牌督办",
        },
    ]
