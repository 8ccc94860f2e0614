"""The key pages pass axe-core at 375 and 1280 px: no critical and no serious violation; the phone menu opens
from the keyboard and sits in a landmark."""

from __future__ import annotations

import json

import pytest

from shequ.testing import a11y
from shequ.testing.browser import login
from shequ.testing.urls import OBJECTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _key_pages(personas) -> dict[str, str]:
    from shequ.records.tests.helpers import activity_type

    case = OBJECTS["cases:detail"](personas)["pk"]
    OBJECTS["residents:detail"](personas)
    OBJECTS["plans:detail"](personas)
    OBJECTS["records:detail"](personas)
    return {
        "workbench": "/",
        "record form": f"/records/new/?type={activity_type('health', 'lecture').pk}",
        "case list": "/cases/",
        "case detail": f"/cases/{case}/",
        "resident list": "/residents/",
        "compliance": "/plans/compliance/?year=2025",
    }


def _public_pages(personas) -> dict[str, str]:
    return {"login": "/login/", "portal home": "/p/", "public board": f"/p/board/{personas.community_a.pk}/"}


@pytest.mark.parametrize("width", [375, 1280])
def test_key_pages_have_no_critical_or_serious_axe_violations(personas, live_server, browser, artifacts, width):
    pages = _key_pages(personas)
    found: dict[str, list] = {}
    page = browser.new_page(viewport={"width": width, "height": 800}, locale="zh-CN")
    try:
        for name, path in _public_pages(personas).items():
            page.goto(live_server.url + path)
            found[name] = a11y.violations(page)
            page.screenshot(path=str(artifacts / f"a11y-{path.strip('/').split('/')[-1] or 'home'}-{width}.png"))
        login(page, live_server.url, "p_worker_a")
        for name, path in pages.items():
            page.goto(live_server.url + path)
            found[name] = a11y.violations(page)
            page.screenshot(path=str(artifacts / f"a11y-{name.replace(' ', '-')}-{width}.png"))
    finally:
        page.close()
    report = {name: v for name, v in found.items() if v}
    (artifacts / f"axe-{width}.json").write_text(json.dumps(found, ensure_ascii=False, indent=1), encoding="utf-8")
    total = sum(a11y.count(v) for v in found.values())
    assert not report, f"{total} critical/serious axe violations at {width}px:\n" + json.dumps(
        report, ensure_ascii=False, indent=1
    )


def test_the_phone_menu_opens_from_the_keyboard_inside_the_navigation_landmark(personas, live_server, browser):
    page = browser.new_page(viewport={"width": 375, "height": 800}, locale="zh-CN")
    try:
        login(page, live_server.url, "p_worker_a")
        page.goto(live_server.url + "/")
        button = page.locator("nav[aria-label='主导航'] button.navbutton")
        assert (
            button.is_visible()
            and not page.get_by_role("navigation", name="主导航")
            .get_by_role("link", name="工作记录", exact=True)
            .is_visible()
        )
        for _ in range(12):  # Tab through the header until the menu button has the focus
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.classList.contains('navbutton')"):
                break
        assert page.evaluate("document.activeElement.classList.contains('navbutton')")
        page.keyboard.press("Enter")
        assert button.get_attribute("aria-expanded") == "true"
        assert (
            page.get_by_role("navigation", name="主导航").get_by_role("link", name="工作记录", exact=True).is_visible()
        )
    finally:
        page.close()


@pytest.mark.parametrize("width", [375, 1280])
def test_error_pages_fit_a_phone_and_say_what_happened(personas, live_server, browser, artifacts, width):
    page = browser.new_page(viewport={"width": width, "height": 800}, locale="zh-CN")
    try:
        login(page, live_server.url, "p_grid_a")
        page.goto(live_server.url + "/cases/ledgers/")  # a grid worker exports no ledgers: 403 with the reason
        assert "没有权限" in page.locator("h1").inner_text()
        assert "导出台账" in page.get_by_test_id("error-reason").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(artifacts / f"error-403-{width}.png"), full_page=True)
        page.goto(live_server.url + "/records/999999/")
        assert "页面不存在" in page.locator("h1").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(artifacts / f"error-404-{width}.png"), full_page=True)
    finally:
        page.close()
