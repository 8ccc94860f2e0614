"""Dashboard cards of the plans app: this year's target states and open tasks in the user's scope."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from shequ.plans import compliance, selectors
from shequ.plans.compliance import State
from shequ.plans.models import TaskStatus


def plan_cards(user) -> list[dict]:
    today = timezone.localdate()
    targets = list(
        selectors.targets_visible(user)
        .filter(plan__year=today.year, plan__status__in=["draft", "published"])
        .select_related("plan")
        .only(*compliance.EVAL_FIELDS)
    )
    results = compliance.evaluate(targets, today=today)
    counts: dict[str, int] = {}
    for r in results.values():
        counts[r.state] = counts.get(r.state, 0) + 1
    overview = reverse("plans:overview")
    tasks = selectors.tasks_visible(user).filter(status__in=[TaskStatus.TODO, TaskStatus.DOING])
    overdue = tasks.filter(due__lt=today).count()
    cards = [
        {
            "label": f"{today.year}年指标达标",
            "value": f"{counts.get(State.OK, 0)}/{len(results)}",
            "url": overview,
            "hint": "已达标/全部指标",
        },
        {
            "label": "指标预警",
            "value": counts.get(State.WARN, 0),
            "url": overview,
            "tone": "warn",
            "hint": "本周期过半仍无记录",
        },
        {"label": "指标未达标", "value": counts.get(State.FAIL, 0), "url": overview, "tone": "bad"},
        {"label": "逾期任务", "value": overdue, "url": reverse("plans:tasks"), "tone": "bad" if overdue else None},
    ]
    return cards
