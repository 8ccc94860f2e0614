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
from shequ.care.catalogue import CATEGORY_NAMES
from shequ.orgs.models import Org, OrgKind

SHOWN = counts.SHOWN


def care_cards(user) -> list[dict]:
    today = timezone.localdate()
    communities = list(
        Org.objects.visible_to(user, Perm.VIEW).filter(kind=OrgKind.COMMUNITY, is_active=True).order_by("path")
    )
    if len(communities) > 1:
        return _by_community(user, communities, today)
    kept = counts.kept_card(user, communities[0], today) if communities else None
    if kept is not None:
        minutes = max(settings.PLANS_STANDING_MAX_AGE // 60, 1)
        hint = f"名单统计于{timezone.localtime(kept.at):%H:%M}，每{minutes}分钟更新；此后登记的走访已扣除"
        return _cards(kept.due, kept.soon, kept.rows, hint) if kept.anyone else []
    found = selectors.subjects(user, selectors.care_persons(user, today), today)
    if not found:
        return []
    due, soon = counts.due_and_soon(found, today)
    rows = [counts.card_row(s, (s.person_id, s.category) in soon) for s in due[:SHOWN]]
    return _cards(len(due), len(soon), rows)


def _cards(due: int, soon: int, rows: list[counts.CardRow], hint: str = "") -> list[dict]:
    items = [
        {
            "text": f"{name}（{CATEGORY_NAMES[category]}）",
            "note": f"{place} · {period}" + (f" · 帮扶人{helper}" if helper else " · 未结对"),
            "url": reverse("care:visit", args=[person_id, category]),
            "tone": "warn" if is_soon else "",
        }
        for person_id, category, name, place, period, helper, is_soon in rows
    ]
    cards: list[dict] = [
        {
            "label": "本月未走访",
            "value": due,
            "items": items,
            "url": reverse("care:due"),
            "empty": "本期都已走访。",
            "hint": hint if due else "",
        }
    ]
    if soon:
        url = reverse("care:due") + "?show=soon"
        cards.append({"label": "即将到期未走访", "value": soon, "url": url, "tone": "warn"})
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
