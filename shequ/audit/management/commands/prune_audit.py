from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from shequ.audit.chain import prune


class Command(BaseCommand):
    help = (
        "Delete audit rows older than --days (never fewer than the 180-day retention); an anchor row keeps the "
        "hash of the last row deleted, so audit_verify still checks the rest."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, required=True)

    def handle(self, *args, days: int, **options):
        if days < settings.AUDIT_RETENTION_DAYS:
            raise CommandError(f"审计日志至少保留{settings.AUDIT_RETENTION_DAYS}天，--days 不能小于该值。")
        deleted = prune(timezone.now() - timedelta(days=days))
        self.stdout.write(f"deleted {deleted} audit rows older than {days} days")
