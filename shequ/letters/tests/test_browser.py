"""Signing on a phone (375 px): 社区A's secretary opens the street's letter, signs it with a finger on the pad, and
the street's coverage shows 社区A signed; the signed letter downloads as a PDF."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from shequ.testing.browser import login as browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}


@time_machine.travel(datetime(2026, 2, 10, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True)
def test_a_community_signs_the_streets_letter_with_a_finger(browser, live_server, personas, artifacts):
    from shequ.letters.models import Letter, SignedBy
    from shequ.letters.tests.helpers import street_letters

    _top, (a, _b) = street_letters(personas, on=date(2026, 2, 1))
    base = live_server.url
    context = browser.new_context(**PHONE)
    context.set_default_timeout(120_000)  # a shared, busy test machine
    page = context.new_page()
    try:
        browser_login(page, base, personas.leader_a.username)
        page.goto(f"{base}/letters/")
        page.get_by_role("link", name="平安建设目标责任书").first.click()
        expect(page.get_by_test_id("holder")).to_have_text("社区A")
        page.wait_for_load_state("load")  # the stylesheet too, before the width is measured
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        # Sign with a finger: a stroke across the pad.
        pad = page.locator("#signature-pad")
        pad.scroll_into_view_if_needed()
        box = pad.bounding_box()
        assert box is not None
        page.mouse.move(box["x"] + 30, box["y"] + 60)
        page.mouse.down()
        for x, y in ((80, 20), (140, 80), (200, 30), (260, 70)):
            page.mouse.move(box["x"] + x, box["y"] + y, steps=5)
        page.mouse.up()
        page.fill("#id_signer_name", "社区A书记")
        page.screenshot(path=str(artifacts / "letters-sign-375.png"), full_page=True)
        page.get_by_test_id("sign").click()
        expect(page.get_by_test_id("status")).to_contain_text("已签订")
        expect(page.get_by_test_id("signature")).to_be_visible()
        page.screenshot(path=str(artifacts / "letters-signed-375.png"), full_page=True)
    finally:
        context.close()
    a.refresh_from_db()
    assert a.signed_how == SignedBy.DRAWN and a.signer_name == "社区A书记" and a.signed_on == date(2026, 2, 10)
    street = browser.new_context(**PHONE)
    street.set_default_timeout(120_000)
    page = street.new_page()
    try:
        browser_login(page, base, personas.supervisor.username)
        page.goto(f"{base}/letters/")
        coverage = page.get_by_test_id("coverage")
        expect(coverage).to_contain_text("50.0%")  # 社区A signed, 社区B not yet
        expect(coverage).to_contain_text("社区B")
    finally:
        street.close()
    assert Letter.objects.filter(signed_on__isnull=False).count() == 1
