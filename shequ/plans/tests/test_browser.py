"""A worker on a phone (375 px) records a 宣传栏更换 with a photo through the records pages, and that
month of the 宣传栏 target turns 达标 on the calendar page."""

from __future__ import annotations

import pytest
from django.utils import timezone

from shequ.plans import services
from shequ.plans.models import PlanTemplate
from shequ.records.tests.test_browser import _login, record_board_change_on_phone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _month_state(page, month: int) -> str:
    cell = page.locator(f'tr[data-target="health-board-monthly"] td[data-month="{month}"]')
    return cell.get_attribute("data-state")


def test_board_change_recorded_on_a_phone_turns_the_month_green(browser, live_server, personas, artifacts):
    today = timezone.localdate()
    template = PlanTemplate.objects.get(org__isnull=True, code="ref-health")
    services.template_adopt(actor=personas.leader_a, template=template, org=personas.community_a, year=today.year)

    context = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        _login(page, live_server.url, personas.worker_a.username)
        page.goto(f"{live_server.url}/plans/compliance/?year={today.year}")
        assert _month_state(page, today.month) != "ok"
    finally:
        context.close()

    context, page = record_board_change_on_phone(
        browser, live_server, personas.worker_a, artifacts, title="第5期 控烟宣传", issue_no=5, prefix="plans"
    )
    try:
        page.goto(f"{live_server.url}/plans/compliance/?year={today.year}")
        page.wait_for_selector("#target-calendar svg")
        page.screenshot(path=str(artifacts / "plans-calendar-375.png"), full_page=True)
        assert _month_state(page, today.month) == "ok"
        assert page.locator('tr[data-target="health-board-monthly"]').get_by_text("达标").first.is_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"the calendar page scrolls sideways on a phone ({width}px)"
    finally:
        context.close()
