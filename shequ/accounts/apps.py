from shequ.accounts.roles import Perm, Role
from shequ.core import registry


class AccountsConfig(registry.ShequAppConfig):
    """Users, memberships, roles and the permission door, and the administration pages: the org tree, the
    areas, the users, API tokens and the audit log."""

    name = "shequ.accounts"
    verbose_name = "账号"
    nav = (
        # The tree is the administrators', the leaders' and the inspectors' to read; the others work inside it.
        registry.NavEntry(
            order=10,
            label="组织架构",
            url_name="orgs:list",
            perm=Perm.VIEW,
            roles=frozenset({Role.ADMIN, Role.LEADER, Role.INSPECTOR}),
        ),
        registry.NavEntry(order=20, label="工作条线", url_name="orgs:areas", perm=Perm.MANAGE_AREAS),
        registry.NavEntry(order=30, label="用户与任职", url_name="accounts:users", perm=Perm.MANAGE_USERS),
        registry.NavEntry(order=40, label="审计日志", url_name="audit:list", perm=Perm.VIEW_AUDIT),
        # API tokens are in the personal menu (the page shell), for the staff who may hold one.
    )

    audit_actions = {
        "auth.ip_throttled": "登录过于频繁被限制",
        "auth.mfa_codes": "生成恢复码",
        "auth.mfa_enrol": "绑定两步验证",
        "auth.mfa_failed": "两步验证失败",
        "auth.mfa_verify": "两步验证通过",
        "auth.refusal_burst": "频繁越权告警",
        "auth.unlock": "解锁账号",
        "auth.unlock_failed": "解锁账号失败",
        "user.create": "新建用户",
        "user.activate": "启用账号",
        "user.deactivate": "停用账号",
        "membership.add": "添加任职",
        "membership.change": "修改任职",
        "membership.end": "结束任职",
        "token.create": "创建API令牌",
        "token.revoke": "吊销API令牌",
        "org.create": "新建组织",
        "org.update": "修改组织",
        "org.move": "迁移组织",
        "org.retire": "撤销组织",
        "org.restore": "恢复组织",
        "area.create": "新建工作条线",
        "area.update": "修改工作条线",
        "admin.create": "后台新建",
        "admin.change": "后台修改",
        "admin.delete": "后台删除",
        "portal.register": "居民注册",
    }

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
