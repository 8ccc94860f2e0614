"""A community's monthly dispute report on a phone (375 px): the worker opens March's report pre-filled from the
cases registered, completes it and submits it; the street returns it with a reason; the worker corrects and
resubmits it; the street accepts it; the completeness grid shows it on time, and January's as missing."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from shequ.testing.browser import login as browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}


def _assert_fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{page.url} scrolls sideways on a phone ({width}px)"


def _context(browser):
    context = browser.new_context(**PHONE)
    context.set_default_timeout(120_000)  # a shared, busy test machine
    return context


@time_machine.travel(datetime(2026, 4, 3, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True)
def test_a_monthly_report_is_submitted_prefilled_returned_resubmitted_and_accepted(
    browser, live_server, personas, artifacts
):
    from shequ.cases.tests.helpers import make_case
    from shequ.reports.models import State, Submission

    p = personas
    make_case(p.worker_a, p.community_a, registered_on=date(2026, 3, 10))
    make_case(p.worker_a, p.grid_a, registered_on=date(2026, 3, 17))
    base = live_server.url
    worker = _context(browser).new_page()
    street = _context(browser).new_page()
    try:
        browser_login(worker, base, p.worker_a.username)
        worker.goto(f"{base}/reports/dispute_monthly/{p.community_a.pk}/2026/3/")
        expect(worker.locator("#id_screened")).to_have_value("2")  # the two disputes registered in March
        worker.fill("#id_prevented_criminal", "0")
        worker.fill("#id_prevented_petition", "1")
        worker.fill("#id_summary", "邻里漏水纠纷两起，均已调处。")
        _assert_fits(worker)
        worker.screenshot(path=str(artifacts / "reports-fill-375.png"), full_page=True)
        worker.get_by_test_id("submit-report").click()
        expect(worker.get_by_test_id("report-state")).to_contain_text("已报送")

        browser_login(street, base, p.supervisor.username)
        sub = Submission.objects.get()
        street.goto(f"{base}/reports/s/{sub.pk}/")
        street.fill("#id_reason", "调处数应与调解登记一致，请核实。")
        street.get_by_test_id("return").click()
        expect(street.get_by_test_id("report-state")).to_contain_text("已退回")

        worker.goto(f"{base}/reports/s/{sub.pk}/")
        worker.get_by_test_id("resubmit").click()
        expect(worker.get_by_test_id("returned")).to_contain_text("调处数应与调解登记一致")
        expect(worker.locator("#id_prevented_petition")).to_have_value("1")  # what was submitted, to correct
        worker.fill("#id_mediated", "1")
        worker.get_by_test_id("submit-report").click()
        expect(worker.get_by_test_id("report-values")).to_contain_text("已修改")  # 调处 typed over the computed 0

        street.goto(f"{base}/reports/s/{sub.pk}/")
        street.get_by_test_id("accept").click()
        expect(street.get_by_test_id("report-state")).to_contain_text("已接收")
        expect(street.get_by_test_id("report-history")).to_contain_text("重新报送")

        street.goto(f"{base}/reports/?form=dispute_monthly&year=2026")
        row = street.locator('[data-testid=report-grid] tr[data-org="社区A"]')
        expect(row.locator("td").nth(2)).to_have_text("按时")  # March's: first submitted on 3 April, due on 5 April
        # January's: due on 5 February, never reported, and pressed (督办) since
        expect(row.locator("td").nth(0)).to_have_text("缺报 督办")
        street.screenshot(path=str(artifacts / "reports-grid-375.png"), full_page=True)
        sub.refresh_from_db()
        assert sub.state == State.ACCEPTED and sub.revision == 2
        assert list(sub.events.values_list("kind", flat=True)) == ["submit", "return", "resubmit", "accept"]
    finally:
        worker.context.close()
        street.context.close()
