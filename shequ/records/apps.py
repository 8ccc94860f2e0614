from shequ.accounts.roles import Perm
from shequ.core import registry


class RecordsConfig(registry.ShequAppConfig):
    name = "shequ.records"
    verbose_name = "工作记录"
    nav = (registry.NavEntry(order=60, label="工作记录", url_name="records:list", perm=Perm.VIEW),)

    audit_actions = {
        "record.create": "登记工作记录",
        "record.update": "修改工作记录",
        "record.delete": "删除工作记录",
        "year.close": "年度关账",
        "year.reopen": "重新开账",
        "activity_type.create": "新建活动类型",
        "activity_type.update": "修改活动类型",
    }

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
