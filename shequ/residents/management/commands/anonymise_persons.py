from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Anonymise the persons who moved away or died more than RESIDENTS_RETENTION_YEARS years ago (run daily); "
        "each is written to the audit log."
    )

    def handle(self, *args, **options):
        from shequ.residents import retention

        done = retention.anonymise_expired()
        years = settings.RESIDENTS_RETENTION_YEARS
        if options.get("verbosity", 1):
            message = f"已匿名化迁出或死亡满{years}年的居民档案 {done} 份。" if years > 0 else "未设置保存年限。"
            self.stdout.write(message)
