from __future__ import annotations

from django.core.management.base import BaseCommand

from shequ.plans import campaigns


class Command(BaseCommand):
    help = "Make the year's campaign-day tasks (one per campaign target) and fit the targets to the year's dates."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=0, help="the plans' year, default this year")
        parser.add_argument("--enqueue", action="store_true", help="enqueue the task for the worker instead")

    def handle(self, *args, **options):
        if options["enqueue"]:
            result = campaigns.make_campaign_tasks.enqueue()
            self.stdout.write(f"已加入任务队列：{result.id}")
            return
        counts = campaigns.make_tasks(options["year"] or None)
        self.stdout.write(f"宣传日任务：新建 {counts['tasks']} 项，调整指标日期 {counts['refit']} 项。")
