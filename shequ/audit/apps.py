from shequ.core import registry


class AuditConfig(registry.ShequAppConfig):
    """The append-only log and its one writer; the page that reads it is the accounts app's."""

    name = "shequ.audit"
    verbose_name = "审计"
