"""On a 375 px phone: a worker lists a family on the learning-organisation register and scores it against the
checklist with a photo as evidence, and the register shows the share against last year's; at the door the
teacher shows the session's QR code and an enrolled resident opens its link and signs in."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from playwright.sync_api import expect

from shequ.testing.browser import login as browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}
TZ = ZoneInfo("Asia/Shanghai")


def _assert_fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{page.url} scrolls sideways on a phone ({width}px)"


def _phone(browser):
    context = browser.new_context(**PHONE)
    context.set_default_timeout(120_000)  # a shared, busy test machine
    return context, context.new_page()


def _png(path) -> str:
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 40, 40)).save(buf, "PNG")
    path.write_bytes(buf.getvalue())
    return str(path)


def test_a_worker_scores_a_family_and_the_register_shows_the_rise(browser, live_server, personas, artifacts, tmp_path):
    from shequ.education import learning
    from shequ.education.learning_models import LearningEvaluation

    a, w = personas.community_a, personas.worker_a
    pdf = SimpleUploadedFile("证书.pdf", b"%PDF-1.4\n%%EOF\n")
    full = {c.code: c.points for c in learning.CRITERIA["family"]}
    listed = date(2025, 1, 10)
    others = [
        learning.candidate_add(actor=w, org=a, kind="family", name=f"王家{i}", listed_on=listed) for i in range(3)
    ]
    learning.evaluate(actor=w, candidate=others[0], evaluated_on=date(2025, 11, 1), scores=full, files=[pdf])
    learning.evaluate(actor=w, candidate=others[1], evaluated_on=date(2026, 11, 1), scores=full, files=[pdf])
    base = live_server.url

    with time_machine.travel(datetime(2026, 11, 20, 10, 0, tzinfo=TZ), tick=True):
        context, page = _phone(browser)
        browser_login(page, base, w.username)
        page.goto(f"{base}/education/learning/new/")
        page.get_by_label("类别").select_option("family")
        page.get_by_label("名称").fill("张建国家庭")
        page.get_by_label("户主/楼组长/负责人").fill("张建国")
        page.get_by_label("列入名册日期").fill("2026-02-01")
        _assert_fits(page)
        page.get_by_test_id("save").click()
        page.get_by_test_id("evaluate").click()
        page.get_by_label("评估日期").fill("2026-11-18")
        for n, c in enumerate(learning.CRITERIA["family"], start=1):
            page.get_by_label(f"{n}. {c.text}").fill(str(c.points - 2))
        page.get_by_label("佐证材料").set_input_files(_png(tmp_path / "读书角.png"))
        _assert_fits(page)
        page.screenshot(path=str(artifacts / "learning-evaluate-375.png"), full_page=True)
        page.get_by_test_id("save").click()
        expect(page.get_by_test_id("result-2026")).to_have_text("达标")
        _assert_fits(page)
        page.goto(f"{base}/education/learning/?year=2026&org={a.pk}")
        share = page.get_by_test_id(f"share-{a.pk}")
        expect(share).to_contain_text("50% （2/4）")  # this year: the new family and one more of four
        expect(share).to_contain_text("33.33%")  # last year: one of three
        expect(share).to_contain_text("+16.67")
        expect(page.get_by_test_id("candidates")).to_contain_text("张建国家庭")
        _assert_fits(page)
        page.screenshot(path=str(artifacts / "learning-register-375.png"), full_page=True)
        context.close()
    ev = LearningEvaluation.objects.get(candidate__name="张建国家庭")
    assert (ev.total, ev.year, ev.files.get().file_name) == (88, 2026, "读书角.png")


def test_the_teacher_shows_the_code_and_an_enrolled_resident_signs_in(browser, live_server, personas, artifacts):
    from shequ.education import services
    from shequ.education.tests.helpers import course, residents, school

    a = personas.community_a
    resident = personas.resident
    resident.phone = "13900000009"
    resident.save()
    (me,) = residents(a, 1, born=date(1960, 2, 1), residence_status="changzhu", phone="13900000009")
    me.name = resident.name
    me.save()
    day = date(2026, 6, 3)
    c = course(personas.worker_a, school(a), title="太极拳班", days=[day, day + timedelta(days=7)])
    services.enrol(actor=personas.worker_a, course=c, persons=[me, *residents(a, 2)])
    session = c.sessions.get(number=1)
    base = live_server.url

    with time_machine.travel(datetime(2026, 6, 3, 8, 55, tzinfo=TZ), tick=True):
        context, page = _phone(browser)
        browser_login(page, base, c.teacher.user.username)
        page.get_by_test_id("qr-today").click()
        expect(page.get_by_test_id("qr").locator("svg")).to_be_visible()
        _assert_fits(page)
        page.screenshot(path=str(artifacts / "checkin-qr-375.png"), full_page=True)
        link = page.get_by_test_id("checkin-link").get_attribute("href")
        context.close()

        context, page = _phone(browser)
        browser_login(page, base, resident.username)
        page.goto(link)
        page.get_by_test_id("checkin").click()
        expect(page.get_by_test_id("signed-in")).to_be_visible()
        expect(page.locator("main")).to_contain_text("签到成功")
        _assert_fits(page)
        page.screenshot(path=str(artifacts / "checkin-done-375.png"), full_page=True)
        context.close()
    session.refresh_from_db()
    assert list(session.record.persons.all()) == [me]
