"""Dashboard card of letters: this year's letters waiting to be signed in the user's scope."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from shequ.letters.models import Letter


def letter_cards(user) -> list[dict]:
    today = timezone.localdate()
    n = Letter.objects.visible_to(user).filter(year=today.year, signed_on__isnull=True).count()
    if not n:
        return []
    return [
        {"label": "待签订的责任书", "value": n, "url": f"{reverse('letters:list')}?status=unsigned", "tone": "warn"}
    ]
