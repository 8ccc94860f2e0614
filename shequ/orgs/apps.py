from shequ.accounts.roles import Perm
from shequ.core import registry


class OrgsConfig(registry.ShequAppConfig):
    name = "shequ.orgs"
    verbose_name = "组织"
    nav = (
        registry.NavEntry(order=10, label="组织架构", url_name="orgs:list", perm=Perm.VIEW),
        registry.NavEntry(order=20, label="工作条线", url_name="orgs:areas", perm=Perm.VIEW),
    )

    def ready(self):
        from shequ.orgs import dashboard, demo

        self.dashboard_cards = (registry.DashboardCards(order=10, cards=dashboard.org_cards),)
        # The tree and the accounts come first: every other step builds on them.
        self.demo_steps = (registry.DemoStep(order=0, run=demo.step, add_arguments=demo.add_arguments),)
