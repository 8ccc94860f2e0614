"""The six case types of the reference plans, loaded as data (a data migration) and kept in sync by the demo."""

from __future__ import annotations

# (code, name, kind, area codes (first = default), on_board, resident_can_report,
#  accept_hours, handle_days, yellow_days, red_days, description)
CASE_TYPES = [
    ("dispute", "矛盾纠纷", "dispute", ["safety"], False, False, 24, 15, 5, 10, "人民调解:排查、调处、回访"),
    ("hazard", "安全隐患", "hazard", ["school", "safety"], False, False, 24, 30, 7, 15, "隐患排查整改台账:整改与销号"),
    ("opinion", "民情民意", "opinion", ["selfgov"], True, True, 48, 10, 3, 7, "居民的意见、建议、投诉,答复公开"),
    (
        "monitor",
        "监督员上报",
        "monitor",
        ["selfgov"],
        False,
        True,
        24,
        7,
        3,
        7,
        "社区监督员上报的环境卫生、治安隐患问题",
    ),
    (
        "referral",
        "转诊转介",
        "referral",
        ["disability"],
        False,
        False,
        72,
        30,
        7,
        15,
        "社区无法满足的康复需求转介到机构",
    ),
    ("accident", "安全事故", "accident", ["school"], False, False, 4, 15, 3, 7, "学校安全事故:发生、报告、处置"),
    # 残疾儿童早期发现、早期报告: found (登记) → reported to the disability staff (受理, within the accept hours) →
    # screened and referred (转介, within the handling days) → received and rehabilitation begun (STEP_DAYS).
    (
        "early_child",
        "残疾儿童早期报告",
        "referral",
        ["disability"],
        False,
        False,
        48,
        15,
        3,
        7,
        "0–6岁疑似残疾儿童:发现、报告、筛查转介、康复",
    ),
    # Incidents the plans' one-vote vetoes name (一票否决): each is dated by when it happened.
    (
        "major_incident",
        "重大案件事故事件",
        "accident",
        ["safety"],
        False,
        False,
        2,
        15,
        3,
        7,
        "重大有影响的案件、事故和事件",
    ),
    ("dispute_escalated", "矛盾激化事件", "accident", ["safety"], False, False, 2, 15, 3, 7, "矛盾纠纷激化、民转刑"),
    (
        "criminal_case",
        "刑事案件",
        "accident",
        ["safety", "school"],
        False,
        False,
        2,
        30,
        5,
        10,
        "辖区或学校发生的刑事案件",
    ),
    ("group_petition", "群体性上访", "accident", ["safety", "school"], False, False, 2, 15, 3, 7, "集体上访、越级上访"),
    (
        "cult_incident",
        "邪教滋事事件",
        "accident",
        ["safety"],
        False,
        False,
        2,
        15,
        3,
        7,
        "造成影响的邪教人员滋事事件或案件",
    ),
    ("staff_offence", "教职工违法犯罪", "accident", ["school"], False, False, 2, 30, 5, 10, "学校教职工违法犯罪"),
]

# Days allowed in a state of the referral steps, from the day the case entered it (the deadline is set then):
# 已转介 → the institution receives the child; 已接收 → rehabilitation begins (服务完成); 已拒绝 → referred again.
STEP_DAYS: dict[str, dict[str, int]] = {
    "early_child": {"referred": 10, "received": 30, "refused": 7},
}

# A supervisor's report goes by its category to the line of work that handles it: category ->
# (case type code, area code, the category on that type). Other categories stay 监督员上报 with 居民自治.
MONITOR_ROUTES: dict[str, tuple[str, str, str]] = {
    "治安隐患": ("hazard", "safety", "治安"),
    "安全隐患": ("hazard", "safety", "其他"),
}


def load_case_types(CaseType, Area) -> None:
    areas = {a.code: a for a in Area.objects.all()}
    for sort, (code, name, kind, area_codes, on_board, portal, accept, handle, yellow, red, desc) in enumerate(
        CASE_TYPES, start=1
    ):
        ct, _ = CaseType.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "on_board": on_board,
                "resident_can_report": portal,
                "accept_hours": accept,
                "handle_days": handle,
                "yellow_days": yellow,
                "red_days": red,
                "description": desc,
                "sort": sort * 10,
            },
        )
        if hasattr(ct, "step_days") and not ct.step_days and code in STEP_DAYS:
            ct.step_days = STEP_DAYS[code]  # migrations before 0008 know no step limits
            ct.save(update_fields=["step_days"])
        ct.areas.set([areas[c] for c in area_codes if c in areas])
