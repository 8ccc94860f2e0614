"""Dashboard cards of the administration: the levels of the org tree below the user, and the users holding a
role there, counted from the user's scope."""

from __future__ import annotations

from django.urls import reverse

from shequ.accounts.orgtree.selectors import org_kind_counts
from shequ.accounts.selectors import user_count
from shequ.orgs.models import OrgKind


def org_cards(user) -> list[dict]:
    counts = org_kind_counts(user)
    url = reverse("orgs:list")
    kinds = [
        ("街道/乡镇", OrgKind.STREET),
        ("社区/村", OrgKind.COMMUNITY),
        ("网格", OrgKind.GRID),
        ("单位", OrgKind.UNIT),
    ]
    # A community worker has no streets below them: show only the levels the scope has.
    return [{"label": label, "value": counts[kind], "url": url} for label, kind in kinds if counts.get(kind)]


def user_cards(user) -> list[dict]:
    return [{"label": "用户", "value": user_count(user), "hint": "本辖区有任职的账号"}]
