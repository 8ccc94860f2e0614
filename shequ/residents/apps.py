from shequ.accounts.roles import Perm
from shequ.core import registry


class ResidentsConfig(registry.ShequAppConfig):
    name = "shequ.residents"
    verbose_name = "居民档案"
    nav = (registry.NavEntry(order=100, label="居民档案", url_name="residents:list", perm=Perm.VIEW),)

    def ready(self):
        from shequ.residents import dashboard, demo, indicators, ledgers

        self.dashboard_cards = (registry.DashboardCards(order=60, cards=dashboard.resident_cards),)
        self.demo_steps = (registry.DemoStep(order=30, run=demo.residents_demo, add_arguments=demo.add_arguments),)
        self.ledgers = ledgers.LEDGERS
        self.nouns = indicators.NOUNS
        self.indicators = indicators.INDICATORS
