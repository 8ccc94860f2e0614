"""督办 by time limits: the daily sweep that raises the level of late cases.

Late means: still waiting for acceptance past the type's (or org's) accept hours, or open past its
deadline. A case is raised to 普通 as soon as it is late, to 黄牌 after ``yellow_days`` days, to 红牌
after ``red_days`` days; the sweep only ever raises (an approved extension or a reopen resets it).
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from shequ.audit.services import audit
from shequ.cases.choices import OPEN_STATES, SUPERVISION_RANK, CaseState, Supervision
from shequ.cases.models import Case, CaseHistory, CaseTimeLimit, CaseType
from shequ.cases.services.common import Limits, defaults_of

BATCH = 2000


def level_for(*, days_late: float, limits: Limits) -> str:
    if days_late >= limits.red_days:
        return Supervision.RED
    if days_late >= limits.yellow_days and limits.yellow_days > 0:
        return Supervision.YELLOW
    if days_late > 0:
        return Supervision.NORMAL
    return Supervision.NONE


def days_late(case: Case, limits: Limits, now, today) -> float:
    if case.state == CaseState.REGISTERED and case.deadline is None:
        late = now - (case.escalated_at or case.registered_at) - timedelta(hours=limits.accept_hours)
        return late.total_seconds() / 86400
    if case.deadline is not None and case.deadline < today:
        return (today - case.deadline).days
    return 0


def supervision_sweep() -> dict:
    """Raise the 督办 level of every late open case; returns {"checked", "raised", "by_level"}."""
    now, today = timezone.now(), timezone.localdate()
    types = {t.pk: defaults_of(t) for t in CaseType.objects.all()}
    overrides: dict[tuple[int, int], Limits] = {
        (r.case_type_id, r.org_id): Limits(r.accept_hours, r.handle_days, r.yellow_days, r.red_days, r.org_id)
        for r in CaseTimeLimit.objects.all()
    }
    min_accept = min([lim.accept_hours for lim in [*types.values(), *overrides.values()]] or [24])
    candidates = (
        Case.objects.filter(state__in=OPEN_STATES)
        .exclude(supervision=Supervision.RED)
        .filter(
            Q(deadline__lt=today)
            | Q(state=CaseState.REGISTERED, deadline__isnull=True, registered_at__lt=now - timedelta(hours=min_accept))
        )
        .select_related("org")
        .only("id", "state", "deadline", "registered_at", "escalated_at", "supervision", "case_type_id", "org__path")
        .order_by("pk")
    )
    raised: list[tuple[Case, str, str]] = []
    checked = 0
    for case in candidates.iterator(chunk_size=BATCH):
        checked += 1
        limits = types[case.case_type_id]
        chain = [int(p) for p in case.org.path.strip("/").split("/") if p]
        for org_id in reversed(chain):
            if (case.case_type_id, org_id) in overrides:
                limits = overrides[(case.case_type_id, org_id)]
                break
        level = level_for(days_late=days_late(case, limits, now, today), limits=limits)
        if SUPERVISION_RANK[Supervision(level)] > SUPERVISION_RANK[Supervision(case.supervision)]:
            raised.append((case, case.supervision, level))
    by_level: dict[str, int] = {}
    with transaction.atomic():
        for i in range(0, len(raised), BATCH):
            chunk = raised[i : i + BATCH]
            for level in {lv for _, _, lv in chunk}:
                ids = [c.pk for c, _, lv in chunk if lv == level]
                Case.objects.filter(pk__in=ids).update(supervision=level, supervised_at=now)
                by_level[level] = by_level.get(level, 0) + len(ids)
            CaseHistory.objects.bulk_create(
                [
                    CaseHistory(
                        case_id=c.pk,
                        at=now,
                        actor_name="系统",
                        action="supervise_auto",
                        from_state=c.state,
                        to_state=c.state,
                        org_id=c.org_id,
                        note=f"超过时限，自动{Supervision(level).label}",
                        detail={"from": before, "level": level},
                    )
                    for c, before, level in chunk
                ]
            )
        if raised:
            audit(
                None,
                "case.supervision_sweep",
                detail={"raised": len(raised), "by_level": by_level, "ids": [c.pk for c, _, _ in raised[:1000]]},
                actor_name="系统",
            )
    return {"checked": checked, "raised": len(raised), "by_level": by_level}
