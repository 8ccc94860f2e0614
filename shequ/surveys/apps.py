from shequ.accounts.roles import Perm
from shequ.core import registry


class SurveysConfig(registry.ShequAppConfig):
    name = "shequ.surveys"
    verbose_name = "问卷调查"
    nav = (registry.NavEntry(order=75, label="问卷调查", url_name="surveys:list", perm=Perm.VIEW),)

    def ready(self):
        from shequ.surveys import dashboard, demo, indicators, ledgers

        self.dashboard_cards = (registry.DashboardCards(order=45, cards=dashboard.survey_cards),)
        # After the residents (the sample is drawn from the registry) and the plans.
        self.demo_steps = (registry.DemoStep(order=38, run=demo.step),)
        self.ledgers = ledgers.LEDGERS
        self.nouns = indicators.NOUNS
        self.indicators = indicators.INDICATORS
        self.audit_actions = {
            "survey.create": "新建问卷",
            "survey.question_add": "添加问卷题目",
            "survey.question_remove": "删除问卷题目",
            "survey.sample": "抽取调查样本",
            "survey.staff": "加入工作人员作答",
            "survey.open": "开始调查",
            "survey.close": "结束调查",
            "survey.respondent_mark": "标记调查对象",
            "survey.response": "录入问卷答卷",
            "survey.import": "导入问卷答卷",
        }
