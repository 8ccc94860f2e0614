"""The plans' part of the workbench: the targets at risk this period with what they lack, the tasks due
and overdue, the share of targets 达标 by line of work, and — for a street or district — its communities
ranked by 达标率. A fixed number of queries whatever the number of targets or tasks."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from shequ.accounts.roles import Perm
from shequ.core.charts import share_bars
from shequ.orgs.models import Area, Org, OrgKind
from shequ.plans import compliance, selectors
from shequ.plans.compliance import State, standings
from shequ.plans.models import TaskStatus

MAX_ITEMS = 8


def plan_cards(user) -> list[dict]:
    today = timezone.localdate()
    targets = list(
        selectors.targets_visible(user)
        .filter(plan__year=today.year, plan__status__in=["draft", "published"])
        .select_related("plan", "plan__org")
        .only(*compliance.EVAL_FIELDS, "plan__org__path", "plan__org__name")
        .order_by("plan__org__path", "code")
    )
    several_orgs = len({t.plan.org_id for t in targets}) > 1  # then each target says whose it is
    if several_orgs:
        # A street's or a district's targets: their last worked-out states (fresh within minutes), not a count
        # of every record in the scope on every view.
        results = standings.standings(targets, today=today)
    else:
        now = timezone.now()
        results = {
            pk: standings.Standing.of(r.target, r, today, now)
            for pk, r in compliance.evaluate(targets, today=today).items()
        }
    risky = []
    for t in targets:
        lacks = results[t.pk].lacks
        if lacks:
            text = f"{t.plan.org.name}：{t.title}" if several_orgs else t.title
            risky.append({"text": text, "note": lacks, "url": reverse("plans:target_detail", args=[t.pk]),
                          "tone": "warn"})  # fmt: skip
    tasks = selectors.tasks_visible(user).filter(
        status__in=[TaskStatus.TODO, TaskStatus.DOING], due__lte=today + timedelta(days=7)
    )
    due = list(tasks.order_by("due", "pk").only("pk", "title", "due")[:MAX_ITEMS])
    task_items = [
        {
            "text": task.title,
            "note": f"已逾期{(today - task.due).days}天"
            if task.due < today
            else f"{task.due.month}月{task.due.day}日到期",
            "url": reverse("plans:task_detail", args=[task.pk]),
            "tone": "bad" if task.due < today else "",
        }
        for task in due
    ]
    overview = reverse("plans:overview")
    cards = [
        {
            "label": "指标预警",
            "value": len(risky),
            "items": risky[:MAX_ITEMS],
            "url": overview,
            "empty": "本期指标都在进度内。",
            "hint": _as_of(results) if several_orgs else "",
        },
        {
            "label": "到期和逾期任务",
            "value": tasks.count() if len(due) == MAX_ITEMS else len(due),
            "items": task_items,
            "url": reverse("plans:tasks"),
            "empty": "七天内没有到期的任务。",
        },
    ]
    if results:
        cards.append({"label": "各条线指标达标率", "chart": "bars", "bars": _by_area(targets, results)})
    ranking = _ranking(user, targets, results)
    if ranking:
        cards.append({"label": "各社区达标率排名", "chart": "bars", "bars": ranking, "hint": "点击查看该社区各项指标"})
    return cards


def _as_of(results) -> str:
    """When the oldest of the states shown was worked out (a street's or district's are kept, not counted live)."""
    oldest = min((s.computed_at for s in results.values()), default=None)
    return f"指标状态截至 {timezone.localtime(oldest):%H:%M}" if oldest else ""


def _by_area(targets, results) -> list:
    names = dict(Area.objects.values_list("pk", "name"))
    counts = _tally(targets, results, lambda t: t.plan.area_id)
    return share_bars([(names.get(a, ""), ok, n, "") for a, (ok, n) in counts.items()])


def _tally(targets, results, key) -> dict[int, list[int]]:
    """[targets 达标, targets] per ``key(target)``; a target whose key is None is left out."""
    counts: dict[int, list[int]] = {}
    for t in targets:
        k = key(t)
        if k is not None:
            c = counts.setdefault(k, [0, 0])
            c[0] += results[t.pk].state == State.OK
            c[1] += 1
    return counts


def _ranking(user, targets, results) -> list:
    """The communities in the user's scope ranked by their share of targets 达标 (only above one community)."""
    communities = dict(
        Org.objects.visible_to(user, Perm.VIEW).filter(kind=OrgKind.COMMUNITY, is_active=True).values_list("pk", "name")
    )
    if len(communities) < 2:
        return []

    def community_of(t):
        return next((i for i in map(int, t.plan.org.path.strip("/").split("/")) if i in communities), None)

    counts = _tally(targets, results, community_of)
    overview = reverse("plans:overview")
    rows = sorted(
        ((communities[pk], ok, n, f"{overview}?org={pk}") for pk, (ok, n) in counts.items()),
        key=lambda r: (-r[1] / r[2], r[0]),
    )
    return share_bars(rows)
