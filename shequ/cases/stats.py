"""The cases dashboard and the monthly dispute screening table: aggregate reads in a fixed number of queries.

Counts come from two GROUP BYs over the visible cases (all of them, from an index alone where the reader holds the
subtree without an area binding; then the open ones) and are rolled up the org tree in Python by materialised path,
so the number of queries does not grow with cases or orgs.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.cases import kept
from shequ.cases.models import Case, CaseType
from shequ.cases.selectors import visible_cases
from shequ.orgs.models import Org, OrgKind, subtree_q

COUNTS = kept.COUNTS  # the dashboard's counts (by org and by type)


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
    """Open, overdue, escalated … counts by child org and by type; speed and satisfaction of the year.

    A reader who holds the subtree without an area binding sees every case owned in it: a street's or a district's
    figures are then the kept ones (``cases.kept``, at most a few minutes old, the page says when); a community's
    are worked out now. Otherwise the visible cases are worked out now."""
    today = timezone.localdate()
    children = list(Org.objects.filter(parent=org, is_active=True).order_by("sort", "path"))
    scope = access.resolve(actor)
    ids = scope.subtree_ids(org.pk)
    kept_at = None
    paths = {pk: scope.org_paths[pk] for pk in ids}
    if _holds_whole(scope, ids):
        if org.kind in kept.LARGE_SCOPES:
            figures, kept_at = kept.kept(org, paths, year, today)
        else:
            figures = kept.work_out(Case.objects.filter(org_id__in=ids), year, today)
    else:
        figures = kept.work_out(visible_cases(actor).filter(org_id__in=ids), year, today)
    # Each org's figures summed under the child of ``org`` that holds it (or ``org`` itself); kept ones already are.
    figures = kept.fold(figures, kept.buckets(org, paths))
    own = Row(org, f"{org.name}(本级)")
    rows = {c.pk: Row(c, c.name) for c in children}
    totals = Row(org, "合计")
    by_type: dict[int, dict] = defaultdict(lambda: dict.fromkeys(kept.COUNTS + kept.YEAR, 0))
    for (bucket, type_id), r in figures.items():
        target = rows.get(bucket, own)
        for k in COUNTS:
            target.counts[k] += r[k]
            totals.counts[k] += r[k]
        for k, v in r.items():
            by_type[type_id][k] += v
    type_rows = []
    for t in CaseType.objects.order_by("sort", "id"):
        s = by_type.get(t.pk, dict.fromkeys(kept.COUNTS + kept.YEAR, 0))
        type_rows.append(
            {
                "type": t,
                "counts": {k: s[k] for k in COUNTS},
                "year_total": s["n"],
                "to_accept_h": round(s["accept_s"] / s["accepted"] / 3600, 1) if s["accepted"] else None,
                "to_close_d": round(s["close_s"] / s["closed"] / 86400, 1) if s["closed"] else None,
                "rated": s["rated"],
                "avg_rating": round(s["rating_sum"] / s["rated"], 2) if s["rated"] else None,
                "satisfaction": round(100 * s["satisfied"] / s["rated"], 1) if s["rated"] else None,
            }
        )
    rated = sum(r["rated"] for r in type_rows)
    satisfied = sum(s["satisfied"] for s in by_type.values())
    org_rows = [rows[c.pk] for c in children]
    if any(own.counts.values()):
        org_rows.insert(0, own)
    return {
        "org_rows": org_rows,
        "totals": totals,
        "type_rows": type_rows,
        "satisfaction": round(100 * satisfied / rated, 1) if rated else None,
        "rated": rated,
        "year": year,
        "kept_at": kept_at,
    }


def _holds_whole(scope: access.Scope, ids: list[int]) -> bool:
    """Whether the reader sees every case of these orgs: they hold each through a grant without an area binding."""
    return set(ids) <= set(scope.ids_where(lambda g: g.area_ids is None and g.allows(Perm.VIEW)))


def path_prefixes(path: str) -> list[str]:
    """ "1/4/9/" → ["1/", "1/4/", "1/4/9/"]: the paths of an org and of every org above it."""
    return [path[: i + 1] for i, ch in enumerate(path) if ch == "/"]


SCREEN_KEYS = kept.SCREEN


def screening(actor, *, org: Org, year: int, month: int) -> dict:
    """矛盾纠纷排查调处月报: 排查数, 调处数, 调处成功数, 重大纠纷 by community, rolled up street → district.

    Counted by the month of the dispute's registration date, at the org where it was registered. A month
    without a registered dispute is a count of 0, not a 零报告: a 零报告 is a community's explicit submission of the
    monthly report (the reports app), never inferred from the absence of cases. A street's or a district's counts,
    for a reader who holds the whole subtree, are the kept ones (``cases.kept``; the page says when).
    """
    orgs = list(
        Org.objects.filter(subtree_q(org.path), is_active=True)
        .filter(kind__in=[OrgKind.DISTRICT, OrgKind.STREET, OrgKind.COMMUNITY])
        .order_by("path")
    )
    scope = access.resolve(actor)
    ids = scope.subtree_ids(org.pk)
    kept_at = None
    if org.kind in kept.LARGE_SCOPES and _holds_whole(scope, ids):
        figures, kept_at = kept.kept_screening(org, ids, year, timezone.localdate())
    else:
        figures = kept.screening_out(visible_cases(actor).filter(origin_org_id__in=ids), year)
    zero = dict.fromkeys(SCREEN_KEYS, 0)
    per_org: dict[int, dict] = {o.pk: dict(zero) for o in orgs}
    per_month: dict[int, dict] = {m: dict(zero) for m in range(1, 13)}
    by_path = {o.path: o.pk for o in orgs}
    for (origin_id, m), counts in figures.items():
        if m == month and origin_id in scope.org_paths:
            for prefix in path_prefixes(scope.org_paths[origin_id]):
                if prefix in by_path:
                    for k in SCREEN_KEYS:
                        per_org[by_path[prefix]][k] += counts[k]
        for k in SCREEN_KEYS:
            per_month[m][k] += counts[k]
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
    return {"table": table, "months": months, "year": year, "month": month, "org": org, "kept_at": kept_at}
