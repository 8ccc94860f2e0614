from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "shequ.portal"
    verbose_name = "居民端"
