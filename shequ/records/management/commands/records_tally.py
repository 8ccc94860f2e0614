"""Count the records per org, line of work and month again (after a bulk load that bypassed the services)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from shequ.records import tallies


class Command(BaseCommand):
    help = "重新统计各组织各条线每月的工作记录数（批量导入数据后运行）"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="只统计这一年（默认全部）")

    def handle(self, *args, **options):
        n = tallies.rebuild(options.get("year"))
        self.stdout.write(f"已重新统计：{n} 行月度记录数。")
