from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "shequ.records"
    verbose_name = "工作记录"
