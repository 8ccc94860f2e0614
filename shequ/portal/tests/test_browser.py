"""A resident on a 375 px phone posts an opinion with a photo; a worker replies; the resident reads the reply
and rates it; the post shows on the community's public board."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from shequ.cases.models import Case
from shequ.testing.browser import loaded_width
from shequ.testing.browser import login as browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


def _login(page, base: str, login: str, next_url: str = "") -> None:
    browser_login(page, base, login, next_url)


def test_resident_posts_from_a_phone_worker_replies_resident_rates_and_board_shows_it(
    browser, live_server, personas, artifacts
):
    resident = personas.resident
    resident.phone = "13912340000"
    resident.save(update_fields=["phone_cipher", "phone_hash", "phone_tail"])
    buf = io.BytesIO()
    Image.new("RGB", (1200, 900), (90, 140, 60)).save(buf, format="JPEG")
    photo = artifacts / "portal-opinion.jpg"
    photo.write_bytes(buf.getvalue())
    base = live_server.url

    # the resident, on a phone, logs in with the phone number and posts with a photo
    phone = browser.new_context(**PHONE)
    page = phone.new_page()
    errors: list[str] = []  # failed requests (the missing favicon aside) and blocked scripts or styles
    page.on("response", lambda r: errors.append(r.url) if r.status >= 400 and "favicon" not in r.url else None)
    page.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
    _login(page, base, "13912340000", "/p/new/")
    assert page.url.endswith("/p/new/")
    page.select_option("#id_category", "建议")
    page.fill("#id_title", "小区东门增设减速带")
    page.fill("#id_description", "东门出入车辆速度快,早上孩子上学很危险,建议增设减速带。")
    page.set_input_files("#id_photos", str(photo))
    page.screenshot(path=str(artifacts / "portal-post-375.png"), full_page=True)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    case = Case.objects.get(title="小区东门增设减速带")
    assert page.url.endswith(f"/p/mine/{case.pk}/")
    assert page.get_by_test_id("case-state").inner_text() == "待受理"
    assert case.attachments.filter(is_image=True).count() == 1
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page scrolls sideways on a phone ({width}px)"

    # a worker, at a desk, accepts and replies (the reply is public)
    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    wpage = desk.new_page()
    _login(wpage, base, personas.worker_a.username)
    wpage.goto(f"{base}/cases/{case.pk}/")
    wpage.get_by_test_id("action-accept").click()
    wpage.select_option("form[action$='/move/accept/'] select[name=owner]", str(personas.worker_a.pk))
    wpage.click("form[action$='/move/accept/'] button[type=submit]")
    wpage.wait_for_load_state()
    assert wpage.get_by_test_id("case-state").inner_text() == "办理中"
    wpage.get_by_test_id("action-resolve").click()
    wpage.fill("form[action$='/move/resolve/'] textarea[name=result]", "已协调交通部门,东门减速带本周安装。")
    wpage.fill(
        "form[action$='/move/resolve/'] textarea[name=public_reply]", "您好,东门减速带已于本周安装完成,感谢您的建议!"
    )
    wpage.click("form[action$='/move/resolve/'] button[type=submit]")
    wpage.wait_for_load_state()
    assert wpage.get_by_test_id("case-state").inner_text() == "已办结"
    wpage.screenshot(path=str(artifacts / "cases-detail-1280.png"), full_page=True)

    # the resident sees the reply and rates it five stars
    page.reload()
    assert "东门减速带已于本周安装完成" in page.get_by_test_id("replies").inner_text()
    page.screenshot(path=str(artifacts / "portal-reply-375.png"), full_page=True)
    page.check("input[name=rating][value='5']")
    page.fill("#id_comment", "很及时")
    page.get_by_test_id("rate").locator("button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.get_by_test_id("case-state").inner_text() == "已回访评价"
    case.refresh_from_db()
    assert case.rating == 5

    # anyone sees the post, the reply and its time on the community's board
    public = browser.new_context(**PHONE)
    ppage = public.new_page()
    ppage.goto(f"{base}/p/board/{personas.community_a.pk}/")
    post = ppage.get_by_test_id("post").first
    assert "小区东门增设减速带" in post.inner_text() and "社区答复" in post.inner_text()
    assert "感谢您的建议" in post.get_by_test_id("reply").inner_text()
    assert "居民甲" not in post.inner_text()
    assert post.locator("img").count() == 1
    assert loaded_width(post.locator("img")) > 0
    ppage.screenshot(path=str(artifacts / "portal-board-375.png"), full_page=True)
    assert not errors, errors
    for ctx in (phone, desk, public):
        ctx.close()


def test_resident_links_their_registry_row_on_a_phone_and_reads_their_own_data(
    browser, live_server, personas, artifacts, sms_outbox
):
    import re

    from shequ.residents import services as resident_services
    from shequ.residents.tests.helpers import new_id, register

    number = new_id()
    person = register(personas.worker_a, personas.community_a, name="王秀英", id_number=number, phone="13911112222")
    resident_services.person_reveal_id(actor=personas.leader_a, person=person)
    phone = browser.new_context(**PHONE)
    page = phone.new_page()
    _login(page, live_server.url, personas.resident.username, "/p/me/")
    page.fill("#id_id_number", number)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    code = re.findall(r"验证码是(\d{6})", sms_outbox[-1].text)[0]
    assert sms_outbox[-1].phone == "13911112222"
    page.fill("#id_code", code)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert page.url.endswith("/p/me/") and "王秀英" in page.content()
    assert "社区A书记" in page.content()  # who looked at the whole ID number
    page.screenshot(path=str(artifacts / "portal-me-375.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page scrolls sideways on a phone ({width}px)"
    page.click("text=查看完整号码")
    page.wait_for_load_state()
    assert page.get_by_test_id("id-whole").inner_text() == number
