"""A health survey year on a phone (375 px): a worker builds a survey from the banks, draws a sample, types 30
paper forms keyboard-only, two residents answer through their personal links, the survey closes, and the
health plan's 知晓率 and 形成率 turn from 进行中 to 达标 and 未达标 with the computed figure, its interval and
the links to the answers."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from shequ.testing.browser import login as browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}
KNOWLEDGE = 8
FORMS = 30


def _letters(question, right: bool) -> str:
    if right:
        return "".join(chr(65 + i) for i in question.correct)
    return chr(65 + next(i for i in range(len(question.options)) if i not in question.correct))


def _assert_fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{page.url} scrolls sideways on a phone ({width}px)"


def _target(page, base, plan, code):
    target = plan.targets.get(code=code)
    page.goto(f"{base}/plans/targets/{target.pk}/")
    return page.locator("h1 [data-state]")


@time_machine.travel(datetime(2026, 5, 15, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True)
def test_a_health_survey_year_on_a_phone_computes_the_plan_targets(browser, live_server, personas, artifacts):
    from shequ.plans.models import PlanTemplate
    from shequ.plans.services import template_adopt
    from shequ.surveys.models import Response, Survey
    from shequ.surveys.tests.helpers import registry

    registry(personas.community_a, personas.grid_a, households=40, members=2)
    template = PlanTemplate.objects.get(org__isnull=True, code="ref-health")
    plan = template_adopt(actor=personas.leader_a, template=template, org=personas.community_a, year=2026)
    base = live_server.url
    context = browser.new_context(**PHONE)
    context.set_default_timeout(120_000)  # a shared, busy test machine
    page = context.new_page()
    try:
        browser_login(page, base, personas.worker_a.username)
        assert _target(page, base, plan, "health-resident-knowledge").inner_text() == "进行中"
        assert _target(page, base, plan, "health-behaviour").inner_text() == "进行中"

        # Build the survey: a few knowledge questions one by one, the whole behaviour bank.
        page.goto(f"{base}/surveys/new/")
        page.fill("#id_title", "2026年居民健康素养调查")
        page.get_by_test_id("bank-health-behaviour").check()
        literacy = page.locator(".survey-q", has=page.get_by_test_id("bank-health-literacy"))
        literacy.locator("summary").click()
        boxes = literacy.locator("input[name=questions]")
        for i in range(KNOWLEDGE):
            boxes.nth(i).check()
        _assert_fits(page)
        page.screenshot(path=str(artifacts / "surveys-build-375.png"), full_page=True)
        page.get_by_role("button", name="建立问卷").click()
        page.wait_for_load_state()
        survey = Survey.objects.get()
        questions = list(survey.questions.all())
        assert len(questions) == KNOWLEDGE + 10 and questions[0].kind == "knowledge"

        # Draw the sample and open the survey.
        page.fill("#id_size", str(FORMS + 2))
        page.fill("#id_seed", "2026")
        page.get_by_test_id("draw").click()
        page.wait_for_load_state()
        assert "抽取32人" in page.content()
        page.get_by_test_id("open").click()
        page.wait_for_load_state()
        assert page.get_by_test_id("status").inner_text() == "调查中"
        _assert_fits(page)

        # 30 paper forms, keyboard only: the number, then each question's letters, Enter after each.
        # Knowledge: one wrong answer in all; behaviour: the last three questions unhealthy on every form.
        page.get_by_test_id("paper").click()
        page.wait_for_load_state()
        for number in range(1, FORMS + 1):
            page.wait_for_selector("form[data-paper][data-ready]")  # Enter moves on only once the script runs
            page.locator("#id_number").focus()
            page.keyboard.type(str(number))
            page.keyboard.press("Enter")
            for q in questions:
                right = not (q.kind == "knowledge" and number == 1 and q.number == 1) and not (
                    q.kind == "behaviour" and q.number > len(questions) - 3
                )
                page.keyboard.type(_letters(q, right))
                page.keyboard.press("Enter")
            # The form comes back at the same address: wait for its count of saved forms to move on.
            expect(page.get_by_test_id("saved")).to_have_text(str(number))
        _assert_fits(page)
        page.screenshot(path=str(artifacts / "surveys-paper-375.png"), full_page=True)
        assert Response.objects.filter(channel="paper").count() == FORMS

        # Two residents answer through their personal links (no login), all right.
        page.goto(f"{base}/surveys/{survey.pk}/links/")
        links = [page.get_by_test_id(f"link-{n}").inner_text() for n in (FORMS + 1, FORMS + 2)]
        for url in links:
            resident = browser.new_context(**PHONE)
            resident.set_default_timeout(120_000)
            rp = resident.new_page()
            rp.goto(url)
            for q in questions:
                for i in q.correct:
                    rp.locator(f"input[name=q{q.number}][value='{i}']").check()
            _assert_fits(rp)
            rp.screenshot(path=str(artifacts / "surveys-resident-375.png"), full_page=True)
            rp.get_by_test_id("submit").click()
            rp.wait_for_load_state()
            assert "提交成功" in rp.get_by_test_id("done").inner_text()
            resident.close()
        assert Response.objects.filter(channel="link").count() == 2

        # Close the survey: the results, then the plan's targets.
        page.goto(f"{base}/surveys/{survey.pk}/")
        page.get_by_test_id("close").click()
        page.wait_for_load_state()
        # Knowledge: (8 × 32 − 1) ÷ (8 × 32) = 255/256 = 99.61%;
        # behaviour: (7 × 30 + 10 × 2) ÷ (10 × 32) = 230/320 = 71.88% (the residents answered every one well).
        assert page.get_by_test_id("knowledge-q").inner_text() == "99.61%"
        assert page.get_by_test_id("behaviour-q").inner_text() == "71.88%"
        _assert_fits(page)
        page.screenshot(path=str(artifacts / "surveys-results-375.png"), full_page=True)

        knowledge = _target(page, base, plan, "health-resident-knowledge")
        assert knowledge.inner_text() == "达标"
        assert page.locator("[data-figure]").inner_text() == "99.61%"
        assert page.locator("[data-interval]").is_visible()
        assert page.locator("[data-source]").first.get_attribute("href") == f"/surveys/{survey.pk}/results/"
        page.screenshot(path=str(artifacts / "surveys-target-375.png"), full_page=True)
        page.locator("[data-side=numerator]").click()
        page.wait_for_load_state()
        assert page.locator("a[href^='/surveys/responses/']").count() > 0
        behaviour = _target(page, base, plan, "health-behaviour")
        assert behaviour.inner_text() == "未达标"
        assert page.locator("[data-figure]").inner_text() == "71.88%"
    finally:
        context.close()
