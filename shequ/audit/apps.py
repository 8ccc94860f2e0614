from shequ.accounts.roles import Perm
from shequ.core import registry


class AuditConfig(registry.ShequAppConfig):
    name = "shequ.audit"
    verbose_name = "审计"
    nav = (registry.NavEntry(order=40, label="审计日志", url_name="audit:list", perm=Perm.VIEW_AUDIT),)
