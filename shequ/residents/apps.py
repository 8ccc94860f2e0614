from django.apps import AppConfig


class ResidentsConfig(AppConfig):
    name = "shequ.residents"
    verbose_name = "居民档案"
