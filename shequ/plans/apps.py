from shequ.accounts.roles import Perm
from shequ.core import registry


class PlansConfig(registry.ShequAppConfig):
    name = "shequ.plans"
    verbose_name = "计划与指标"
    nav = (registry.NavEntry(order=70, label="计划与达标", url_name="plans:list", perm=Perm.VIEW),)

    def ready(self):
        from django.core import checks

        from shequ.audit.services import refusal_alerts
        from shequ.plans import alerts, dashboard, demo, ledgers
        from shequ.plans.indicators import registry as catalogue

        checks.register(catalogue.check_catalogue)

        self.dashboard_cards = (registry.DashboardCards(order=40, cards=dashboard.plan_cards),)
        # After the records: the targets' states are counted from the demo's records.
        self.demo_steps = (registry.DemoStep(order=20, run=demo.step),)
        self.ledgers = ledgers.LEDGERS
        # The audit log counts refusals; the bell is here.
        refusal_alerts.provide(alerts.refusal_burst)
