"""Dashboard card of documents: documents of the user's scope due for review within 30 days or overdue."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from shequ.documents.models import Document
from shequ.documents.selectors import SOON


def document_cards(user) -> list[dict]:
    today = timezone.localdate()
    n = Document.objects.visible_to(user).current().filter(review_on__lte=today + timedelta(days=SOON)).count()
    if not n:
        return []
    return [
        {"label": "待修订的制度文件", "value": n, "url": f"{reverse('documents:list')}?state=review", "tone": "warn"}
    ]
