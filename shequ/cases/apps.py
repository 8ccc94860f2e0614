from shequ.accounts.roles import Perm
from shequ.core import registry


class CasesConfig(registry.ShequAppConfig):
    name = "shequ.cases"
    verbose_name = "事项"
    nav = (registry.NavEntry(order=80, label="事项办理", url_name="cases:inbox", perm=Perm.VIEW),)

    def ready(self):
        from django.db.models.signals import post_migrate

        from shequ.cases import (
            anonymise,
            checks,
            dashboard,
            demo,
            indicators,
            kept,
            ledgers,
            person_panel,
            vetoes,
            workflow,
        )

        # A veto template that names a missing case type could never fail: stop the migration instead.
        post_migrate.connect(checks.check_veto_types, sender=self, dispatch_uid="cases.check_veto_types")

        self.audit_actions = {
            "case.register": "登记事项",
            "case.edit": "修改事项",
            "case.entry": "添加办理记录",
            "case.reply": "答复意见",
            "case.board_show": "在交流栏公开",
            "case.board_hide": "从交流栏撤下",
            "case.board_public": "修改交流栏公开内容",
            "case.limits_set": "设置办理时限",
            "case.limits_clear": "清除办理时限",
            "case.supervision_sweep": "超期自动督办",
            **{f"case.{action}": f"事项{label}" for action, label in workflow.ACTION_LABELS.items()},
        }
        # A resident anonymised by the registry's retention: the names and phones cases copied from them go too.
        self.person_copies = (anonymise.clear_person_copies,)
        # Cases of named types break the plans' veto targets (a school accident breaks the no-accident veto).
        self.veto_sources = (vetoes.cases_of_named_types,)
        self.dashboard_cards = (
            registry.DashboardCards(order=50, cards=dashboard.case_cards),
            registry.DashboardCards(order=5, cards=dashboard.case_actions),
        )
        # After the residents: cases name residents of the registry as parties.
        self.demo_steps = (registry.DemoStep(order=40, run=demo.step, add_arguments=demo.add_arguments),)
        # The dashboard's figures of streets and districts, worked out again by the scheduled plans_standings.
        self.kept_figures = (kept.refresh,)
        self.ledgers = ledgers.LEDGERS
        self.nouns = indicators.NOUNS
        self.indicators = indicators.INDICATORS
        # On a person's page: the cases they raised, are a party to, or were referred in.
        self.person_panels = (registry.PersonPanel(order=15, title="事项与转介", rows=person_panel.person_cases),)
