"""A helper's visit on a phone (375 px): the volunteer opens 本月未走访 (their own page), records a visit with a
photo and the guardian's confirmation, the person drops off the list, and the worker finds the visit on the
person's page."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from shequ.testing.browser import login as browser_login
from shequ.testing.files import image_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}


def _assert_fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{page.url} scrolls sideways on a phone ({width}px)"


@time_machine.travel(datetime(2026, 5, 15, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True)
def test_a_volunteer_records_a_visit_on_a_phone_and_the_person_drops_off_the_list(
    browser, live_server, personas, artifacts, tmp_path
):
    from shequ.care.tests.helpers import disabled, pair, visit, volunteer
    from shequ.records.models import Record

    due = disabled(personas.community_a, name="刘秀英", address="幸福家园3栋2单元")
    done = disabled(personas.community_a, name="陈建国")
    visit(personas.worker_a, done, date(2026, 5, 6))
    v = volunteer(personas.community_a, name="冯志愿")
    v.username = "care_volunteer"
    v.save(update_fields=["username"])
    pair(personas.worker_a, due, v)
    pair(personas.worker_a, done, v)
    photo = tmp_path / "visit.jpg"
    photo.write_bytes(image_bytes(size=(800, 600)))

    base = live_server.url
    context = browser.new_context(**PHONE)
    context.set_default_timeout(120_000)  # a shared, busy test machine
    page = context.new_page()
    try:
        browser_login(page, base, v.username)
        page.get_by_role("link", name="我的帮扶对象").click()
        pairs = page.get_by_test_id("my-pairs")
        expect(pairs).to_contain_text("刘秀英")
        expect(pairs).to_contain_text("2026年5月未走访")
        expect(pairs).to_contain_text("陈建国")
        _assert_fits(page)
        page.screenshot(path=str(artifacts / "care-mine-375.png"), full_page=True)

        page.get_by_test_id(f"visit-{due.pk}").click()
        page.get_by_label("服务内容").fill("上门指导肢体康复训练，检查扶手安装情况。")
        page.get_by_label("训练指导").check()
        page.locator("input[name=photos]").set_input_files(str(photo))
        page.get_by_label("服务对象确认").select_option("监护人签字确认")
        page.get_by_label("确认人").fill("刘小明")
        _assert_fits(page)
        page.screenshot(path=str(artifacts / "care-visit-form-375.png"), full_page=True)
        page.get_by_test_id("save").click()

        expect(page.get_by_text("已登记对刘秀英的走访。")).to_be_visible()
        pairs = page.get_by_test_id("my-pairs")
        expect(pairs.locator("li", has_text="刘秀英")).to_contain_text("2026年5月已走访")
        _assert_fits(page)
        page.screenshot(path=str(artifacts / "care-mine-after-375.png"), full_page=True)
        record = Record.objects.get(persons=due)
        assert record.photos.count() == 1 and record.extra["confirmer"] == "刘小明"

        # The worker's list no longer has her; her page shows the visit.
        worker = browser.new_context(**PHONE)
        worker.set_default_timeout(120_000)
        wpage = worker.new_page()
        browser_login(wpage, base, personas.worker_a.username)
        wpage.goto(f"{base}/care/")
        expect(wpage.get_by_test_id("due-list")).not_to_contain_text("刘秀英")
        wpage.goto(f"{base}/residents/{due.pk}/")
        expect(wpage.locator("body")).to_contain_text("2026年5月已走访")
        wpage.goto(f"{base}/care/persons/{due.pk}/")
        expect(wpage.get_by_test_id("visits")).to_contain_text("监护人签字确认（刘小明）")
        expect(wpage.get_by_test_id("visits")).to_contain_text("照片1张")
        _assert_fits(wpage)
        wpage.screenshot(path=str(artifacts / "care-person-375.png"), full_page=True)
        worker.close()
    finally:
        context.close()
