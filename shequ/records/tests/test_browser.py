"""A worker on a phone (375 px) records a 宣传栏更换 with a photo and finds it in the list."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from shequ.testing.browser import loaded_width
from shequ.testing.browser import login as browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _login(page, base: str, username: str) -> None:
    browser_login(page, base, username)


def record_board_change_on_phone(browser, live_server, user, artifacts, *, title: str, issue_no: int, prefix: str):
    """Drive the phone flow; returns the page left on the record list. Other apps' browser tests reuse it."""
    buf = io.BytesIO()
    Image.new("RGB", (800, 600), (180, 40, 40)).save(buf, format="JPEG")
    photo = artifacts / f"{prefix}-board.jpg"
    photo.write_bytes(buf.getvalue())
    context = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True)
    page = context.new_page()
    _login(page, live_server.url, user.username)
    page.goto(f"{live_server.url}/records/new/")
    page.get_by_test_id("type-health-board").click()
    page.wait_for_load_state()
    page.fill("#id_title", title)
    page.fill("#id_place", "服务站门口")
    page.fill("#id_x_issue_no", str(issue_no))
    page.fill("#id_x_location", "1号宣传栏")
    page.check("input[name=x_archive][value=图片材料]")
    page.set_input_files("#id_photo_files", str(photo))
    page.screenshot(path=str(artifacts / f"{prefix}-form-375.png"), full_page=True)
    page.get_by_test_id("save").click()
    page.wait_for_load_state()
    page.screenshot(path=str(artifacts / f"{prefix}-detail-375.png"), full_page=True)
    page.goto(f"{live_server.url}/records/")
    page.screenshot(path=str(artifacts / f"{prefix}-list-375.png"))
    return context, page


def test_worker_records_a_board_change_with_a_photo_on_a_phone(browser, live_server, personas, artifacts):
    from shequ.records.models import Record

    context, page = record_board_change_on_phone(
        browser, live_server, personas.worker_a, artifacts, title="第11期 夏季防溺水", issue_no=11, prefix="records"
    )
    try:
        rows = page.get_by_test_id("record-list")
        assert rows.get_by_text("第11期 夏季防溺水").is_visible()
        thumb = rows.locator("img.rec-thumb").first
        assert thumb.is_visible() and loaded_width(thumb) > 0
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"the list scrolls sideways on a phone ({width}px)"
        record = Record.objects.get()
        assert record.activity_type.code == "board" and record.photos.count() == 1
        assert record.extra["archive"] == ["图片材料"] and record.org == personas.community_a
    finally:
        context.close()
