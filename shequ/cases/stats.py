"""The cases dashboard and the monthly dispute screening table: aggregate reads in a fixed number of queries.

Counts come from two GROUP BYs over the visible cases (all of them, from an index alone where the reader holds the
subtree without an area binding; then the open ones) and are rolled up the org tree in Python by materialised path,
so the number of queries does not grow with cases or orgs.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.cases.choices import OPEN_STATES, CaseKind, MediationOutcome, RiskLevel
from shequ.cases.models import Case, CaseType
from shequ.cases.selectors import visible_cases
from shequ.orgs.models import Org, OrgKind, subtree_q

COUNTS = ("total", "open", "overdue", "escalated", "todo", "supervised")


def focus_org(actor, org_id: int | None) -> Org | None:
    """The org a dashboard looks at: the one asked for if in scope, else the top of the actor's scope."""
    scope = Org.objects.visible_to(actor, Perm.VIEW).filter(is_active=True)
    if org_id:
        org = scope.filter(pk=org_id).select_related("parent").first()
        if org is not None:
            return org
    return scope.select_related("parent").order_by("depth", "path").first()


@dataclass
class Row:
    org: Org | None
    label: str
    counts: dict = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))
    by_type: dict = field(default_factory=dict)


def dashboard(actor, *, org: Org, year: int) -> dict:
    """Open, overdue, escalated … counts by child org and by type; speed and satisfaction of the year."""
    today = timezone.localdate()
    open_q = Q(state__in=OPEN_STATES)
    children = list(Org.objects.filter(parent=org, is_active=True).order_by("sort", "path"))
    scope = access.resolve(actor)
    ids = scope.subtree_ids(org.pk)
    if set(ids) <= set(scope.ids_where(lambda g: g.area_ids is None and g.allows(Perm.VIEW))):
        # Held without an area binding: every case owned in the subtree is seen, so the count reads the owning
        # org alone (the totals from the (org, type, state) index, without the visibility rule's OR).
        base = Case.objects.filter(org_id__in=ids)
    else:
        base = visible_cases(actor).filter(org_id__in=ids)
    # Grouped by org id (the scope knows each org's path): no join to the org table. The totals are read from the
    # (org, type, state) index alone; the open counts only from open cases.
    totals_by = base.values("org_id", "case_type_id").annotate(total=Count("pk")).order_by()
    open_by = (
        base.filter(open_q)
        .values("org_id", "case_type_id")
        .annotate(
            open=Count("pk"),
            overdue=Count("pk", filter=Q(deadline__lt=today)),
            escalated=Count("pk", filter=Q(escalated_from__isnull=False)),
            todo=Count("pk", filter=Q(state="registered")),
            supervised=Count("pk", filter=~Q(supervision="")),
        )
        .order_by()
    )
    own = Row(org, f"{org.name}(本级)")
    table = {c.path: Row(c, c.name) for c in children}
    totals = Row(org, "合计")
    by_type: dict[int, dict] = defaultdict(lambda: dict.fromkeys(COUNTS, 0))
    for r in [*totals_by, *open_by]:
        path = scope.org_paths.get(r["org_id"], "")
        target = next((row for p, row in table.items() if path.startswith(p)), own)
        for k in COUNTS:
            if k in r:
                target.counts[k] += r[k]
                totals.counts[k] += r[k]
                by_type[r["case_type_id"]][k] += r[k]
    types = list(CaseType.objects.order_by("sort", "id"))
    year_qs = base.filter(year=year)
    accept_d = ExpressionWrapper(F("accepted_at") - F("registered_at"), output_field=DurationField())
    close_d = ExpressionWrapper(F("resolved_at") - F("registered_at"), output_field=DurationField())
    speed = (
        year_qs.values("case_type_id")
        .annotate(
            n=Count("pk"),
            to_accept=Avg(accept_d, filter=Q(accepted_at__isnull=False)),
            to_close=Avg(close_d, filter=Q(resolved_at__isnull=False)),
            rated=Count("pk", filter=Q(rating__isnull=False)),
            avg_rating=Avg("rating"),
            satisfied=Count("pk", filter=Q(rating__gte=4)),
        )
        .order_by()
    )
    speed_by_type = {s["case_type_id"]: s for s in speed}
    type_rows = []
    for t in types:
        s = speed_by_type.get(t.pk, {})
        type_rows.append(
            {
                "type": t,
                "counts": by_type.get(t.pk, dict.fromkeys(COUNTS, 0)),
                "year_total": s.get("n", 0),
                "to_accept_h": _hours(s.get("to_accept")),
                "to_close_d": _days(s.get("to_close")),
                "rated": s.get("rated", 0),
                "avg_rating": round(s["avg_rating"], 2) if s.get("avg_rating") else None,
                "satisfaction": round(100 * s["satisfied"] / s["rated"], 1) if s.get("rated") else None,
            }
        )
    rated = sum(r["rated"] for r in type_rows)
    satisfied = sum(speed_by_type.get(r["type"].pk, {}).get("satisfied", 0) for r in type_rows)
    org_rows = [table[c.path] for c in children]
    if any(own.counts.values()):
        org_rows.insert(0, own)
    return {
        "org_rows": org_rows,
        "totals": totals,
        "type_rows": type_rows,
        "satisfaction": round(100 * satisfied / rated, 1) if rated else None,
        "rated": rated,
        "year": year,
    }


def path_prefixes(path: str) -> list[str]:
    """ "1/4/9/" → ["1/", "1/4/", "1/4/9/"]: the paths of an org and of every org above it."""
    return [path[: i + 1] for i, ch in enumerate(path) if ch == "/"]


def _hours(d) -> float | None:
    return round(d.total_seconds() / 3600, 1) if d is not None else None


def _days(d) -> float | None:
    return round(d.total_seconds() / 86400, 1) if d is not None else None


SCREEN_KEYS = ("screened", "mediated", "succeeded", "major")


def screening(actor, *, org: Org, year: int, month: int) -> dict:
    """矛盾纠纷排查调处月报: 排查数, 调处数, 调处成功数, 重大纠纷 by community, rolled up street → district.

    Counted by the month of the dispute's registration date, at the org where it was registered. A month
    without a registered dispute is a count of 0, not a 零报告: a 零报告 is a community's explicit submission of the
    monthly report (the reports app), never inferred from the absence of cases.
    """
    orgs = list(
        Org.objects.filter(subtree_q(org.path), is_active=True)
        .filter(kind__in=[OrgKind.DISTRICT, OrgKind.STREET, OrgKind.COMMUNITY])
        .order_by("path")
    )
    rows = (
        visible_cases(actor)
        .filter(
            case_type__kind=CaseKind.DISPUTE,
            year=year,
            origin_org_id__in=access.resolve(actor).subtree_ids(org.pk),
        )
        .annotate(month=ExtractMonth("registered_on"))
        .values("origin_org__path", "month")
        .annotate(
            screened=Count("pk"),
            mediated=Count("pk", filter=~Q(dispute__outcome="")),
            succeeded=Count("pk", filter=Q(dispute__outcome=MediationOutcome.SUCCESS)),
            major=Count("pk", filter=Q(dispute__is_major=True) | Q(dispute__risk_level=RiskLevel.HIGH)),
        )
        .order_by()
    )
    zero = dict.fromkeys(SCREEN_KEYS, 0)
    per_org: dict[int, dict] = {o.pk: dict(zero) for o in orgs}
    per_month: dict[int, dict] = {m: dict(zero) for m in range(1, 13)}
    by_path = {o.path: o.pk for o in orgs}
    for r in rows:
        if r["month"] == month:
            for prefix in path_prefixes(r["origin_org__path"]):
                if prefix in by_path:
                    for k in SCREEN_KEYS:
                        per_org[by_path[prefix]][k] += r[k]
        for k in SCREEN_KEYS:
            per_month[r["month"]][k] += r[k]
    table = [
        {
            "org": o,
            "indent": o.depth - org.depth,
            "counts": per_org[o.pk],
            "subtotal": o.kind != OrgKind.COMMUNITY,
        }
        for o in orgs
    ]
    months = [
        {
            "month": m,
            "counts": per_month[m],
            "future": (year, m) > (timezone.localdate().year, timezone.localdate().month),
        }
        for m in range(1, 13)
    ]
    return {"table": table, "months": months, "year": year, "month": month, "org": org}
