from shequ.accounts.roles import Perm, Role
from shequ.core import registry


class PlansConfig(registry.ShequAppConfig):
    name = "shequ.plans"
    verbose_name = "计划与指标"
    # Grid workers record and report; plans and targets are the offices' (and the inspectors') line of work.
    nav = (
        registry.NavEntry(
            order=70,
            label="计划与达标",
            url_name="plans:list",
            perm=Perm.VIEW,
            roles=frozenset({Role.ADMIN, Role.LEADER, Role.WORKER, Role.INSPECTOR}),
        ),
    )

    audit_actions = {
        "plan.create": "新建计划",
        "plan.update": "修改计划",
        "plan.status": "变更计划状态",
        "plan.attach": "上传计划附件",
        "plan.adopt": "采用计划模板",
        "plan.import_start": "导入计划文件",
        "plan.import_adopt": "采用导入的计划",
        "plan.template_change": "按模板更新计划",
        "template.publish": "发布计划模板",
        "target.create": "新增指标",
        "target.update": "修改指标",
        "target.delete": "删除指标",
        "target.rate_entry": "填报指标数值",
        "task.create": "新建任务",
        "task.update": "修改任务",
        "task.status": "变更任务状态",
        "task.note": "登记任务进展",
        "task.evidence_add": "关联佐证记录",
        "task.evidence_remove": "移除佐证记录",
    }

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
