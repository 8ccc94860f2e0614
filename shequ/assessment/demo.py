"""Demo step: the year's assessment finished for every community and village. 清河村 had a 群体性上访 in September
(registered as a case), which caps its 平安建设 line at 15 points (一票否决); each community self-scores the judged
items with evidence, the street reviews (lowering one score, with its reason) and the district confirms.
Idempotent: a year already assessed is left alone."""

from __future__ import annotations

import random
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from shequ.assessment import scoring, services
from shequ.assessment.models import Assessment, Score, Stage
from shequ.cases import services as case_services
from shequ.cases.models import Case, CaseType

PETITION = ("village1", "村民因土地补偿集体到镇政府上访", date(9999, 9, 12))
REVIEWERS = {"street1": "street_leader"}
SELF_BY = {"communityA": "a_leader"}


def _petition(ctx) -> None:
    org = ctx.orgs.get(PETITION[0])
    ctype = CaseType.objects.filter(code="group_petition").first()
    on = PETITION[2].replace(year=ctx.year)
    if org is None or ctype is None or on > timezone.localdate() or Case.objects.filter(title=PETITION[1]).exists():
        return
    at = datetime.combine(on, time(9, 0), tzinfo=ZoneInfo(settings.TIME_ZONE))
    case_services.case_register(
        actor=ctx.users["admin"], case_type=ctype, org=org, title=PETITION[1], category="集体上访",
        description="二十余名村民因土地补偿款分配问题集体到镇政府上访，经镇村两级做工作后返回。", registered_on=on,
        detail={"occurred_at": at, "injured_count": 0, "liable": "否", "cause": "土地补偿款分配方案未充分征求意见",
                "reported_to": "清河镇政法办", "reported_at": at},
    )  # fmt: skip


def step(ctx, options) -> None:
    district = ctx.orgs.get("district")
    if district is None or Assessment.objects.filter(year=ctx.year).exists():
        return
    _petition(ctx)
    admin = ctx.users["admin"]
    services.start(actor=admin, top=district, year=ctx.year)
    keys = {o.pk: k for k, o in ctx.orgs.items()}
    for a in Assessment.objects.filter(year=ctx.year).select_related("org", "org__parent").order_by("org__path"):
        key = keys.get(a.org_id, "")
        rng = random.Random(f"assessment-{key}-{ctx.year}")
        scores = list(Score.objects.filter(assessment=a).select_related("rubric"))
        entries = {}
        for s in scores:
            if s.spec.get("judged"):
                points = Decimal(str(s.spec["points"]))
                value = scoring.q(points * Decimal(rng.choice(["1", "0.9", "0.8", "0.8", "0.7"])))
                entries[s.pk] = {"score": str(value), "note": "已按细则自查。",
                                 "evidence": f"/records/?area={s.rubric.area.code}&year={ctx.year}"}  # fmt: skip
        leader = ctx.users.get(SELF_BY.get(key, ""), admin)
        services.self_save(actor=leader, a=a, entries=entries)
        services.self_submit(actor=leader, a=a)
        reviewer = ctx.users.get(REVIEWERS.get(keys.get(a.org.parent_id, ""), ""), admin)
        judged = [s for s in scores if s.spec.get("judged")]
        if judged:
            s = rng.choice(judged)
            lowered = max(Decimal(entries[s.pk]["score"]) - 1, Decimal(0))
            services.review_save(
                actor=reviewer, a=a,
                entries={s.pk: {"score": str(lowered), "reason": "现场查看台账，部分资料不全，扣1分。"}},
            )  # fmt: skip
        services.review_submit(actor=reviewer, a=a)
        services.confirm(actor=admin, a=a)
    assert not Assessment.objects.filter(year=ctx.year).exclude(stage=Stage.CONFIRMED).exists()
