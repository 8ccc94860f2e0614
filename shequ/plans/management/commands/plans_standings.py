from __future__ import annotations

from django.core.management.base import BaseCommand

from shequ.plans.compliance import standings


class Command(BaseCommand):
    help = (
        "Work out and store every target's state for the year, and the figures other apps keep (care's 本月未走访 "
        "per community): the street and district dashboards read them; run it more often than "
        "PLANS_STANDING_MAX_AGE."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=0, help="the plans' year, default this year")
        parser.add_argument("--enqueue", action="store_true", help="enqueue the task for the worker instead")

    def handle(self, *args, **options):
        if options["enqueue"]:
            result = standings.refresh_standings.enqueue()
            self.stdout.write(f"已加入任务队列：{result.id}")
            return
        n = standings.refresh(options["year"] or None)
        self.stdout.write(f"指标状态：已更新 {n} 项。")
        for label, kept in standings.refresh_kept().items():
            self.stdout.write(f"{label}：已更新 {kept} 项数据。")
