"""A worker on a phone (375 px) uploads a plan as .docx, edits one target, rejects another, adds one from
selected text and adopts the plan."""

from __future__ import annotations

import pytest

from shequ.orgs.models import Area
from shequ.plans.models import Plan
from shequ.plans.tests.test_import_views import PLAN, docx_bytes
from shequ.records.tests.test_browser import _login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_uploaded_docx_plan_is_adopted_with_one_edited_and_one_rejected_target(
    browser, live_server, personas, artifacts
):
    path = artifacts / "plans-import.docx"
    path.write_bytes(docx_bytes(PLAN))
    context = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        _login(page, live_server.url, personas.worker_a.username)
        page.goto(f"{live_server.url}/plans/")
        page.get_by_role("link", name="导入计划文档").click()
        page.select_option("#id_org", str(personas.community_a.pk))
        page.fill("#id_year", "2025")
        page.set_input_files("#id_file", str(path))
        page.get_by_role("button", name="读取计划").click()
        page.wait_for_selector("#draft-list")

        # The document and its highlights are there, and the page does not scroll sideways.
        assert page.locator("mark.hl").count() == 3
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"the review page scrolls sideways on a phone ({width}px)"

        def row(words: str):
            return page.locator(".draft-row").filter(has=page.locator(f"input[name$='-title'][value*='{words}']"))

        rate = row("知晓率")
        rate.locator("input[name$='-threshold']").fill("98")
        group = row("领导小组")
        group.get_by_label("不采用").check()
        assert "rejected" in (group.get_attribute("class") or "")
        # A duty the reader left without a number is added by selecting its words, and given one.
        assert page.locator("#add-selection").is_hidden()
        page.evaluate(
            """() => {
                const spans = [...document.querySelectorAll('#doc-text span')];
                const span = spans.find(s => s.textContent.includes('要加强'));
                const node = span.firstChild, at = node.textContent.indexOf('要加强');
                const range = document.createRange();
                range.setStart(node, at);
                range.setEnd(node, at + '要加强健康教育宣传力度'.length);
                getSelection().removeAllRanges();
                getSelection().addRange(range);
            }"""
        )
        page.locator("#add-selection").click()
        added = page.locator("#r-u3")
        added.wait_for()
        added.locator("select[name$='-activity_code']").select_option("health/lecture")
        added.locator("select[name$='-period']").select_option("quarter")
        added.locator("input[name$='-min_per_period']").fill("1")
        page.screenshot(path=str(artifacts / "plans-import-review-375.png"), full_page=True)
        page.select_option("#id_area", str(Area.objects.get(code="health").pk))
        page.get_by_role("button", name="采用为计划").click()
        page.wait_for_url("**/plans/*/")
        assert page.get_by_text("已采用为2025年度计划：3项指标").is_visible()
        page.screenshot(path=str(artifacts / "plans-import-adopted-375.png"), full_page=True)
    finally:
        context.close()

    plan = Plan.objects.get(org=personas.community_a, year=2025)
    assert sorted(t.kind for t in plan.targets.all()) == ["count", "count", "rate"]
    assert plan.targets.get(kind="rate").threshold == 98
    added = plan.targets.get(activity_codes=["health/lecture"])
    assert (added.period, added.min_per_period, added.basis) == ("quarter", 1, "要加强健康教育宣传力度")
