"""On a phone (375 px) a school's safety officer adds a term to the school calendar, sees the eight key prevention
items of the term, and opens a hazard case from a drill's problems in one step."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from shequ.education.tests.test_browser import _assert_fits, _phone
from shequ.testing.browser import login as browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_school_staff_edit_the_calendar_see_the_checklist_and_open_a_hazard_from_a_drill(
    browser, live_server, personas, artifacts
):
    from shequ.cases.models import Case
    from shequ.education.models import CalendarPeriod
    from shequ.education.tests.test_calendars import calendar, school
    from shequ.education.tests.test_schoolyear import drill, lesson, officer

    s = school(personas.street)
    calendar(s)
    me = officer(s)
    lesson(s, date(2026, 9, 15), "防溺水", "防交通事故")
    d = drill(s, date(2026, 10, 20), "消防疏散", problems="三楼安全出口指示灯不亮", evacuation=200)
    base = live_server.url

    with time_machine.travel(datetime(2026, 11, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True):
        context, page = _phone(browser)
        browser_login(page, base, me.username)
        page.goto(f"{base}/education/school/")
        expect(page.get_by_test_id("checklist").first).to_contain_text("2026年秋季学期")
        expect(page.get_by_test_id("taught").first).to_have_text("已教育 2/8")
        expect(page.get_by_test_id("drilled").first).to_have_text("已演练 1/7")
        _assert_fits(page)

        page.get_by_test_id("add-period").last.click()
        page.select_option("#id_kind", "term")
        page.fill("#id_name", "2027年秋季学期")
        page.fill("#id_start", "2027-09-01")
        page.fill("#id_end", "2027-08-20")
        page.get_by_test_id("save").click()
        expect(page.locator(".error")).to_contain_text("结束日期不能早于开始日期")
        expect(page.locator("#id_name")).to_have_value("2027年秋季学期")
        _assert_fits(page)
        page.fill("#id_end", "2028-01-21")
        page.get_by_test_id("save").click()
        expect(page.get_by_test_id("periods-2")).to_contain_text("2027年秋季学期")
        assert CalendarPeriod.objects.filter(calendar__org=s, name="2027年秋季学期").exists()

        page.goto(f"{base}/records/{d.pk}/")
        expect(page.locator("body")).to_contain_text("3分20秒")
        page.get_by_test_id("drill-hazard").click()
        case = Case.objects.get(hazard__found_in_record=d)
        expect(page).to_have_url(f"{base}/cases/{case.pk}/")
        expect(page.get_by_test_id("found-in-record")).to_be_visible()
        _assert_fits(page)
        context.close()
