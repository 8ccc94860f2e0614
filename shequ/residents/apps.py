from shequ.accounts.roles import Perm
from shequ.core import registry


class ResidentsConfig(registry.ShequAppConfig):
    name = "shequ.residents"
    verbose_name = "居民档案"
    # Residents live in the administrative tree: a unit's staff (a school's) keeps no registry.
    nav = (
        registry.NavEntry(
            order=100,
            label="居民档案",
            url_name="residents:list",
            perm=Perm.VIEW,
            kinds=frozenset({"district", "street", "community", "grid"}),  # OrgKind values (models load later)
        ),
    )

    audit_actions = {
        "person.create": "登记居民",
        "person.update": "修改居民档案",
        "person.move": "居民迁移",
        "person.not_duplicate": "确认不是重复居民",
        "person.view": "查看居民档案",
        "person.view_id": "查看完整证件号",
        "person.view_sensitive": "查看敏感档案",
        "person.anonymise": "居民档案到期匿名化",
        "person.link_account": "关联居民端账号",
        "person.unlink_account": "解除居民端账号关联",
        "person.view_own_id": "居民查看本人完整证件号",
        "person.import": "导入居民",
        "person.import_upload": "上传居民导入文件",
        "person.import_mapping": "设置导入列对应",
        "person.import_discard": "放弃居民导入",
        "person.import_update": "导入更新居民",
        "household.create": "新建户",
        "household.update": "修改户信息",
        "household.move": "整户迁移",
        "profile.create": "新增专项档案",
        "profile.update": "修改专项档案",
        "profile.delete": "删除专项档案",
    }

    def ready(self):
        from shequ.residents import dashboard, demo, indicators, ledgers

        self.dashboard_cards = (registry.DashboardCards(order=60, cards=dashboard.resident_cards),)
        self.demo_steps = (registry.DemoStep(order=30, run=demo.residents_demo, add_arguments=demo.add_arguments),)
        self.ledgers = ledgers.LEDGERS
        self.nouns = indicators.NOUNS
        self.indicators = indicators.INDICATORS
