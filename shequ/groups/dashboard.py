"""Dashboard card of groups: the groups in office in the user's scope."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from shequ.groups.models import Group


def group_cards(user) -> list[dict]:
    today = timezone.localdate()
    n = Group.objects.visible_to(user).filter(founded_on__lte=today, dissolved_on__isnull=True).count()
    if not n:
        return []
    return [{"label": "在运行的组织机构", "value": n, "url": reverse("groups:list")}]
