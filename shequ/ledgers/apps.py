from django.apps import AppConfig


class LedgersConfig(AppConfig):
    name = "shequ.ledgers"
    verbose_name = "台账报表"
    audit_actions = {"ledger.export": "导出台账"}

    def ready(self):
        from shequ.ledgers import audit

        # The audit log's ledger: accounts (the log's pages) sits below the ledger layer and cannot declare it.
        self.ledgers = audit.LEDGERS
