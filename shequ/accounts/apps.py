from shequ.accounts.roles import Perm
from shequ.core import registry


class AccountsConfig(registry.ShequAppConfig):
    """Users, memberships, roles and the permission door, and the administration pages: the org tree, the
    areas, the users, API tokens and the audit log."""

    name = "shequ.accounts"
    verbose_name = "账号"
    nav = (
        registry.NavEntry(order=10, label="组织架构", url_name="orgs:list", perm=Perm.VIEW),
        registry.NavEntry(order=20, label="工作条线", url_name="orgs:areas", perm=Perm.VIEW),
        registry.NavEntry(order=30, label="用户与任职", url_name="accounts:users", perm=Perm.MANAGE_USERS),
        registry.NavEntry(order=40, label="审计日志", url_name="audit:list", perm=Perm.VIEW_AUDIT),
        registry.NavEntry(order=50, label="API令牌", url_name="accounts:tokens", perm=Perm.VIEW),  # staff hold VIEW
    )

    def ready(self):
        from shequ.accounts import dashboard, demo, middleware
        from shequ.audit.services import acting_org

        self.dashboard_cards = (
            registry.DashboardCards(order=10, cards=dashboard.org_cards),
            registry.DashboardCards(order=20, cards=dashboard.user_cards),
        )
        # The demo district's tree and accounts come first: every other step builds on them.
        self.demo_steps = (registry.DemoStep(order=0, run=demo.step, add_arguments=demo.add_arguments),)
        # The audit log sits below accounts: it learns from here which org an actor acts for outside a request.
        acting_org.provide(middleware.default_org_id)
