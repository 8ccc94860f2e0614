"""Campaign days: each day's date in a given year, one task per campaign target and year, and the target counting
the campaign's records in the year's window."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from shequ.plans import campaigns, compliance, services
from shequ.plans.campaign_days import CampaignDay
from shequ.plans.compliance import State
from shequ.plans.models import Target, TargetKind, Task
from shequ.plans.tests.helpers import plan, record, target

pytestmark = pytest.mark.django_db


def test_each_day_falls_on_its_date_in_each_year():
    school = CampaignDay.objects.get(code="school-safety-day")  # the Monday of March's last week
    assert school.on(2025) == date(2025, 3, 31) and school.on(2026) == date(2026, 3, 30)
    assert CampaignDay.objects.get(code="disability-day").on(2026) == date(2026, 5, 17)  # May's third Sunday
    assert CampaignDay.objects.get(code="no-tobacco-day").window(2026) == (date(2026, 5, 17), date(2026, 5, 31))
    assert school.rule_text == "每年3月最后一个星期一"
    leap = CampaignDay(code="x", name="x", area_id=school.area_id, month=2, day=29)
    assert leap.on(2027) == date(2027, 2, 28)


def test_a_campaign_target_gets_one_task_a_year_and_the_years_dates(personas):
    p25 = plan(personas.community_a, year=2025, area_code="school")
    p26 = plan(personas.community_a, year=2026, area_code="school")
    t25 = target(p25, kind=TargetKind.DEADLINE, campaign="school-safety-day", due_month=3, due_day=31,
                 activity_codes=["school/lesson"])  # fmt: skip
    t26 = target(p26, kind=TargetKind.DEADLINE, campaign="school-safety-day", due_month=3, due_day=31,
                 activity_codes=["school/lesson"])  # fmt: skip
    other = target(p26, kind=TargetKind.DEADLINE, due_month=6, due_day=30, activity_codes=["school/lesson"])
    assert campaigns.make_tasks(2026) == {"tasks": 1, "refit": 1}
    assert campaigns.make_tasks(2026) == {"tasks": 0, "refit": 0}  # once a year per org and target
    assert campaigns.make_tasks(2025)["tasks"] == 1
    task = Task.objects.get(target=t26)
    assert (task.title, task.due, task.org) == ("全国中小学生安全教育日（3月30日）宣传活动", date(2026, 4, 3), p26.org)
    assert "3月24日至4月3日" in task.description
    t26.refresh_from_db()
    t25.refresh_from_db()
    assert (t26.due_month, t26.due_day, t26.window_days) == (4, 3, 10)
    assert (t25.due_month, t25.due_day, t25.window_days) == (4, 4, 10)
    assert not Task.objects.filter(target=other).exists()


def test_a_record_in_the_years_window_meets_the_campaign_target(personas):
    with time_machine.travel(datetime(2026, 5, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        p = plan(personas.community_a, year=2026, area_code="school")
        t = target(p, kind=TargetKind.DEADLINE, campaign="school-safety-day", due_month=3, due_day=31,
                   activity_codes=["school/lesson"])  # fmt: skip
        campaigns.make_tasks(2026)
        t.refresh_from_db()
        assert compliance.evaluate([t])[t.pk].state == State.FAIL
        record(personas.community_a, "school/lesson", date(2026, 4, 2), title="安全教育日主题班会")
        t = Target.objects.get(pk=t.pk)
        assert compliance.evaluate([t])[t.pk].state == State.OK


def test_saving_a_target_with_a_day_takes_the_days_dates_for_the_plans_year(personas):
    p = plan(personas.community_a, year=2026, area_code="health")
    t = services.target_save(actor=personas.admin, plan=p, title="全国助残日宣传", kind=TargetKind.DEADLINE,
                             campaign="disability-day", activity_codes=["health/lecture"])  # fmt: skip
    assert (t.due_month, t.due_day, t.window_days) == (5, 17, 14)


def test_the_calendar_shows_the_days_in_date_order_with_the_tasks_in_scope(personas, client_for):
    p = plan(personas.community_a, year=2026, area_code="health")
    target(p, kind=TargetKind.DEADLINE, campaign="no-tobacco-day", due_month=5, due_day=31,
           activity_codes=["health/lecture"])  # fmt: skip
    campaigns.make_tasks(2026)
    mine = client_for(personas.worker_a).get(reverse("plans:campaigns"), {"year": 2026}).content.decode()
    assert mine.index("全国中小学生安全教育日") < mine.index("世界无烟日") < mine.index("国家宪法日")
    assert "已完成0/1" in mine
    theirs = client_for(personas.worker_b).get(reverse("plans:campaigns"), {"year": 2026}).content.decode()
    assert "已完成0/1" not in theirs
