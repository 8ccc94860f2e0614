"""The report forms of the six reference plans, as data (loaded by a data migration; administrators edit them).

Each field's formula names a count of Shequ's rows (a measure over the indicator catalogue's nouns) or an
indicator of the catalogue by its code; a field without one is typed by the reporting org.
"""

from __future__ import annotations


def num(code: str, label: str, formula: dict | None = None, kind: str = "int", *, kept: bool = False) -> dict:
    """A figure; ``kept``: a 零报告 keeps it as typed (the screenings held when none found a dispute)."""
    out: dict = {"code": code, "label": label, "kind": kind}
    if formula:
        out["formula"] = formula
    if kept:
        out["zero_keeps"] = True
    return out


def text(code: str, label: str) -> dict:
    return {"code": code, "label": label, "kind": "text"}


def cases(types: list[str], **where) -> dict:
    return {"measure": {"noun": "cases", "where": {"types": types, **where}}}


def records(*types: str) -> dict:
    return {"measure": {"noun": "records", "where": {"types": list(types)}}}


def indicator(code: str) -> dict:
    return {"indicator": code}


COMMUNITY = ["community"]

FORMS: list[dict] = [
    {
        "code": "dispute_monthly",
        "name": "矛盾纠纷排查调处情况月报表",
        "area": "safety",
        "kinds": COMMUNITY,
        "cycle": "month",
        "due_day": 5,
        "due_lag": 1,
        "receiver": "街道综治中心（政法办）",
        "zero_text": "本月无矛盾纠纷",
        "description": "每月排查一次，次月5日前由社区负责人签字报送；无纠纷时报零报告。",
        "fields": [
            num("screenings", "开展排查（次）", records("safety/screening"), kept=True),
            num("screened", "排查出矛盾纠纷（件）", cases(["dispute"])),
            num("mediated", "调处（件）", cases(["dispute"], mediated=True)),
            num("succeeded", "调解成功（件）", cases(["dispute"], mediation_succeeded=True)),
            num("major", "重大矛盾纠纷（件）", cases(["dispute"], major_dispute=True)),
            num("prevented_criminal", "防止民间纠纷转化为刑事案件（件）"),
            num("prevented_petition", "防止群体性上访（件）"),
            text("summary", "主要纠纷及调处情况"),
        ],
    },
    {
        "code": "hazard_monthly",
        "name": "安全隐患排查整改情况月报表",
        "area": "safety",
        "kinds": COMMUNITY,
        "cycle": "month",
        "due_day": 5,
        "due_lag": 1,
        "receiver": "街道平安办（安监站）",
        "zero_text": "本月未发现安全隐患",
        "description": "每月开展安全检查，登记隐患、限期整改、验收销号，次月5日前报送。",
        "fields": [
            num("inspections", "开展安全检查（次）", records("safety/inspection"), kept=True),
            num("found", "排查出安全隐患（处）", cases(["hazard"])),
            num("rectified", "已整改（处）", cases(["hazard"], rectified=True)),
            num("major", "重大隐患（处）", cases(["hazard"], major_hazard=True)),
            text("measures", "未整改隐患的防范措施"),
        ],
    },
    {
        "code": "disability_quarterly",
        "name": "残疾人康复服务统计季报表",
        "area": "disability",
        "kinds": COMMUNITY,
        "cycle": "quarter",
        "due_day": 10,
        "due_lag": 1,
        "receiver": "街道残联",
        "description": "每季度末次月10日前报送残疾人康复服务开展情况。",
        "fields": [
            num("needs_survey", "康复需求入户调查（户次）", records("disability/needs_survey")),
            num("home_visits", "入户走访（次）", records("disability/home_visit")),
            num("helper_visits", "帮扶走访（次）", records("disability/helper_visit")),
            num("rehab_services", "康复服务（人次）", records("disability/rehab_service")),
            num("trainings", "康复培训（期）", records("disability/training")),
            num("referrals", "转诊转介（件）", cases(["referral"])),
            text("summary", "工作情况说明"),
        ],
    },
    {
        "code": "health_quarterly",
        "name": "健康教育工作季报表",
        "area": "health",
        "kinds": COMMUNITY,
        "cycle": "quarter",
        "due_day": 10,
        "due_lag": 1,
        "receiver": "区卫生健康局（健康教育所）",
        "description": "每季度末次月10日前报送健康教育活动开展情况和工作亮点。",
        "fields": [
            num("boards", "宣传栏更换（期）", records("health/board")),
            num("lectures", "健康讲座（次）", records("health/lecture")),
            num("consults", "义诊咨询（次）", records("health/consult")),
            num("materials", "发放资料（次）", records("health/materials")),
            num("theme_days", "主题宣传日活动（次）", records("health/theme_day")),
            num("videos", "播放音像资料（次）", records("health/video")),
            text("highlights", "工作亮点和成功做法"),
        ],
    },
    {
        "code": "education_annual",
        "name": "社区教育年度统计表",
        "area": "education",
        "kinds": COMMUNITY,
        "cycle": "year",
        "due_day": 15,
        "due_lag": 1,
        "receiver": "区社区教育学院",
        "description": "次年1月15日前报送全年社区教育统计。",
        "fields": [
            num("trainings", "举办培训班（期）", records("education/training")),
            num("lectures", "社区教育讲座（次）", records("education/lecture")),
            num("reading", "读书活动（次）", records("education/reading")),
            num("youth", "青少年校外教育活动（次）", records("education/youth")),
            num("training_rate", "居民培训率（%）", indicator("education_training_rate"), kind="decimal"),
            text("summary", "年度工作总结要点"),
        ],
    },
]


def load_forms(ReportForm, Area) -> int:
    """Create the forms not there yet (an administrator may have edited the others). Safe to run again."""
    areas = {a.code: a for a in Area.objects.all()}
    existing = set(ReportForm.objects.values_list("code", flat=True))
    made = 0
    for sort, spec in enumerate(FORMS, start=1):
        if spec["code"] in existing or spec["area"] not in areas:
            continue
        ReportForm.objects.create(**{**spec, "area": areas[spec["area"]], "sort": sort})
        made += 1
    return made
