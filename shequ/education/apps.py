from shequ.accounts.roles import Perm, Role
from shequ.core import registry


class EducationConfig(registry.ShequAppConfig):
    name = "shequ.education"
    verbose_name = "社区教育"
    nav = (
        registry.NavEntry(
            order=74,
            label="社区教育",
            url_name="education:list",
            perm=Perm.VIEW,
            kinds=frozenset({"district", "street", "community"}),  # OrgKind values (models load later)
        ),
        registry.NavEntry(
            order=79,
            label="校历与安全教育",
            url_name="education:school_home",
            perm=Perm.VIEW,
            kinds=frozenset({"district", "street", "unit:school"}),  # a school's staff, and the offices above
        ),
        registry.NavEntry(
            order=73, label="我的课程", url_name="education:teach", perm=Perm.TEACH, roles=frozenset({Role.TEACHER})
        ),
        registry.NavEntry(
            order=91, label="社区课程报名", url_name="education:open", perm=Perm.ENROL, roles=frozenset({Role.RESIDENT})
        ),
    )
    audit_actions = {
        "education.lecturer": "加入讲师库",
        "education.course": "开设课程",
        "education.enrol": "课程报名",
        "education.withdraw": "退出课程",
        "education.attendance": "课程考勤",
        "education.calendar": "建立校历",
        "education.period": "修改校历",
        "education.period_delete": "删除校历时段",
        "education.checkin": "扫码签到",
        "education.learning_org": "列入学习型组织名册",
        "education.learning_evaluation": "学习型组织评估",
        "education.resource": "上传教学资源",
        "education.resource_delete": "删除教学资源",
    }

    def ready(self):
        from shequ.education import (
            calendars,
            dashboard,
            demo,
            indicators,
            learning_ledgers,
            ledgers,
            school_ledgers,
            schoolyear,
            selectors,
        )

        # After the residents (learners come from the registry), the records' sign-ins and the cases.
        self.demo_steps = (registry.DemoStep(order=45, run=demo.step),)
        self.dashboard_cards = (registry.DashboardCards(order=41, cards=dashboard.school_cards),)
        self.ledgers = ledgers.LEDGERS + school_ledgers.LEDGERS + learning_ledgers.LEDGERS
        self.school_calendars = calendars.school_calendars
        self.nouns = indicators.NOUNS
        self.indicators = schoolyear.INDICATORS + indicators.INDICATORS
        self.person_panels = (registry.PersonPanel(order=20, title="社区教育课程", rows=selectors.person_courses),)
