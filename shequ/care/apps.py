from shequ.accounts.roles import Perm
from shequ.core import registry


class CareConfig(registry.ShequAppConfig):
    name = "shequ.care"
    verbose_name = "帮扶服务"
    # People under care live in communities and their grids: the lists are for those who see them.
    nav = (
        registry.NavEntry(
            order=76,
            label="帮扶走访",
            url_name="care:due",
            perm=Perm.VIEW,
            kinds=frozenset({"district", "street", "community", "grid"}),  # OrgKind values (models load later)
        ),
    )
    # The helper's own page, on the residents' side (a volunteer sees no worker page).
    portal_links = (registry.NavEntry(order=10, label="我的帮扶对象", url_name="care:mine", perm=Perm.LOG_CARE),)
    audit_actions = {
        "care.pair_create": "结成帮扶对子",
        "care.pair_end": "解除帮扶对子",
        "care.visit": "登记帮扶走访",
        "care.schedule": "修改走访周期",
        "care.assessment": "入户需求调查",
        "care.need": "更新需求状态",
        "care.plan": "制定服务计划",
    }

    def ready(self):
        from shequ.care import counts, dashboard, demo, indicators, ledgers, selectors_person

        self.dashboard_cards = (registry.DashboardCards(order=43, cards=dashboard.care_cards),)
        self.kept_figures = (counts.refresh,)  # 本月未走访 per community, for the street's and district's card
        # After the residents (people under care come from the registry) and the records' year.
        self.demo_steps = (registry.DemoStep(order=43, run=demo.step),)
        self.ledgers = ledgers.LEDGERS
        self.nouns = indicators.NOUNS
        self.indicators = indicators.INDICATORS
        self.noun_conditions = indicators.NOUN_CONDITIONS
        self.person_panels = (registry.PersonPanel(order=5, title="帮扶走访", rows=selectors_person.person_care),)
