"""A supervisor reports a security hazard from a phone; the safety worker, on a phone too, takes it from the
inbox to 销号 in at most 12 interactions, and the supervisor follows it on the portal."""

from __future__ import annotations

import pytest

from shequ.accounts.roles import Role
from shequ.cases.models import Case
from shequ.orgs.models import Area
from shequ.testing.browser import login
from shequ.testing.factories import member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


class Counted:
    """The safety worker's page, counting every click, fill, choice and page opened."""

    def __init__(self, page):
        self.page, self.n = page, 0

    def click(self, selector: str) -> None:
        self.n += 1
        self.page.click(selector)
        self.page.wait_for_load_state()

    def fill(self, selector: str, text: str) -> None:
        self.n += 1
        self.page.fill(selector, text)


def test_monitor_hazard_reaches_the_safety_worker_and_is_signed_off_in_twelve_interactions(
    browser, live_server, personas, artifacts
):
    monitor = member(personas.community_a, Role.MONITOR, username="m_chen", name="陈监督")
    safety = member(personas.community_a, Role.WORKER, areas=[Area.objects.get(code="safety")], username="w_zhao")
    base = live_server.url

    # the supervisor reports a broken camera as 治安隐患 from the portal
    mpage = browser.new_context(**PHONE).new_page()
    login(mpage, base, monitor.username, "/p/new/")
    mpage.check("input[name=case_type][value=monitor]")
    mpage.select_option("#id_category", "治安隐患")
    mpage.fill("#id_title", "北门监控探头损坏")
    mpage.fill("#id_description", "北门出入口的监控探头画面黑屏,晚上有陌生人出入。")
    mpage.click("button[type=submit]")
    mpage.wait_for_load_state()
    case = Case.objects.select_related("case_type", "area").get(title="北门监控探头损坏")
    assert (case.case_type.code, case.area.code) == ("hazard", "safety")

    # the safety worker, on a phone, from the inbox to 销号
    page = browser.new_context(**PHONE).new_page()
    login(page, base, safety.username)
    w = Counted(page)
    w.click("button.navbutton")  # the phone's menu
    w.click("nav a[href='/cases/']")  # 事项办理
    w.click(f"a[href='/cases/{case.pk}/']")
    w.click("[data-testid=action-accept]")
    w.click("form[action$='/move/accept/'] button[type=submit]")  # 承办人 is already the worker
    assert page.get_by_test_id("case-state").inner_text() == "办理中"
    w.click("[data-testid=action-resolve]")
    w.fill("form[action$='/move/resolve/'] textarea[name=result]", "已报修,监控次日恢复。")
    w.fill("form[action$='/move/resolve/'] textarea[name=rectification_measures]", "更换北门监控探头。")
    w.click("form[action$='/move/resolve/'] button[type=submit]")
    assert page.get_by_test_id("case-state").inner_text() == "已办结"
    w.click("[data-testid=action-evaluate]")
    w.fill("form[action$='/move/evaluate/'] input[name=check_conclusion]", "现场复核,画面正常。")
    w.click("form[action$='/move/evaluate/'] button[type=submit]")  # 验收人 is already the worker
    assert page.get_by_test_id("case-state").inner_text() == "已回访评价"
    page.screenshot(path=str(artifacts / "cases-monitor-hazard-375.png"), full_page=True)
    assert w.n <= 12, w.n
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    case.refresh_from_db()
    assert case.owner_id == safety.pk and case.hazard.signed_off_at is not None

    # the supervisor still follows it on the portal
    mpage.goto(f"{base}/p/mine/{case.pk}/")
    assert mpage.get_by_test_id("case-state").inner_text() == "已回访评价"
