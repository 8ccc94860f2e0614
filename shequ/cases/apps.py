from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "shequ.cases"
    verbose_name = "事项"
