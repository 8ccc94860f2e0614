"""Meetings with sign-in, quorum and votes; passed resolutions carried out as plan tasks whose progress is theirs."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from shequ.groups import meetings, selectors
from shequ.groups.models import Attendance
from shequ.groups.tests.helpers import group, meeting
from shequ.plans import services as plan_services
from shequ.records.models import ActivityType, Record

pytestmark = pytest.mark.django_db

# Queries of the meeting page and of the public board, whatever the number of members, resolutions and tasks.
MEETING, BOARD = 20, 12


def council(p, members: int = 9):
    return group(
        p.worker_a, p.community_a, area="selfgov", kind_code="council", name="协商议事委员会", members=members,
        categories=["居民代表", "党员"],
    )  # fmt: skip


def test_a_meeting_is_a_record_with_the_sign_in_of_every_member_in_office(personas):
    g = group(personas.worker_a, personas.community_a, members=5)
    m = meeting(personas.worker_a, g, present=3, excused=1)
    record = Record.objects.get(pk=m.record_id)
    assert record.activity_type.code == "group_meeting" and record.content == "会议研究了年度工作。"
    assert (m.expected, m.present, m.quorate) == (5, 3, True)
    assert sorted(Attendance.objects.filter(meeting=m).values_list("status", flat=True)) == [
        "absent", "excused", "present", "present", "present"
    ]  # fmt: skip
    assert record.persons.count() == 3  # the members present signed in on the record
    assert record.extra["expected"] == 5 and "请假" in record.extra["absent"]


def test_the_council_is_inquorate_below_two_thirds_and_passes_nothing(personas):
    g = council(personas)
    m = meeting(personas.worker_a, g, present=5)
    assert not m.quorate
    r = meetings.resolution_add(actor=personas.worker_a, meeting=m, text="增设停车位", votes_for=5)
    assert not r.passed


def test_the_council_carries_a_matter_with_more_than_half_of_all_members(personas):
    g = council(personas)
    m = meeting(personas.worker_a, g, present=6)
    assert m.quorate
    four = meetings.resolution_add(actor=personas.worker_a, meeting=m, text="甲", votes_for=4, votes_against=2)
    five = meetings.resolution_add(actor=personas.worker_a, meeting=m, text="乙", votes_for=5, votes_abstain=1)
    assert (four.passed, five.passed) == (False, True)
    assert (four.number, five.number) == (1, 2)


def test_a_leading_group_carries_with_more_than_half_of_those_present(personas):
    g = group(personas.worker_a, personas.community_a, members=7)
    m = meeting(personas.worker_a, g, present=4)
    assert meetings.resolution_add(actor=personas.worker_a, meeting=m, text="甲", votes_for=3, votes_against=1).passed
    assert not meetings.resolution_add(
        actor=personas.worker_a, meeting=m, text="乙", votes_for=2, votes_against=2
    ).passed


def test_more_votes_than_members_present_are_refused(personas):
    g = group(personas.worker_a, personas.community_a, members=5)
    m = meeting(personas.worker_a, g, present=3)
    with pytest.raises(ValidationError, match="不能超过实到成员3人"):
        meetings.resolution_add(actor=personas.worker_a, meeting=m, text="甲", votes_for=3, votes_against=1)


def test_every_member_in_office_must_be_signed_in(personas):
    g = group(personas.worker_a, personas.community_a, members=3)
    first = g.members.first()
    kind = ActivityType.objects.get(area__code="health", code="group_meeting")
    with pytest.raises(ValidationError, match="请为每位在任成员选择"):
        meetings.meeting_create(
            actor=personas.worker_a, group=g, activity_type=kind, date=date(2026, 3, 1), title="会议",
            attendance={first.pk: "present"},
        )  # fmt: skip
    assert not Record.objects.exists()


def test_a_meeting_of_another_lines_type_is_refused(personas):
    g = group(personas.worker_a, personas.community_a, members=1)
    with pytest.raises(ValidationError, match="会议类型"):
        meeting(personas.worker_a, g, code="board")


def test_a_passed_resolution_becomes_a_task_whose_progress_is_the_resolutions(personas):
    g = group(personas.worker_a, personas.community_a, members=3)
    m = meeting(personas.worker_a, g)
    r = meetings.resolution_add(actor=personas.worker_a, meeting=m, text="更换控烟宣传栏", votes_for=3)
    with pytest.raises(PermissionDenied):  # tasks are given by the leader
        meetings.resolution_task(actor=personas.worker_a, resolution=r, title="更换", due=date(2026, 6, 30))
    task = meetings.resolution_task(
        actor=personas.leader_a, resolution=r, title="更换宣传栏", due=date(2026, 6, 30), owner_name="王专干",
        lead_org=personas.community_a,
    )  # fmt: skip
    assert task.source_record_id == m.record_id
    got = selectors.meeting_get(personas.worker_a, m.pk).resolutions.get()
    assert selectors.progress(got)["text"] == "落实中（0/1项任务已完成）"
    plan_services.task_add_note(actor=personas.leader_a, task=task, text="已制作新展板")
    plan_services.task_set_status(actor=personas.leader_a, task=task, status="done", completed_on=date(2026, 5, 1))
    p = selectors.progress(selectors.meeting_get(personas.worker_a, m.pk).resolutions.get())
    assert (p["text"], p["latest"], p["percent"]) == ("已落实", "已制作新展板", 100)


def test_a_failed_resolution_cannot_become_a_task(personas):
    g = group(personas.worker_a, personas.community_a, members=3)
    r = meetings.resolution_add(actor=personas.worker_a, meeting=meeting(personas.worker_a, g), text="甲", votes_for=1)
    with pytest.raises(ValidationError, match="未通过"):
        meetings.resolution_task(actor=personas.leader_a, resolution=r, title="甲", due=date(2026, 6, 30))


def test_the_public_board_shows_the_councils_resolutions_and_their_progress(personas, client):
    g = council(personas)
    m = meeting(personas.worker_a, g, present=8)
    r = meetings.resolution_add(actor=personas.worker_a, meeting=m, text="小区增设充电桩", votes_for=7)
    task = meetings.resolution_task(actor=personas.leader_a, resolution=r, title="增设充电桩", due=date(2026, 9, 30))
    plan_services.task_add_note(actor=personas.leader_a, task=task, text="已与物业确定位置")
    leading = group(personas.worker_a, personas.community_a, members=3)
    meetings.resolution_add(
        actor=personas.worker_a, meeting=meeting(personas.worker_a, leading), text="内部事项", votes_for=3
    )
    page = client.get(reverse("portal:board", args=[personas.community_a.pk])).content.decode()
    assert "小区增设充电桩" in page and "落实中（0/1项任务已完成）" in page and "已与物业确定位置" in page
    assert "内部事项" not in page  # a leading group's resolutions are not public


def test_the_meeting_page_says_whether_it_was_quorate(personas, client_for):
    g = council(personas)
    m = meeting(personas.worker_a, g, present=5)
    page = client_for(personas.worker_a).get(reverse("groups:meeting", args=[m.pk])).content.decode()
    assert "未达到法定人数" in page and "应到9人，实到5人" in page and "三分之二以上成员到会" in page


def test_a_meeting_from_the_form_with_sign_in_and_a_vote(personas, client_for):
    g = group(personas.worker_a, personas.community_a, members=3)
    members = list(g.members.order_by("id"))
    client = client_for(personas.worker_a)
    kind = ActivityType.objects.get(area__code="health", code="group_meeting")
    data = {
        "activity_type": kind.pk, "date": "2026-03-02", "title": "一季度领导小组会议", "agenda": "部署宣传\n安排讲座",
        "guests": "张医生，卫生服务站", "minutes": "会议部署了一季度工作。",
    }  # fmt: skip
    data |= {f"att_{members[0].pk}": "present", f"att_{members[1].pk}": "present", f"att_{members[2].pk}": "excused"}
    r = client.post(reverse("groups:meeting_create", args=[g.pk]) + "?date=2026-03-02", data)
    assert r.status_code == 302, r.content.decode()[:2000]
    m = g.meetings.get()
    assert (m.present, m.expected, m.quorate, m.guests.get().unit) == (2, 3, True, "卫生服务站")
    client.post(
        reverse("groups:resolution_add", args=[m.pk]),
        {"text": "五月开展控烟宣传", "votes_for": 2, "votes_against": 0, "votes_abstain": 0},
    )
    assert m.resolutions.get().passed


@pytest.mark.parametrize("n", [3, 20])
def test_the_meeting_page_runs_a_fixed_number_of_queries(n, personas, client_for, django_assert_max_num_queries):
    g = group(personas.worker_a, personas.community_a, members=n)
    m = meeting(personas.worker_a, g)
    for i in range(n // 3):
        r = meetings.resolution_add(actor=personas.worker_a, meeting=m, text=f"决议{i}", votes_for=n)
        meetings.resolution_task(actor=personas.leader_a, resolution=r, title=f"任务{i}", due=date(2026, 9, 30))
    client = client_for(personas.worker_a)
    client.get(reverse("groups:meeting", args=[m.pk]))
    with django_assert_max_num_queries(MEETING):
        assert client.get(reverse("groups:meeting", args=[m.pk])).status_code == 200
    with django_assert_max_num_queries(BOARD):
        assert client.get(reverse("portal:board", args=[personas.community_a.pk])).status_code == 200
