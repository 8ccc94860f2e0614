from shequ.accounts.roles import Perm
from shequ.core import registry


class AccountsConfig(registry.ShequAppConfig):
    name = "shequ.accounts"
    verbose_name = "账号"
    nav = (
        registry.NavEntry(order=30, label="用户与任职", url_name="accounts:users", perm=Perm.MANAGE_USERS),
        registry.NavEntry(order=50, label="API令牌", url_name="accounts:tokens", perm=Perm.VIEW),
    )

    def ready(self):
        from shequ.accounts import dashboard

        self.dashboard_cards = (registry.DashboardCards(order=20, cards=dashboard.user_cards),)
