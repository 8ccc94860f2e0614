"""The rubrics (考核细则) of the reference plans for communities, as data: each plan's own targets, weighted so that
the five lines add up to 100 (平安建设 30, 健康教育 20, 居民自治 20, 残疾人康复 15, 社区教育 15).

Computed items read the state of one of the plan's own targets (a month without its screening or its board change
costs its points, however many were done in another month), a count of the year's records or an indicator of the
catalogue; judged items are scored by the
reviewer with evidence; veto items name the case types that trigger them (平安建设: 发生重大有影响的案件、事故和事件的
单位实施一票否决; 无邪教地区; 群体性上访)."""

from __future__ import annotations


def count(code, label, types, expect, points, per_missing, floor=0):
    return {"code": code, "label": label, "points": points, "expect": expect, "per_missing": per_missing,
            "floor": floor, "source": {"measure": {"noun": "records", "where": {"types": types}}}}  # fmt: skip


def target(code, label, target_code, points, per_missing, floor=0):
    return {"code": code, "label": label, "points": points, "per_missing": per_missing, "floor": floor,
            "source": {"target": target_code}}  # fmt: skip


def rate(code, label, indicator, expect, points, per_point, floor=0):
    return {"code": code, "label": label, "points": points, "expect": expect, "per_point": per_point,
            "floor": floor, "source": {"indicator": indicator}}  # fmt: skip


def judged(code, label, points):
    return {"code": code, "label": label, "points": points, "judged": True}


def veto(code, label, types, effect, cap=0):
    return {"code": code, "label": label, "veto": {"cases": types}, "effect": effect, "cap": cap}


RUBRICS: list[dict] = [
    {
        "code": "community-safety",
        "name": "平安建设考核细则",
        "area": "safety",
        "items": [
            target("screening", "矛盾纠纷排查每月一次（每缺一月扣1分）", "safety-screening", 6, 1),
            count(
                "group_meeting", "平安建设领导小组会议每季度一次（每缺一次扣1分）", ["safety/group_meeting"], 4, 4, 1
            ),
            count("inspection", "安全检查每月一次（每缺一次扣0.5分）", ["safety/inspection"], 12, 4, 0.5),
            target("drill", "应急演练每年至少一次（未开展扣3分）", "safety-drill", 3, 3),
            judged("mediation", "矛盾纠纷调处及时、领导包案落实", 5),
            judged("patrol", "群防群治、治安巡逻和技防入户", 8),
            veto("major_incident", "发生重大有影响的案件、事故和事件", ["major_incident"], "zero_all"),
            veto("cult", "发生邪教人员滋事事件", ["cult_incident"], "zero_line"),
            veto("petition", "发生群体性上访", ["group_petition"], "cap_line", 15),
        ],
    },
    {
        "code": "community-health",
        "name": "健康教育考核细则",
        "area": "health",
        "items": [
            target("board", "宣传栏每月更换一次（每缺一月扣0.5分）", "health-board-monthly", 4, 0.5),
            count("lecture", "健康讲座每年不少于6次（每缺一次扣0.5分）", ["health/lecture"], 6, 3, 0.5),
            count("group_meeting", "领导小组专题会议每年两次以上（每缺一次扣1分）", ["health/group_meeting"], 2, 2, 1),
            count("theme_day", "主题宣传日活动每年不少于4次（每缺一次扣0.5分）", ["health/theme_day"], 4, 2, 0.5),
            judged("archive", "资料齐全整洁、不跨年归类", 5),
            judged("plan", "年度计划、总结及信息报送", 4),
        ],
    },
    {
        "code": "community-selfgov",
        "name": "居民自治考核细则",
        "area": "selfgov",
        "items": [
            count("resident_meeting", "居民会议每年两次以上（每缺一次扣2分）", ["selfgov/resident_meeting"], 2, 4, 2),
            count("council", "协商议事会每季度一次（每缺一次扣1分）", ["selfgov/council"], 4, 4, 1),
            rate("reply", "民情民意按时答复率≥95%（每低1个百分点扣0.5分）", "opinion_reply_rate", 95, 4, 0.5),
            count("opinion_board", "民情民意交流栏每月更新（每缺一次扣0.5分）", ["selfgov/opinion_board"], 12, 3, 0.5),
            judged("openness", "居务公开、民主评议", 5),
        ],
    },
    {
        "code": "community-disability",
        "name": "残疾人康复考核细则",
        "area": "disability",
        "items": [
            rate("needs", "康复需求入户调查登记率100%（每低1个百分点扣0.2分）", "disability_needs_survey", 100, 4, 0.2),
            rate("five_clear", "残疾人“五清”率100%（每低1个百分点扣0.2分）", "disability_five_clear", 100, 3, 0.2),
            count("helper_visit", "帮扶走访每月一次（每缺一次扣0.25分）", ["disability/helper_visit"], 12, 3, 0.25),
            judged("files", "康复服务档案规范完整", 5),
        ],
    },
    {
        "code": "community-education",
        "name": "社区教育考核细则",
        "area": "education",
        "items": [
            rate("training_rate", "居民培训率≥30%（每低1个百分点扣0.2分）", "education_training_rate", 30, 5, 0.2),
            count("training", "培训班每年不少于4期（每缺一期扣1分）", ["education/training"], 4, 4, 1),
            count("lecture", "社区教育讲座每年不少于4次（每缺一次扣0.5分）", ["education/lecture"], 4, 2, 0.5),
            target("learning_org", "学习型组织比例较上年提高（未提高扣4分）", "education-learning-orgs", 4, 4),
        ],
    },
]


def load_rubrics(Rubric, Area) -> int:
    """Create the rubrics not there yet (an administrator may have edited the others). Safe to run again."""
    areas = {a.code: a for a in Area.objects.all()}
    existing = set(Rubric.objects.values_list("code", flat=True))
    made = 0
    for sort, spec in enumerate(RUBRICS, start=1):
        if spec["code"] in existing or spec["area"] not in areas:
            continue
        Rubric.objects.create(**{**spec, "area": areas[spec["area"]], "sort": sort})
        made += 1
    return made
