"""The home dashboard: every app's cards, in their order, counted from the user's scope."""

from __future__ import annotations

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.core.registry import dashboard_sources


def dashboard_cards(user) -> list[dict]:
    if not access.can_anywhere(user, Perm.VIEW):
        return []
    cards: list[dict] = []
    for source in dashboard_sources():
        cards.extend(source.cards(user))
    return cards
