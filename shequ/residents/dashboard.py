"""The registry's part of the workbench: the quick action to import residents, the user's imports that
finished lately (each to its report), and the suspected duplicates to check."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.residents import selectors
from shequ.residents.models import ImportJob
from shequ.residents.models.history import ImportStatus

NOTES = {
    ImportStatus.DONE: lambda j: f"已导入:新增{j.added}、更新{j.updated}",
    ImportStatus.FAILED: lambda j: f"未通过:{j.error_count}处错误",
    ImportStatus.CHECKED: lambda j: "已检查,待确认导入",
    ImportStatus.MAPPING: lambda j: "待确认列",
}


def resident_cards(user) -> list[dict]:
    cards: list[dict] = []
    if access.can_anywhere(user, Perm.IMPORT_DATA):
        cards.append({"label": "导入居民", "action": reverse("residents:import")})
        since = timezone.now() - timedelta(days=14)
        jobs = list(
            ImportJob.objects.filter(created_by=user, status__in=list(NOTES), created_at__gte=since)
            .only("pk", "filename", "status", "added", "updated", "error_count")
            .order_by("-created_at")[:5]
        )
        if jobs:
            items = [
                {
                    "text": j.filename,
                    "note": NOTES[j.status](j),
                    "url": reverse("residents:import_detail", args=[j.pk]),
                    "tone": "bad" if j.status == ImportStatus.FAILED else "",
                }
                for j in jobs
            ]
            cards.append({"label": "最近的导入", "value": len(items), "items": items})
    duplicates = selectors.person_base(user).filter(possible_duplicate=True).count()
    if duplicates:
        url = reverse("residents:list")
        cards.append(
            {
                "label": "疑似重复待核实",
                "value": duplicates,
                "items": [{"text": "同一社区同名且出生日期相同", "note": f"{duplicates}人",
                           "url": f"{url}?duplicates=on", "tone": "warn"}],
            }
        )  # fmt: skip
    return cards
