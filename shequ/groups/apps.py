from shequ.accounts.roles import Perm
from shequ.core import registry


class GroupsConfig(registry.ShequAppConfig):
    name = "shequ.groups"
    verbose_name = "组织机构"
    # Groups are formed at a community, a street, a district or a unit; a grid's staff see none of them.
    nav = (
        registry.NavEntry(
            order=72,
            label="小组与会议",
            url_name="groups:list",
            perm=Perm.VIEW,
            kinds=frozenset({"district", "street", "community", "unit"}),  # OrgKind values (models load later)
        ),
    )
    audit_actions = {
        "group.create": "成立组织机构",
        "group.update": "修改组织机构",
        "group.term": "组织机构换届",
        "group.member_add": "添加组织机构成员",
        "group.member_leave": "组织机构成员退出",
        "meeting.create": "登记会议及签到",
        "meeting.signin": "修改会议签到",
        "meeting.resolution": "会议表决",
        "meeting.task": "决议分解为任务",
    }

    def ready(self):
        from shequ.groups import dashboard, demo, indicators, ledgers, selectors, signin

        self.dashboard_cards = (registry.DashboardCards(order=42, cards=dashboard.group_cards),)
        # After the residents (members come from the registry), the plans and the surveys.
        self.demo_steps = (registry.DemoStep(order=39, run=demo.step),)
        self.ledgers = ledgers.LEDGERS
        self.nouns = indicators.NOUNS
        self.indicators = indicators.INDICATORS
        self.person_panels = (registry.PersonPanel(order=10, title="担任职务的组织机构", rows=selectors.person_groups),)
        self.signin_followers = (signin.follow_record,)
        self.group_meetings = selectors.meeting_dates  # read by the plans' meeting targets
        self.board_sections = (registry.BoardSection(order=10, title="议事决议落实情况", items=selectors.board_items),)
