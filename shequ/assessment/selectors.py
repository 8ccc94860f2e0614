"""Reads of the year-end assessment, scoped to the actor: the ranking of the communities below an org, one
assessment with its lines, items, vetoes and history; each in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.http import Http404

from shequ.accounts import access
from shequ.assessment import scoring
from shequ.assessment.models import Assessment, Score
from shequ.orgs.models import Org, OrgKind


def ranking(actor, *, focus: Org, year: int) -> list[dict]:
    """The communities below ``focus`` with their assessment of the year, ranked within their street."""
    ids = access.resolve(actor).subtree_ids(focus.pk)
    rows = list(
        Assessment.objects.visible_to(actor)
        .filter(year=year, org_id__in=ids)
        .select_related("org", "org__parent")
        .order_by("org__parent__path", "-total", "org__path")
    )
    by_street: dict[int, list[Assessment]] = defaultdict(list)
    for a in rows:
        by_street[a.org.parent_id].append(a)
    out = []
    for street_rows in by_street.values():
        for rank, a in enumerate(street_rows, start=1):
            out.append({"a": a, "street": a.org.parent, "rank": rank, "of": len(street_rows)})
    return out


def missing_count(actor, *, focus: Org, year: int) -> int:
    """Communities below ``focus`` (in the actor's scope) without an assessment of the year."""
    ids = access.resolve(actor).subtree_ids(focus.pk)
    communities = Org.objects.filter(pk__in=ids, kind=OrgKind.COMMUNITY, is_active=True)
    return communities.exclude(pk__in=Assessment.objects.filter(year=year).values("org_id")).count()


def assessment_get(actor, pk: int) -> Assessment:
    found = Assessment.objects.visible_to(actor).select_related("org", "org__parent").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def lines(actor, a: Assessment) -> list[dict]:
    """The assessment's lines of work the actor sees (a 专干 sees their own), each with its items and result."""
    scores = list(
        Score.objects.visible_to(actor)
        .filter(assessment=a)
        .select_related("rubric", "rubric__area")
        .order_by("rubric__sort", "rubric_id", "pk")
    )
    by_rubric: dict[int, list[Score]] = defaultdict(list)
    for s in scores:
        by_rubric[s.rubric_id].append(s)
    out = []
    for rows in by_rubric.values():
        rubric = rows[0].rubric
        order = {i["code"]: n for n, i in enumerate(rubric.items)}
        rows.sort(key=lambda s: order.get(s.item, 99))
        vals = {s.item: s.final for s in rows}
        vetoes = {s.item: [(s.computed_note, "")] for s in rows
                  if scoring.kind_of(s.spec) == "veto" and (s.computed or 0) > 0}  # fmt: skip
        result = scoring.line_result(rubric.items, vals, vetoes)
        items = [
            {"s": s, "spec": s.spec, "kind": scoring.kind_of(s.spec), "points": Decimal(str(s.spec.get("points", 0)))}
            for s in rows
        ]
        out.append({"rubric": rubric, "items": items, "result": result})
    return out
