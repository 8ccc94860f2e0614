from shequ.accounts.roles import Perm
from shequ.core import registry


class RecordsConfig(registry.ShequAppConfig):
    name = "shequ.records"
    verbose_name = "工作记录"
    nav = (registry.NavEntry(order=60, label="工作记录", url_name="records:list", perm=Perm.VIEW),)

    def ready(self):
        from shequ.records import dashboard, demo, demo_signins, indicators, ledgers

        self.dashboard_cards = (registry.DashboardCards(order=30, cards=dashboard.record_cards),)
        self.demo_steps = (
            registry.DemoStep(order=10, run=demo.step, add_arguments=demo.add_arguments),
            # After the residents: who signed in to the records.
            registry.DemoStep(order=35, run=demo_signins.step),
        )
        self.ledgers = ledgers.LEDGERS
        self.nouns = indicators.NOUNS
        self.noun_conditions = indicators.NOUN_CONDITIONS
        self.indicators = indicators.INDICATORS
