"""The workbench's care card: who is due and not visited this period (本月未走访), soonest first, and how many are
due within the week (即将到期), in the scope of the user: a fixed number of queries. Above one community (a street,
a district) the card counts by community, from the figures kept per community (``care.counts``), and names the
communities with the most people due."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from shequ.accounts.roles import Perm
from shequ.care import counts, selectors
from shequ.orgs.models import Org, OrgKind

SHOWN = 6


def care_cards(user) -> list[dict]:
    today = timezone.localdate()
    communities = list(
        Org.objects.visible_to(user, Perm.VIEW).filter(kind=OrgKind.COMMUNITY, is_active=True).order_by("path")
    )
    if len(communities) > 1:
        return _by_community(user, communities, today)
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
            {"label": "即将到期未走访", "value": len(soon), "url": reverse("care:due") + "?show=soon", "tone": "warn"}
        )
    return cards


def _by_community(user, communities, today) -> list[dict]:
    rows = [r for r in counts.visible_totals(user, communities, today) if r[1]]
    rows.sort(key=lambda r: (-r[1], r[0].path))
    due_url = reverse("care:due")
    items = [
        {
            "text": org.name,
            "note": f"{due}人" + (f"，{soon}人即将到期" if soon else ""),
            "url": f"{due_url}?org={org.pk}",
            "tone": "warn" if soon else "",
        }
        for org, due, soon in rows[:SHOWN]
    ]
    cards: list[dict] = [
        {
            "label": "本月未走访",
            "value": sum(r[1] for r in rows),
            "items": items,
            "url": due_url,
            "empty": "本期都已走访。",
            "hint": f"按社区统计，每{max(settings.PLANS_STANDING_MAX_AGE // 60, 1)}分钟更新" if rows else "",
        }
    ]
    soon = sum(r[2] for r in rows)
    if soon:
        cards.append({"label": "即将到期未走访", "value": soon, "url": due_url + "?show=soon", "tone": "warn"})
    return cards
