from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "shequ.accounts"
    verbose_name = "账号"
