"""The demo school's year of safety education: besides the monthly lessons and the term drills the records demo
files, the lessons and drills that cover more of the eight key prevention items each term, and a drill whose
problems were opened as a hazard case."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from shequ.education import school_services
from shequ.records import services as record_services
from shequ.records.models import ActivityType, Record

# (month, day, type, title, extra, participants); only days up to today are filed.
SPRING = [
    (4, 14, "lesson", "地质灾害避险知识课", {"classes": "全校各班", "topic_kind": ["防地质灾害"]}, 46),
    (5, 12, "lesson", "课间活动安全主题班会", {"classes": "全校各班", "topic_kind": ["防活动伤害"]}, 45),
    (
        6,
        9,
        "drill",
        "防溺水应急演练",
        {"drill_kind": "防溺水", "start_time": "15:00", "end_time": "15:40", "evacuation": 0, "commander": "陈校长"},
        120,
    ),
]
AUTUMN = [
    (
        9,
        16,
        "lesson",
        "开学第一课：校舍与教学设施安全",
        {"classes": "全校各班", "topic_kind": ["防校舍设施事故", "消防安全"]},
        48,
    ),
    (
        10,
        20,
        "lesson",
        "师德规范与防体罚伤害专题教育",
        {"classes": "教职工、各班主任", "topic_kind": ["防体罚伤害"]},
        42,
    ),
    (
        10,
        28,
        "drill",
        "上放学交通安全演练",
        {"drill_kind": "交通安全", "start_time": "16:30", "end_time": "17:00", "evacuation": 0, "commander": "陈校长"},
        300,
    ),
]
HAZARD_DRILL = (
    11,
    18,
    "drill",
    "秋季消防应急疏散演练（全校）",
    {
        "drill_kind": "消防疏散",
        "start_time": "10:00",
        "end_time": "10:30",
        "evacuation": 195,
        "commander": "陈校长",
        "problems": "教学楼三楼东侧安全出口指示灯不亮；二楼楼梯口堆放课桌椅，疏散时拥堵。",
        "improvements": "更换指示灯，清理楼梯口杂物，增加楼道引导员。",
    },
    860,
)


def step(ctx) -> None:
    school, actor = ctx.orgs.get("school"), ctx.users.get("school_officer")
    if school is None or actor is None:
        return
    year, today = ctx.year, timezone.localdate()
    types = {t.code: t for t in ActivityType.objects.filter(area__code="school", code__in=["lesson", "drill"])}
    for month, day, code, title, extra, n in [*SPRING, *AUTUMN, HAZARD_DRILL]:
        on = date(year, month, day)
        if on > today or Record.objects.filter(org=school, title=title, date=on).exists():
            continue
        with transaction.atomic():
            record = record_services.record_create(
                actor=actor, org=school, activity_type=types[code], date=on, title=title, place="学校操场",
                organiser="学校安全工作领导小组", participant_count=n, extra={k: v for k, v in extra.items() if v},
                content=f"{on.month}月{on.day}日开展“{title}”。",
            )  # fmt: skip
            if title == HAZARD_DRILL[3]:
                school_services.drill_hazard(actor=actor, record=record)
