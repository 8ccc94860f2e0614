from shequ.accounts.roles import Perm
from shequ.core import registry


class ReportsConfig(registry.ShequAppConfig):
    name = "shequ.reports"
    verbose_name = "信息报送"
    nav = (
        registry.NavEntry(
            order=85,  # after 事项办理: the reports sum up the cases
            label="信息报送",
            url_name="reports:index",
            perm=Perm.VIEW,
            roles=frozenset({"admin", "leader", "worker", "inspector"}),  # Role values (models load later)
            kinds=frozenset({"district", "street", "community"}),
        ),
    )
    audit_actions = {
        "report.submit": "报送报表",
        "report.resubmit": "重新报送报表",
        "report.accept": "接收报表",
        "report.return": "退回报表",
        "report.escalate": "督办报表",
    }

    def ready(self):
        from shequ.reports import dashboard, demo, escalation, indicators, ledgers, reminders

        self.dashboard_cards = (registry.DashboardCards(order=47, cards=dashboard.report_cards),)

        self.noun_conditions = indicators.NOUN_CONDITIONS
        self.ledgers = ledgers.LEDGERS
        # After the records and cases the reports are pre-filled from.
        self.demo_steps = (registry.DemoStep(order=46, run=demo.step),)
        self.reminders = (reminders.owed_reports, escalation.escalations)
