from shequ.accounts.roles import Perm
from shequ.core import registry


class DossierConfig(registry.ShequAppConfig):
    name = "shequ.dossier"
    verbose_name = "年度档案"
    nav = (
        registry.NavEntry(
            order=88,  # after 年终考核: the dossier files the year, the assessment included
            label="年度档案",
            url_name="dossier:index",
            perm=Perm.CLOSE_YEAR,
            roles=frozenset({"admin", "leader"}),  # Role values (models load later)
            kinds=frozenset({"district", "street", "community"}),
        ),
    )
    audit_actions = {
        "dossier.build": "生成年度档案",
        "dossier.download": "下载年度档案",
        "dossier.retry": "重试生成年度档案",
    }

    def ready(self):
        from shequ.dossier import demo, ledgers

        self.ledgers = ledgers.LEDGERS
        # After the assessment: the dossier files the whole year.
        self.demo_steps = (registry.DemoStep(order=48, run=demo.step, add_arguments=demo.add_arguments),)
