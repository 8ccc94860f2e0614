"""Enumerations of the case types (domain-formats §3, §7): stored codes are the Chinese labels' keys."""

from __future__ import annotations

from django.db import models


class CaseKind(models.TextChoices):
    """Which type-specific fields a case type carries (its detail model and category list)."""

    DISPUTE = "dispute", "矛盾纠纷"
    HAZARD = "hazard", "安全隐患"
    OPINION = "opinion", "民情民意"
    MONITOR = "monitor", "监督员上报"
    REFERRAL = "referral", "转诊转介"
    ACCIDENT = "accident", "安全事故"
    GENERAL = "general", "一般事项"


class CaseState(models.TextChoices):
    REGISTERED = "registered", "待受理"
    HANDLING = "handling", "办理中"
    REFERRED = "referred", "已转介"
    RECEIVED = "received", "已接收"
    REFUSED = "refused", "已拒绝"
    COMPLETED = "completed", "已完成"
    RESOLVED = "resolved", "已办结"
    EVALUATED = "evaluated", "已回访评价"
    ARCHIVED = "archived", "已归档"
    RETURNED = "returned", "已退回"


# A case in one of these states is still someone's work: it can be overdue and supervised.
OPEN_STATES = frozenset(
    {
        CaseState.REGISTERED,
        CaseState.HANDLING,
        CaseState.REFERRED,
        CaseState.RECEIVED,
        CaseState.REFUSED,
        CaseState.COMPLETED,
    }
)
CLOSED_STATES = frozenset(CaseState) - OPEN_STATES
# 办结 or later: counts as closed for "time to close" and for the ledgers' 办结 columns.
DONE_STATES = frozenset({CaseState.RESOLVED, CaseState.EVALUATED, CaseState.ARCHIVED})


class Supervision(models.TextChoices):
    """督办 level; raised by time limits (daily job) or by a leader."""

    NONE = "", "无"
    NORMAL = "normal", "普通督办"
    YELLOW = "yellow", "黄牌督办"
    RED = "red", "红牌督办"


SUPERVISION_RANK = {Supervision.NONE: 0, Supervision.NORMAL: 1, Supervision.YELLOW: 2, Supervision.RED: 3}


class Channel(models.TextChoices):
    """How the case reached the system."""

    STAFF = "staff", "工作人员登记"
    PORTAL = "portal", "居民端"
    MONITOR = "monitor", "监督员上报"


class EntryKind(models.TextChoices):
    """A handling step (办理记录)."""

    MEDIATION = "mediation", "调解"
    RECTIFY = "rectify", "整改"
    VISIT = "visit", "走访"
    REPLY = "reply", "答复"
    RETURN_VISIT = "return_visit", "回访"
    NOTE = "note", "办理记录"


# Categories per kind (stored as the Chinese word itself: short, stable and readable in exports).
DISPUTE_CATEGORIES = [
    "婚姻家庭",
    "邻里",
    "房屋宅基地",
    "合同",
    "生产经营",
    "损害赔偿",
    "山林土地",
    "征地拆迁",
    "环境污染",
    "劳动争议",
    "消费",
    "医疗",
    "道路交通事故",
    "物业",
    "其他",
]
HAZARD_KINDS = ["校舍", "消防", "用电", "食品", "交通", "地质灾害", "溺水", "治安", "其他"]
OPINION_CATEGORIES = ["意见", "建议", "投诉", "咨询", "求助"]
MONITOR_CATEGORIES = ["环境卫生", "治安隐患", "安全隐患", "公共设施", "违章搭建", "其他"]
REFERRAL_NEEDS = ["康复医疗", "训练指导", "心理疏导", "辅助器具", "职业培训", "教育咨询", "其他"]
ACCIDENT_KINDS = ["交通", "溺水", "校舍设施", "体育活动", "食品", "校园伤害", "其他"]

CATEGORIES: dict[str, list[str]] = {
    CaseKind.DISPUTE: DISPUTE_CATEGORIES,
    CaseKind.HAZARD: HAZARD_KINDS,
    CaseKind.OPINION: OPINION_CATEGORIES,
    CaseKind.MONITOR: MONITOR_CATEGORIES,
    CaseKind.REFERRAL: REFERRAL_NEEDS,
    CaseKind.ACCIDENT: ACCIDENT_KINDS,
    CaseKind.GENERAL: [],
}
# Case types whose categories are their own rather than their kind's (the veto incidents share the
# accident's fields but not its categories).
TYPE_CATEGORIES: dict[str, list[str]] = {
    "major_incident": ["火灾", "交通", "安全生产", "治安灾害", "公共卫生", "其他"],
    "dispute_escalated": ["民转刑", "械斗", "极端行为", "其他"],
    "criminal_case": ["盗窃", "抢劫抢夺", "故意伤害", "诈骗", "其他"],
    "group_petition": ["集体上访", "越级上访", "其他"],
    "cult_incident": ["聚集滋事", "散发宣传品", "其他"],
    "staff_offence": ["违法", "犯罪"],
    # How a child with a (suspected) disability was found.
    "early_child": ["健康筛查", "家长报告", "工作人员发现", "其他"],
}
# The age (whole years on the day found) a child reported early may have: 0–6.
EARLY_CHILD_MAX_AGE = 6

# Severity (事故等级) and liability (责任认定) of an accident or incident, in the words the records use too.
LEVELS = ["一般", "较大", "重大", "特别重大"]
LIABILITY = ["待认定", "是", "否"]

CATEGORY_LABEL = {
    CaseKind.DISPUTE: "纠纷类型",
    CaseKind.HAZARD: "隐患类别",
    CaseKind.OPINION: "类别",
    CaseKind.MONITOR: "问题类别",
    CaseKind.REFERRAL: "需求类型",
    CaseKind.ACCIDENT: "事故类别",
    CaseKind.GENERAL: "类别",
}


class DisputeSource(models.TextChoices):
    SCREENING = "screening", "排查"
    VISIT = "visit", "来访"
    CALL = "call", "来电"
    TRANSFER = "transfer", "转办"
    GRID = "grid", "网格发现"


class RiskLevel(models.TextChoices):
    HIGH = "high", "高"
    MEDIUM = "medium", "中"
    LOW = "low", "低"


class MediationOutcome(models.TextChoices):
    NONE = "", "未调结"
    SUCCESS = "success", "调解成功"
    FAILED = "failed", "调解不成"


class PartyRole(models.TextChoices):
    APPLICANT = "applicant", "申请人"
    RESPONDENT = "respondent", "被申请人"
    PARTY = "party", "当事人"


class HazardLevel(models.TextChoices):
    ORDINARY = "ordinary", "一般"
    LARGER = "larger", "较大"
    MAJOR = "major", "重大"


PLACE_TYPES = ["学校", "住宅小区", "商铺", "道路", "河塘水域", "公共场所", "企业", "山体边坡", "其他"]


class RectifyState(models.TextChoices):
    """整改 state of a hazard, read off the case's lifecycle state."""

    PENDING = "pending", "未整改"
    IN_PROGRESS = "in_progress", "整改中"
    DONE = "done", "已整改待验收"
    SIGNED_OFF = "signed_off", "已销号"
    VOID = "void", "已退回"
