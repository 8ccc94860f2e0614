"""Every read of plans, targets, tasks and compliance: scoped to the actor, loaded for the templates."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.orgs.models import Area, Org, OrgKind
from shequ.plans import compliance
from shequ.plans.compliance import standings
from shequ.plans.indicators import compute, registry
from shequ.plans.models import (
    Plan,
    PlanAttachment,
    PlanTemplate,
    RateEntry,
    Reminder,
    Target,
    Task,
    TemplateTarget,
)
from shequ.records.models import Record


def plans_visible(actor) -> QuerySet[Plan]:
    return Plan.objects.visible_to(actor)


def plan_list(
    actor, *, year: int | None = None, area: str = "", org: Org | None = None, status: str = ""
) -> QuerySet[Plan]:
    qs = plans_visible(actor).select_related("org", "area", "template")
    if year:
        qs = qs.filter(year=year)
    if area:
        qs = qs.filter(area__code=area)
    if org is not None:
        qs = qs.filter(org__in=Org.objects.subtree(org).values("pk"))
    if status:
        qs = qs.filter(status=status)
    return qs.annotate(target_count=Count("targets")).order_by("-year", "org__path", "area__sort", "id")


def plan_get(actor, pk: int) -> Plan:
    return get_object_or_404(
        plans_visible(actor).select_related("org", "area", "template", "template__org", "created_by"), pk=pk
    )


def plan_targets(plan: Plan) -> list[Target]:
    return list(plan.targets.select_related("plan", "plan__org", "plan__area", "owner", "template_target"))


def plan_tasks(plan: Plan) -> list[Task]:
    return list(plan.tasks.select_related("lead_org", "owner", "target").prefetch_related("partner_orgs"))


def targets_visible(actor) -> QuerySet[Target]:
    return Target.objects.visible_to(actor)


def attachment_get(actor, pk: int) -> PlanAttachment:
    return get_object_or_404(PlanAttachment.objects.visible_to(actor), pk=pk)


def rate_entry_file_get(actor, pk: int) -> RateEntry:
    return get_object_or_404(RateEntry.objects.visible_to(actor).exclude(file=""), pk=pk)


def target_get(actor, pk: int) -> Target:
    return get_object_or_404(
        targets_visible(actor).select_related("plan", "plan__org", "plan__area", "owner", "template_target"), pk=pk
    )


# Columns a compliance evaluation never reads (large texts and snapshots).
HEAVY_FIELDS = ("basis", "plan__text", "plan__template_snapshot")


def targets_for(actor, *, year: int, root: Org, area: str = "") -> list[Target]:
    """All targets of the plans of ``year`` in ``root``'s subtree that the actor may see."""
    qs = targets_visible(actor).filter(
        plan__year=year, plan__org__in=Org.objects.subtree(root).values("pk"), plan__status__in=["draft", "published"]
    )
    if area:
        qs = qs.filter(plan__area__code=area)
    return list(
        qs.select_related("plan", "plan__org", "plan__area", "owner")
        .defer(*HEAVY_FIELDS)
        .order_by("plan__area__sort", "plan__org__path", "sort", "id")
    )


def templates_visible(actor) -> QuerySet[PlanTemplate]:
    """Reference templates, templates of the orgs above the actor's, and those inside the actor's scope."""
    above: set[int] = set()
    for m in access.memberships(actor):
        above.update(m.org.ancestor_ids)
        above.add(m.org_id)
    scope = Org.objects.visible_to(actor, Perm.VIEW).values("pk")
    if not access.is_staff_user(actor):
        return PlanTemplate.objects.none()
    return PlanTemplate.objects.filter(Q(org__isnull=True) | Q(org_id__in=above) | Q(org_id__in=scope))


def template_list(actor) -> QuerySet[PlanTemplate]:
    return (
        templates_visible(actor)
        .filter(is_published=True)
        .select_related("org", "area")
        .annotate(target_count=Count("targets"))
        .order_by("org__path", "area__sort", "code")
    )


def template_get(actor, pk: int) -> PlanTemplate:
    return get_object_or_404(
        templates_visible(actor)
        .select_related("org", "area")
        .prefetch_related(Prefetch("targets", queryset=TemplateTarget.objects.order_by("sort", "id"))),
        pk=pk,
    )


def adoptable_orgs(actor, template: PlanTemplate) -> QuerySet[Org]:
    """Orgs where the actor may adopt ``template`` (its publisher's subtree, below street level)."""
    qs = Org.objects.visible_to(actor, Perm.EDIT_PLANS, area=template.area).filter(
        is_active=True, kind__in=[OrgKind.COMMUNITY, OrgKind.UNIT, OrgKind.STREET]
    )
    if template.org is not None:
        qs = qs.filter(path__startswith=template.org.path).exclude(pk=template.org.pk)
    return qs.order_by("path")


def tasks_visible(actor) -> QuerySet[Task]:
    return Task.objects.visible_to(actor)


def task_list(actor) -> QuerySet[Task]:
    """Tasks for the task page and the API, soonest due first; ``plans.filters.TaskFilter`` narrows them."""
    return tasks_visible(actor).select_related("org", "lead_org", "owner", "plan").order_by("due", "id")


def task_get(actor, pk: int) -> Task:
    return get_object_or_404(
        tasks_visible(actor).select_related(
            "org", "lead_org", "owner", "plan", "plan__area", "target", "source_record", "created_by"
        ),
        pk=pk,
    )


def task_detail_lists(actor, task: Task) -> dict:
    return {
        "notes": list(task.notes.select_related("author")),
        "evidence": list(task.evidence.visible_to(actor).select_related("activity_type", "org").order_by("-date")),
        "partners": list(task.partner_orgs.all()),
    }


def unread_reminder_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return Reminder.objects.filter(user=user, read_at__isnull=True).count()


def reminder_list(user) -> QuerySet[Reminder]:
    return Reminder.objects.filter(user=user).select_related("org").order_by("read_at", "due", "-id")


def target_records(actor, target: Target, *, start: date | None = None, end: date | None = None) -> QuerySet:
    """The records a target counts (its types, in its org's subtree, in the plan's year), scoped."""
    from shequ.records.models import ActivityType

    types: QuerySet = ActivityType.objects.none()
    q = Q()
    for code in target.activity_codes:
        area_code, _, type_code = code.partition("/")
        q |= Q(area__code=area_code, code=type_code)
    if q:
        types = ActivityType.objects.filter(q).values("pk")
    qs = Record.objects.visible_to(actor).filter(
        year=target.plan.year,
        activity_type__in=types,
        org__in=Org.objects.subtree(target.plan.org).values("pk"),
    )
    if start:
        qs = qs.filter(date__gte=start)
    if end:
        qs = qs.filter(date__lte=end)
    kw = Q()
    if target.kind == "deadline":
        for word in target.keyword_list():
            kw |= Q(title__contains=word)
    return qs.filter(kw).select_related("org", "activity_type").order_by("-date", "-id")


def indicator_catalogue() -> list[dict]:
    """The indicator catalogue by line of work: each indicator with its sides in words."""
    names = dict(Area.objects.values_list("code", "name"))
    groups: dict[str, list[dict]] = {}
    for ind in sorted(registry.indicators().values(), key=lambda i: i.code):
        num, den = ind.sides()
        groups.setdefault(ind.area, []).append(
            {
                "indicator": ind,
                "numerator": num.label,
                "numerator_formula": compute.describe(num),
                "denominator": den.label if den is not None else f"（计数，单位：{ind.unit}）",
                "denominator_formula": "" if den is None or ind.figures else compute.describe(den),
                "populations": [(k, p.label) for k, p in ind.populations.items()],
            }
        )
    order = list(Area.objects.order_by("sort").values_list("code", flat=True))
    return [
        {"area": names.get(code, code), "items": items}
        for code, items in sorted(groups.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99)
    ]


# ---- compliance views ----------------------------------------------------------------------------


def org_compliance(actor, *, org: Org, year: int, area: str = "", today: date | None = None) -> list:
    """The results of ``org``'s own plans' targets (for its calendar page)."""
    targets = [t for t in targets_for(actor, year=year, root=org, area=area) if t.plan.org_id == org.pk]
    results = compliance.evaluate(targets, today=today)
    return [results[t.pk] for t in targets]


@dataclass
class OverviewRow:
    code: str
    title: str
    area: str
    cells: dict = field(default_factory=dict)  # column org id -> dict
    counts: dict = field(default_factory=dict)  # state -> number of plan orgs
    total: int = 0

    def cell_list(self, columns: list[Org]) -> list:
        return [self.cells.get(c.pk) for c in columns]


def overview(actor, *, root: Org, year: int, area: str = "", today: date | None = None) -> dict:
    """Communities (or streets) side by side for each target, rolled up: a fixed number of queries."""
    targets = targets_for(actor, year=year, root=root, area=area)
    results: dict[int, compliance.Result] | dict[int, standings.Standing]
    if len({t.plan.org_id for t in targets}) > 1:
        # Many orgs' targets side by side: their kept states (fresh within minutes), not a live count.
        results = standings.standings(targets, today=today)
    else:
        results = compliance.evaluate(targets, today=today)
    columns = list(
        Org.objects.visible_to(actor, Perm.VIEW)
        .filter(parent=root, is_active=True)
        .exclude(kind=OrgKind.GRID)
        .order_by("kind", "sort", "path")
    )
    column_ids = {c.pk for c in columns}
    root_depth = root.path.count("/")
    rows: OrderedDict[str, OverviewRow] = OrderedDict()
    for t in targets:
        r = results[t.pk]
        row = rows.get(t.code)
        if row is None:
            row = rows[t.code] = OverviewRow(t.code, t.title, t.plan.area.name)
        path_ids = [int(p) for p in t.plan.org.path.strip("/").split("/")]
        col_id = path_ids[root_depth] if len(path_ids) > root_depth else root.pk
        if col_id not in column_ids:
            col_id = root.pk
        state = r.state or "none"
        row.counts[state] = row.counts.get(state, 0) + 1
        cell = row.cells.get(col_id)
        if cell is None:
            cell = row.cells[col_id] = {"results": [], "counts": {}}
        cell["results"].append(r)
        cell["counts"][state] = cell["counts"].get(state, 0) + 1
    for row in rows.values():
        row.total = sum(row.counts.values())
        for cell in row.cells.values():
            cell["total"] = len(cell["results"])
            cell["ok"] = cell["counts"].get(compliance.State.OK, 0)
            cell["single"] = cell["results"][0] if cell["total"] == 1 else None
            worst = compliance.combine(list(cell["counts"]))
            cell["state"] = worst
            cell["tone"] = compliance.State.TONES.get(worst, "muted") if worst else "muted"
    if any(root.pk in row.cells for row in rows.values()):
        columns = [root, *columns]
    return {"rows": list(rows.values()), "columns": columns, "targets": len(targets)}
