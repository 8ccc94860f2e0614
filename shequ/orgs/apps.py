from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "shequ.orgs"
    verbose_name = "组织"
