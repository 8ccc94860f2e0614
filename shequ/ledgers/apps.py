from django.apps import AppConfig


class LedgersConfig(AppConfig):
    name = "shequ.ledgers"
    verbose_name = "台账报表"
