"""The literals of care: the groups of people under care, the record types that count as their visits, the
visit schedules the district starts with (kept as data afterwards: ``VisitSchedule``), and the confirmation fields
a visit record carries."""

from __future__ import annotations

# A group of people under care: (code, Chinese name, the line of work, the record types that count as its visits).
# The first visit type is the one a helper's form offers first.
CATEGORIES: list[tuple[str, str, str, tuple[str, ...]]] = [
    ("disability", "残疾人", "disability", ("helper_visit", "rehab_service", "home_visit")),
    ("correction", "社区矫正对象", "safety", ("special_group",)),
    ("released", "刑满释放人员", "safety", ("special_group",)),
    ("drug", "吸毒人员", "safety", ("special_group",)),
    ("mental", "严重精神障碍患者", "safety", ("special_group",)),
    ("youth", "重点青少年", "safety", ("special_group",)),
]
CATEGORY_NAMES = {code: name for code, name, _, _ in CATEGORIES}
CATEGORY_AREAS = {code: area for code, _, area, _ in CATEGORIES}
CATEGORY_VISIT_TYPES = {code: types for code, _, _, types in CATEGORIES}
# The 人群类别 a 特殊人群帮教 record names, by category.
SPECIAL_GROUP_LABELS = {
    "correction": "社区矫正",
    "released": "刑释解教",
    "drug": "吸毒人员",
    "mental": "严重精神障碍患者",
    "youth": "重点青少年",
}

# (category, level, every, unit, remind_days, note). Level "" serves every level without a row of its own: for
# disabled residents the level is the disability grade (1–4), for special groups the risk assessment level (0–5).
SCHEDULES: list[tuple[str, str, int, str, int, str]] = [
    ("disability", "", 1, "month", 7, "残疾人每月走访1次"),
    ("disability", "1", 1, "month", 10, "一级（极重度）残疾人每月走访，提前10天提醒"),
    ("correction", "", 1, "month", 7, "社区矫正对象每月走访1次"),
    ("correction", "3", 2, "week", 3, "风险等级3级：每2周走访1次"),
    ("correction", "4", 1, "week", 2, "风险等级4级及以上：每周走访1次"),
    ("correction", "5", 1, "week", 2, "风险等级4级及以上：每周走访1次"),
    ("released", "", 3, "month", 14, "刑满释放人员每季度走访1次"),
    ("drug", "", 1, "month", 7, "吸毒人员每月走访1次"),
    ("mental", "", 1, "month", 7, "严重精神障碍患者每月随访1次"),
    ("mental", "0", 3, "month", 14, "危险性0级（病情稳定）：每3个月随访1次"),
    ("mental", "1", 2, "week", 3, "危险性1–2级：每2周随访1次"),
    ("mental", "2", 2, "week", 3, "危险性1–2级：每2周随访1次"),
    ("mental", "3", 1, "week", 2, "危险性3–5级：每周随访1次"),
    ("mental", "4", 1, "week", 2, "危险性3–5级：每周随访1次"),
    ("mental", "5", 1, "week", 2, "危险性3–5级：每周随访1次"),
    ("youth", "", 1, "month", 7, "重点青少年每月走访1次"),
]

CONFIRM_CHOICES = ["本人签字确认", "监护人签字确认", "本人口头确认", "电话确认", "未能确认"]
CONFIRM_FIELDS = [
    {"name": "confirmation", "label": "服务对象确认", "kind": "choice", "required": False, "choices": CONFIRM_CHOICES},
    {"name": "confirmer", "label": "确认人", "kind": "text", "required": False},
]
# The record types of a visit that carry the confirmation fields: (area code, type code).
CONFIRMED_TYPES = [("disability", code) for code in CATEGORY_VISIT_TYPES["disability"]] + [("safety", "special_group")]


def load(schedule_model, activity_type_model) -> None:
    """Load the starting schedules (keeping rows an administrator changed) and give the visit record types their
    confirmation fields (once)."""
    for category, level, every, unit, remind, note in SCHEDULES:
        schedule_model.objects.get_or_create(
            category=category,
            level=level,
            defaults={"every": every, "unit": unit, "remind_days": remind, "note": note},
        )
    for area, code in CONFIRMED_TYPES:
        for t in activity_type_model.objects.filter(area__code=area, code=code):
            names = {f["name"] for f in t.extra_fields}
            added = [f for f in CONFIRM_FIELDS if f["name"] not in names]
            if added:
                t.extra_fields = [*t.extra_fields, *added]
                t.save(update_fields=["extra_fields"])


# The needs of the 残疾人基本服务需求 survey (入户需求调查表), with the 康复服务 item each is served by (the
# needs_survey record's 需求类别). The codes the registry's DisabilityProfile knows are kept in step with its needs.
NEEDS: list[tuple[str, str, str]] = [
    ("rehab", "康复训练与服务", "训练指导"),
    ("medical", "医疗服务", "康复医疗"),
    ("aids", "辅助器具", "辅助器具"),
    ("psych", "心理疏导", "心理疏导"),
    ("education", "教育", "教育咨询"),
    ("employment", "就业扶持", "职业培训"),
    ("care", "托养照护", "生活帮扶"),
    ("accessibility", "无障碍改造", "其他"),
    ("income", "生活救助与补贴", "生活帮扶"),
    ("culture", "文化体育", "其他"),
]
NEED_NAMES = {code: name for code, name, _ in NEEDS}
NEED_CARE_ITEM = {code: item for code, _, item in NEEDS}
SURVEY_METHODS = ["入户调查", "见面调查", "电话调查"]
