"""The workbench's care card: who is due and not visited this period (本月未走访), soonest first, and how many are
due within the week (即将到期), in the scope of the user: a fixed number of queries."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from shequ.care import selectors

SHOWN = 6


def care_cards(user) -> list[dict]:
    today = timezone.localdate()
    found = selectors.subjects(user, selectors.care_persons(user, today), today)
    if not found:
        return []
    due = selectors.due(found, today)
    soon = selectors.due(found, today, soon=True)
    items = [
        {
            "text": f"{s.name}（{s.category_name}）",
            "note": f"{s.grid_name or s.org_name} · {s.period_label}"
            + (f" · 帮扶人{s.helper}" if s.helper else " · 未结对"),
            "url": reverse("care:visit", args=[s.person_id, s.category]),
            "tone": "warn" if s in soon else "",
        }
        for s in due[:SHOWN]
    ]
    cards: list[dict] = [
        {
            "label": "本月未走访",
            "value": len(due),
            "items": items,
            "url": reverse("care:due"),
            "empty": "本期都已走访。",
        }
    ]
    if soon:
        cards.append(
            {"label": "即将到期未走访", "value": len(soon), "url": reverse("care:due") + "?list=soon", "tone": "warn"}
        )
    return cards
