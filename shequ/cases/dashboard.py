"""The cases' part of the workbench: the cases waiting for the user, overdue or under 督办 (one query)."""

from __future__ import annotations

from django.urls import reverse

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.cases import selectors


def case_cards(user) -> list[dict]:
    counts = selectors.box_counts(user)
    url = reverse("cases:inbox")
    rows = [
        ("todo", "待受理", "warn"),
        ("mine", "我承办的", ""),
        ("overdue", "已超期", "bad"),
        ("supervised", "督办中", "bad"),
    ]
    items = [
        {"text": label, "note": f"{counts[box]}件", "url": f"{url}?box={box}", "tone": tone}
        for box, label, tone in rows
        if counts[box]
    ]
    return [
        {
            "label": "事项",
            "value": sum(counts[box] for box in ("todo", "overdue")),
            "items": items,
            "url": url,
            "empty": "没有待办的事项。",
        }
    ]


def case_actions(user) -> list[dict]:
    """The quick action of registering a case, for those who may."""
    if not access.can_anywhere(user, Perm.REPORT_CASE) or not access.is_staff_user(user):
        return []
    return [{"label": "登记事项", "action": reverse("cases:create")}]
