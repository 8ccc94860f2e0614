from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Anonymise the persons who moved away or died more than RESIDENTS_RETENTION_YEARS years ago, and the copies "
        "of their details kept on cases (run daily; --enqueue hands it to the task worker); each is written to the "
        "audit log."
    )

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true", help="enqueue the django-tasks job instead of running")

    def handle(self, *args, enqueue: bool = False, **options):
        from shequ.residents import retention, tasks

        if enqueue:
            result = tasks.anonymise_persons_task.enqueue()
            self.stdout.write(f"已加入任务队列：{result.id}")
            return
        done = retention.anonymise_expired()
        years = settings.RESIDENTS_RETENTION_YEARS
        if options.get("verbosity", 1):
            message = f"已匿名化迁出或死亡满{years}年的居民档案 {done} 份。" if years > 0 else "未设置保存年限。"
            self.stdout.write(message)
