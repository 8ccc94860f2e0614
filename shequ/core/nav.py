"""The navigation of the worker side: one table, filtered by what the user may do.

Each entry: (label, url name, permission needed somewhere in the user's grants or None).
Later parts add their entries here; an entry whose URL does not exist yet is skipped.
"""

from __future__ import annotations

from shequ.accounts.roles import Perm

NAV: list[tuple[str, str, str | None]] = [
    ("工作台", "dashboard", None),
    ("组织架构", "orgs:list", Perm.VIEW),
    ("工作条线", "orgs:areas", Perm.VIEW),
    ("用户与任职", "accounts:users", Perm.MANAGE_USERS),
    ("审计日志", "audit:list", Perm.VIEW_AUDIT),
    ("API令牌", "accounts:tokens", Perm.VIEW),
    ("工作记录", "records:list", Perm.VIEW),
]
NAV.append(("计划与达标", "plans:list", Perm.VIEW))
NAV.append(("事项办理", "cases:inbox", Perm.VIEW))
NAV.append(("居民端", "portal:mine", Perm.REPORT_CASE))
NAV.append(("居民档案", "residents:list", Perm.VIEW))
