"""The workbench on a phone and at a desk, for a worker and a street leader: nothing scrolls sideways at 375 px,
the links lead where the work is done, and screenshots are kept for review."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from shequ.plans.models import Task
from shequ.plans.tests.helpers import plan, record, target
from shequ.testing.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SIZES = {
    375: {"viewport": {"width": 375, "height": 812}, "is_mobile": True},
    1280: {"viewport": {"width": 1280, "height": 900}},
}


def _data(p):
    today = timezone.localdate()
    for org, done in ((p.community_a, 1), (p.community_b, 6)):
        pl = plan(org, year=today.year)
        target(pl, code="lecture", title="健康知识讲座 全年至少9次", kind="count", activity_codes=["health/lecture"],
               period="year", min_per_year=9)  # fmt: skip
        target(pl, code="board", title="宣传栏更换 每月1次", kind="count", activity_codes=["health/board"],
               period="month", min_per_period=1)  # fmt: skip
        for i in range(done):
            record(org, "health/lecture", date(today.year, 1 + i, 12))
        for m in range(1, today.month):
            record(org, "health/board", date(today.year, m, 5))
    Task.objects.create(org=p.community_a, year=today.year, title="更新困难群众档案", due=today - timedelta(2))


def test_the_workbench_fits_a_phone_and_a_desk_for_a_worker_and_a_street_leader(
    browser, live_server, personas, artifacts
):
    _data(personas)
    for who, user in (("worker", personas.worker_a), ("street-leader", personas.supervisor)):
        for width, size in SIZES.items():
            page = browser.new_context(**size).new_page()
            login(page, live_server.url, user.username)
            page.goto(f"{live_server.url}/")
            assert page.locator("h1").inner_text() == "工作台"
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            page.screenshot(path=str(artifacts / f"workbench-{who}-{width}.png"), full_page=True)
            if who == "street-leader":
                page.get_by_role("link", name="社区A", exact=True).first.click()  # the ranking, not an alert
                page.wait_for_load_state()
                assert "/plans/overview/?org=" in page.url
            page.context.close()
