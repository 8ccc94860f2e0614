from shequ.accounts.roles import Perm
from shequ.core import registry


class LettersConfig(registry.ShequAppConfig):
    name = "shequ.letters"
    verbose_name = "责任书"
    nav = (
        registry.NavEntry(
            order=77,
            label="责任书",
            url_name="letters:list",
            perm=Perm.VIEW,
            kinds=frozenset({"district", "street", "community", "unit"}),  # OrgKind values (models load later)
        ),
    )
    audit_actions = {
        "letter.issue": "发出责任书",
        "letter.sign": "签订责任书",
    }

    def ready(self):
        from shequ.letters import dashboard, demo, indicators, ledgers

        self.dashboard_cards = (registry.DashboardCards(order=44, cards=dashboard.letter_cards),)
        # After the groups (the school's and the communities' staff are there by then).
        self.demo_steps = (registry.DemoStep(order=41, run=demo.step),)
        self.ledgers = ledgers.LEDGERS
        self.nouns = indicators.NOUNS
        self.indicators = indicators.INDICATORS
