"""The register of learning organisations (学习型组织): the criteria of each kind as a scored checklist, listing a
candidate, its yearly evaluation (the result follows from the score), and the reads of the register's page.

The plan's target "学习型组织占各类组织的比例 较上年提高" reads the indicator ``education_learning_org_share``
(``shequ.education.indicators``): the candidates recognised (优秀 or 达标) in the year ÷ the candidates on the
register that year, computed again for last year.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from shequ.accounts import access
from shequ.accounts.models import User
from shequ.accounts.roles import Perm
from shequ.audit.services import audit
from shequ.core.indicators import Period
from shequ.core.uploads import IMAGES, OFFICE, check_uploads
from shequ.education import selectors
from shequ.education.learning_models import (
    EvaluationFile,
    LearningEvaluation,
    LearningKind,
    LearningOrg,
    LearningResult,
)
from shequ.education.services import check_manage, education_area
from shequ.orgs.models import Org, OrgKind
from shequ.plans.indicators import compute
from shequ.records.models import Record
from shequ.records.years import ensure_year_open

SHARE = "education_learning_org_share"
EXCELLENT_FROM = 90  # 优秀 from 90 points of 100
PASSED_FROM = 70  # 达标 from 70
EVIDENCE_KINDS = OFFICE | IMAGES
EVIDENCE_BYTES = 20 * 1024 * 1024
EVIDENCE_COUNT = 10


@dataclass(frozen=True)
class Criterion:
    code: str
    text: str
    points: int


# The basic requirements of each kind (基本要求和标准), 100 points each.
CRITERIA: dict[str, tuple[Criterion, ...]] = {
    LearningKind.FAMILY: (
        Criterion("plan", "家庭有学习计划，成员养成读书学习习惯", 20),
        Criterion("books", "家庭藏书或订阅报刊，有固定的学习角", 15),
        Criterion("training", "家庭成员每年参加社区教育培训或讲座", 25),
        Criterion("together", "家庭成员互学互帮，开展亲子共读", 15),
        Criterion("manners", "家风文明，遵纪守法，邻里和睦", 15),
        Criterion("service", "参加社区志愿服务或公益活动", 10),
    ),
    LearningKind.BUILDING: (
        Criterion("leader", "有楼组长和学习骨干，有学习活动安排", 15),
        Criterion("corner", "有楼道学习宣传栏或读书角", 15),
        Criterion("activity", "每季度至少组织一次楼组学习活动", 25),
        Criterion("joining", "楼组居民参加学习活动达半数以上", 20),
        Criterion("harmony", "邻里和睦，无矛盾纠纷激化", 15),
        Criterion("families", "楼组内有学习型家庭", 10),
    ),
    LearningKind.UNIT: (
        Criterion("system", "有学习制度和年度学习计划，专人负责", 20),
        Criterion("funds", "落实职工学习培训经费", 15),
        Criterion("training", "每年组织职工培训，职工参训面达80%以上", 25),
        Criterion("place", "有学习阵地（职工书屋、学习室）", 15),
        Criterion("results", "有学习成果（论文、技能竞赛、创新成果）", 15),
        Criterion("community", "向社区开放学习资源，参与社区教育", 10),
    ),
}


def result_for(total: int) -> str:
    if total >= EXCELLENT_FROM:
        return LearningResult.EXCELLENT
    if total >= PASSED_FROM:
        return LearningResult.PASSED
    return LearningResult.FAILED


def checklist(kind: str, scores: Mapping[str, int] | None = None) -> list[dict]:
    """The criteria of ``kind``, each with its score (for the form and the detail page)."""
    scores = scores or {}
    return [{"c": c, "score": scores.get(c.code)} for c in CRITERIA[kind]]


# --- writes -----------------------------------------------------------------------------------------------------


def _community(org: Org) -> None:
    if org.kind != OrgKind.COMMUNITY or not org.is_active:
        raise ValidationError({"org": "学习型组织名册建在社区（村）。"})


def candidate_add(
    *,
    actor: User,
    org: Org,
    kind: str,
    name: str,
    listed_on: date,
    contact: str = "",
    address: str = "",
) -> LearningOrg:
    """List a family, building or unit of ``org`` (a community) on its register."""
    area = check_manage(actor, org)
    _community(org)
    if kind not in LearningKind.values:
        raise ValidationError({"kind": "请选择类别。"})
    name = name.strip()
    if not name:
        raise ValidationError({"name": "请填写名称。"})
    if listed_on > timezone.localdate():
        raise ValidationError({"listed_on": "列入名册日期不能晚于今天。"})
    if LearningOrg.objects.filter(org=org, kind=kind, name=name, left_on__isnull=True).exists():
        raise ValidationError({"name": f"名册中已有“{name}”。"})
    with transaction.atomic():
        candidate = LearningOrg.objects.create(
            org=org, area=area, kind=kind, name=name[:100], contact=contact.strip()[:50], address=address.strip()[:100],
            listed_on=listed_on, created_by=actor,
        )  # fmt: skip
        audit(actor, "education.learning_org", candidate, {"kind": kind}, org=org)
    return candidate


def _scores(kind: str, scores: Mapping[str, int]) -> dict[str, int]:
    out, errors = {}, []
    for c in CRITERIA[kind]:
        v = scores.get(c.code)
        if v is None:
            errors.append(f"请为“{c.text}”打分。")
        elif not 0 <= int(v) <= c.points:
            errors.append(f"“{c.text}”的得分应在0至{c.points}分之间。")
        else:
            out[c.code] = int(v)
    if errors:
        raise ValidationError({"scores": errors})
    return out


def evaluate(
    *,
    actor: User,
    candidate: LearningOrg,
    evaluated_on: date,
    scores: Mapping[str, int],
    files: Sequence = (),
    record: Record | None = None,
    note: str = "",
) -> LearningEvaluation:
    """Evaluate ``candidate`` for the year of ``evaluated_on`` (once a year): the scores of its kind's criteria, the
    result that follows from their total, with evidence files or a record of the evaluation as proof."""
    check_manage(actor, candidate.org)
    if evaluated_on > timezone.localdate():
        raise ValidationError({"evaluated_on": "评估日期不能晚于今天。"})
    if evaluated_on < candidate.listed_on:
        raise ValidationError({"evaluated_on": "评估日期不能早于列入名册的日期。"})
    if candidate.left_on is not None and evaluated_on > candidate.left_on:
        raise ValidationError({"evaluated_on": "该对象已退出名册。"})
    year = evaluated_on.year
    ensure_year_open(candidate.org, year)
    clean = _scores(candidate.kind, scores)
    if record is not None and not Record.objects.visible_to(actor).filter(pk=record.pk, year=year).exists():
        raise ValidationError({"record": "所选记录不在您的管辖范围内，或不是本年度的记录。"})
    checked = check_uploads(files, allowed=EVIDENCE_KINDS, max_bytes=EVIDENCE_BYTES, max_count=EVIDENCE_COUNT,
                            field="files")  # fmt: skip
    if not checked and record is None:
        raise ValidationError({"files": "请上传佐证材料（照片或文件），或关联一条评比活动记录。"})
    total = sum(clean.values())
    with transaction.atomic():
        if LearningEvaluation.objects.select_for_update().filter(candidate=candidate, year=year).exists():
            raise ValidationError({"evaluated_on": f"“{candidate.name}”{year}年已评估过。"})
        ev = LearningEvaluation.objects.create(
            candidate=candidate, year=year, evaluated_on=evaluated_on, scores=clean, total=total,
            result=result_for(total), record=record, note=note.strip(), evaluated_by=actor,
        )  # fmt: skip
        for c in checked:
            row = EvaluationFile(evaluation=ev, file_name=c.name, uploaded_by=actor)
            row.file.save(c.stored_name, c.content, save=False)
            row.save()
        audit(actor, "education.learning_evaluation", ev, {"total": total, "result": ev.result, "files": len(checked)},
              org=candidate.org)  # fmt: skip
    return ev


# --- reads ------------------------------------------------------------------------------------------------------


def candidates(actor: User, year: int, org: Org | None = None, kind: str = "") -> QuerySet[LearningOrg]:
    """The register as the actor sees it, those on it in ``year``, each with ``evaluation`` (that year's, or
    None): two queries."""
    qs = LearningOrg.objects.visible_to(actor).filter(
        Q(listed_on__year__lte=year), Q(left_on__isnull=True) | Q(left_on__year__gte=year)
    )
    if org is not None:
        qs = qs.filter(org__path__startswith=org.path)
    if kind:
        qs = qs.filter(kind=kind)
    this_year = LearningEvaluation.objects.filter(year=year).annotate(n_files=Count("files"))
    return (
        qs.select_related("org")
        .prefetch_related(Prefetch("evaluations", queryset=this_year, to_attr="this_year"))
        .order_by("org__path", "kind", "name", "id")
    )


def candidate_get(actor: User, pk: int) -> LearningOrg:
    found = LearningOrg.objects.visible_to(actor).select_related("org", "area").filter(pk=pk).first()
    if found is None:
        raise Http404("名册中没有这个对象。")
    return found


def evaluations(candidate: LearningOrg) -> list[LearningEvaluation]:
    """The candidate's evaluations, newest first, with their files and record: three queries."""
    return list(candidate.evaluations.select_related("record").prefetch_related("files").order_by("-year", "-id"))


def evidence_get(actor: User, pk: int) -> EvaluationFile:
    found = EvaluationFile.objects.visible_to(actor).filter(pk=pk).first()
    if found is None:
        raise Http404("没有这个文件。")
    return found


def communities(actor: User) -> QuerySet[Org]:
    """The communities whose register the actor sees."""
    return Org.objects.visible_to(actor).filter(kind=OrgKind.COMMUNITY, is_active=True).order_by("path")


def manageable_communities(actor: User) -> QuerySet[Org]:
    return selectors.manageable_orgs(actor).filter(kind=OrgKind.COMMUNITY)


def shares(orgs: Sequence[Org], year: int) -> list[dict]:
    """The share recognised per kind and in all, this year and last, for each org: the indicator computed as the
    plan computes it (a fixed number of queries)."""
    pops = ["", *LearningKind.values]
    asks = [(SHARE, p, o.pk) for o in orgs for p in pops]
    today = timezone.localdate()
    now, last = compute.this_and_last(asks, Period(year, today))
    out = []
    for o in orgs:
        rows = []
        for p in pops:
            f, g = now[(SHARE, p, o.pk)], last[(SHARE, p, o.pk)]
            label = LearningKind(p).label if p else "合计"
            change = f.value - g.value if f.value is not None and g.value is not None else None
            text = "—" if change is None else f"{'+' if change > 0 else ''}{change.normalize():f}"
            rows.append({"label": label, "now": f, "last": g, "change": change, "change_text": text})
        out.append({"org": o, "rows": rows})
    return out


def can_export(actor: User, org: Org) -> bool:
    return access.can(actor, org, Perm.EXPORT, education_area())
