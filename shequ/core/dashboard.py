"""The home dashboard: cards of real counts from the user's scope.

Each provider takes the user and returns a list of cards ``{"label", "value", "url"?, "hint"?}``;
every count comes from a scoped selector. Later parts add their providers to PROVIDERS.
"""

from __future__ import annotations

from django.urls import reverse

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.orgs.models import OrgKind
from shequ.orgs.selectors import org_kind_counts


def org_cards(user) -> list[dict]:
    counts = org_kind_counts(user)
    url = reverse("orgs:list")
    return [
        {"label": "街道/乡镇", "value": counts.get(OrgKind.STREET, 0), "url": url},
        {"label": "社区/村", "value": counts.get(OrgKind.COMMUNITY, 0), "url": url},
        {"label": "网格", "value": counts.get(OrgKind.GRID, 0), "url": url},
        {"label": "单位", "value": counts.get(OrgKind.UNIT, 0), "url": url},
    ]


def user_cards(user) -> list[dict]:
    from shequ.accounts.selectors import user_count

    return [{"label": "用户", "value": user_count(user), "hint": "本辖区有任职的账号"}]


PROVIDERS = [org_cards, user_cards]


def dashboard_cards(user) -> list[dict]:
    if not access.can_anywhere(user, Perm.VIEW):
        return []
    cards: list[dict] = []
    for provider in PROVIDERS:
        cards.extend(provider(user))
    return cards
