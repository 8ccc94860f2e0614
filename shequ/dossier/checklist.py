"""The completeness checklist (档案完整性检查) of an org's year: what is missing before the dossier is whole, each
gap with the page where it is put right. Derived from what Shequ already computes — the targets' states period by
period, the reports' completeness, the letters' signing, the meetings' minutes, the assessment's stage — in a fixed
number of queries whatever the size of the year.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone

from shequ.accounts import access
from shequ.assessment.models import Assessment, Stage
from shequ.groups.models import Meeting
from shequ.letters.models import Letter
from shequ.orgs.models import Org
from shequ.plans import compliance
from shequ.plans import selectors as plan_selectors
from shequ.plans.compliance import State
from shequ.plans.models import RateEntry, TargetKind
from shequ.reports import selectors as report_selectors
from shequ.reports.selectors import Status

if TYPE_CHECKING:
    from shequ.accounts.models import User

# The kinds of gap, in the order the page lists them.
KINDS = {
    "target": "指标未达标",
    "evidence": "缺少佐证材料",
    "minutes": "会议缺少记录",
    "report": "报表未报送",
    "letter": "责任书未签订",
    "assessment": "年终考核未完成",
}


@dataclass(frozen=True)
class Gap:
    kind: str
    area: str
    text: str
    url: str

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]


def _targets(actor: User, org: Org, year: int, today: date) -> list[Gap]:
    targets = [t for t in plan_selectors.targets_for(actor, year=year, root=org) if t.plan.org_id == org.pk]
    results = compliance.evaluate(targets, today=today)
    gaps: list[Gap] = []
    rated: list[int] = []
    for t in targets:
        r = results[t.pk]
        url = reverse("plans:target_detail", args=[t.pk])
        area = t.plan.area.name
        failed = [c for c in r.periods if c.state == State.FAIL] if len(r.periods) > 1 else []
        for cell in failed:
            shortfall = f"应{cell.expected}次，实{cell.done}次" if cell.missing is not None else cell.state_label
            gaps.append(Gap("target", area, f"{t.title}：{cell.label}{shortfall}", url))
        if not failed and r.state in (State.FAIL, State.WARN):
            gaps.append(
                Gap(
                    "target",
                    area,
                    f"{t.title}：{r.total.state_label}（要求{r.total.expected}，实际{r.total.done}）",
                    url,
                )
            )
        if t.kind in (TargetKind.RATE, TargetKind.CHANGE):
            rated.append(t.pk)
    if rated:
        by_target = {t.pk: t for t in targets}
        bare = RateEntry.objects.filter(target_id__in=rated, measured_on__year=year, file="").order_by("target_id")
        for target_id in dict.fromkeys(bare.values_list("target_id", flat=True)):
            t = by_target[target_id]
            url = reverse("plans:target_detail", args=[t.pk])
            gaps.append(Gap("evidence", t.plan.area.name, f"{t.title}：填报的数值没有上传佐证材料", url))
    return gaps


def _minutes(actor: User, ids: list[int], year: int) -> list[Gap]:
    meetings = (
        Meeting.objects.visible_to(actor)
        .filter(org_id__in=ids, record__year=year, record__content="")
        .select_related("record", "area", "group")
        .order_by("record__date", "pk")
    )
    return [
        Gap("minutes", m.area.name, f"{m.group.name}{m.record.date:%m月%d日}的会议“{m.record.title}”没有会议记录",
            reverse("groups:meeting", args=[m.pk]))
        for m in meetings
    ]  # fmt: skip


def _reports(actor: User, org: Org, year: int, today: date) -> list[Gap]:
    gaps = []
    for form in report_selectors.forms():
        if org.kind not in form.kinds:
            continue
        grid = report_selectors.grid(actor, form=form, focus=org, year=year, today=today)
        for row in grid["rows"]:
            if row.org.pk != org.pk:
                continue
            for c in row.cells:
                if c["status"] == Status.MISSING:
                    url = reverse("reports:fill", args=[form.code, org.pk, year, c["period"].no])
                    gaps.append(Gap("report", form.area.name, f"{form.name}{c['period'].label}缺报", url))
                elif c["status"] == Status.RETURNED:
                    url = reverse("reports:detail", args=[c["sub"].pk])
                    gaps.append(Gap("report", form.area.name, f"{form.name}{c['period'].label}被退回，待重新报送", url))
    return gaps


def _letters(actor: User, ids: list[int], year: int) -> list[Gap]:
    unsigned = (
        Letter.objects.visible_to(actor)
        .filter(year=year, org_id__in=ids, signed_on__isnull=True)
        .select_related("kind", "area")
        .order_by("kind__sort", "level", "pk")
    )
    return [
        Gap("letter", x.area.name, f"{x.kind.name}：{x.holder_name}{f'（{x.labels}）' if x.labels else ''}尚未签订",
            reverse("letters:detail", args=[x.pk]))
        for x in unsigned
    ]  # fmt: skip


def _assessment(actor: User, org: Org, year: int) -> list[Gap]:
    a = Assessment.objects.visible_to(actor).filter(org=org, year=year).first()
    if a is None:
        return [Gap("assessment", "", f"{year}年度考核尚未发起", reverse("assessment:index"))]
    if a.stage != Stage.CONFIRMED:
        text = f"{year}年度考核处于“{a.get_stage_display()}”阶段，尚未确认"
        return [Gap("assessment", "", text, reverse("assessment:detail", args=[a.pk]))]
    return []


def gaps(actor: User, org: Org, year: int, today: date | None = None) -> list[Gap]:
    """Every gap of ``org``'s ``year`` that the actor can see, grouped by kind."""
    today = today or timezone.localdate()
    ids = access.resolve(actor).subtree_ids(org.pk)
    return [
        *_targets(actor, org, year, today),
        *_minutes(actor, ids, year),
        *_reports(actor, org, year, today),
        *_letters(actor, ids, year),
        *_assessment(actor, org, year),
    ]
