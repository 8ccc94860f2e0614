import pytest

from shequ.testing.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _fits(page, width: int) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [375, 1280])
def test_worker_logs_in_enrols_the_second_factor_and_lands_on_dashboard(
    personas, live_server, browser, artifacts, width
):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from shequ.testing.factories import TEST_PASSWORD, totp_code

    page = browser.new_page(viewport={"width": width, "height": 800}, locale="zh-CN")
    try:
        page.goto(f"{live_server.url}/")
        assert "/login/" in page.url
        page.fill("input[name=username]", "p_worker_a")
        page.fill("input[name=password]", TEST_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        # first login: the authenticator is enrolled with a QR code, on a phone as on a PC
        assert "/accounts/mfa/setup/" in page.url
        assert page.get_by_test_id("mfa-qr").locator("svg").is_visible() and _fits(page, width)
        page.screenshot(path=str(artifacts / f"mfa-setup-{width}.png"), full_page=True)
        device = TOTPDevice.objects.get(user=personas.worker_a, confirmed=False)
        page.fill("#id_code", totp_code(device))
        page.click("button[type=submit]")
        page.wait_for_load_state()
        assert page.get_by_test_id("recovery-codes").locator("li").count() == 10 and _fits(page, width)
        page.get_by_text("我已保存，继续").click()
        page.wait_for_url(f"{live_server.url}/")
        assert page.locator("h1").inner_text() == "工作台"
        assert page.get_by_test_id("current-org").inner_text() == "社区A"
        # the page fits the phone: nothing wider than the viewport
        assert _fits(page, width)
        page.screenshot(path=str(artifacts / f"dashboard-{width}.png"), full_page=True)
    finally:
        page.close()


def test_csp_blocks_nothing_of_our_own(personas, live_server, browser):
    page = browser.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    login(page, live_server.url, "p_admin")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/audit/")
    page.select_option("select[name=success]", "1")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("typeof htmx") == "object"
    assert not [e for e in errors if "Content Security Policy" in e], errors
    page.close()
