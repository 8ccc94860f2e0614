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
from shequ.records.dashboard import record_cards


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
    from shequ.accounts.selectors import user_count

    return [{"label": "用户", "value": user_count(user), "hint": "本辖区有任职的账号"}]


PROVIDERS = [org_cards, user_cards]
PROVIDERS.append(record_cards)
PROVIDERS.append(__import__("shequ.plans.dashboard", fromlist=["plan_cards"]).plan_cards)
PROVIDERS.append(__import__("shequ.cases.dashboard", fromlist=["case_cards"]).case_cards)
PROVIDERS.append(__import__("shequ.residents.dashboard", fromlist=["resident_cards"]).resident_cards)


def dashboard_cards(user) -> list[dict]:
    if not access.can_anywhere(user, Perm.VIEW):
        return []
    cards: list[dict] = []
    for provider in PROVIDERS:
        cards.extend(provider(user))
    return cards
