"""Campaign days in the plans: the calendar of the year, the exact dates a campaign target takes in its plan's
year, and one task per campaign target and year with the campaign's window and a place for its evidence.

A target names its day (``Target.campaign``); its deadline is the day's last counted date and its window the days
that count, worked out for the plan's year (the Monday of March's last week differs every year). ``make_tasks``
runs daily (``manage.py plans_campaigns``, the ``make_campaign_tasks`` task): it makes each missing task once —
a task is unique per target and campaign, so running it again, or twice at once, adds nothing."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django_tasks import task

from shequ.plans.campaign_days import CampaignDay
from shequ.plans.models import PlanStatus, Target, TargetKind, Task, TaskStatus

# (code, name, area, month, day, weekday, week, before, after, theme)
DAYS = [
    ("school-safety-day", "全国中小学生安全教育日", "school", 3, None, 0, -1, 6, 4, "开展中小学生安全教育活动"),
    ("world-health-day", "世界卫生日", "health", 4, 7, None, None, 7, 0, "普及健康知识，倡导健康生活方式"),
    ("security-education-day", "全民国家安全教育日", "safety", 4, 15, None, None, 7, 0, "国家安全教育宣传"),
    ("disaster-prevention-day", "全国防灾减灾日", "safety", 5, 12, None, None, 7, 7, "防灾减灾知识宣传和应急演练"),
    ("disability-day", "全国助残日", "disability", 5, None, 6, 3, 14, 0, "每年5月第三个星期日，扶残助残宣传和志愿服务"),
    ("no-tobacco-day", "世界无烟日", "health", 5, 31, None, None, 14, 0, "控烟宣传，普及烟草危害知识"),
    ("school-safety-month", "安全教育活动月", "school", 6, 30, None, None, 29, 0, "本县每年6月为安全教育活动月"),
    ("fire-day", "全国消防日", "safety", 11, 9, None, None, 7, 7, "消防安全宣传和疏散演练"),
    ("intl-disability-day", "国际残疾人日", "disability", 12, 3, None, None, 7, 0, "关爱残疾人宣传"),
    ("constitution-day", "国家宪法日", "safety", 12, 4, None, None, 7, 3, "宪法和法律宣传"),
]  # fmt: skip


def load(CampaignDay, Area) -> None:
    """Create the days that are not there (by code); days already there are the administrators' to keep."""
    areas = {a.code: a for a in Area.objects.all()}
    for sort, (code, name, area, month, day, weekday, week, before, after, theme) in enumerate(DAYS, start=1):
        if area in areas:
            CampaignDay.objects.get_or_create(
                code=code,
                defaults={"name": name, "area": areas[area], "month": month, "day": day, "weekday": weekday,
                          "week": week, "before_days": before, "after_days": after, "theme": theme, "sort": sort},
            )  # fmt: skip


def day(code: str) -> CampaignDay | None:
    return CampaignDay.objects.filter(code=code, is_active=True).first() if code else None


def choices() -> list[tuple[str, str]]:
    return [(d.code, f"{d.name}（{d.rule_text}）") for d in CampaignDay.objects.filter(is_active=True)]


def fit(target: Target, year: int, found: CampaignDay | None = None) -> bool:
    """Set a campaign target's deadline and window to its day in ``year``; true when they changed."""
    found = found or day(target.campaign)
    if found is None:
        return False
    start, end = found.window(year)
    wanted = {"kind": TargetKind.DEADLINE, "due_month": end.month, "due_day": end.day,
              "window_days": (end - max(start, date(year, 1, 1))).days}  # fmt: skip
    changed = {k: v for k, v in wanted.items() if getattr(target, k) != v}
    for k, v in changed.items():
        setattr(target, k, v)
    return bool(changed)


def task_title(found: CampaignDay, year: int) -> str:
    on = found.on(year)
    return f"{found.name}（{on.month}月{on.day}日）宣传活动"


def make_tasks(year: int | None = None) -> dict[str, int]:
    """A task for each campaign target of ``year``'s draft and published plans that has none; the targets'
    dates brought to the year's day. Returns how many tasks were made and how many targets were refitted."""
    year = year or timezone.localdate().year
    days = {d.code: d for d in CampaignDay.objects.filter(is_active=True)}
    targets = list(
        Target.objects.filter(
            plan__year=year, campaign__in=list(days), plan__status__in=[PlanStatus.DRAFT, PlanStatus.PUBLISHED]
        ).select_related("plan")
    )
    have = set(Task.objects.filter(target__in=targets).exclude(campaign="").values_list("target_id", flat=True))
    new, refit = [], 0
    with transaction.atomic():
        for t in targets:
            found = days[t.campaign]
            if fit(t, year, found):
                Target.objects.filter(pk=t.pk).update(
                    kind=t.kind, due_month=t.due_month, due_day=t.due_day, window_days=t.window_days
                )
                refit += 1
            if t.pk in have:
                continue
            start, end = found.window(year)
            new.append(
                Task(
                    org_id=t.plan.org_id,
                    year=year,
                    plan=t.plan,
                    target=t,
                    campaign=found.code,
                    title=task_title(found, year),
                    lead_org_id=t.plan.org_id,
                    owner_id=t.owner_id,
                    owner_name=t.owner_name,
                    due=end,
                    description=f"{found.theme}。计入时间：{start.month}月{start.day}日至{end.month}月{end.day}日。"
                    "活动开展后登记工作记录，并在本任务中关联为佐证。",
                )
            )
        Task.objects.bulk_create(new, ignore_conflicts=True)
    return {"tasks": len(new), "refit": refit}


@task()
def make_campaign_tasks() -> dict[str, int]:
    """The daily job: the same code as the management command."""
    return make_tasks()


def calendar(actor, year: int) -> list[dict]:
    """The active days in date order for ``year``, each with its window and the campaign tasks in the actor's scope
    (how many, how many done): two queries."""
    counts = {
        row["campaign"]: row
        for row in Task.objects.visible_to(actor)
        .filter(year=year)
        .exclude(campaign="")
        .values("campaign")
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(status=TaskStatus.DONE)))
        .order_by()
    }
    rows = []
    for d in CampaignDay.objects.filter(is_active=True).select_related("area"):
        start, end = d.window(year)
        found = counts.get(d.code, {})
        rows.append({"day": d, "on": d.on(year), "start": start, "end": end,
                     "total": found.get("total", 0), "done": found.get("done", 0)})  # fmt: skip
    rows.sort(key=lambda r: (r["on"], r["day"].sort))
    return rows
