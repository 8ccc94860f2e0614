from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "shequ.cases"
    verbose_name = "事项"

    def ready(self):
        from shequ.cases import vetoes  # noqa: F401 - registers cases as a source of veto events
