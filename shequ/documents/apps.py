from shequ.accounts.roles import Perm
from shequ.core import registry


class DocumentsConfig(registry.ShequAppConfig):
    name = "shequ.documents"
    verbose_name = "制度文件"
    nav = (
        registry.NavEntry(
            order=78,
            label="制度文件",
            url_name="documents:list",
            perm=Perm.VIEW,
            kinds=frozenset({"district", "street", "community", "unit"}),  # OrgKind values (models load later)
        ),
    )
    audit_actions = {
        "document.register": "登记制度文件",
        "document.version": "修订制度文件",
        "document.withdraw": "废止制度文件",
    }

    def ready(self):
        from shequ.documents import dashboard, demo, indicators, reminders

        self.dashboard_cards = (registry.DashboardCards(order=46, cards=dashboard.document_cards),)
        self.demo_steps = (registry.DemoStep(order=42, run=demo.step),)
        self.nouns = indicators.NOUNS
        self.indicators = indicators.INDICATORS
        self.reminders = (reminders.due_for_review,)
