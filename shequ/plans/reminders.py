"""Reminders (提醒): tasks due within N days, overdue tasks, targets at risk in the current period.

:func:`refresh` computes them for every org at once and keeps one Reminder row per user and key:
new ones are added, resolved unread ones removed, read ones stay read. It runs daily as a django-tasks
task (:data:`refresh_reminders`, enqueued by ``manage.py plans_reminders --enqueue`` from cron) or
directly through ``manage.py plans_reminders``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.apps import apps
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from shequ.accounts.models import Membership
from shequ.accounts.roles import AREA_BOUND_ROLES, Perm, role_has
from shequ.plans import compliance
from shequ.plans.compliance import State
from shequ.plans.models import PlanStatus, Reminder, ReminderKind, Target, Task, TaskStatus

DEFAULT_DAYS = 7


def recipients(org_ids: set[int], perm: str) -> dict[int, list[tuple[int, frozenset[int] | None]]]:
    """org id -> [(user id, area ids or None)] of active members whose role has ``perm`` there."""
    out: dict[int, list] = defaultdict(list)
    for m in Membership.objects.filter(org_id__in=org_ids, is_active=True, user__is_active=True).prefetch_related(
        "areas"
    ):
        if role_has(m.role, perm):
            areas = frozenset(a.pk for a in m.areas.all()) if m.role in AREA_BOUND_ROLES else None
            out[m.org_id].append((m.user_id, areas))
    return out


def collect(today: date, days: int = DEFAULT_DAYS) -> list[Reminder]:
    wanted: list[Reminder] = []
    tasks = list(
        Task.objects.filter(status__in=[TaskStatus.TODO, TaskStatus.DOING], due__lte=today + timedelta(days=days))
        .select_related("org")
        .order_by("due")
    )
    leaders = recipients({t.org_id for t in tasks if not t.owner_id}, Perm.MANAGE_TASKS)
    for t in tasks:
        overdue = t.due < today
        kind = ReminderKind.OVERDUE if overdue else ReminderKind.DUE_SOON
        users = [t.owner_id] if t.owner_id else [u for u, _a in leaders.get(t.org_id, [])]
        if overdue:
            msg = f"任务“{t.title}”已逾期{(today - t.due).days}天（{t.org.name}）"
        else:
            msg = f"任务“{t.title}”将于{t.due.month}月{t.due.day}日到期（{t.org.name}）"
        for user_id in set(users):
            wanted.append(
                Reminder(
                    user_id=user_id,
                    kind=kind,
                    key=f"task:{t.pk}:{kind}",
                    org=t.org,
                    message=msg,
                    url=reverse("plans:task_detail", args=[t.pk]),
                    due=t.due,
                    day=today,
                )
            )
    targets = list(
        Target.objects.filter(
            plan__year=today.year, plan__status__in=[PlanStatus.DRAFT, PlanStatus.PUBLISHED]
        ).select_related("plan", "plan__org", "plan__area")
    )
    results = compliance.evaluate(targets, today=today)
    editors = recipients({t.plan.org_id for t in targets if not t.owner_id}, Perm.EDIT_PLANS)
    for t in targets:
        r = results[t.pk]
        current = next((c for c in r.periods if c.start and c.start <= today <= c.end), None)
        if current is None or current.state != State.WARN:
            continue
        if t.owner_id:
            users = {t.owner_id}
        else:
            users = {u for u, areas in editors.get(t.plan.org_id, []) if areas is None or t.plan.area_id in areas}
        for user_id in users:
            wanted.append(
                Reminder(
                    user_id=user_id,
                    kind=ReminderKind.AT_RISK,
                    key=f"target:{t.pk}:{current.start:%Y%m%d}",
                    org=t.plan.org,
                    message=f"{t.plan.org.name}“{t.title}”{current.label}尚无记录，已过半",
                    url=reverse("plans:target_detail", args=[t.pk]),
                    due=current.end,
                    day=today,
                )
            )
    for config in apps.get_app_configs():  # the reminders other apps declare (documents due for review …)
        for source in getattr(config, "reminders", ()):
            wanted.extend(source(today))
    return wanted


def refresh(today: date | None = None, days: int = DEFAULT_DAYS) -> dict[str, int]:
    """Recompute every user's reminders; returns how many were added and removed."""
    today = today or timezone.localdate()
    wanted = collect(today, days)
    keys = {(r.user_id, r.key) for r in wanted}
    with transaction.atomic():
        stale = [
            pk
            for pk, user_id, key in Reminder.objects.filter(read_at__isnull=True)
            .exclude(kind=ReminderKind.SECURITY)  # security alerts are raised as they happen, not recomputed
            .values_list("pk", "user_id", "key")
            if (user_id, key) not in keys
        ]
        removed = Reminder.objects.filter(pk__in=stale).delete()[0] if stale else 0
        existing = set(Reminder.objects.filter(key__in={k for _u, k in keys}).values_list("user_id", "key"))
        new = [r for r in wanted if (r.user_id, r.key) not in existing]
        Reminder.objects.bulk_create(new, ignore_conflicts=True)
    return {"added": len(new), "removed": removed, "current": len(keys)}


@task()
def refresh_reminders(days: int = DEFAULT_DAYS) -> dict[str, int]:
    """The daily job: the same code as the management command."""
    return refresh(days=days)
