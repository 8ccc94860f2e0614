from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils.dateparse import parse_date

from shequ.plans import reminders


class Command(BaseCommand):
    help = "Compute reminders (tasks due soon or overdue, targets at risk) for every user; run it daily."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=reminders.DEFAULT_DAYS, help="tasks due within N days")
        parser.add_argument("--date", default="", help="compute as of this date (YYYY-MM-DD), default today")
        parser.add_argument("--enqueue", action="store_true", help="enqueue the task for the worker instead")

    def handle(self, *args, **options):
        if options["enqueue"]:
            result = reminders.refresh_reminders.enqueue(days=options["days"])
            self.stdout.write(f"已加入任务队列：{result.id}")
            return
        counts = reminders.refresh(today=parse_date(options["date"]) if options["date"] else None, days=options["days"])
        self.stdout.write(f"提醒已更新：新增 {counts['added']}，移除 {counts['removed']}，当前 {counts['current']}。")
