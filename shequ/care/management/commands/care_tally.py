"""Write the year's visits due again (``care.tally``): run daily, so that the closed periods count for the visit
completion indicators, and after a bulk load."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from shequ.care import tally


class Command(BaseCommand):
    help = "重新统计帮扶对象各走访周期的应访、已访情况（每日运行）"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="统计这一年（默认本年）")

    def handle(self, *args, **options):
        year = options.get("year") or timezone.localdate().year
        n = tally.rebuild(year)
        self.stdout.write(f"已重新统计{year}年应访记录：{n} 行。")
