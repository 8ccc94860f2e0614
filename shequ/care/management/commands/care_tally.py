"""The daily tally of visits due (``care.tally``): the periods closed since the last run and the persons whose care
changed since, so that the visit completion indicators count them; ``--full`` writes the whole year again (after a
bulk load)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from shequ.care import tally


class Command(BaseCommand):
    help = "统计帮扶对象各走访周期的应访、已访情况（每日运行；只重算上次以来结束的周期和有变动的对象）"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="统计这一年（默认本年）")
        parser.add_argument("--full", action="store_true", help="全年重新统计")
        parser.add_argument("--enqueue", action="store_true", help="交给任务队列执行")

    def handle(self, *args, **options):
        year = options.get("year") or timezone.localdate().year
        if options.get("enqueue"):
            from shequ.care.tasks import care_tally_task

            result = care_tally_task.enqueue(year=year, full=bool(options.get("full")))
            self.stdout.write(f"已排入任务队列：{result.id}")
            return
        if options.get("full"):
            out = {"full": True, "written": tally.rebuild(year), "persons": None}
        else:
            out = tally.refresh(year)
        what = "全年重新统计" if out["full"] else f"增量统计（变动对象{out['persons']}人）"
        self.stdout.write(f"{year}年应访记录：{what}，写入{out['written']}行。")
