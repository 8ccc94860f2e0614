"""Roles and what each may do: the one table that every permission check reads."""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    ADMIN = "admin", "系统管理员"
    LEADER = "leader", "领导(书记/主任)"
    WORKER = "worker", "专干"
    GRID = "grid", "网格员"
    INSPECTOR = "inspector", "督查"
    VOLUNTEER = "volunteer", "志愿者"
    MONITOR = "monitor", "监督员"
    RESIDENT = "resident", "居民"
    TEACHER = "teacher", "授课教师"


class Perm(models.TextChoices):
    VIEW = "view", "查看本辖区数据"
    MANAGE_ORGS = "manage_orgs", "管理组织"
    MANAGE_USERS = "manage_users", "管理用户"
    MANAGE_AREAS = "manage_areas", "管理工作条线"
    VIEW_AUDIT = "view_audit", "查看审计日志"
    EDIT_RESIDENTS = "edit_residents", "维护居民档案"
    VIEW_SENSITIVE = "view_sensitive", "查看完整敏感信息"
    IMPORT_DATA = "import_data", "导入数据"
    EDIT_PLANS = "edit_plans", "编制计划"
    PUBLISH_TEMPLATES = "publish_templates", "发布计划模板"
    RECORD_WORK = "record_work", "登记工作记录"
    MANAGE_TASKS = "manage_tasks", "分派任务"
    CLOSE_YEAR = "close_year", "年度关账"
    REOPEN_YEAR = "reopen_year", "重新开账"
    HANDLE_CASE = "handle_case", "办理事项"
    ASSIGN_CASE = "assign_case", "受理分派事项"
    APPROVE_CASE = "approve_case", "审批延期/督办"
    REPORT_CASE = "report_case", "上报事项"
    LOG_CARE = "log_care", "登记帮扶服务"
    EXPORT = "export", "导出台账"
    TEACH = "teach", "本人课程考勤"
    ENROL = "enrol", "报名社区课程"
    REVIEW_REPORT = "review_report", "审核下级报表"


_ALL = frozenset(Perm)
_WORK = frozenset(
    {
        Perm.VIEW,
        Perm.EDIT_RESIDENTS,
        Perm.IMPORT_DATA,
        Perm.EDIT_PLANS,
        Perm.RECORD_WORK,
        Perm.HANDLE_CASE,
        Perm.ASSIGN_CASE,
        Perm.REPORT_CASE,
        Perm.LOG_CARE,
        Perm.EXPORT,
    }
)

ROLE_PERMS: dict[str, frozenset[str]] = {
    Role.ADMIN: _ALL,
    Role.LEADER: _WORK
    | {
        Perm.VIEW_SENSITIVE,
        Perm.PUBLISH_TEMPLATES,
        Perm.MANAGE_TASKS,
        Perm.CLOSE_YEAR,
        Perm.APPROVE_CASE,
        Perm.REVIEW_REPORT,
    },
    Role.WORKER: _WORK | {Perm.VIEW_SENSITIVE, Perm.REVIEW_REPORT},
    Role.GRID: frozenset({Perm.VIEW, Perm.EDIT_RESIDENTS, Perm.RECORD_WORK, Perm.REPORT_CASE, Perm.HANDLE_CASE}),
    Role.INSPECTOR: frozenset({Perm.VIEW, Perm.EXPORT, Perm.VIEW_AUDIT}),
    Role.VOLUNTEER: frozenset({Perm.LOG_CARE, Perm.REPORT_CASE}),
    Role.MONITOR: frozenset({Perm.REPORT_CASE}),
    Role.RESIDENT: frozenset({Perm.REPORT_CASE, Perm.ENROL}),
    # A course's teacher (a lecturer of the pool with an account): the learners of their own courses only.
    Role.TEACHER: frozenset({Perm.TEACH}),
}

# Roles whose rights are limited to the work areas listed on the membership (专干 per line of work).
AREA_BOUND_ROLES = frozenset({Role.WORKER})

# Roles that are staff of the platform (they get the worker pages); the others use the public side.
STAFF_ROLES = frozenset({Role.ADMIN, Role.LEADER, Role.WORKER, Role.GRID, Role.INSPECTOR})


# What each role can do, in words, for the people who give roles (the user and membership forms).
ROLE_DESCRIPTIONS: dict[str, str] = {
    Role.ADMIN: "管理组织、用户、工作条线，查看审计日志，并可办理本辖区全部业务。只授予信息化管理员。",
    Role.LEADER: (
        "本单位及下级的全部业务：编制计划、分派任务、受理和审批事项、审核下级报表、年度关账、查看完整敏感信息。"
    ),
    Role.WORKER: (
        "所选条线的工作：登记工作记录、维护居民档案、编制计划、办理事项、报送和审核报表、导出台账。必须选择负责的条线。"
    ),
    Role.GRID: "本网格：维护网格内居民信息、登记走访等工作记录、上报和办理事项。",
    Role.INSPECTOR: "只读：查看本辖区数据和审计日志、导出台账，不能修改任何内容。",
    Role.VOLUNTEER: "登记帮扶服务，在居民端上报问题。看不到工作人员的页面。",
    Role.MONITOR: "在居民端上报问题（如环境卫生）并跟踪办理结果。看不到工作人员的页面。",
    Role.RESIDENT: "在居民端反映意见、查看答复和办理进度，报名社区教育课程。看不到工作人员的页面。",
    Role.TEACHER: "社区教育授课教师：只看到本人所授课程的学员，在手机上为本人课程考勤。看不到其他页面。",
}


def role_has(role: str, perm: str) -> bool:
    return perm in ROLE_PERMS.get(role, frozenset())
