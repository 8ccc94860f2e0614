"""Dashboard cards of the registry, counted from the user's scope."""

from __future__ import annotations

from django.urls import reverse

from shequ.residents import selectors


def resident_cards(user) -> list[dict]:
    counts = selectors.dashboard_counts(user)
    url = reverse("residents:list")
    cards = [
        {"label": "居民", "value": counts["persons"], "url": url},
        {"label": "户", "value": counts["households"], "url": reverse("residents:households")},
    ]
    if counts["duplicates"]:
        cards.append(
            {
                "label": "疑似重复待核实",
                "value": counts["duplicates"],
                "url": f"{url}?duplicates=on",
                "tone": "warn",
                "hint": "同一社区同名且出生日期相同",
            }
        )
    return cards
