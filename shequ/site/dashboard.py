"""The home page, a workbench: every app's cards, in their order, counted from the user's scope.

A card is a quick action (``{"label", "action": url}``), a list of what needs doing (``{"label", "value",
"items": [{"text", "note", "url", "tone"}], "url"?, "empty"?}``), a chart (``{"label", "chart": "bars" |
"months", …}``, drawn by ``components/chart_*.html``) or a plain figure (``{"label", "value", "url"?}``)."""

from __future__ import annotations

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.core.registry import dashboard_sources


def workbench(user) -> dict[str, list[dict]]:
    """The cards of every app, sorted into the workbench's parts: quick actions, what needs doing (lists),
    charts, and plain figures."""
    parts: dict[str, list[dict]] = {"actions": [], "lists": [], "charts": [], "figures": []}
    for card in dashboard_cards(user):
        part = (
            "actions"
            if "action" in card
            else "lists"
            if "items" in card
            else "charts"
            if "chart" in card
            else "figures"
        )
        parts[part].append(card)
    return parts


def dashboard_cards(user) -> list[dict]:
    if not access.can_anywhere(user, Perm.VIEW):
        return []
    cards: list[dict] = []
    for source in dashboard_sources():
        cards.extend(source.cards(user))
    return cards
