"""A committee meeting on a phone (375 px): the worker records the deliberation committee's meeting with its
sign-in (one member excused, one absent), puts a matter to the vote and corrects the saved sign-in (the excused
member came after all); the leader turns the passed resolution
into a plan task and records its progress; a resident reads the resolution and its progress on the public board."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from shequ.testing.browser import login as browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}


def _assert_fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{page.url} scrolls sideways on a phone ({width}px)"


@time_machine.travel(datetime(2026, 5, 15, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True)
def test_a_committee_meeting_votes_and_its_resolution_is_carried_out_on_the_board(
    browser, live_server, personas, artifacts
):
    from shequ.groups.models import Meeting, Resolution
    from shequ.groups.tests.helpers import group

    council = group(
        personas.worker_a, personas.community_a, area="selfgov", kind_code="council", name="社区协商议事委员会",
        members=6, categories=["居民代表", "党员", "物业"],
    )  # fmt: skip
    members = list(council.members.order_by("id"))
    base = live_server.url
    context = browser.new_context(**PHONE)
    context.set_default_timeout(120_000)  # a shared, busy test machine
    page = context.new_page()
    try:
        browser_login(page, base, personas.worker_a.username)
        page.goto(f"{base}/groups/{council.pk}/")
        page.get_by_test_id("new-meeting").click()
        page.fill("#id_title", "协商议事委员会5月会议")
        page.fill("#id_agenda", "小区增设电动车充电桩")
        page.fill("#id_guests", "社区民警，辖区派出所")
        page.fill("#id_minutes", "委员们就充电桩位置和费用进行了讨论。")
        page.locator(f"input[name=att_{members[4].pk}][value=excused]").check()
        page.locator(f"input[name=att_{members[5].pk}][value=absent]").check()
        _assert_fits(page)
        page.screenshot(path=str(artifacts / "groups-meeting-form-375.png"), full_page=True)
        page.get_by_test_id("save").click()
        expect(page.get_by_test_id("quorum")).to_contain_text("达到法定人数")
        expect(page.get_by_test_id("quorum")).to_contain_text("应到6人，实到4人")
        expect(page.get_by_test_id("attendance")).to_contain_text("请假")

        # The vote: 4 present, 4 for — more than half of all 6 members.
        vote = page.get_by_test_id("vote")
        vote.locator("#id_text").fill("小区东门增设电动车充电桩")
        vote.locator("#id_votes_for").fill("4")
        page.get_by_test_id("save-vote").click()
        resolution = page.get_by_test_id("resolution")
        expect(resolution).to_contain_text("赞成4、反对0、弃权0")
        expect(resolution).to_contain_text("通过")
        expect(resolution.get_by_test_id("progress")).to_have_text("待分解落实")
        _assert_fits(page)
        page.screenshot(path=str(artifacts / "groups-meeting-375.png"), full_page=True)
        meeting = Meeting.objects.get(group=council)
        assert (meeting.present, meeting.expected, meeting.quorate) == (4, 6, True)

        # The excused member came after all: the saved sign-in is corrected on the phone, with one more guest.
        page.get_by_test_id("edit-sign-in").click()
        row = meeting.attendance.get(member=members[4])  # the saved form names each sign-in row by its own id
        page.locator(f"input[name=att_{row.pk}][value=present]").check()
        page.fill("#id_guests", "社区民警，辖区派出所\n物业经理，物业公司")
        _assert_fits(page)
        page.screenshot(path=str(artifacts / "groups-sign-in-edit-375.png"), full_page=True)
        page.get_by_test_id("save-sign-in").click()
        expect(page.get_by_test_id("quorum")).to_contain_text("应到6人，实到5人")
        expect(page.get_by_test_id("attendance")).to_contain_text("物业经理（物业公司）")
        expect(page.get_by_test_id("resolution")).to_contain_text("通过")
        meeting.refresh_from_db()
        assert meeting.present == 5 and meeting.record.persons.count() == 5

        # The leader turns it into a task and records its progress.
        leader = browser.new_context(**PHONE)
        leader.set_default_timeout(120_000)
        lpage = leader.new_page()
        browser_login(lpage, base, personas.leader_a.username)
        lpage.goto(f"{base}/groups/meetings/{meeting.pk}/")
        lpage.get_by_test_id("make-task").click()
        lpage.fill("#id_owner_name", "王专干")
        lpage.fill("#id_due", "2026-08-31")
        lpage.get_by_test_id("save").click()
        expect(lpage.get_by_test_id("progress")).to_have_text("落实中（0/1项任务已完成）")
        task = Resolution.objects.get().tasks.get()
        assert task.source_record_id == meeting.record_id
        lpage.goto(f"{base}/plans/tasks/{task.pk}/")
        lpage.fill("#id_text", "已与物业确定安装位置")
        lpage.get_by_role("button", name="记录进展").click()
        expect(lpage.locator(".notes")).to_contain_text("已与物业确定安装位置")
        leader.close()

        # Residents read it on the board.
        board = browser.new_context(**PHONE).new_page()
        board.goto(f"{base}/p/board/{personas.community_a.pk}/")
        item = board.get_by_test_id("board-item")
        expect(item).to_contain_text("小区东门增设电动车充电桩")
        expect(item.get_by_test_id("board-progress")).to_have_text("落实中（0/1项任务已完成）")
        expect(item).to_contain_text("已与物业确定安装位置")
        _assert_fits(board)
        board.screenshot(path=str(artifacts / "groups-board-375.png"), full_page=True)
    finally:
        context.close()
