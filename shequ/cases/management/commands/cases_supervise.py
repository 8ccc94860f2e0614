from __future__ import annotations

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Raise the 督办 level of late cases (run daily). --enqueue hands it to the task worker instead."

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true", help="enqueue the django-tasks job instead of running")

    def handle(self, *args, enqueue: bool = False, **options):
        if enqueue:
            from shequ.cases.tasks import supervision_sweep_task

            result = supervision_sweep_task.enqueue()
            self.stdout.write(f"已排入任务队列：{result.id}")
            return
        from shequ.cases.services import supervision_sweep

        out = supervision_sweep()
        self.stdout.write(f"检查{out['checked']}件，升级督办{out['raised']}件：{out['by_level']}")
