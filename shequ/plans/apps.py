from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "shequ.plans"
    verbose_name = "计划与指标"
