"""Demo step: the people under care of each community (disabled residents and special groups from the registry),
their helper pairs and a year of visits, some months missed, written in bulk as Records about each person.

幸福社区: the volunteer 冯志愿 is paired with six disabled residents (three not yet visited this month, so their
phone shows a list), the grid worker 周网格 with the disabled of the first grid, 王专干 with the rest, 赵综治 with the
special groups; one pair was handed over in the summer. 阳光社区: 吴专干 for everyone. The villages have no pairs
and miss more months. Idempotent: a community with pairs or visits already there is left alone.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from shequ.care import rules, selectors, tally
from shequ.care.catalogue import NEED_CARE_ITEM, SPECIAL_GROUP_LABELS
from shequ.care.models import (
    OPEN_NEEDS,
    HelperKind,
    HelperPair,
    Need,
    NeedsAssessment,
    NeedStatus,
    PlanItem,
    ServicePlan,
)
from shequ.orgs.models import subtree_q
from shequ.records import tallies
from shequ.records.models import ActivityType, Record
from shequ.residents.models import DisabilityNeed, DisabilityProfile, SpecialGroupProfile

TZ = ZoneInfo("Asia/Shanghai")
DISABLED_PER_COMMUNITY = 30
SPECIAL_PER_COMMUNITY = 12
VOLUNTEER_PAIRS = 6
PAIR_NOTE = "定期走访，帮助解决实际困难"
DONE = [
    "上门了解近况，指导肢体功能训练，家属配合良好。",
    "陪同到社区卫生服务中心复诊，协助办理慢病随访。",
    "帮助整理居家环境，检查扶手和防滑垫的使用情况。",
    "宣讲残疾人两项补贴政策，协助准备申请材料。",
    "电话随访，了解服药和情绪情况，约定下次上门时间。",
    "上门送去辅助器具使用说明，指导正确使用轮椅。",
]
DONE_SPECIAL = [
    "面谈了解思想动态和生活情况，提醒遵守监管规定。",
    "走访家属，了解近期表现，无异常情况。",
    "了解就业意向，推荐社区就业岗位信息。",
    "随访服药情况，病情稳定，监护人在家。",
]


def _subjects(org, ctx) -> list[tuple]:
    """(person, category, level, grid_id, name) of the community's people under care, the first few of each kind."""
    alive = {"person__org": org, "person__is_deceased": False, "person__moved_out_on__isnull": True}
    dis = DisabilityProfile.objects.filter(**alive).select_related("person").order_by("person_id")
    out = [(d.person, "disability", d.grade) for d in dis[:DISABLED_PER_COMMUNITY]]
    sp = SpecialGroupProfile.objects.filter(**alive).select_related("person").order_by("person_id")
    out += [(s.person, s.kind, "" if s.risk_level is None else str(s.risk_level)) for s in sp[:SPECIAL_PER_COMMUNITY]]
    return out


def _helpers(ctx, org, subjects) -> dict[int, tuple]:
    """person id -> (user, kind, started_on) for the communities with staff accounts."""
    u = ctx.users
    out: dict[int, tuple] = {}
    start = date(ctx.year, 1, 1)
    if org == ctx.orgs.get("communityA"):
        grid = ctx.orgs.get("gridA1")
        disabled = [p for p, c, _ in subjects if c == "disability"]
        for p in disabled[:VOLUNTEER_PAIRS]:
            out[p.pk] = (u["volunteer"], HelperKind.VOLUNTEER, start)
        for p in disabled[VOLUNTEER_PAIRS:]:
            staff = u["a_grid"] if grid is not None and p.grid_id == grid.pk else u["a_worker"]
            out[p.pk] = (staff, HelperKind.STAFF, start)
        for p, c, _ in subjects:
            if c != "disability":
                out.setdefault(p.pk, (u["a_safety"], HelperKind.STAFF, start))
    elif org == ctx.orgs.get("communityB") and "b_worker" in u:
        for p, _c, _l in subjects:
            out[p.pk] = (u["b_worker"], HelperKind.STAFF, start)
    return out


def _visit_days(rng, rule, today: date, year: int, *, rate: float, current_rate: float) -> list[date]:
    days = []
    for start, end in rules.periods(rule, date(year, 1, 1), today):
        current = start <= today <= end
        if rng.random() >= (current_rate if current else rate):
            continue
        last = min(end, today)
        days.append(start + timedelta(days=rng.randint(0, (last - start).days)))
    return days


def _community(ctx, org, today: date, types: dict, plan: dict) -> int:
    subjects = _subjects(org, ctx)
    kinds = [t.pk for ts in types.values() for t in ts]
    earlier = Record.objects.filter(subtree_q(org.path, "org__path"), year=ctx.year, activity_type_id__in=kinds)
    if not subjects or HelperPair.objects.filter(org=org).exists() or earlier.filter(title__contains="：").exists():
        return 0
    year, rng = ctx.year, random.Random(f"care-{org.pk}-{ctx.year}")
    helpers = _helpers(ctx, org, subjects)
    staffed = bool(helpers)
    since = datetime(year - 1, 7, 1, 9, tzinfo=TZ)
    ids = [p.pk for p, c, _ in subjects if c == "disability"]
    DisabilityProfile.objects.filter(person_id__in=ids).update(created_at=since)
    SpecialGroupProfile.objects.filter(person_id__in=[p.pk for p, c, _ in subjects if c != "disability"],
                                       period_start__isnull=True).update(period_start=since.date())  # fmt: skip
    pairs, records, links = [], [], []
    volunteer_due = 0
    for person, category, level in subjects:
        rule = rules.pick(plan, category, level)
        helper = helpers.get(person.pk)
        area = ctx.areas["disability" if category == "disability" else "safety"]
        if helper is not None:
            pairs.append(HelperPair(org=org, area=area, person=person, category=category, helper=helper[0],
                                    helper_kind=helper[1], started_on=helper[2], note=PAIR_NOTE))  # fmt: skip
        if rule is None:
            continue
        current_rate = 0.55
        if helper is not None and helper[1] == HelperKind.VOLUNTEER:
            current_rate = 1.0 if volunteer_due >= 3 else 0.0
            volunteer_due += current_rate == 0.0
        rate = 0.9 if staffed else 0.65
        kinds = types["disability" if category == "disability" else "special"]
        for n, day in enumerate(_visit_days(rng, rule, today, year, rate=rate, current_rate=current_rate)):
            t = kinds[n % len(kinds)] if category == "disability" else kinds[0]
            author = helper[0] if helper is not None else ctx.users.get("admin")
            texts = DONE if category == "disability" else DONE_SPECIAL
            confirmation = "本人签字确认" if n % 3 else "监护人签字确认"
            extra = {"served": person.name, "care_items": ["训练指导", "生活帮扶"][: 1 + n % 2], "care_way": "上门服务",
                     "confirmation": confirmation, "confirmer": person.name}  # fmt: skip
            if category != "disability":
                extra = {
                    "group": SPECIAL_GROUP_LABELS[category],
                    "confirmation": "本人签字确认",
                    "confirmer": person.name,
                }
            names = {f["name"] for f in t.extra_fields}
            record_org = person.grid if author == ctx.users.get("a_grid") and person.grid_id else org
            records.append(Record(
                org=record_org, area_id=t.area_id, activity_type=t, date=day, year=day.year,
                title=f"{t.name}：{person.name}", organiser=getattr(author, "name", "") or org.name,
                participant_count=1,
                content=texts[(person.pk + n) % len(texts)], extra={k: v for k, v in extra.items() if k in names},
                created_by=author,
            ))  # fmt: skip
            links.append(person.pk)
    # The summer's hand-over: one of 王专干's persons had 周网格 until June.
    handed = [p for p in pairs if p.helper == ctx.users.get("a_worker")][:1]
    if handed and "a_grid" in ctx.users:
        first = handed[0]
        pairs.append(HelperPair(org=org, area=first.area, person=first.person, category=first.category,
                                helper=ctx.users["a_grid"], helper_kind=HelperKind.STAFF, started_on=date(year, 1, 1),
                                ended_on=date(year, 6, 30), end_reason="网格调整，移交社区专干"))  # fmt: skip
        first.started_on = date(year, 7, 1)
    surveys = _surveys(ctx, org, subjects, helpers, rng, records, links) if staffed else []
    HelperPair.objects.bulk_create(pairs, batch_size=500)
    Record.objects.bulk_create(records, batch_size=500)
    through = Record.persons.through
    through.objects.bulk_create([through(record_id=r.pk, person_id=pid) for r, pid in zip(records, links, strict=True)],
                                batch_size=1000)  # fmt: skip
    _assessments_and_plans(ctx, org, surveys, rng)
    return len(records)


NEED_PICKS = [("rehab", "肢体功能训练"), ("aids", "需要适配轮椅"), ("medical", "慢病随访"),
              ("income", "申请两项补贴"), ("care", "白天无人照料"), ("accessibility", "卫生间加装扶手"),
              ("employment", "希望从事手工活")]  # fmt: skip
PLAN_ITEMS = [("训练指导", "社区康复站", "每月2次"), ("辅助器具", "区残联辅具中心", "一次"),
              ("生活帮扶", "帮扶志愿者", "每月1次"), ("康复医疗", "社区卫生服务中心", "每季度1次")]  # fmt: skip


def _surveys(ctx, org, subjects, helpers, rng, records, links) -> list[tuple]:
    """A 入户需求调查 in February or March for each disabled resident of a staffed community: its record (added
    to the bulk), with the needs found."""
    survey_type = ActivityType.objects.filter(area=ctx.areas["disability"], code="needs_survey").first()
    if survey_type is None:
        return []
    out = []
    for person, category, _level in subjects:
        if category != "disability":
            continue
        day = date(ctx.year, rng.choice([2, 3]), rng.randint(1, 28))
        needs = rng.sample(NEED_PICKS, rng.randint(1, 3))
        items = sorted({NEED_CARE_ITEM[c] for c, _ in needs})
        author = helpers.get(person.pk, (ctx.users.get("admin"),))[0]
        if helpers.get(person.pk, (None, HelperKind.STAFF))[1] == HelperKind.VOLUNTEER:
            author = ctx.users.get("a_worker") or author  # a volunteer visits; a worker surveys
        record = Record(org=org, area_id=survey_type.area_id, activity_type=survey_type, date=day, year=day.year,
                        title=f"入户需求调查：{person.name}", organiser=getattr(author, "name", ""),
                        participant_count=1,
                        content="入户了解家庭、经济、残疾、康复和需求情况。", created_by=author,
                        extra={"surveyed": 1, "with_needs": 1, "needs": items})  # fmt: skip
        records.append(record)
        links.append(person.pk)
        out.append((person, record, needs, author))
    return out


def _assessments_and_plans(ctx, org, surveys, rng) -> None:
    area = ctx.areas["disability"]
    assessments, plans = [], []
    for person, record, _needs, author in surveys:
        assessments.append(NeedsAssessment(org=org, area=area, person=person, category="disability",
                                           surveyed_on=record.date, method="入户调查", respondent=person.name,
                                           record=record, surveyor=author))  # fmt: skip
    NeedsAssessment.objects.bulk_create(assessments, batch_size=500)
    rows = []
    for a, (person, _record, needs, author) in zip(assessments, surveys, strict=True):
        for n, (code, note) in enumerate(needs):
            status = [NeedStatus.SERVING, NeedStatus.NEEDS, NeedStatus.MET, NeedStatus.REFUSED][(person.pk + n) % 4]
            rows.append(Need(assessment=a, code=code, status=status, note=note))
        if rng.random() < 0.75:
            plans.append(ServicePlan(org=org, area=area, person=person, category="disability", year=ctx.year,
                                     goal="改善生活自理能力，按需提供康复和生活帮扶。", created_by=author))  # fmt: skip
    Need.objects.bulk_create(rows, batch_size=1000)
    ServicePlan.objects.bulk_create(plans, batch_size=500)
    PlanItem.objects.bulk_create(
        [PlanItem(plan=p, service=s, provider=pr, frequency=f, sort=n)
         for p in plans for n, (s, pr, f) in enumerate(PLAN_ITEMS[: 2 + p.person_id % 3])], batch_size=1000,
    )  # fmt: skip
    known = set(DisabilityNeed.values)
    open_needs: dict[int, list[str]] = {}
    for need, a in ((n, n.assessment) for n in rows):
        if need.status in OPEN_NEEDS and need.code in known:
            open_needs.setdefault(a.person_id, []).append(need.code)
    for pid, codes in open_needs.items():
        DisabilityProfile.objects.filter(person_id=pid).update(needs=codes)


def step(ctx, options) -> None:
    today = timezone.localdate()
    if ctx.year > today.year:
        return
    if ctx.year < today.year:
        today = date(ctx.year, 12, 31)
    visit_types = selectors.visit_types()
    types = {"disability": visit_types["disability"][:2], "special": visit_types["correction"]}
    plan = selectors.schedules()
    made = 0
    with transaction.atomic():
        for org in ctx.communities:
            made += _community(ctx, org, today, types, plan)
        if made:
            tallies.rebuild(ctx.year)  # the visits were written in bulk, past the services
            tally.rebuild(ctx.year, today)  # and the visits due with them
    if not options.get("quiet"):
        print(f"帮扶走访：新增走访记录 {made} 条。")
