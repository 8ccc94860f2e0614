from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "shequ.core"
    verbose_name = "基础"

    def ready(self):
        from shequ.core import (
            checks,  # noqa: F401 - registers the deploy checks
            tasks,
        )

        tasks.connect()
