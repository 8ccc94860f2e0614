from shequ.accounts.roles import Perm
from shequ.core import registry


class AssessmentConfig(registry.ShequAppConfig):
    name = "shequ.assessment"
    verbose_name = "年终考核"
    nav = (
        registry.NavEntry(
            order=87,  # after 信息报送
            label="年终考核",
            url_name="assessment:index",
            perm=Perm.VIEW,
            roles=frozenset({"admin", "leader", "worker", "inspector"}),  # Role values (models load later)
            kinds=frozenset({"district", "street", "community"}),
        ),
    )
    audit_actions = {
        "assessment.start": "发起年终考核",
        "assessment.self_save": "保存考核自评",
        "assessment.review": "提交考核自评",
        "assessment.review_save": "保存考核审核意见",
        "assessment.confirm": "街道完成考核审核",
        "assessment.confirmed": "区级确认考核结果",
    }

    def ready(self):
        from shequ.assessment import demo, ledgers

        self.ledgers = ledgers.LEDGERS
        # After the reports: the year's records, cases and reports are all there.
        self.demo_steps = (registry.DemoStep(order=47, run=demo.step),)
