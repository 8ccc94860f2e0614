"""A worker imports a small file, fixes the rows the check reports, imports again, and finds a person by initials."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from shequ.residents.idnumbers import make_resident_id
from shequ.residents.tests.test_imports import xlsx
from shequ.testing.browser import login as browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
HEADER = ["姓名", "证件号码", "联系电话", "户号", "与户主关系", "小区", "楼栋", "单元", "房号"]


def _rows(fixed: bool):
    from datetime import date

    zhang = make_resident_id("420199", date(1961, 4, 9), 13)
    li = make_resident_id("420199", date(1963, 8, 2), 24)
    wang = make_resident_id("420199", date(1990, 1, 15), 35)
    return [
        ["张三", zhang, "13800001111", "A-101", "户主", "幸福家园", "3", "2", "301"],
        ["李秀英", li if fixed else li[:-1], "13800002222", "A-101", "配偶", "幸福家园", "3", "2", "301"],
        ["王伟", wang if fixed else _typo(wang), "", "A-102", "户主", "幸福家园", "3", "2", "302"],
    ]


def _typo(number: str) -> str:
    """The same number with a wrong check character."""
    return number[:-1] + ("0" if number[-1] != "0" else "1")


def _login(page, base: str, username: str) -> None:
    browser_login(page, base, username)


def _upload(page, base, path):
    page.goto(f"{base}/residents/imports/")
    page.set_input_files("#id_file", str(path))
    page.get_by_test_id("upload").click()
    page.wait_for_load_state()


def test_worker_imports_fixes_reported_rows_and_finds_a_person_by_initials(
    browser, live_server, personas, artifacts, settings, tmp_path
):
    from shequ.residents.models import Household, Person

    settings.MEDIA_ROOT = tmp_path
    bad = tmp_path / "居民-第一次.xlsx"
    bad.write_bytes(xlsx(_rows(fixed=False), header=HEADER))
    good = tmp_path / "居民-改正后.xlsx"
    good.write_bytes(xlsx(_rows(fixed=True), header=HEADER))

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        _login(page, live_server.url, personas.worker_a.username)
        _upload(page, live_server.url, bad)
        status = page.get_by_test_id("import-status")
        assert status.get_attribute("data-status") == "failed"
        errors = page.get_by_test_id("import-errors")
        assert errors.get_by_text("第3行").is_visible() and errors.get_by_text("第4行").is_visible()
        assert "应为18位，现在是17位" in errors.inner_text() and "校验位" in errors.inner_text()
        assert page.get_by_test_id("error-count").inner_text() == "2"
        page.screenshot(path=str(artifacts / "residents-import-errors-1280.png"), full_page=True)
        assert Person.objects.count() == 0

        _upload(page, live_server.url, good)
        assert page.get_by_test_id("import-status").get_attribute("data-status") == "checked"
        assert page.get_by_test_id("added").inner_text() == "3"
        page.get_by_test_id("confirm").click()
        page.wait_for_load_state()
        assert page.get_by_test_id("import-status").get_attribute("data-status") == "done"
        assert Person.objects.count() == 3 and Household.objects.count() == 2

        page.goto(f"{live_server.url}/residents/")
        with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/residents/")):
            page.fill("#id_q", "zs")
        table = page.get_by_test_id("person-table")
        # The response is in; the table is swapped just after it (张三 was listed before the search as well).
        expect(table).not_to_contain_text("李秀英")
        expect(table).to_contain_text("张三")
        assert "420199********" in table.inner_text()  # masked in the list
        page.wait_for_url(lambda url: url.endswith("/residents/?q=zs"))  # a short term stays in the address

        # A whole ID number is posted: the address (history, access log) carries it only sealed.
        number = _rows(fixed=True)[1][1]
        with page.expect_response(lambda r: r.request.method == "POST" and number in (r.request.post_data or "")):
            page.fill("#id_q", number)
        table.get_by_text("李秀英").wait_for()
        page.wait_for_url(lambda url: "qk=" in url)
        assert number not in page.url and number[:7] not in page.url
        page.reload()  # the sealed address opens the same search for the same user
        page.get_by_test_id("person-table").get_by_text("李秀英").wait_for()
        assert page.input_value("#id_q") == number
        page.goto(f"{live_server.url}/residents/?q=zs")
        page.screenshot(path=str(artifacts / "residents-search-zs-1280.png"), full_page=True)
        page.set_viewport_size({"width": 375, "height": 812})
        page.screenshot(path=str(artifacts / "residents-search-zs-375.png"), full_page=True)
    finally:
        context.close()


def test_worker_maps_an_unknown_column_and_imports(browser, live_server, personas, artifacts, settings, tmp_path):
    from datetime import date

    from shequ.residents.models import ImportMapping, Person

    settings.MEDIA_ROOT = tmp_path
    header = ["姓名", "公民身份号码", "联系方式", "现住址", "政治面貌"]
    rows = [
        [
            "张三",
            make_resident_id("420199", date(1961, 4, 9), 13),
            "+86 138 0000 1111",
            "幸福小区3栋2单元501室",
            "党员",
        ],
        ["李秀英", make_resident_id("420199", date(1963, 8, 2), 24), "138-0000-2222", "3-2-502", "群众"],
    ]
    roster = tmp_path / "花名册.xlsx"
    roster.write_bytes(xlsx(rows, header=header))
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        _login(page, live_server.url, personas.worker_a.username)
        _upload(page, live_server.url, roster)
        status = page.get_by_test_id("import-status")
        assert status.get_attribute("data-status") == "mapping"
        assert "E列“政治面貌”" in status.inner_text() and "党员" in status.inner_text()
        page.screenshot(path=str(artifacts / "residents-import-mapping-1280.png"), full_page=True)
        page.get_by_test_id("map-4").select_option("+notes")
        page.get_by_test_id("map-confirm").click()
        page.wait_for_load_state()
        assert page.get_by_test_id("import-status").get_attribute("data-status") == "checked"
        assert page.get_by_test_id("added").inner_text() == "2"
        page.get_by_test_id("confirm").click()
        page.wait_for_load_state()
        assert page.get_by_test_id("import-status").get_attribute("data-status") == "done"
        zhang = Person.objects.get(name="张三")
        assert zhang.notes == "政治面貌:党员" and zhang.phone == "13800001111" and zhang.room == "501"
        assert Person.objects.get(name="李秀英").address == "3栋2单元502室"
        assert ImportMapping.objects.get(org=personas.community_a).mapping == {"政治面貌": "+notes"}
    finally:
        context.close()
