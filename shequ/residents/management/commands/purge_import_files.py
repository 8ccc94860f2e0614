from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Delete the uploaded residents-import files that must not be kept (run daily): those of finished jobs, every "
        "one older than RESIDENTS_IMPORT_RETENTION_DAYS, and files no job refers to. --enqueue hands it to the task "
        "worker instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true", help="enqueue the django-tasks job instead of running")

    def handle(self, *args, enqueue: bool = False, **options):
        from shequ.residents.imports import jobs

        if enqueue:
            result = jobs.purge_import_files_task.enqueue()
            self.stdout.write(f"已排入任务队列：{result.id}")
            return
        out = jobs.purge_import_files()
        self.stdout.write(
            f"已删除导入文件：已结束的{out['finished']}个，超过{settings.RESIDENTS_IMPORT_RETENTION_DAYS}天的"
            f"{out['expired']}个，无主的{out['orphans']}个；补加密{out['sealed']}个。"
        )
