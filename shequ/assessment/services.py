"""Every write of the year-end assessment: starting a year's cycle for the communities below an org, the
community's self-assessment, the street's review, the district's confirmation. Each checks the actor's right,
recomputes the totals (vetoes applied) and writes the history and the audit row in one transaction."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.assessment import compute, scoring
from shequ.assessment.models import Assessment, AssessmentEvent, Rubric, Score, Stage
from shequ.audit.services import audit
from shequ.core import versioning
from shequ.orgs.models import Org, OrgKind, subtree_q
from shequ.records.models import YearClosure
from shequ.records.years import ensure_year_open

if TYPE_CHECKING:
    from shequ.accounts.models import User


class AssessmentError(ValidationError):
    """An assessment step that cannot be taken as it is: the message says why, in Chinese."""


def _rubrics() -> list[Rubric]:
    return list(Rubric.objects.filter(is_active=True, kind=OrgKind.COMMUNITY).select_related("area"))


def start(*, actor: User, top: Org, year: int) -> int:
    """Open ``year``'s assessment for every community below ``top`` that has none: computed and veto items are
    filled from Shequ's data. Returns the number opened."""
    access.check(actor, top, Perm.REVIEW_REPORT)
    rubrics = _rubrics()
    ensure_year_open(top, year)
    have = set(Assessment.objects.filter(year=year).values_list("org_id", flat=True))
    closed = list(YearClosure.objects.filter(year=year).values_list("org__path", flat=True))  # a closed year's stays
    orgs = [
        o
        for o in Org.objects.filter(subtree_q(top.path), kind=OrgKind.COMMUNITY, is_active=True).order_by("path")
        if o.pk not in have and not any(o.path.startswith(p) for p in closed)
    ]
    if not orgs or not rubrics:
        return 0
    figures = compute.figures(rubrics, orgs, year)
    targets = compute.targets(rubrics, orgs, year)
    vetoes = compute.vetoes(rubrics, orgs, year)
    with transaction.atomic():
        for org in orgs:
            a = Assessment.objects.create(org=org, year=year)
            rows = []
            for r in rubrics:
                for item in r.items:
                    rows.append(_score_row(a, r, item, figures, targets, vetoes))
            Score.objects.bulk_create(rows)
            recompute(a)
            AssessmentEvent.objects.create(assessment=a, stage=Stage.SELF, action="发起考核", actor=actor)
            audit(actor, "assessment.start", a, {"year": year}, org=org)
    return len(orgs)


def _score_row(a: Assessment, r: Rubric, item: dict, figures, targets, vetoes) -> Score:
    kind = scoring.kind_of(item)
    row = Score(assessment=a, rubric=r, item=item["code"])
    if kind == "computed" and "target" in item["source"]:
        result, url = targets.get((a.org_id, r.code, item["code"]), (None, ""))
        row.computed, row.computed_note = scoring.target_score(item, result)
        row.evidence = url  # the target's page: its periods and the records behind each
    elif kind == "computed":
        figure = figures.get((a.org_id, r.code, item["code"]))
        row.computed, row.computed_note = scoring.computed_score(item, figure)
    elif kind == "veto":
        events = vetoes.get((a.org_id, r.code, item["code"]), [])
        row.computed = Decimal(len(events))
        row.computed_note = "；".join(t for t, _u in events)[:300] or "未发生"
        row.evidence = "\n".join(u for _t, u in events)
    return row


def final_of(score: Score) -> Decimal | None:
    for v in (score.review_score, score.self_score, score.computed):
        if v is not None:
            return v
    return None


def recompute(a: Assessment) -> Assessment:
    """Each item's final score, each line's result with its vetoes, the total: written on the rows."""
    scores = list(Score.objects.filter(assessment=a).select_related("rubric"))
    for s in scores:
        s.final = None if scoring.kind_of(s.spec) == "veto" else final_of(s)
    Score.objects.bulk_update(scores, ["final"])
    raw, total, hits = results(scores)
    a.raw_total, a.total = raw, total
    a.veto_text = "\n".join(f"{h.item['label']}（{h.effect_text}）：{'；'.join(t for t, _u in h.events)}" for h in hits)
    a.save(update_fields=["raw_total", "total", "veto_text", "updated_at"])
    return a


def results(scores: list[Score]):
    """(raw total, total, veto hits) of an assessment's scores (rubrics already loaded)."""
    by_rubric: dict[int, list[Score]] = {}
    for s in scores:
        by_rubric.setdefault(s.rubric_id, []).append(s)
    lines = []
    for rows in by_rubric.values():
        rubric = rows[0].rubric
        vals = {s.item: s.final for s in rows}
        vetoes = {s.item: list(zip(s.computed_note.split("；"), s.evidence.split("\n"), strict=False))
                  for s in rows if scoring.kind_of(s.spec) == "veto" and (s.computed or 0) > 0}  # fmt: skip
        lines.append((rubric.items, scoring.line_result(rubric.items, vals, vetoes)))
    return scoring.total_result(lines)


def _number(text, label: str, points: Decimal) -> Decimal:
    try:
        v = Decimal(str(text).strip())
    except InvalidOperation as exc:
        raise ValueError(f"“{label}”的得分应填写数字。") from exc
    if v < 0 or v > points:
        raise ValueError(f"“{label}”的得分应在0至{points.normalize():f}分之间。")
    return scoring.q(v)


def self_save(*, actor: User, a: Assessment, entries: dict[int, dict], version: int | None = None) -> Assessment:
    """The community's scores of its items: judged items scored with evidence; a computed item may be lowered
    (a figure found wrong) but never raised above what Shequ computed."""
    ensure_year_open(a.org, a.year)
    if a.stage != Stage.SELF:
        raise AssessmentError("自评已提交，不能再修改。")
    scores = {s.pk: s for s in Score.objects.filter(assessment=a, pk__in=list(entries)).select_related("rubric")}
    errors: dict[str, str] = {}
    with transaction.atomic():
        versioning.expect(a, version)
        for pk, entry in entries.items():
            s = scores.get(pk)
            if s is None or scoring.kind_of(s.spec) == "veto":
                continue
            if not access.can(actor, a.org, Perm.EDIT_PLANS, area=s.rubric.area):
                raise PermissionDenied(f"您不负责{s.rubric.area.name}条线的自评。")
            raw = str(entry.get("score", "")).strip()
            try:
                value = None if raw == "" else _number(raw, s.spec["label"], Decimal(str(s.spec["points"])))
            except ValueError as exc:
                errors[f"s-{pk}"] = str(exc)
                continue
            if value is not None and s.computed is not None and value > s.computed:
                errors[f"s-{pk}"] = f"“{s.spec['label']}”由系统计算为{s.computed.normalize():f}分，不能手工提高。"
                continue
            s.self_score, s.self_note = value, str(entry.get("note", ""))[:500]
            s.evidence = str(entry.get("evidence", ""))[:2000]
            s.save(update_fields=["self_score", "self_note", "evidence"])
        if errors:
            raise AssessmentError(errors)
        recompute(a)
        audit(actor, "assessment.self_save", a, {"items": len(entries)}, org=a.org)
    return a


def _advance(actor: User, a: Assessment, frm: str, to: str, action: str, note: str = "") -> Assessment:
    ensure_year_open(a.org, a.year)
    if a.stage != frm:
        raise AssessmentError(f"该考核处于“{a.get_stage_display()}”阶段，不能{action}。")
    a.stage = to
    a.save(update_fields=["stage", "updated_at"])
    recompute(a)
    AssessmentEvent.objects.create(assessment=a, stage=to, action=action, actor=actor, note=note[:300])
    audit(actor, f"assessment.{to}", a, {"total": str(a.total)}, org=a.org)
    return a


def self_submit(*, actor: User, a: Assessment) -> Assessment:
    access.check(actor, a.org, Perm.EDIT_PLANS)
    ensure_year_open(a.org, a.year)
    missing = [
        s.spec["label"] for s in a.scores.select_related("rubric") if s.spec.get("judged") and s.self_score is None
    ]
    if missing:
        raise AssessmentError(
            f"还有{len(missing)}项评审项目未自评：{'、'.join(missing[:3])}{'等' if len(missing) > 3 else ''}。"
        )
    with transaction.atomic():
        return _advance(actor, a, Stage.SELF, Stage.REVIEW, "提交自评")


def _check_above(actor: User, a: Assessment, levels: int, area=None) -> None:
    org: Org | None = a.org
    for _ in range(levels):
        org = org.parent if org is not None else None
    if org is None:
        raise PermissionDenied("没有上级单位。")
    if not access.can(actor, org, Perm.REVIEW_REPORT, area=area):
        raise PermissionDenied("只有上级单位可以审核考核。" if levels == 1 else "只有区级可以确认考核结果。")


def review_save(*, actor: User, a: Assessment, entries: dict[int, dict], version: int | None = None) -> Assessment:
    """The street's scores: any item may be changed, each change from the community's score with a reason."""
    ensure_year_open(a.org, a.year)
    if a.stage != Stage.REVIEW:
        raise AssessmentError("该考核不在街道审核阶段。")
    scores = {s.pk: s for s in Score.objects.filter(assessment=a, pk__in=list(entries)).select_related("rubric")}
    errors: dict[str, str] = {}
    with transaction.atomic():
        versioning.expect(a, version)
        for pk, entry in entries.items():
            s = scores.get(pk)
            if s is None or scoring.kind_of(s.spec) == "veto":
                continue
            _check_above(actor, a, 1, s.rubric.area)
            raw, reason = str(entry.get("score", "")).strip(), str(entry.get("reason", "")).strip()
            try:
                value = None if raw == "" else _number(raw, s.spec["label"], Decimal(str(s.spec["points"])))
            except ValueError as exc:
                errors[f"s-{pk}"] = str(exc)
                continue
            before = s.self_score if s.self_score is not None else s.computed
            if value is not None and value != before and not reason:
                errors[f"r-{pk}"] = f"“{s.spec['label']}”的审核分与自评不同，请写明理由。"
                continue
            s.review_score, s.review_reason = value, reason[:500]
            s.save(update_fields=["review_score", "review_reason"])
        if errors:
            raise AssessmentError(errors)
        recompute(a)
        audit(actor, "assessment.review_save", a, {"items": len(entries)}, org=a.org)
    return a


def review_submit(*, actor: User, a: Assessment) -> Assessment:
    _check_above(actor, a, 1)
    with transaction.atomic():
        return _advance(actor, a, Stage.REVIEW, Stage.CONFIRM, "街道审核完成")


def confirm(*, actor: User, a: Assessment) -> Assessment:
    _check_above(actor, a, 2)
    with transaction.atomic():
        return _advance(actor, a, Stage.CONFIRM, Stage.CONFIRMED, "区级确认")
