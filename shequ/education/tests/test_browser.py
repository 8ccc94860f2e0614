"""On the residents' side a resident enrols in a course; on the day, its teacher takes the attendance on a phone
(375 px); the learner is then among those the training rate (培训率) counts in its numerator."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
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


def _phone(browser):
    context = browser.new_context(**PHONE)
    context.set_default_timeout(120_000)  # a shared, busy test machine
    return context, context.new_page()


def test_a_resident_enrols_the_teacher_takes_attendance_and_the_rate_counts_them(
    browser, live_server, personas, artifacts
):
    from shequ.education.models import Enrolment
    from shequ.education.tests.helpers import course, residents, school
    from shequ.plans.tests.helpers import plan, target

    a = personas.community_a
    resident = personas.resident
    resident.phone = "13900000009"
    resident.save()
    (me,) = residents(a, 1, born=date(1980, 2, 1), residence_status="changzhu", phone="13900000009")
    me.name = resident.name
    me.save()
    others = residents(a, 3, born=date(1980, 2, 1), residence_status="changzhu")
    c = course(personas.worker_a, school(a), title="智能手机使用班", days=[date(2026, 6, 3), date(2026, 6, 10)])
    p = plan(a, year=2026, area_code="education")
    t = target(p, kind="indicator", indicator="education_training_rate", population="adults", comparison="gte",
               threshold=Decimal(10), unit="%", title="社区居民教育培训率")  # fmt: skip
    base = live_server.url

    with time_machine.travel(datetime(2026, 5, 20, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True):
        context, page = _phone(browser)
        browser_login(page, base, resident.username)
        page.goto(f"{base}/education/open/")
        expect(page.get_by_test_id("open-courses")).to_contain_text("智能手机使用班")
        page.get_by_test_id(f"enrol-{c.pk}").click()
        expect(page.get_by_test_id(f"mine-{c.pk}")).to_have_text("已报名")
        _assert_fits(page)
        page.screenshot(path=str(artifacts / "education-enrol-375.png"), full_page=True)
        context.close()
    assert Enrolment.objects.get(course=c).person == me

    with time_machine.travel(datetime(2026, 6, 3, 19, 5, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True):
        context, page = _phone(browser)
        browser_login(page, base, c.teacher.user.username)
        expect(page.get_by_test_id("attend-today")).to_be_visible()
        _assert_fits(page)
        page.get_by_test_id("attend-today").click()
        page.get_by_label(me.name).check()
        _assert_fits(page)
        page.screenshot(path=str(artifacts / "education-attendance-375.png"), full_page=True)
        page.get_by_test_id("save-attendance").click()
        expect(page.get_by_test_id("taken")).to_be_visible()
        expect(page.get_by_label(me.name)).to_be_checked()
        context.close()

    with time_machine.travel(datetime(2026, 6, 4, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True):
        context, page = _phone(browser)
        browser_login(page, base, personas.worker_a.username)
        page.goto(f"{base}/plans/targets/{t.pk}/figures/numerator/")
        expect(page.locator("main")).to_contain_text(me.name)
        for other in others:
            expect(page.locator("main")).not_to_contain_text(other.name)
        _assert_fits(page)
        page.screenshot(path=str(artifacts / "education-rate-numerator-375.png"), full_page=True)
        context.close()
