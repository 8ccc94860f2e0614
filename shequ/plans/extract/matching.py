"""Which line of work a plan is, and which activity type (or indicator) each target counts.

The activity types are the records catalogue (:mod:`shequ.records.catalogue`); the words that point to each
are its name plus the words plans use for it. A match names the type as "area/code" with a confidence:
the type's own name in the sentence is surer than a related word, and a type of the plan's own line of
work is surer than one of another line.
"""

from __future__ import annotations

import re
from functools import lru_cache

from shequ.records.catalogue import ACTIVITY_TYPES

AREA_NAMES = {
    "health": "健康教育",
    "selfgov": "居民自治",
    "disability": "残疾人康复",
    "safety": "平安建设",
    "school": "学校安全",
    "education": "社区教育",
}
AREA_WORDS: dict[str, list[str]] = {
    "health": [
        "健康教育",
        "健康知识",
        "健康素养",
        "健康行为",
        "宣传栏",
        "控烟",
        "无烟",
        "慢性病",
        "卫生",
        "义诊",
        "健康讲座",
        "传染病",
    ],
    "selfgov": ["自治", "议事", "协商", "居民会议", "居民代表", "居务公开", "监督员", "民情", "民意", "居委会", "评议"],
    "disability": ["残疾", "康复", "残联", "助残", "残协", "辅助器具", "五清"],
    "safety": ["平安", "综治", "矛盾纠纷", "治安", "维稳", "调解", "邪教", "巡逻", "信访", "社区矫正", "安置帮教"],
    "school": ["学校", "校园", "师生", "学生", "教职工", "班主任", "校长", "演练", "安全教育", "开学"],
    "education": [
        "社区教育",
        "学习型",
        "终身学习",
        "社区学校",
        "教育培训",
        "市民学校",
        "老年学校",
        "培训率",
        "社区学院",
    ],
}

# Words plans use for an activity type beyond its catalogue name: "area/code" -> words.
SYNONYMS: dict[str, list[str]] = {
    "health/board": ["更换", "宣传栏", "专栏", "橱窗", "板报", "黑板报", "宣传专栏", "宣传窗"],
    "health/lecture": ["健康讲座", "知识讲座", "健康教育讲座", "讲座", "健康大讲堂"],
    "health/consult": ["义诊", "咨询", "健康咨询"],
    "health/materials": ["宣传资料", "处方", "宣传单", "折页", "资料"],
    "health/video": ["宣传片", "音像", "视频"],
    "health/street": ["上街宣传", "广场宣传", "集中宣传"],
    "health/door": ["入户宣传"],
    "health/theme_day": ["无烟日", "卫生日", "宣传日", "主题日", "结核病日", "艾滋病日", "高血压日"],
    "health/meeting": ["办公会", "专题会", "专题研究"],
    "health/group_meeting": ["领导小组会议", "领导小组"],
    "health/staff_training": ["健康教育人员培训", "业务培训"],
    "health/report": ["信息报送", "报送"],
    "selfgov/resident_meeting": ["居民会议", "居民代表会议", "代表会议"],
    "selfgov/council": ["议事会", "协商议事", "议事委员会", "议事"],
    "selfgov/committee_meeting": ["居委会会议", "工作例会"],
    "selfgov/review": ["民主评议", "评议"],
    "selfgov/opinion_board": ["交流栏", "民情", "意见箱", "诉求"],
    "selfgov/supervision": ["监督员", "巡查"],
    "selfgov/culture": ["文体", "文艺", "文化活动"],
    "selfgov/volunteer": ["志愿服务", "敲门行动", "走访"],
    "disability/group_meeting": ["领导小组会议", "领导小组"],
    "disability/needs_survey": ["需求调查", "入户调查", "需求评估", "评估", "建档立卡", "筛查"],
    "disability/home_visit": ["走访", "入户"],
    "disability/helper_visit": ["帮扶", "结对"],
    "disability/rehab_service": ["康复服务", "康复训练", "服务记录", "上门服务"],
    "disability/training": ["康复培训", "培训"],
    "disability/knowledge": ["康复知识", "科普", "讲座"],
    "disability/referral": ["转诊", "转介"],
    "disability/volunteer": ["助残志愿", "志愿者"],
    "disability/prevention": ["残疾预防", "早期发现", "筛查"],
    "safety/group_meeting": ["领导小组会议", "领导小组"],
    "safety/work_meeting": ["例会", "分析会", "形势分析", "推进会", "工作会议", "听取", "汇报", "联席会议"],
    "safety/screening": ["矛盾纠纷排查", "排查", "大排查", "纠纷"],
    "safety/mediation_day": ["调解日", "调解"],
    "safety/reception": ["接待日", "接访", "大接访"],
    "safety/visit": ["走访", "敲门"],
    "safety/patrol": ["巡逻", "巡防", "红袖标", "巡查"],
    "safety/inspection": ["安全检查", "隐患排查", "消防检查", "出租房屋"],
    "safety/risk_assessment": ["风险评估"],
    "safety/special_group": ["社区矫正", "帮教", "吸毒", "精神障碍"],
    "safety/floating": ["流动人口"],
    "safety/legal_publicity": ["法治宣传", "普法", "宣传专刊", "法律进社区", "宣传"],
    "safety/drill": ["演练", "实战演练"],
    "safety/accident": ["事故", "伤亡"],
    "safety/criminal_case": ["刑事案件", "治安案件", "发案", "犯罪"],
    "safety/mass_incident": ["群体性", "上访", "越级上访", "集体上访"],
    "school/group_meeting": ["安全工作会议", "领导小组", "安全会议"],
    "school/inspection": ["安全检查", "大检查", "隐患排查", "排查", "检修", "测试"],
    "school/drill": ["演练", "疏散"],
    "school/lesson": ["安全教育课", "班会", "安全课", "讲座", "安全知识培训"],
    "school/legal_lesson": ["法制教育课", "法制副校长", "普法"],
    "school/parent_contact": ["家长会", "家访", "告家长书"],
    "school/responsibility": ["责任书", "签约"],
    "school/campaign": ["活动月", "活动周", "活动日", "教育周"],
    "school/staff_training": ["教职工", "教师培训", "安全培训"],
    "school/screening": ["矛盾纠纷", "纠纷排查"],
    "school/accident": ["事故", "伤亡"],
    "school/criminal_case": ["刑事案件", "治安灾害", "违法犯罪"],
    "education/training": ["培训", "培训班", "短期培训"],
    "education/lecture": ["讲座", "讲师团"],
    "education/remote": ["远程教育", "光盘", "网络教学"],
    "education/evaluation": ["学习型家庭", "学习型组织", "学习型单位", "评比", "评选"],
    "education/reading": ["读书"],
    "education/youth": ["青少年", "校外"],
    "education/meeting": ["例会", "工作会议"],
    "education/inspection": ["检查评估", "督查", "评估"],
    "education/teacher_training": ["社区教育工作者", "业务培训"],
}

# Indicators a rate reads: the named measure at the end of the words before the number.
INDICATOR_END = re.compile(
    r"(知晓率|形成率|覆盖率|满意率|满意度|安全感|参与率|参训率|培训率|答复率|化解率|成功率|办结率|入学率|就业率|建档率|"
    r"签订率|整改率|受益率|服务率|率|比例|覆盖面|人数|经费)"
)
LEAD_WORDS = re.compile(r"^(年底|年末|全年|今年|到年底|使|让|将|确保|力争|要|和|及|并|且|其)+")


def recognise_area(title: str, text: str) -> tuple[str, float]:
    """The line of work of a plan, from its title (weighted) and content; ("", 0) when nothing points."""
    scores: dict[str, float] = {}
    for area, words in AREA_WORDS.items():
        s = 0.0
        for w in words:
            s += 6 * title.count(w) + min(text.count(w), 12)
        s += 10 * title.count(AREA_NAMES[area])
        scores[area] = s
    total = sum(scores.values())
    best = max(scores, key=scores.get)
    if scores[best] == 0:
        return "", 0.0
    return best, round(scores[best] / total, 2)


@lru_cache(maxsize=1)
def _table() -> list[tuple[str, str, str, list[str]]]:
    """(code, name, area, words) for every catalogue type."""
    out = []
    for area, types in ACTIVITY_TYPES.items():
        for code, name, _desc, _extra in types:
            full = f"{area}/{code}"
            out.append((full, name, area, SYNONYMS.get(full, [])))
    return out


def match_activity(text: str, area: str) -> tuple[str, str, float]:
    """(area/code, type name, confidence) of the activity type ``text`` speaks of; ("", "", 0) if none."""
    best = ("", "", 0.0)
    for code, name, type_area, words in _table():
        score = 0.0
        if name in text:
            score = 0.9
        else:
            hits = [w for w in words if w in text]
            if hits:
                score = 0.55 + min(0.3, 0.06 * max(len(w) for w in hits))
        if not score:
            continue
        if area and type_area != area:
            score -= 0.35
        if score > best[2]:
            best = (code, name, round(score, 2))
    return best


def indicator(text: str, end: int) -> str:
    """The indicator a rate in ``text`` ending at ``end`` reads (知晓率 …), or ""."""
    before = text[:end]
    last = None
    for m in INDICATOR_END.finditer(before):
        last = m
    if last is None:
        return ""
    head = re.split(r"[,，;；:：、的(（]", before[max(0, last.start() - 12) : last.start()])[-1]
    return LEAD_WORDS.sub("", head + last.group(0))
