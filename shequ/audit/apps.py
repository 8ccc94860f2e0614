from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "shequ.audit"
    verbose_name = "审计"
